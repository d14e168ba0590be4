package io.bedrockspend.identity;

import io.bedrockspend.StringMapTypeInfo;
import io.bedrockspend.ingest.InvocationCall;
import org.apache.flink.api.common.typeinfo.TypeInfo;

import java.util.Map;

/** A distinct call with who pays for it: canonical principal, effective tags and where each tag came from. */
public class AttributedCall {
    public InvocationCall call;
    /** Canonical principal: the IAM role or user behind the call. */
    public String principal;
    @TypeInfo(StringMapTypeInfo.class)
    public Map<String, String> tags;
    /** Tag key → {@code principal} or {@code session}. */
    @TypeInfo(StringMapTypeInfo.class)
    public Map<String, String> tagSources;
    /** {@link Attribution} wire name. */
    public String attribution;
    public String team;
    /** Role ARN with its IAM path, from CloudTrail (sessionIssuer or AssumeRole roleArn), when known. */
    public String principalPathArn;
    public String sourceIdentity;
    /** Identity Center user id behind the session ({@code onBehalfOf.userId}), when CloudTrail gave it. */
    public String onBehalfOf;

    public AttributedCall() {}
}
