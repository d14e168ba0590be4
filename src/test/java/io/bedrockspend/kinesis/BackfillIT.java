package io.bedrockspend.kinesis;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.bedrockspend.cli.BackfillCommand;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code backfill} against a local HTTP server that answers the real SDK client the way CloudWatch
 * Logs does (JSON 1.1, {@code X-Amz-Target: Logs_20140328.FilterLogEvents}): three pages, one of them
 * first throttled, one empty page that still carries a nextToken, and a duplicate delivery.
 */
class BackfillIT {
    @TempDir
    Path dir;
    HttpServer server;
    final List<JsonNode> requests = new CopyOnWriteArrayList<>();
    final AtomicBoolean throttled = new AtomicBoolean();

    static final String SEARCH = "arn:aws:sts::111122223333:assumed-role/search-svc/pod-7";

    static String record(String id, String ts, String arn, long in, long out) {
        return "{\"schemaType\":\"ModelInvocationLog\",\"schemaVersion\":\"1.0\",\"timestamp\":\"" + ts + "\",\"accountId\":\"111122223333\","
                + "\"identity\":{\"arn\":\"" + arn + "\"},\"region\":\"us-east-1\",\"requestId\":\"" + id + "\",\"operation\":\"Converse\","
                + "\"modelId\":\"amazon.nova-micro-v1:0\",\"input\":{\"inputContentType\":\"application/json\",\"inputTokenCount\":" + in + "},"
                + "\"output\":{\"outputContentType\":\"application/json\",\"outputTokenCount\":" + out + "}}";
    }

    static String event(String id, long ts, String message) throws Exception {
        return "{\"logStreamName\":\"aws/bedrock/modelinvocations\",\"timestamp\":" + ts + ",\"message\":"
                + Harness.JSON.writeValueAsString(message) + ",\"ingestionTime\":" + (ts + 900) + ",\"eventId\":\"" + id + "\"}";
    }

    @BeforeEach
    void startServer() throws Exception {
        // Nova Micro in-region: 0.035 / 0.14 USD per 1M tokens
        //   b1: 1234×0.035 + 567×0.14 = 43.19 + 79.38 = 122.57 µ$ → 0.00012257
        //   b2: 1000000×0.035 + 0 = 0.035;  b3: 0 + 1000000×0.14 = 0.14
        String p1 = "{\"events\":[" + event("3795000001", 1790000000000L, record("b1", "2026-10-01T10:00:00Z", Harness.ALICE, 1234, 567)) + ","
                + event("3795000002", 1790000001000L, record("b2", "2026-10-01T10:59:59Z", SEARCH, 1_000_000, 0)) + "],"
                + "\"searchedLogStreams\":[],\"nextToken\":\"tok-1\"}";
        String p2 = "{\"events\":[],\"searchedLogStreams\":[],\"nextToken\":\"tok-2\"}";
        String p3 = "{\"events\":[" + event("3795000003", 1790003600000L, record("b3", "2026-10-01T11:00:00Z", Harness.ALICE, 0, 1_000_000)) + ","
                + event("3795000002", 1790000001000L, record("b2", "2026-10-01T10:59:59Z", SEARCH, 1_000_000, 0)) + "],"
                + "\"searchedLogStreams\":[]}";
        Map<String, String> pages = Map.of("", p1, "tok-1", p2, "tok-2", p3);
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", ex -> {
            byte[] body = ex.getRequestBody().readAllBytes();
            JsonNode req = Harness.JSON.readTree(body);
            requests.add(req);
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            int status;
            String resp;
            if (!"Logs_20140328.FilterLogEvents".equals(target)) {
                status = 400;
                resp = "{\"__type\":\"UnknownOperationException\",\"message\":\"" + target + "\"}";
            } else if (req.path("nextToken").asText("").equals("tok-1") && !throttled.getAndSet(true)) {
                status = 400;
                resp = "{\"__type\":\"ThrottlingException\",\"message\":\"Rate exceeded\"}";
            } else {
                status = 200;
                resp = pages.get(req.path("nextToken").asText(""));
            }
            byte[] b = resp.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            ex.getResponseHeaders().set("x-amzn-RequestId", "req-" + requests.size());
            ex.sendResponseHeaders(status, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void pagesThroughFilterLogEventsAndWritesTheLedger() throws Exception {
        Path tags = Files.writeString(dir.resolve("tags.json"),
                "{\"principals\":[{\"arn\":\"" + Harness.ALICE + "\",\"tags\":{\"team\":\"platform-kinesis\"}}]}");
        Path ledger = dir.resolve("out/ledger");
        ByteArrayOutputStream so = new ByteArrayOutputStream();
        ByteArrayOutputStream se = new ByteArrayOutputStream();
        String oldKey = System.setProperty("aws.accessKeyId", "fakeAccessKey");
        String oldSecret = System.setProperty("aws.secretAccessKey", "fakeSecretKey");
        int code;
        try {
            code = BackfillCommand.run(new String[]{"backfill", "--log-group", "/aws/bedrock/modelinvocations",
                            "--from", "2026-10-01T10:00:00Z", "--to", "2026-10-01T12:00:00Z", "--ledger", ledger.toString(),
                            "--region", "us-east-1", "--endpoint", "http://127.0.0.1:" + server.getAddress().getPort(),
                            "--principal-tags", tags.toString(), "--pricing", Harness.pricingDir().toString(), "--parallelism", "2"},
                    new PrintStream(so, true, StandardCharsets.UTF_8), new PrintStream(se, true, StandardCharsets.UTF_8));
        } finally {
            restore("aws.accessKeyId", oldKey);
            restore("aws.secretAccessKey", oldSecret);
        }
        assertEquals(0, code, se.toString(StandardCharsets.UTF_8) + so.toString(StandardCharsets.UTF_8));
        assertTrue(throttled.get());

        JsonNode first = requests.get(0);
        assertEquals("/aws/bedrock/modelinvocations", first.get("logGroupName").asText());
        assertEquals(java.time.Instant.parse("2026-10-01T10:00:00Z").toEpochMilli(), first.get("startTime").asLong());
        assertEquals(java.time.Instant.parse("2026-10-01T12:00:00Z").toEpochMilli() - 1, first.get("endTime").asLong(), "to is exclusive");
        assertEquals(List.of("", "tok-1", "tok-1", "tok-2"),
                requests.stream().map(r -> r.path("nextToken").asText("")).toList(), "pages requested (tok-1 throttled once)");

        Map<String, JsonNode> calls = Harness.ledger(ledger).stream().collect(Collectors.toMap(n -> n.get("requestId").asText(), Function.identity()));
        assertEquals(Set3.of("b1", "b2", "b3"), calls.keySet(), "every call once, the duplicate dropped");
        assertCost(calls, "b1", "0.00012257");
        assertCost(calls, "b2", "0.035");
        assertCost(calls, "b3", "0.14");
        assertEquals("platform-kinesis", calls.get("b1").get("team").asText());
        assertEquals("unattributed", calls.get("b2").get("team").asText());
        assertTrue(so.toString(StandardCharsets.UTF_8).contains("3 calls"), so.toString(StandardCharsets.UTF_8));
    }

    static void assertCost(Map<String, JsonNode> calls, String id, String usd) {
        assertEquals(0, new BigDecimal(usd).compareTo(new BigDecimal(calls.get(id).get("costUsd").asText())), id);
    }

    static void restore(String key, String old) {
        if (old == null) System.clearProperty(key);
        else System.setProperty(key, old);
    }

    /** Set.of with a readable name in assertions. */
    static final class Set3 {
        static java.util.Set<String> of(String... s) {
            return java.util.Set.of(s);
        }
    }
}
