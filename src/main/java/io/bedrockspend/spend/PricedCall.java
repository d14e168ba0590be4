package io.bedrockspend.spend;

import io.bedrockspend.StringMapTypeInfo;
import io.bedrockspend.pricing.CallCost;
import org.apache.flink.api.common.typeinfo.TypeInfo;

import java.util.Map;

/** One distinct call, priced and attributed: a row of the ledger and of {@code calls.jsonl}. */
public class PricedCall {
    public String requestId;
    public long timestampMillis;
    public String accountId;
    /** Canonical principal (role or user ARN behind the call). */
    public String principal;
    /** {@code identity.arn} as logged. */
    public String principalArn;
    public String region;
    public String operation;
    public String modelId;
    public String inferenceRegion;
    public String errorCode;

    public long inputTokens;
    public long outputTokens;
    public long cacheReadTokens;
    public long cacheWriteTokens;
    public long cacheWrite5mTokens;
    public long cacheWrite1hTokens;

    public CallCost cost;

    /** Effective tags: principal tags overlaid by session tags. */
    @TypeInfo(StringMapTypeInfo.class)
    public Map<String, String> tags;
    /** Tag key → where it came from: {@code principal} (IAM tags) or {@code session} (session tags). */
    @TypeInfo(StringMapTypeInfo.class)
    public Map<String, String> tagSources;
    /** The role or user ARN with its IAM path, as CloudTrail names it (CUR writes principals this way). */
    public String principalPathArn;
    public String sourceIdentity;
    /** Identity Center user id behind the session, when CloudTrail gave it. */
    public String onBehalfOf;
    /** complete / partial / none, see {@link io.bedrockspend.identity.Attribution}. */
    public String attribution;
    /** Value of the configured team key, or the unattributed bucket name. */
    public String team;

    public PricedCall() {}
}
