package io.bedrockspend.identity;

import io.bedrockspend.StringMapTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfo;

import java.util.Map;

/**
 * One STS session as CloudTrail announced it: who, when it is valid and its session tags (immutable
 * for the session's life). Kept in keyed state per session ARN, a few per ARN because session names
 * are reused.
 */
public class SessionContext {
    /** CloudTrail eventID of the STS event: the same event twice is one session. */
    public String eventId;
    public String eventName;
    public long issuedMillis;
    public long expiresMillis;
    /** The role ARN as given to AssumeRole (carries the IAM path). */
    public String roleArn;
    public String accessKeyId;
    public String sourceIdentity;
    @TypeInfo(StringMapTypeInfo.class)
    public Map<String, String> tags;

    public SessionContext() {}

    public boolean covers(long t, long skewMillis) {
        return t >= issuedMillis - skewMillis && t <= expiresMillis;
    }
}
