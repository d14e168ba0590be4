package io.bedrockspend.identity;

/**
 * A Bedrock runtime call CloudTrail saw but no invocation log record matched within the wait:
 * logging off in a region, or an operation logging does not capture. Counted so the gap is visible.
 */
public class UnmeteredCall {
    public String requestId;
    public long eventTimeMillis;
    public String principal;
    public String principalArn;
    public String eventName;
    public String modelId;
    public String region;
    public String accountId;

    public UnmeteredCall() {}
}
