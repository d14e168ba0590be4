package io.bedrockspend.ingest;

/**
 * The compact form of one Bedrock model-invocation log record: what pricing and attribution need,
 * nothing of the prompt or response bodies.
 */
@org.apache.flink.api.common.typeinfo.TypeInfo(InvocationCallSerializer.Factory.class)
public class InvocationCall {
    public String requestId;
    /** Event time: the record's {@code timestamp}, epoch milliseconds UTC. */
    public long timestampMillis;
    public String accountId;
    /** {@code identity.arn} as logged (an STS session ARN, an IAM user ARN, ...). */
    public String identityArn;
    /** Source region of the call ({@code region}). */
    public String region;
    public String operation;
    /** {@code modelId} as logged: base id, profile id, or an ARN. */
    public String modelId;
    /** {@code input.inputTokenCount}: excludes cache tokens. Absent = 0. */
    public long inputTokens;
    public long outputTokens;
    public long cacheReadTokens;
    /** {@code input.cacheWriteInputTokenCount}: all cache writes, both TTLs. */
    public long cacheWriteTokens;
    /** True when a logged body's usage block gave the 5-minute / 1-hour split. */
    public boolean cacheSplitKnown;
    /** 1-hour cache writes (only meaningful when {@link #cacheSplitKnown}). */
    public long cacheWrite1hTokens;
    public String errorCode;
    public String inferenceRegion;
    /** Service tier as logged (standard unless the record says otherwise). */
    public String tier = "standard";
    public String origin;
    public String position;

    public InvocationCall() {}

    /** 5-minute cache writes: all writes unless the split is known. */
    public long cacheWrite5mTokens() {
        return cacheSplitKnown ? cacheWriteTokens - cacheWrite1hTokens : cacheWriteTokens;
    }

    /** 1-hour cache writes, 0 unless the split is known. */
    public long cacheWrite1hTokensKnown() {
        return cacheSplitKnown ? cacheWrite1hTokens : 0L;
    }

    /** A fingerprint of the billable content, to tell a redelivery from a conflicting record. */
    public long contentFingerprint() {
        long h = 1125899906842597L;
        h = 31 * h + timestampMillis;
        h = 31 * h + java.util.Objects.hashCode(identityArn);
        h = 31 * h + java.util.Objects.hashCode(modelId);
        h = 31 * h + java.util.Objects.hashCode(region);
        h = 31 * h + inputTokens;
        h = 31 * h + outputTokens;
        h = 31 * h + cacheReadTokens;
        h = 31 * h + cacheWriteTokens;
        h = 31 * h + cacheWrite1hTokens;
        h = 31 * h + java.util.Objects.hashCode(errorCode);
        return h;
    }
}
