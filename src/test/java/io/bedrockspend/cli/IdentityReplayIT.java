package io.bedrockspend.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static io.bedrockspend.cli.ReplayIT.ACCT;
import static io.bedrockspend.cli.ReplayIT.JSON;
import static io.bedrockspend.cli.ReplayIT.gz;
import static io.bedrockspend.cli.ReplayIT.record;
import static io.bedrockspend.cli.ReplayIT.runtimeEvent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attribution end to end on files: CloudTrail S3 delivery files and EventBridge envelopes mixed,
 * sessions reused with new tags, a role re-tagged mid-stream, SAML session tags, an IAM user, an
 * unknown principal and a runtime call with no invocation record. Checked call by call.
 */
class IdentityReplayIT {
    static final String GATEWAY_ALICE = "arn:aws:sts::" + ACCT + ":assumed-role/gateway/alice";
    static final String SSO_ROLE = "AWSReservedSSO_DataScientist_0a1b2c3d";
    static final String SSO_KENJI = "arn:aws:sts::" + ACCT + ":assumed-role/" + SSO_ROLE + "/kenji@example.com";
    static final String BOB = "arn:aws:iam::" + ACCT + ":user/bob";
    static final String LEGACY = "arn:aws:sts::" + ACCT + ":assumed-role/legacy/job-1";

    @TempDir
    static Path dir;
    static final Map<String, JsonNode> calls = new HashMap<>();
    static JsonNode summary;
    static String teamCsv;
    static String unmetered;

    @BeforeAll
    static void replay() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path trail = Files.createDirectories(dir.resolve("trail/AWSLogs/" + ACCT + "/CloudTrail/us-east-1/2026/10/01"));
        String m = "amazon.nova-micro-v1:0";
        Files.writeString(in.resolve("invocations.jsonl"), String.join("\n",
                record("a1", "2026-10-01T10:05:00Z", GATEWAY_ALICE, m, 100, 10, 0, 0, null, ""),
                record("a4", "2026-10-01T10:06:00Z", GATEWAY_ALICE, m, 100, 10, 0, 0, null, ""),
                record("a3", "2026-10-01T10:20:00Z", GATEWAY_ALICE, m, 100, 10, 0, 0, null, ""),
                record("a2", "2026-10-01T10:35:00Z", GATEWAY_ALICE, m, 100, 10, 0, 0, null, ""),
                record("k1", "2026-10-01T11:00:00Z", SSO_KENJI, m, 100, 10, 0, 0, null, ""),
                record("b1", "2026-10-01T11:00:00Z", BOB, m, 100, 10, 0, 0, null, ""),
                record("l1", "2026-10-01T11:00:00Z", LEGACY, m, 100, 10, 0, 0, null, "")) + "\n");

        String sts1 = assumeRole("AssumeRole", "gateway", "/platform/", "alice", "2026-10-01T10:00:00Z", 900,
                "Oct 1, 2026, 10:15:00 AM", "\"tags\":[{\"key\":\"team\",\"value\":\"growth\"},{\"key\":\"user\",\"value\":\"alice\"}]", "sts-1");
        String sts2 = assumeRole("AssumeRole", "gateway", "/platform/", "alice", "2026-10-01T10:30:00Z", 900,
                "Oct 1, 2026, 10:45:00 AM", "\"tags\":[{\"key\":\"team\",\"value\":\"checkout\"}]", "sts-2");
        String saml = assumeRole("AssumeRoleWithSAML", SSO_ROLE, "/aws-reserved/sso.amazonaws.com/us-east-1/", "kenji@example.com",
                "2026-10-01T09:00:00Z", 43200, "Oct 1, 2026, 9:00:00 PM",
                "\"principalTags\":{\"team\":\"data-science\",\"costCenter\":\"cc-41\"}", "sts-saml");
        String tagRole = "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"IAMUser\",\"arn\":\"arn:aws:iam::" + ACCT + ":user/admin\"},"
                + "\"eventTime\":\"2026-10-01T10:32:00Z\",\"eventSource\":\"iam.amazonaws.com\",\"eventName\":\"TagRole\","
                + "\"awsRegion\":\"us-east-1\",\"requestParameters\":{\"roleName\":\"gateway\",\"tags\":[{\"key\":\"env\",\"value\":\"prod\"}]},"
                + "\"responseElements\":null,\"requestID\":\"iam-r1\",\"eventID\":\"iam-1\",\"readOnly\":false,"
                + "\"eventType\":\"AwsApiCall\",\"managementEvent\":true,\"recipientAccountId\":\"" + ACCT + "\"}";
        // S3 delivery file: first session, SAML session, a runtime event with no invocation record
        gz(trail.resolve(ACCT + "_CloudTrail_us-east-1_20261001T1005Z_x.json.gz"),
                "{\"Records\":[" + sts1 + "," + saml + "," + runtimeEvent("ghost", BOB) + "]}");
        // EventBridge envelopes: the reused session, the first session again (a second delivery path), the re-tag
        // a4's runtime event is stamped 2 s after the call (two services' clocks): the ledger must not depend on it
        String a4Runtime = "{\"eventVersion\":\"1.10\",\"userIdentity\":{\"type\":\"AssumedRole\",\"arn\":\"" + GATEWAY_ALICE + "\","
                + "\"accountId\":\"" + ACCT + "\",\"accessKeyId\":\"ASIAsts-1\",\"sessionContext\":{\"sourceIdentity\":\"alice@laptop-7\","
                + "\"sessionIssuer\":{\"type\":\"Role\",\"arn\":\"arn:aws:iam::" + ACCT + ":role/platform/gateway\"}}},"
                + "\"eventTime\":\"2026-10-01T10:06:02Z\",\"eventSource\":\"bedrock.amazonaws.com\",\"eventName\":\"Converse\","
                + "\"awsRegion\":\"us-east-1\",\"requestParameters\":{\"modelId\":\"" + m + "\"},\"responseElements\":null,"
                + "\"requestID\":\"a4\",\"eventID\":\"ev-a4\",\"readOnly\":true,\"eventType\":\"AwsApiCall\","
                + "\"managementEvent\":true,\"recipientAccountId\":\"" + ACCT + "\"}";
        Files.writeString(dir.resolve("trail/eventbridge.jsonl"), String.join("\n", envelope("aws.bedrock", a4Runtime), envelope("aws.sts", sts2),
                envelope("aws.sts", sts1), envelope("aws.iam", tagRole)) + "\n");

        Path tags = dir.resolve("principal-tags.csv");
        Files.writeString(tags, "arn,key,value\n"
                + "arn:aws:iam::" + ACCT + ":role/platform/gateway,team,platform\n"
                + "arn:aws:iam::" + ACCT + ":role/platform/gateway,costCenter,cc-9\n"
                + "arn:aws:iam::" + ACCT + ":user/bob,team,search\n");

        Path out = dir.resolve("out");
        ByteArrayOutputStream se = new ByteArrayOutputStream();
        int exit = Main.run(new String[]{"replay", "--invocations", in.toString(), "--cloudtrail", dir.resolve("trail").toString(),
                        "--principal-tags", tags.toString(), "--pricing", ReplayIT.pricingDir().toString(), "--out", out.toString()},
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8), new PrintStream(se, true, StandardCharsets.UTF_8));
        assertEquals(0, exit, se.toString(StandardCharsets.UTF_8));
        for (String line : Files.readAllLines(out.resolve("calls.jsonl"))) {
            JsonNode n = JSON.readTree(line);
            calls.put(n.get("requestId").asText(), n);
        }
        summary = JSON.readTree(out.resolve("summary.json").toFile());
        teamCsv = Files.readString(out.resolve("spend-by-team.csv"));
        unmetered = Files.readString(out.resolve("unmetered-calls.jsonl"));
    }

    @Test
    void sessionTagsOfTheSessionInForceWin() {
        JsonNode a1 = calls.get("a1");
        assertEquals("growth", a1.get("team").asText());
        assertEquals("alice", a1.at("/tags/user").asText());
        assertEquals("cc-9", a1.at("/tags/costCenter").asText());
        assertEquals("complete", a1.get("attribution").asText());
        assertEquals("arn:aws:iam::" + ACCT + ":role/gateway", a1.get("principal").asText());
        assertEquals("arn:aws:iam::" + ACCT + ":role/platform/gateway", a1.get("principalPathArn").asText());
    }

    @Test
    void runtimeEventStampedAfterItsCallStillJoins() {
        JsonNode a4 = calls.get("a4");
        assertEquals("alice@laptop-7", a4.path("sourceIdentity").asText(), a4.toString());
        assertEquals("growth", a4.get("team").asText());
        assertEquals("complete", a4.get("attribution").asText());
    }

    @Test
    void reusedSessionNameGetsItsNewTagsAndTheRoleRetag() {
        JsonNode a2 = calls.get("a2");
        assertEquals("checkout", a2.get("team").asText());
        assertTrue(a2.at("/tags/user").isMissingNode(), "the second session has no user tag");
        assertEquals("prod", a2.at("/tags/env").asText(), "TagRole at 10:32 applies to a call at 10:35");
        assertTrue(calls.get("a1").at("/tags/env").isMissingNode(), "...but not to one at 10:05");
    }

    @Test
    void callBetweenSessionsIsPartialWithPrincipalTags() {
        JsonNode a3 = calls.get("a3");
        assertEquals("partial", a3.get("attribution").asText());
        assertEquals("platform", a3.get("team").asText());
    }

    @Test
    void samlSessionPrincipalTags() {
        JsonNode k1 = calls.get("k1");
        assertEquals("data-science", k1.get("team").asText());
        assertEquals("cc-41", k1.at("/tags/costCenter").asText());
        assertEquals("session", k1.at("/tagSources/team").asText());
        assertEquals("arn:aws:iam::" + ACCT + ":role/" + SSO_ROLE, k1.get("principal").asText());
    }

    @Test
    void iamUserAndUnknownPrincipal() {
        assertEquals("search", calls.get("b1").get("team").asText());
        assertEquals("complete", calls.get("b1").get("attribution").asText());
        assertEquals("none", calls.get("l1").get("attribution").asText());
        assertEquals("unattributed", calls.get("l1").get("team").asText());
        assertTrue(teamCsv.contains("\nunattributed,1,"), teamCsv);
    }

    @Test
    void everyCallOnceAndTheUnmeteredCallReported() {
        assertEquals(7, calls.size());
        assertEquals(7, summary.get("calls").asLong());
        assertEquals(1, summary.get("unmetered_calls").asLong());
        assertTrue(unmetered.contains("\"requestId\":\"ghost\""), unmetered);
        assertEquals(1, summary.get("partial_attribution_calls").asLong());
    }

    static String assumeRole(String name, String role, String path, String session, String time, int seconds,
                             String expiration, String tagsField, String eventId) {
        return "{\"eventVersion\":\"1.08\",\"userIdentity\":{\"type\":\"SAMLUser\"},\"eventTime\":\"" + time + "\","
                + "\"eventSource\":\"sts.amazonaws.com\",\"eventName\":\"" + name + "\",\"awsRegion\":\"us-east-1\","
                + "\"requestParameters\":{\"roleArn\":\"arn:aws:iam::" + ACCT + ":role" + path + role + "\",\"roleSessionName\":\""
                + session + "\",\"durationSeconds\":" + seconds + "," + tagsField + "},\"responseElements\":{\"credentials\":"
                + "{\"accessKeyId\":\"ASIA" + eventId + "\",\"sessionToken\":\"x\",\"expiration\":\"" + expiration + "\"},"
                + "\"assumedRoleUser\":{\"assumedRoleId\":\"AROAX:" + session + "\",\"arn\":\"arn:aws:sts::" + ACCT
                + ":assumed-role/" + role + "/" + session + "\"}},\"requestID\":\"req-" + eventId + "\",\"eventID\":\"" + eventId
                + "\",\"readOnly\":true,\"eventType\":\"AwsApiCall\",\"managementEvent\":true,\"recipientAccountId\":\"" + ACCT + "\"}";
    }

    static String envelope(String source, String detail) {
        return "{\"version\":\"0\",\"id\":\"" + Integer.toHexString(detail.hashCode()) + "\",\"detail-type\":\"AWS API Call via CloudTrail\","
                + "\"source\":\"" + source + "\",\"account\":\"" + ACCT + "\",\"time\":\"2026-10-01T10:00:00Z\",\"region\":\"us-east-1\","
                + "\"resources\":[],\"detail\":" + detail + "}";
    }
}
