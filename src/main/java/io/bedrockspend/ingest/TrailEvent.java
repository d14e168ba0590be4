package io.bedrockspend.ingest;

import io.bedrockspend.StringMapTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfo;

import java.util.Map;

/**
 * The compact form of one CloudTrail event the job cares about: Bedrock runtime calls, STS
 * session starts (with session tags) and IAM tag changes. Fields not used by a kind stay null.
 */
@org.apache.flink.api.common.typeinfo.TypeInfo(TrailEventSerializer.Factory.class)
public class TrailEvent {
    public enum Kind { RUNTIME_CALL, SESSION_START, PRINCIPAL_TAGS }

    /** {@link Kind} name. */
    public String kind;
    public String eventId;
    public String eventSource;
    public String eventName;
    public long eventTimeMillis;
    /** CloudTrail {@code requestID}: equals the invocation record's {@code requestId}. */
    public String requestId;
    public String awsRegion;
    public String accountId;
    public String errorCode;

    // userIdentity of the caller
    public String userIdentityType;
    public String userIdentityArn;
    public String sessionIssuerArn;
    public String accessKeyId;
    public String sourceIdentity;
    public String onBehalfOfUserId;

    // RUNTIME_CALL
    public String modelId;
    public String inferenceRegion;

    // SESSION_START (AssumeRole*, GetFederationToken)
    /** {@code responseElements.assumedRoleUser.arn} (or federatedUser.arn). */
    public String sessionArn;
    public String roleArn;
    public String sessionAccessKeyId;
    /** Credentials expiry, epoch ms; 0 when unknown. */
    public long sessionExpiresMillis;
    @TypeInfo(StringMapTypeInfo.class)
    public Map<String, String> sessionTags;
    /** Comma-separated transitive tag keys. */
    public String transitiveTagKeys;

    // PRINCIPAL_TAGS (CreateRole, CreateUser, TagRole, UntagRole, TagUser, UntagUser, DeleteRole, DeleteUser)
    /** The IAM role or user the change applies to (name as given in the request). */
    public String targetName;
    /** "role" or "user". */
    public String targetType;
    @TypeInfo(StringMapTypeInfo.class)
    public Map<String, String> tagsSet;
    /** Comma-separated tag keys removed. */
    public String tagKeysRemoved;

    public String origin;
    public String position;

    public TrailEvent() {}
}
