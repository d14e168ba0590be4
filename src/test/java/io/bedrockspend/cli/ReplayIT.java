package io.bedrockspend.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs {@code bedrock-spend replay} end to end (local MiniCluster, batch mode) on a fixture set that
 * mixes every file shape, and checks every call's cost and team against values worked out by hand
 * from the rates in pricing-snapshots/ (USD per 1M tokens).
 */
class ReplayIT {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ACCT = "111122223333";
    static final String SEARCH_SESSION = "arn:aws:sts::" + ACCT + ":assumed-role/search-svc/pod-7";
    static final String ALICE = "arn:aws:iam::" + ACCT + ":user/alice";
    static final String ORPHAN = "arn:aws:sts::" + ACCT + ":assumed-role/legacy-batch/job-1";

    @TempDir
    static Path dir;
    static Map<String, JsonNode> calls = new HashMap<>();
    static List<JsonNode> deadLetters;
    static String teamCsv;
    static JsonNode summary;
    static int exit;
    static String stdout;

    @BeforeAll
    static void replayFixtures() throws Exception {
        Path in = dir.resolve("in");
        Path logs = Files.createDirectories(in.resolve("logs/AWSLogs/" + ACCT + "/BedrockModelInvocationLogs/us-east-1/2026/10/01"));
        Path trail = Files.createDirectories(in.resolve("trail"));

        // r1: global Sonnet 4.5, 5-minute writes assumed. Global rates 3 / 15 / 0.30 read / 3.75 write-5m:
        //   1000×3 + 500×15 + 2000×0.30 + 4000×3.75 = 3000 + 7500 + 600 + 15000 = 26100 µ$ → 0.0261
        String r1 = record("r1", "2026-10-01T10:00:00Z", SEARCH_SESSION, "global.anthropic.claude-sonnet-4-5-20250929-v1:0",
                1000, 500, 2000, 4000, null, "");
        // r2: us. Sonnet 4.5 (regional = 1.1× global) with the 1-hour split in the Converse usage block:
        //   1000×3.3 + 500×16.5 + 2000(5m)×4.125 + 1000(1h)×6.6 = 3300 + 8250 + 8250 + 6600 = 26400 µ$ → 0.0264
        String r2 = record("r2", "2026-10-01T10:01:00Z", SEARCH_SESSION, "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                1000, 500, 0, 3000, null,
                ",\"outputBodyJson\":{\"output\":{\"message\":{\"content\":[{\"text\":\"hi\"}]}},"
                        + "\"usage\":{\"inputTokens\":1000,\"outputTokens\":500,\"cacheWriteInputTokens\":3000,"
                        + "\"cacheDetails\":[{\"ttl\":\"5m\",\"inputTokens\":2000},{\"ttl\":\"1h\",\"inputTokens\":1000}]}}");
        // r3/r4: Claude 3.5 Sonnet v2 before and after the 2025-12-01 Extended Access price change:
        //   before 10000×3 + 1000×15 = 45000 µ$ → 0.045;  after 10000×6 + 1000×30 = 90000 µ$ → 0.09
        String r3 = record("r3", "2025-11-15T08:00:00Z", ALICE, "anthropic.claude-3-5-sonnet-20241022-v2:0",
                10000, 1000, 0, 0, null, "");
        String r4 = record("r4", "2025-12-15T08:00:00Z", ALICE, "anthropic.claude-3-5-sonnet-20241022-v2:0",
                10000, 1000, 0, 0, null, "");
        // r5: Nova Micro in-region: 1234×0.035 + 567×0.14 = 43.19 + 79.38 = 122.57 µ$ → 0.00012257
        String r5 = record("r5", "2026-10-01T11:00:00Z", ORPHAN, "amazon.nova-micro-v1:0", 1234, 567, 0, 0, null, "");
        // r6: a model with no price: unpriced, never $0
        String r6 = record("r6", "2026-10-01T11:05:00Z", ALICE, "acme.private-model-v1:0", 100, 100, 0, 0, null, "");
        // r7: a failed call with no tokens: status error, cost 0
        String r7 = record("r7", "2026-10-01T11:06:00Z", SEARCH_SESSION, "us.anthropic.claude-sonnet-4-5-20250929-v1:0",
                0, 0, 0, 0, "ThrottlingException", "");

        // Raw JSON Lines, plus one invalid line and one negative count (dead letters), plus a blank line
        Files.writeString(in.resolve("calls.jsonl"), String.join("\n", r1, r3, "{\"requestId\": \"broken\", ", "",
                record("neg", "2026-10-01T10:00:00Z", ALICE, "amazon.nova-micro-v1:0", -5, 1, 0, 0, null, "")) + "\n");
        // Bedrock S3 log file, gzip, one record per line — and r1 again (a duplicate delivery)
        gz(logs.resolve("20261001T1100Z_abc.json.gz"), String.join("\n", r4, r5, r1) + "\n");
        // A decoded CloudWatch Logs subscription message carrying r2, r6 and r7, and a control message
        Files.writeString(in.resolve("cwl-decoded.json"), cwl(r2, r6, r7) + "\n"
                + "{\"messageType\":\"CONTROL_MESSAGE\",\"owner\":\"CloudwatchLogs\",\"logGroup\":\"\",\"logStream\":\"\","
                + "\"subscriptionFilters\":[],\"logEvents\":[{\"id\":\"\",\"timestamp\":1498519943285,"
                + "\"message\":\"CWL CONTROL MESSAGE: Checking health of destination Kinesis stream.\"}]}\n");
        // CloudTrail: an S3 delivery file (gzip, no .gz name) and an EventBridge envelope
        gz(trail.resolve("ct-delivery.json"), "{\"Records\":[" + runtimeEvent("r1", SEARCH_SESSION) + ","
                + runtimeEvent("r3", ALICE) + "," + assumeRole("search-svc", "pod-7", "2026-10-01T09:59:00Z",
                "Oct 1, 2026, 9:59:00 PM", "{\"key\":\"env\",\"value\":\"prod\"}") + "]}");
        Files.writeString(trail.resolve("eventbridge.jsonl"), "{\"version\":\"0\",\"id\":\"e-1\",\"detail-type\":"
                + "\"AWS API Call via CloudTrail\",\"source\":\"aws.bedrock\",\"account\":\"" + ACCT + "\",\"time\":"
                + "\"2026-10-01T10:01:00Z\",\"region\":\"us-east-1\",\"resources\":[],\"detail\":"
                + runtimeEvent("r2", SEARCH_SESSION) + "}\n");

        Path tags = dir.resolve("principal-tags.json");
        Files.writeString(tags, """
                {"principals":[
                  {"arn":"arn:aws:iam::111122223333:role/services/search-svc","tags":{"team":"search","costCenter":"cc-100"}},
                  {"arn":"arn:aws:iam::111122223333:user/alice","tags":[{"Key":"team","Value":"data-science"},{"Key":"env","Value":"dev"}]}
                ]}
                """);

        Path out = dir.resolve("out");
        ByteArrayOutputStream so = new ByteArrayOutputStream();
        ByteArrayOutputStream se = new ByteArrayOutputStream();
        exit = Main.run(new String[]{"replay", "--invocations", in.resolve("calls.jsonl").toString(), in.resolve("logs").toString(),
                        in.resolve("cwl-decoded.json").toString(), "--cloudtrail", trail.toString(),
                        "--principal-tags", tags.toString(), "--pricing", pricingDir().toString(), "--out", out.toString(),
                        "--parallelism", "2"},
                new PrintStream(so, true, StandardCharsets.UTF_8), new PrintStream(se, true, StandardCharsets.UTF_8));
        stdout = so.toString(StandardCharsets.UTF_8);
        assertEquals(0, exit, "replay failed: " + se.toString(StandardCharsets.UTF_8));
        for (String line : Files.readAllLines(out.resolve("calls.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            calls.put(n.get("requestId").asText(), n);
        }
        deadLetters = Files.readAllLines(out.resolve("dead-letters.jsonl")).stream().map(ReplayIT::tree).toList();
        teamCsv = Files.readString(out.resolve("spend-by-team.csv"));
        summary = JSON.readTree(out.resolve("summary.json").toFile());
    }

    static Path pricingDir() {
        return Path.of(System.getProperty("user.dir"), "pricing-snapshots");
    }

    @Test
    void everyDistinctCallOnceAndDuplicatesDropped() {
        assertEquals(7, calls.size(), calls.keySet().toString());
        assertEquals(7, summary.get("calls").asLong());
        assertEquals(1, summary.get("duplicates").asLong());
    }

    @Test
    void costsMatchHandComputedValues() {
        assertCost("r1", "0.0261");
        assertCost("r2", "0.0264");
        assertCost("r3", "0.045");
        assertCost("r4", "0.09");
        assertCost("r5", "0.00012257");
        assertEquals("priced", calls.get("r1").at("/pricing/status").asText());
        assertEquals("global", calls.get("r1").at("/pricing/routingClass").asText());
        assertEquals("regional", calls.get("r2").at("/pricing/routingClass").asText());
        assertTrue(calls.get("r1").at("/pricing/cacheTtlAssumed").asBoolean());
        assertEquals(1000, calls.get("r2").at("/tokens/cacheWrite1h").asLong());
        assertCostPart("r2", "cacheWrite1h", "0.0066");
        assertCostPart("r2", "cacheWrite5m", "0.00825");
        assertCostPart("r1", "cacheRead", "0.0006");
    }

    @Test
    void unknownModelIsUnpricedNotZero() {
        JsonNode r6 = calls.get("r6");
        assertEquals("unpriced", r6.at("/pricing/status").asText());
        assertTrue(r6.get("costUsd").isNull(), "unpriced cost must be null, was " + r6.get("costUsd"));
        assertTrue(r6.at("/cost/input").isNull());
        assertNotNull(r6.at("/pricing/reason").asText(null));
    }

    @Test
    void failedCallIsAnErrorCostingZero() {
        JsonNode r7 = calls.get("r7");
        assertEquals("error", r7.at("/pricing/status").asText());
        assertEquals(0, new BigDecimal(r7.get("costUsd").asText()).signum());
        assertEquals("ThrottlingException", r7.get("errorCode").asText());
    }

    @Test
    void attributedToCanonicalPrincipalAndSeedTags() {
        JsonNode r1 = calls.get("r1");
        assertEquals("arn:aws:iam::111122223333:role/search-svc", r1.get("principal").asText());
        assertEquals(SEARCH_SESSION, r1.get("principalArn").asText());
        assertEquals("search", r1.at("/tags/team").asText());
        assertEquals("cc-100", r1.at("/tags/costCenter").asText());
        assertEquals("prod", r1.at("/tags/env").asText());
        assertEquals("session", r1.at("/tagSources/env").asText());
        assertEquals("principal", r1.at("/tagSources/team").asText());
        assertEquals("complete", r1.get("attribution").asText());
        assertEquals("complete", calls.get("r7").get("attribution").asText());
        assertEquals("data-science", calls.get("r3").get("team").asText());
        JsonNode r5 = calls.get("r5");
        assertEquals("none", r5.get("attribution").asText());
        assertEquals("unattributed", r5.get("team").asText());
    }

    @Test
    void teamTotalsAreExactSums() {
        // search: r1 + r2 + r7 = 0.0261 + 0.0264 + 0 = 0.0525 over 3 calls
        // data-science: r3 + r4 = 0.135 over 3 calls (r6 unpriced)
        // unattributed: r5 = 0.00012257
        assertTrue(teamCsv.startsWith("team,calls,costUsd,unpricedCalls"), teamCsv);
        assertTrue(teamCsv.contains("\nsearch,3,0.0525,0,1,"), teamCsv);
        assertTrue(teamCsv.contains("\ndata-science,3,0.135,1,0,"), teamCsv);
        assertTrue(teamCsv.contains("\nunattributed,1,0.00012257,0,0,"), teamCsv);
        assertEquals(0, new BigDecimal("0.18762257").compareTo(new BigDecimal(summary.get("costUsd").asText())));
    }

    @Test
    void badRecordsAreDeadLetteredWithReasonAndPosition() {
        assertEquals(2, deadLetters.size(), deadLetters.toString());
        JsonNode invalid = deadLetters.stream().filter(d -> d.get("reason").asText().equals("INVALID_JSON")).findFirst().orElseThrow();
        assertTrue(invalid.get("origin").asText().endsWith("calls.jsonl"));
        assertEquals("line 3", invalid.get("position").asText());
        JsonNode neg = deadLetters.stream().filter(d -> d.get("reason").asText().equals("NEGATIVE_TOKEN_COUNT")).findFirst().orElseThrow();
        assertEquals("neg", neg.get("recordId").asText());
        assertEquals(2, summary.get("dead_letters").asLong());
    }

    @Test
    void cloudTrailShapesAreDecoded() {
        assertEquals(4, summary.get("trail_events").asLong());
        assertTrue(summary.get("skipped").asLong() >= 1, "control message is skipped");
        assertTrue(stdout.contains("7 distinct"), stdout);
    }

    @Test
    void missingInputIsAClearErrorWithExitCode3() {
        ByteArrayOutputStream se = new ByteArrayOutputStream();
        int code = Main.run(new String[]{"replay", "--invocations", dir.resolve("nope").toString(), "--out", dir.resolve("o2").toString()},
                new PrintStream(OutputStream.nullOutputStream()), new PrintStream(se, true, StandardCharsets.UTF_8));
        assertEquals(ExitCodes.BAD_INPUT, code);
        assertTrue(se.toString(StandardCharsets.UTF_8).contains("input not found"));
    }

    @Test
    void unreadablePricingFolderIsAClearErrorWithExitCode3() {
        ByteArrayOutputStream se = new ByteArrayOutputStream();
        int code = Main.run(new String[]{"replay", "--invocations", dir.resolve("in").toString(), "--pricing",
                        dir.resolve("no-pricing").toString(), "--out", dir.resolve("o3").toString()},
                new PrintStream(OutputStream.nullOutputStream()), new PrintStream(se, true, StandardCharsets.UTF_8));
        assertEquals(ExitCodes.BAD_INPUT, code);
        assertTrue(se.toString(StandardCharsets.UTF_8).contains("no-pricing"), se.toString(StandardCharsets.UTF_8));
    }

    private static void assertCost(String id, String expected) {
        JsonNode c = calls.get(id);
        assertNotNull(c, id);
        assertEquals(0, new BigDecimal(expected).compareTo(new BigDecimal(c.get("costUsd").asText())),
                id + " cost " + c.get("costUsd") + " expected " + expected);
    }

    private static void assertCostPart(String id, String kind, String expected) {
        JsonNode v = calls.get(id).at("/cost/" + kind);
        assertEquals(0, new BigDecimal(expected).compareTo(new BigDecimal(v.asText())), id + " " + kind + " = " + v);
    }

    /** An invocation record in CloudWatch key order (timestamp first, schemaType last). */
    static String record(String id, String ts, String arn, String model, long in, long out, long cr, long cw,
                         String error, String outputBodyExtra) {
        return "{\"timestamp\":\"" + ts + "\",\"accountId\":\"" + ACCT + "\",\"identity\":{\"arn\":\"" + arn + "\"},"
                + "\"region\":\"us-east-1\",\"requestId\":\"" + id + "\",\"operation\":\"Converse\",\"modelId\":\"" + model + "\","
                + (error != null ? "\"errorCode\":\"" + error + "\",\"input\":{},\"output\":{}," :
                "\"input\":{\"inputContentType\":\"application/json\",\"inputTokenCount\":" + in
                        + ",\"cacheReadInputTokenCount\":" + cr + ",\"cacheWriteInputTokenCount\":" + cw + "},"
                        + "\"output\":{\"outputContentType\":\"application/json\",\"outputTokenCount\":" + out + outputBodyExtra + "},")
                + "\"schemaType\":\"ModelInvocationLog\",\"schemaVersion\":\"1.0\"}";
    }

    static String cwl(String... messages) throws IOException {
        StringBuilder sb = new StringBuilder("{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"" + ACCT + "\",\"logGroup\":"
                + "\"/bedrock/invocations\",\"logStream\":\"aws/bedrock/modelinvocations\",\"subscriptionFilters\":[\"to-kinesis\"],"
                + "\"logEvents\":[");
        for (int i = 0; i < messages.length; i++) {
            if (i > 0) sb.append(',');
            sb.append("{\"id\":\"3795").append(i).append("\",\"timestamp\":1790000000000,\"message\":")
                    .append(JSON.writeValueAsString(messages[i])).append('}');
        }
        return sb.append("]}").toString();
    }

    static String runtimeEvent(String requestId, String sessionArn) {
        return "{\"eventVersion\":\"1.10\",\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"" + sessionArn + "\","
                + "\"accountId\":\"" + ACCT + "\",\"accessKeyId\":\"ASIAEXAMPLE\"},\"eventTime\":\"2026-10-01T10:00:01Z\","
                + "\"eventSource\":\"bedrock.amazonaws.com\",\"eventName\":\"Converse\",\"awsRegion\":\"us-east-1\","
                + "\"requestParameters\":{\"modelId\":\"us.anthropic.claude-sonnet-4-5-20250929-v1:0\"},\"responseElements\":null,"
                + "\"requestID\":\"" + requestId + "\",\"eventID\":\"ev-" + requestId + "\",\"readOnly\":true,"
                + "\"eventType\":\"AwsApiCall\",\"managementEvent\":true,\"recipientAccountId\":\"" + ACCT + "\"}";
    }

    static String assumeRole(String role, String session, String time, String expiration, String tagsJson) {
        return "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"AWSService\",\"invokedBy\":\"ecs-tasks.amazonaws.com\"},"
                + "\"eventTime\":\"" + time + "\",\"eventSource\":\"sts.amazonaws.com\",\"eventName\":\"AssumeRole\","
                + "\"awsRegion\":\"us-east-1\",\"requestParameters\":{\"roleArn\":\"arn:aws:iam::" + ACCT + ":role/services/" + role
                + "\",\"roleSessionName\":\"" + session + "\",\"durationSeconds\":43200,\"tags\":[" + tagsJson + "]},"
                + "\"responseElements\":{\"credentials\":{\"accessKeyId\":\"ASIAEXAMPLE\",\"sessionToken\":\"x\",\"expiration\":\""
                + expiration + "\"},\"assumedRoleUser\":{\"assumedRoleId\":\"AROAEXAMPLE:" + session + "\",\"arn\":"
                + "\"arn:aws:sts::" + ACCT + ":assumed-role/" + role + "/" + session + "\"}},\"requestID\":\"sts-" + session
                + "\",\"eventID\":\"ev-sts-" + session + "-" + time + "\",\"readOnly\":false,\"eventType\":\"AwsApiCall\","
                + "\"managementEvent\":true,\"recipientAccountId\":\"" + ACCT + "\"}";
    }

    static void gz(Path file, String content) throws IOException {
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(file))) {
            o.write(content.getBytes(StandardCharsets.UTF_8));
        }
    }

    static JsonNode tree(String s) {
        try {
            return JSON.readTree(s);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
