package io.bedrockspend.pricing;

import io.bedrockspend.StringMapTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfo;

import java.util.Map;
import java.util.TreeMap;

/** The pricing folder as one poll read it: its snapshot files, or why they could not be read. */
public class PricingUpdate {
    /** The folder (local path or {@code s3://…}). */
    public String folder;
    /** Snapshot file name → its JSON text. */
    @TypeInfo(StringMapTypeInfo.class)
    public Map<String, String> files = new TreeMap<>();
    /** Why the folder could not be used; the previous prices stay in force. Null when readable. */
    public String error;

    public PricingUpdate() {}

    /** Same fingerprint, same prices: the poller repeats itself every interval. */
    public String fingerprint() {
        return error != null ? "error:" + error : Integer.toHexString(files.hashCode()) + ":" + files.keySet();
    }
}
