package io.bedrockspend.ingest;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.bedrockspend.ingest.Collected.decode;
import static io.bedrockspend.ingest.Collected.gzip;
import static io.bedrockspend.ingest.Collected.resource;
import static io.bedrockspend.ingest.Collected.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RecordDecoderTest {

    private static InvocationCall onlyCall(Collected c) {
        assertEquals(List.of(), c.dead, "dead letters");
        assertEquals(1, c.calls.size(), "calls");
        assertEquals(1, c.total());
        return c.calls.get(0);
    }

    private static TrailEvent onlyTrail(Collected c) {
        assertEquals(List.of(), c.dead, "dead letters");
        assertEquals(1, c.trails.size(), "trail events");
        assertEquals(1, c.total());
        return c.trails.get(0);
    }

    private static DeadLetter onlyDead(Collected c, DeadLetterReason reason) {
        assertEquals(1, c.dead.size(), () -> "dead letters: " + c.dead + " calls " + c.calls.size());
        assertEquals(1, c.total());
        DeadLetter d = c.dead.get(0);
        assertEquals(reason.name(), d.reason, d::toString);
        return d;
    }

    private static long millis(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    // ---------------------------------------------------------------- invocation records

    @Test
    void rawRecordWithSchemaTypeLast() {
        InvocationCall c = onlyCall(decode(resource("invocation-schematype-last.json")));
        assertEquals("6f1c2a9e-3b4d-4c8f-9a7e-1d2c3b4a5e6f", c.requestId);
        assertEquals(millis("2025-09-03T14:21:07Z"), c.timestampMillis);
        assertEquals("210987654321", c.accountId);
        assertEquals("arn:aws:sts::210987654321:assumed-role/BedrockAppRole/checkout-svc", c.identityArn);
        assertEquals("us-east-1", c.region);
        assertEquals("Converse", c.operation);
        assertEquals("us.anthropic.claude-sonnet-4-5-20250929-v1:0", c.modelId);
        assertEquals(1840, c.inputTokens);
        assertEquals(212, c.outputTokens);
        assertEquals(12000, c.cacheReadTokens);
        assertEquals(0, c.cacheWriteTokens);
        assertFalse(c.cacheSplitKnown);
        assertEquals("us-east-2", c.inferenceRegion);
        assertEquals("standard", c.tier);
        assertNull(c.errorCode);
        assertEquals("test", c.origin);
        assertEquals("line 1", c.position);
    }

    @Test
    void recordWithoutCacheFieldsAndFractionalTimestamp() {
        InvocationCall c = onlyCall(decode(resource("invocation-no-cache-fields.json")));
        assertEquals(25, c.inputTokens);
        assertEquals(150, c.outputTokens);
        assertEquals(0, c.cacheReadTokens);
        assertEquals(0, c.cacheWriteTokens);
        assertEquals(millis("2025-09-03T14:22:00.125Z"), c.timestampMillis);
        assertEquals("arn:aws:iam::210987654321:user/dana", c.identityArn);
    }

    @Test
    void errorRecordWithEmptyInputAndOutput() {
        InvocationCall c = onlyCall(decode(resource("invocation-error.json")));
        assertEquals("ResourceNotFoundException", c.errorCode);
        assertEquals(0, c.inputTokens + c.outputTokens + c.cacheReadTokens + c.cacheWriteTokens);
    }

    @Test
    void recordWithS3BodyPathAndApplicationInferenceProfile() {
        InvocationCall c = onlyCall(decode(resource("invocation-s3-body-app-profile.json")));
        assertEquals("arn:aws:bedrock:us-west-2:210987654321:application-inference-profile/k3v9x2q7m1pz", c.modelId);
        assertEquals(3, c.inputTokens);
        assertEquals(28857, c.cacheWriteTokens);
        assertEquals(142, c.outputTokens);
        assertFalse(c.cacheSplitKnown);
        assertEquals(28857, c.cacheWrite5mTokens());
    }

    @Test
    void invokeModelBodyCacheCreationSplitAndOffsetTimestampAndLatencyOptimized() {
        InvocationCall c = onlyCall(decode(resource("invocation-cache-creation.json")));
        assertTrue(c.cacheSplitKnown);
        assertEquals(5000, c.cacheWriteTokens);
        assertEquals(3800, c.cacheWrite1hTokens);
        assertEquals(1200, c.cacheWrite5mTokens());
        assertEquals(millis("2025-09-05T06:00:00Z"), c.timestampMillis);
        assertEquals("latency-optimized", c.tier);
    }

    @Test
    void converseBodyCacheDetailsAndPriorityTier() {
        InvocationCall c = onlyCall(decode(resource("invocation-converse-cachedetails.json")));
        assertTrue(c.cacheSplitKnown);
        assertEquals(3072, c.cacheWrite1hTokens);
        assertEquals(1024, c.cacheWrite5mTokens());
        assertEquals("priority", c.tier);
    }

    @Test
    void streamingArrayBodyAndFlexTier() {
        InvocationCall c = onlyCall(decode(resource("invocation-streaming-array.json")));
        assertTrue(c.cacheSplitKnown);
        assertEquals(2048, c.cacheWrite1hTokens);
        assertEquals(0, c.cacheWrite5mTokens());
        assertEquals(17, c.outputTokens);
        assertEquals("flex", c.tier);
    }

    @Test
    void tiers() {
        assertEquals("standard", RecordDecoder.tierOf(false, null));
        assertEquals("standard", RecordDecoder.tierOf(false, "default"));
        assertEquals("batch", RecordDecoder.tierOf(false, "batch"));
        assertEquals("priority", RecordDecoder.tierOf(false, "PRIORITY"));
        assertEquals("latency-optimized", RecordDecoder.tierOf(true, "priority"));
        InvocationCall c = onlyCall(decode(text("invocation-no-cache-fields.json").replace("\"input\":", "\"serviceTier\":{\"type\":\"default\"},\"input\":")));
        assertEquals("standard", c.tier);
    }

    @Test
    void recordWithoutSchemaTypeIsRecognisedByItsFields() {
        String json = text("invocation-no-cache-fields.json").replace("\"schemaType\":\"ModelInvocationLog\",", "");
        assertEquals(25, onlyCall(decode(json)).inputTokens);
    }

    @Test
    void embeddingWithoutOutputCount() {
        String json = "{\"schemaType\":\"ModelInvocationLog\",\"schemaVersion\":\"1.0\",\"timestamp\":\"2025-09-03T14:22:00Z\","
                + "\"accountId\":\"210987654321\",\"region\":\"us-east-1\",\"requestId\":\"emb-1\",\"operation\":\"InvokeModel\","
                + "\"modelId\":\"amazon.titan-embed-text-v2:0\",\"identity\":{\"arn\":\"arn:aws:iam::210987654321:user/dana\"},"
                + "\"input\":{\"inputContentType\":\"application/json\",\"inputTokenCount\":7},"
                + "\"output\":{\"outputContentType\":\"application/json\"}}";
        InvocationCall c = onlyCall(decode(json));
        assertEquals(7, c.inputTokens);
        assertEquals(0, c.outputTokens);
    }

    @Test
    void numericStringCountIsAccepted() {
        InvocationCall c = onlyCall(decode(text("invocation-no-cache-fields.json").replace("\"inputTokenCount\":25", "\"inputTokenCount\":\"25\"")));
        assertEquals(25, c.inputTokens);
    }

    // ---------------------------------------------------------------- invocation dead letters

    private static String base() {
        return text("invocation-no-cache-fields.json");
    }

    @Test
    void missingRequestId() {
        onlyDead(decode(base().replace("\"requestId\":\"0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d\",", "")), DeadLetterReason.MISSING_REQUEST_ID);
    }

    @Test
    void missingTimestamp() {
        DeadLetter d = onlyDead(decode(base().replace("\"timestamp\":\"2025-09-03T14:22:00.125Z\",", "")), DeadLetterReason.MISSING_TIMESTAMP);
        assertEquals("0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d", d.recordId);
        assertEquals("test", d.origin);
        assertEquals("line 1", d.position);
    }

    @Test
    void badTimestamps() {
        for (String ts : List.of("2025-09-03 14:22:00", "2025-09-03T14:22:00", "yesterday", "2025-02-30T00:00:00Z", "1970-01-01T00:00:00Z", "+292278994-08-17T07:12:55Z", "2150-01-01T00:00:00Z")) {
            onlyDead(decode(base().replace("2025-09-03T14:22:00.125Z", ts)), DeadLetterReason.BAD_TIMESTAMP);
        }
    }

    @Test
    void negativeAbsurdAndHugeCounts() {
        onlyDead(decode(base().replace("\"inputTokenCount\":25", "\"inputTokenCount\":-5")), DeadLetterReason.NEGATIVE_TOKEN_COUNT);
        onlyDead(decode(base().replace("\"outputTokenCount\":150", "\"outputTokenCount\":100000001")), DeadLetterReason.ABSURD_TOKEN_COUNT);
        onlyDead(decode(base().replace("\"outputTokenCount\":150", "\"outputTokenCount\":123456789012345678901234567890")), DeadLetterReason.ABSURD_TOKEN_COUNT);
        onlyDead(decode(base().replace("\"outputTokenCount\":150", "\"outputTokenCount\":\"99999999999999999999999\"")), DeadLetterReason.ABSURD_TOKEN_COUNT);
        onlyDead(decode(base().replace("\"inputTokenCount\":25", "\"inputTokenCount\":-99999999999999999999999")), DeadLetterReason.NEGATIVE_TOKEN_COUNT);
    }

    @Test
    void wrongTypes() {
        for (String v : List.of("true", "{\"n\":1}", "[1]", "12.5", "\"twelve\"")) {
            onlyDead(decode(base().replace("\"inputTokenCount\":25", "\"inputTokenCount\":" + v)), DeadLetterReason.WRONG_TYPE);
        }
        onlyDead(decode(base().replace("\"requestId\":\"0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d\"", "\"requestId\":42")), DeadLetterReason.WRONG_TYPE);
        onlyDead(decode(base().replace("\"input\":{", "\"input\":[1],\"x\":{")), DeadLetterReason.WRONG_TYPE);
    }

    @Test
    void unknownSchemaVersion() {
        onlyDead(decode(base().replace("\"schemaVersion\":\"1.0\"", "\"schemaVersion\":\"2.0\"")), DeadLetterReason.UNKNOWN_SCHEMA_VERSION);
    }

    @Test
    void inconsistentCacheSplit() {
        String json = text("invocation-cache-creation.json").replace("\"cacheWriteInputTokenCount\":5000", "\"cacheWriteInputTokenCount\":3000");
        onlyDead(decode(json), DeadLetterReason.INCONSISTENT_CACHE_SPLIT);
    }

    @Test
    void invalidJsonTooDeepUnknownShapeAndEmpty() {
        DeadLetter d = onlyDead(decode(base().substring(0, 200)), DeadLetterReason.INVALID_JSON);
        assertEquals("0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d", d.recordId, "id read before the failure");
        assertTrue(d.detail.startsWith("JsonEOFException at line 1"), d.detail);
        onlyDead(decode("{\"a\":1} trailing"), DeadLetterReason.INVALID_JSON);
        onlyDead(decode(new byte[0]), DeadLetterReason.INVALID_JSON);
        onlyDead(decode("   "), DeadLetterReason.INVALID_JSON);
        onlyDead(decode("[".repeat(100) + "]".repeat(100)), DeadLetterReason.TOO_DEEPLY_NESTED);
        onlyDead(decode("{\"hello\":\"world\"}"), DeadLetterReason.UNKNOWN_SHAPE);
        onlyDead(decode("\"just a string\""), DeadLetterReason.UNKNOWN_SHAPE);
        onlyDead(decode(base().replace("ModelInvocationLog", "SomethingElse")), DeadLetterReason.UNKNOWN_SHAPE);
    }

    @Test
    void invalidUtf8() {
        byte[] b = base().getBytes(StandardCharsets.UTF_8);
        String s = new String(b, StandardCharsets.ISO_8859_1);
        int at = s.indexOf("eu-west-1") + 2;
        b[at] = (byte) 0xC3;
        b[at + 1] = (byte) 0x28; // invalid continuation byte
        onlyDead(decode(b), DeadLetterReason.INVALID_UTF8);
    }

    @Test
    void recordTooLarge() {
        RecordDecoder small = new RecordDecoder(DecodeLimits.defaults().withMaxRecordBytes(100));
        onlyDead(Collected.decode(small, resource("invocation-no-cache-fields.json")), DeadLetterReason.RECORD_TOO_LARGE);
    }

    @Test
    void gzipBombAndTruncatedGzipAndNestedGzip() {
        byte[] zeros = new byte[2_000_000];
        Arrays.fill(zeros, (byte) ' ');
        RecordDecoder capped = new RecordDecoder(DecodeLimits.defaults().withMaxDecompressedBytes(1_000_000));
        onlyDead(Collected.decode(capped, gzip(zeros)), DeadLetterReason.DECOMPRESSED_TOO_LARGE);

        byte[] gz = gzip(resource("cwl-data-message.json"));
        onlyDead(decode(Arrays.copyOf(gz, gz.length / 2)), DeadLetterReason.TRUNCATED_GZIP);
        byte[] corrupt = gz.clone();
        corrupt[3] = (byte) 0xff; // reserved flag bits set: ZipException
        onlyDead(decode(corrupt), DeadLetterReason.TRUNCATED_GZIP);

        assertEquals(1, decode(gzip(gzip(resource("invocation-error.json")))).calls.size());
        onlyDead(decode(gzip(gzip(gzip(gzip(resource("invocation-error.json")))))), DeadLetterReason.DECOMPRESSED_TOO_LARGE);
    }

    @Test
    void framingErrorRecord() {
        RawRecord r = RawRecord.framingError("s3://b/k.json.gz", "line 7", DeadLetterReason.TRUNCATED_GZIP, "EOFException after 6 complete lines");
        Collected c = new Collected();
        new RecordDecoder().decode(r, c);
        DeadLetter d = onlyDead(c, DeadLetterReason.TRUNCATED_GZIP);
        assertEquals("s3://b/k.json.gz", d.origin);
        assertEquals("line 7", d.position);
        assertEquals("RECORD_TOO_LARGE",
                RecordDecoder.decodeFramingError(RawRecord.framingError("f", "line 1", DeadLetterReason.RECORD_TOO_LARGE, "x")).reason);
    }

    // ---------------------------------------------------------------- CloudWatch Logs

    @Test
    void cloudWatchLogsGzipPayloadWithThreeEvents() {
        Collected c = decode(gzip(resource("cwl-data-message.json")));
        assertEquals(List.of(), c.dead);
        assertEquals(3, c.calls.size());
        assertEquals("line 1/logEvents[0]", c.calls.get(0).position);
        assertEquals("line 1/logEvents[2]", c.calls.get(2).position);
        assertEquals("ResourceNotFoundException", c.calls.get(2).errorCode);
    }

    @Test
    void cloudWatchLogsDecodedJsonForm() {
        Collected c = decode(resource("cwl-data-message.json"));
        assertEquals(3, c.calls.size());
        assertEquals(3, c.total());
    }

    @Test
    void controlMessageIsSkipped() {
        Collected c = decode(gzip(resource("cwl-control-message.json")));
        assertEquals(List.of("cwl:CONTROL_MESSAGE"), c.skipped);
        assertEquals(1, c.total());
    }

    @Test
    void badLogEventIsDeadLetteredWithItsId() {
        String payload = "{\"logEvents\":[{\"id\":\"39175290110467350213846729348204567812639485726193840\",\"timestamp\":1,"
                + "\"message\":\"{\\\"timestamp\\\":\\\"2025-09-03T14:21:07Z\\\",\\\"input\\\":{\\\"inputTokenCount\\\":\"},"
                + "{\"id\":\"2\",\"timestamp\":2,\"message\":\"" + text("invocation-error.json").replace("\"", "\\\"") + "\"}],"
                + "\"messageType\":\"DATA_MESSAGE\",\"owner\":\"210987654321\"}";
        Collected c = decode(payload);
        assertEquals(1, c.calls.size());
        assertEquals(1, c.dead.size());
        DeadLetter d = c.dead.get(0);
        assertEquals("INVALID_JSON", d.reason);
        assertEquals("39175290110467350213846729348204567812639485726193840", d.recordId);
        assertEquals("line 1/logEvents[0]", d.position);
    }

    @Test
    void cloudWatchLogsCarryingCloudTrail() {
        String ct = text("cloudtrail-invokemodel.json").replace("\\", "\\\\").replace("\"", "\\\"");
        String payload = "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"210987654321\",\"logGroup\":\"CloudTrail/mgmt\","
                + "\"logStream\":\"210987654321_CloudTrail_us-east-1\",\"subscriptionFilters\":[\"all\"],"
                + "\"logEvents\":[{\"id\":\"1\",\"timestamp\":1,\"message\":\"" + ct + "\"}]}";
        TrailEvent e = onlyTrail(decode(gzip(payload.getBytes(StandardCharsets.UTF_8))));
        assertEquals("RUNTIME_CALL", e.kind);
        assertEquals("line 1/logEvents[0]", e.position);
    }

    // ---------------------------------------------------------------- CloudTrail

    @Test
    void rawCloudTrailInvokeModel() {
        TrailEvent e = onlyTrail(decode(resource("cloudtrail-invokemodel.json")));
        assertEquals("RUNTIME_CALL", e.kind);
        assertEquals("InvokeModel", e.eventName);
        assertEquals("bedrock.amazonaws.com", e.eventSource);
        assertEquals("6f1c2a9e-3b4d-4c8f-9a7e-1d2c3b4a5e6f", e.requestId);
        assertEquals("b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e", e.eventId);
        assertEquals(millis("2025-09-03T14:21:08Z"), e.eventTimeMillis);
        assertEquals("AssumedRole", e.userIdentityType);
        assertEquals("arn:aws:sts::210987654321:assumed-role/BedrockAppRole/checkout-svc", e.userIdentityArn);
        assertEquals("arn:aws:iam::210987654321:role/apps/BedrockAppRole", e.sessionIssuerArn);
        assertEquals("ASIAEXAMPLEKEY00001", e.accessKeyId);
        assertEquals("dana@example.com", e.sourceIdentity);
        assertEquals("9067d0a1-b2c3-4d5e-8f90-a1b2c3d4e5f6", e.onBehalfOfUserId);
        assertEquals("us.anthropic.claude-sonnet-4-5-20250929-v1:0", e.modelId);
        assertEquals("us-east-2", e.inferenceRegion);
        assertEquals("us-east-1", e.awsRegion);
        assertEquals("210987654321", e.accountId);
        assertNull(e.errorCode);
    }

    @Test
    void eventBridgeEnvelopeWithStringReadOnly() {
        TrailEvent e = onlyTrail(decode(resource("eventbridge-converse.json")));
        assertEquals("Converse", e.eventName);
        assertEquals("amazon.nova-lite-v1:0", e.modelId);
        assertEquals("IAMUser", e.userIdentityType);
        assertNull(e.inferenceRegion);
    }

    @Test
    void eventBridgeWithoutDetail() {
        onlyDead(decode("{\"version\":\"0\",\"id\":\"x\",\"detail-type\":\"AWS API Call via CloudTrail\",\"source\":\"aws.bedrock\"}"),
                DeadLetterReason.EVENTBRIDGE_WITHOUT_DETAIL);
        onlyDead(decode("{\"detail-type\":\"AWS API Call via CloudTrail\",\"detail\":null}"), DeadLetterReason.EVENTBRIDGE_WITHOUT_DETAIL);
        assertEquals(List.of("eventbridge:Object Created"),
                decode("{\"detail-type\":\"Object Created\",\"source\":\"aws.s3\",\"detail\":{\"bucket\":{\"name\":\"b\"}}}").skipped);
    }

    @Test
    void assumeRoleWithTagsAndTransitiveTags() {
        TrailEvent e = onlyTrail(decode(resource("sts-assumerole-tags.json")));
        assertEquals("SESSION_START", e.kind);
        assertEquals("arn:aws:sts::210987654321:assumed-role/BedrockAppRole/checkout-svc", e.sessionArn);
        assertEquals("arn:aws:iam::210987654321:role/apps/BedrockAppRole", e.roleArn);
        assertEquals("ASIAEXAMPLEKEY00001", e.sessionAccessKeyId);
        assertEquals(millis("2025-09-03T15:00:00Z"), e.sessionExpiresMillis);
        assertEquals(Map.of("Department", "Engineering", "team", "checkout", "costCenter", "CC-1042"), e.sessionTags);
        assertEquals("team,costCenter", e.transitiveTagKeys);
        assertEquals("arn:aws:iam::210987654321:role/GatewayRole", e.sessionIssuerArn);
    }

    @Test
    void webIdentityPrincipalTags() {
        TrailEvent e = onlyTrail(decode(resource("sts-webidentity.json")));
        assertEquals("AssumeRoleWithWebIdentity", e.eventName);
        assertEquals(Map.of("actor", "dana", "repository", "acme/shop", "team", "checkout"), e.sessionTags);
        assertEquals(millis("2025-09-03T16:21:21Z"), e.sessionExpiresMillis);
        assertEquals("arn:aws:sts::210987654321:assumed-role/gha-deploy/GitHubActions-99120", e.sessionArn);
    }

    @Test
    void samlPrincipalTagsWithUnparseableExpirationFallsBackToDuration() {
        TrailEvent e = onlyTrail(decode(resource("sts-saml.json")));
        assertEquals(Map.of("CostCenter", "987654", "Project", "Unicorn"), e.sessionTags);
        assertEquals(millis("2025-09-03T08:00:00Z") + 43_200_000L, e.sessionExpiresMillis);
        assertEquals("CostCenter,Project", e.transitiveTagKeys);
    }

    @Test
    void getFederationTokenWithoutExpirationUsesDuration() {
        TrailEvent e = onlyTrail(decode(resource("sts-federation-token.json")));
        assertEquals("arn:aws:sts::210987654321:federated-user/kiosk-7", e.sessionArn);
        assertEquals(Map.of("team", "retail"), e.sessionTags);
        assertEquals(millis("2025-09-03T11:30:00Z"), e.sessionExpiresMillis);
    }

    @Test
    void sessionExpiryFallbacks() {
        long t = millis("2025-01-01T00:00:00Z");
        assertEquals(t + 3_600_000L, RecordDecoder.sessionExpiry(null, t, -1));
        assertEquals(t + 900_000L, RecordDecoder.sessionExpiry("garbage", t, 900));
        assertEquals(millis("2019-10-02T23:12:29Z"), TimeParsing.expirationToMillis("Oct 2, 2019 11:12:29 PM"));
        assertEquals(millis("2023-10-25T02:21:21Z"), TimeParsing.expirationToMillis("Oct 25, 2023, 2:21:21 AM"));
        assertEquals(millis("2023-10-25T02:21:21Z"), TimeParsing.expirationToMillis("Oct 25, 2023, 2:21:21\u202fAM"));
        assertEquals(millis("2014-07-18T16:07:39Z"), TimeParsing.expirationToMillis("Jul 18, 2014 4:07:39 PM"));
        assertEquals(millis("2026-07-01T12:08:19Z"), TimeParsing.expirationToMillis("2026-07-01T12:08:19Z"));
    }

    @Test
    void iamTagEvents() {
        String[] lines = new String(resource("iam-events.jsonl"), StandardCharsets.UTF_8).split("\n");
        TrailEvent tag = onlyTrail(decode(lines[0]));
        assertEquals("PRINCIPAL_TAGS", tag.kind);
        assertEquals("role", tag.targetType);
        assertEquals("BedrockAppRole", tag.targetName);
        assertEquals(Map.of("team", "checkout", "costCenter", "CC-1042"), tag.tagsSet);
        assertNull(tag.tagKeysRemoved);

        TrailEvent untag = onlyTrail(decode(lines[1]));
        assertEquals("costCenter,legacy", untag.tagKeysRemoved);
        assertNull(untag.tagsSet);

        // requestParameters comes before eventSource/eventName here: read without knowing the kind yet
        TrailEvent create = onlyTrail(decode(lines[2]));
        assertEquals("CreateUser", create.eventName);
        assertEquals("user", create.targetType);
        assertEquals("erin", create.targetName);
        assertEquals(Map.of("team", "data"), create.tagsSet);

        TrailEvent delete = onlyTrail(decode(lines[3]));
        assertEquals("DeleteRole", delete.eventName);
        assertEquals("OldRole", delete.targetName);
    }

    @Test
    void irrelevantEventIsSkipped() {
        Collected c = decode(resource("cloudtrail-irrelevant.json"));
        assertEquals(List.of("cloudtrail:ec2.amazonaws.com:AuthorizeSecurityGroupIngress"), c.skipped);
        assertEquals(1, c.total());
        Collected bedrockOther = decode("{\"eventSource\":\"bedrock.amazonaws.com\",\"eventName\":\"ListFoundationModels\",\"eventTime\":\"2025-01-01T00:00:00Z\"}");
        assertEquals(List.of("cloudtrail:bedrock.amazonaws.com:ListFoundationModels"), bedrockOther.skipped);
    }

    @Test
    void trailDeadLetters() {
        String ct = text("cloudtrail-invokemodel.json");
        DeadLetter d = onlyDead(decode(ct.replace("\"eventTime\":\"2025-09-03T14:21:08Z\",", "")), DeadLetterReason.MISSING_EVENT_FIELDS);
        assertEquals("b1c2d3e4-f5a6-4b7c-8d9e-0f1a2b3c4d5e", d.recordId);
        onlyDead(decode(ct.replace("\"eventSource\":\"bedrock.amazonaws.com\",", "")), DeadLetterReason.MISSING_EVENT_FIELDS);
        onlyDead(decode(ct.replace("2025-09-03T14:21:08Z", "03/09/2025")), DeadLetterReason.BAD_TIMESTAMP);
        onlyDead(decode(ct.replace("\"readOnly\":true", "\"readOnly\":{}")), DeadLetterReason.WRONG_TYPE);
        onlyDead(decode(ct.replace("\"requestParameters\":{\"modelId\":\"us.anthropic.claude-sonnet-4-5-20250929-v1:0\"}",
                "\"requestParameters\":{\"modelId\":7}")), DeadLetterReason.WRONG_TYPE);
    }

    @Test
    void cloudTrailS3RecordsFile() {
        Collected c = decode(gzip(resource("cloudtrail-s3-records-pretty.json")));
        assertEquals(List.of(), c.dead);
        assertEquals(2, c.trails.size());
        assertEquals("RUNTIME_CALL", c.trails.get(0).kind);
        assertEquals("line 1/Records[0]", c.trails.get(0).position);
        assertEquals("SESSION_START", c.trails.get(1).kind);
        assertEquals("line 1/Records[1]", c.trails.get(1).position);
        assertEquals(List.of("cloudtrail:ec2.amazonaws.com:AuthorizeSecurityGroupIngress"), c.skipped);
    }

    @Test
    void jsonArrayOfRecords() {
        String arr = "[" + text("invocation-error.json") + "," + text("cloudtrail-invokemodel.json") + ",3]";
        Collected c = decode(arr);
        assertEquals(1, c.calls.size());
        assertEquals("line 1/[0]", c.calls.get(0).position);
        assertEquals(1, c.trails.size());
        assertEquals(1, c.dead.size());
        assertEquals("UNKNOWN_SHAPE", c.dead.get(0).reason);
    }

    @Test
    void decoderIsSerializable() throws Exception {
        java.io.ByteArrayOutputStream bo = new java.io.ByteArrayOutputStream();
        try (java.io.ObjectOutputStream oo = new java.io.ObjectOutputStream(bo)) {
            oo.writeObject(new RecordDecoder(DecodeLimits.defaults().withMaxTokenCount(5)));
        }
        RecordDecoder back;
        try (java.io.ObjectInputStream oi = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bo.toByteArray()))) {
            back = (RecordDecoder) oi.readObject();
        }
        onlyDead(Collected.decode(back, resource("invocation-no-cache-fields.json")), DeadLetterReason.ABSURD_TOKEN_COUNT);
    }
}
