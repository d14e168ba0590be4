package io.bedrockspend.sinks;

import io.bedrockspend.spend.PricedCall;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The priced-call ledger: JSON Lines ({@link JsonFormats#call}) under {@code dt=YYYY-MM-DD/hour=HH}
 * of the call's event time (UTC), written by Flink's {@link FileSink}. Part files are rolled on
 * every checkpoint and only become visible (lose the leading dot and {@code .inprogress}) when that
 * checkpoint completes: a reader of committed files sees each call exactly once, whatever restarts
 * happened. Works on any Flink file system with a recoverable writer (local, {@code s3://} via
 * flink-s3-fs-hadoop).
 */
public final class LedgerSink {
    private LedgerSink() {}

    public static final String PART_PREFIX = "calls";
    public static final String PART_SUFFIX = ".jsonl";

    public static FileSink<PricedCall> create(String basePath) {
        return FileSink.forRowFormat(new Path(basePath), new JsonLinesEncoder<PricedCall>(JsonFormats::call))
                .withBucketAssigner(new HourlyEventTimeBuckets())
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix(PART_PREFIX).withPartSuffix(PART_SUFFIX).build())
                .build();
    }

    /** Bucket = the call's event hour, so a late or backfilled call lands in the partition of when it happened. */
    public static final class HourlyEventTimeBuckets implements BucketAssigner<PricedCall, String> {
        private static final long serialVersionUID = 1L;
        private static final DateTimeFormatter FORMAT =
                DateTimeFormatter.ofPattern("'dt='yyyy-MM-dd'/hour='HH").withZone(ZoneOffset.UTC);

        @Override
        public String getBucketId(PricedCall call, Context context) {
            return bucketOf(call.timestampMillis);
        }

        public static String bucketOf(long epochMillis) {
            return FORMAT.format(Instant.ofEpochMilli(epochMillis));
        }

        @Override
        public SimpleVersionedSerializer<String> getSerializer() {
            return SimpleVersionedStringSerializer.INSTANCE;
        }
    }
}
