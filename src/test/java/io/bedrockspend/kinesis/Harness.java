package io.bedrockspend.kinesis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bedrockspend.identity.PrincipalTagSeed;
import io.bedrockspend.identity.Principals;
import io.bedrockspend.identity.TagMerge;
import io.bedrockspend.ingest.DeadLetter;
import io.bedrockspend.ingest.DecodeSink;
import io.bedrockspend.ingest.InvocationCall;
import io.bedrockspend.ingest.RawRecord;
import io.bedrockspend.ingest.RecordDecoder;
import io.bedrockspend.ingest.TrailEvent;
import io.bedrockspend.pricing.CallCost;
import io.bedrockspend.pricing.PriceBook;
import io.bedrockspend.run.ConfigException;
import io.bedrockspend.run.JobConfig;
import io.bedrockspend.sinks.LedgerSink;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.Record;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/** Shared pieces of the Kinesis ITs: job configuration, the expected-value oracle, ledger and spend readers. */
final class Harness {
    static final ObjectMapper JSON = new ObjectMapper();
    static final String ACCT = "111122223333";
    static final String ALICE = "arn:aws:iam::" + ACCT + ":user/alice-kinesis-it";

    private Harness() {}

    static Path pricingDir() {
        return Path.of(System.getProperty("user.dir"), "pricing-snapshots");
    }

    /** A job configuration against kinesis-local; {@code extra} overrides/adds keys. */
    static JobConfig config(KinesisLocal k, String prefix, Path out, Map<String, String> extra) throws ConfigException {
        Map<String, String> m = new TreeMap<>();
        m.put("aws.region", KinesisLocal.REGION);
        m.put("aws.endpoint", k.endpoint());
        m.put("aws.credentials.provider", "BASIC");
        m.put("aws.credentials.provider.basic.accesskeyid", "fakeAccessKey");
        m.put("aws.credentials.provider.basic.secretkey", "fakeSecretKey");
        m.put("invocations.stream.arn", KinesisLocal.arn(prefix + "-invocations"));
        m.put("cloudtrail.stream.arn", KinesisLocal.arn(prefix + "-cloudtrail"));
        m.put("spend.stream.arn", KinesisLocal.arn(prefix + "-spend"));
        m.put("source.initial-position", "TRIM_HORIZON");
        m.put("source.shard-discovery-interval", "1s");
        m.put("ledger.path", out.resolve("ledger").toUri().toString());
        m.put("dead-letters.path", out.resolve("dead-letters").toUri().toString());
        m.put("parallelism", "2");
        m.put("checkpoint.interval", "500ms");
        m.put("checkpoint.min-pause", "100ms");
        m.put("checkpoint.dir", out.resolve("checkpoints").toUri().toString());
        m.put("state.backend", "hashmap");
        m.put("flink.restart-strategy.type", "fixed-delay");
        m.put("flink.restart-strategy.fixed-delay.attempts", "3");
        m.put("flink.restart-strategy.fixed-delay.delay", "200 ms");
        m.putAll(extra);
        return JobConfig.fromMap(m, "test");
    }

    static void createStreams(KinesisClient kc, String prefix) throws InterruptedException {
        Streams.create(kc, prefix + "-invocations", 2);
        Streams.create(kc, prefix + "-cloudtrail", 2);
        Streams.create(kc, prefix + "-spend", 1);
    }

    /** Puts generated records on the stream their origin names (invocation logs or CloudTrail). */
    static void put(KinesisClient kc, String prefix, List<RawRecord> records, String keyPrefix) {
        List<byte[]> inv = new ArrayList<>();
        List<byte[]> trail = new ArrayList<>();
        for (RawRecord r : records) {
            (r.origin.contains("cloudtrail") ? trail : inv).add(r.payload);
        }
        if (!inv.isEmpty()) Streams.put(kc, prefix + "-invocations", inv, keyPrefix + "-i");
        if (!trail.isEmpty()) Streams.put(kc, prefix + "-cloudtrail", trail, keyPrefix + "-t");
    }

    // ---------------------------------------------------------------------------------
    // The oracle: what the ledger must hold, from the input records alone
    // ---------------------------------------------------------------------------------

    record Expected(String requestId, BigDecimal costUsd, String team, long inputTokens, long outputTokens) {}

    /** Every distinct call in the records (first delivery wins), priced with the same book, team from the seed. */
    static Map<String, Expected> expected(List<RawRecord> records, PriceBook book, PrincipalTagSeed seed) {
        RecordDecoder decoder = new RecordDecoder();
        Map<String, Expected> m = new LinkedHashMap<>();
        for (RawRecord r : records) {
            decoder.decode(r, new DecodeSink() {
                @Override public void call(InvocationCall c) {
                    if (m.containsKey(c.requestId)) return;
                    CallCost cost = book.price(c);
                    String team = TagMerge.team(seed.tagsOf(Principals.canonical(c.identityArn)), "team");
                    m.put(c.requestId, new Expected(c.requestId, cost.total, team == null ? "unattributed" : team,
                            c.inputTokens, c.outputTokens));
                }
                @Override public void trail(TrailEvent e) {}
                @Override public void deadLetter(DeadLetter d) {}
                @Override public void skipped(String what) {}
            });
        }
        return m;
    }

    // ---------------------------------------------------------------------------------
    // Readers
    // ---------------------------------------------------------------------------------

    /** Committed ledger lines only: FileSink keeps uncommitted parts hidden (leading dot). */
    static List<JsonNode> ledger(Path root) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.isDirectory(root)) return out;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path f : s.filter(Files::isRegularFile)
                    .filter(f -> f.getFileName().toString().startsWith(LedgerSink.PART_PREFIX))
                    .filter(f -> f.getFileName().toString().endsWith(LedgerSink.PART_SUFFIX)).toList()) {
                String bucket = root.relativize(f.getParent()).toString();
                for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                    if (line.isBlank()) continue;
                    JsonNode n = JSON.readTree(line);
                    String want = LedgerSink.HourlyEventTimeBuckets.bucketOf(java.time.Instant.parse(n.get("timestamp").asText()).toEpochMilli());
                    assertEquals(want, bucket, "call " + n.get("requestId") + " in the wrong hourly partition");
                    out.add(n);
                }
            }
        }
        return out;
    }

    /** The latest spend update per team (highest call count): spend updates are running totals. */
    static Map<String, JsonNode> latestSpend(KinesisClient kc, String stream) throws IOException {
        Map<String, JsonNode> latest = new TreeMap<>();
        for (Record r : Streams.readAll(kc, stream)) {
            JsonNode n = JSON.readTree(r.data().asByteArray());
            // the spend stream carries versioned updates of every series; the team month-to-date ones total the ledger
            if (!n.get("dimension").asText().equals("team") || !n.get("period").asText().equals("month")) continue;
            latest.merge(n.get("key").asText(), n, (a, b) -> b.get("version").asLong() > a.get("version").asLong() ? b : a);
        }
        return latest;
    }

    static void await(String what, long timeoutMillis, BooleanSupplier done) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (System.currentTimeMillis() < deadline) {
            if (done.getAsBoolean()) return;
            Thread.sleep(200);
        }
        fail("timed out after " + timeoutMillis + " ms waiting for " + what);
    }

    static int ledgerSize(Path root) {
        try {
            return ledger(root).size();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * The whole comparison: the committed ledger holds each expected call exactly once with its exact
     * cost, and each team's latest spend update equals the ledger's sum for that team.
     */
    static void assertLedgerAndTotals(Map<String, Expected> expected, List<JsonNode> ledger, Map<String, JsonNode> spend) {
        Map<String, Integer> seen = new HashMap<>();
        for (JsonNode n : ledger) seen.merge(n.get("requestId").asText(), 1, Integer::sum);
        List<String> twice = seen.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        assertEquals(List.of(), twice, "calls counted more than once in the ledger");
        assertEquals(new java.util.TreeSet<>(expected.keySet()), new java.util.TreeSet<>(seen.keySet()), "ledger calls vs input calls");

        Map<String, BigDecimal> teamCost = new TreeMap<>();
        Map<String, Long> teamCalls = new TreeMap<>();
        BigDecimal total = BigDecimal.ZERO;
        BigDecimal expectedTotal = BigDecimal.ZERO;
        for (JsonNode n : ledger) {
            Expected e = expected.get(n.get("requestId").asText());
            JsonNode c = n.get("costUsd");
            BigDecimal cost = c.isNull() ? null : new BigDecimal(c.asText());
            if (e.costUsd() == null) {
                assertEquals(null, cost, "unpriced call " + e.requestId() + " must have costUsd null");
            } else {
                assertNotNull(cost, "priced call " + e.requestId() + " has no cost");
                assertEquals(0, e.costUsd().compareTo(cost), "cost of " + e.requestId() + ": " + e.costUsd() + " vs " + cost);
                total = total.add(cost);
                expectedTotal = expectedTotal.add(e.costUsd());
            }
            assertEquals(e.inputTokens(), n.at("/tokens/input").asLong(), "input tokens of " + e.requestId());
            assertEquals(e.outputTokens(), n.at("/tokens/output").asLong(), "output tokens of " + e.requestId());
            String team = n.get("team").asText();
            teamCost.merge(team, cost == null ? BigDecimal.ZERO : cost, BigDecimal::add);
            teamCalls.merge(team, 1L, Long::sum);
        }
        assertEquals(0, expectedTotal.compareTo(total), "grand total " + expectedTotal + " vs ledger " + total);
        assertEquals(teamCalls.keySet(), spend.keySet(), "teams in the live spend stream");
        for (String team : teamCalls.keySet()) {
            JsonNode s = spend.get(team);
            assertEquals((long) teamCalls.get(team), s.get("calls").asLong(), "calls of team " + team);
            assertEquals(0, teamCost.get(team).compareTo(new BigDecimal(s.get("costUsd").asText())),
                    "cost of team " + team + ": ledger " + teamCost.get(team) + " vs spend stream " + s.get("costUsd").asText());
        }
    }

    // ---------------------------------------------------------------------------------
    // A hand-made fixture with a cost worked out by hand
    // ---------------------------------------------------------------------------------

    /**
     * One CloudWatch Logs subscription payload (gzip, as Kinesis delivers it) with one call by an IAM
     * user tagged team=platform-kinesis: global Sonnet 4.5, 1000 in × 3 + 500 out × 15 + 2000 cache
     * read × 0.30 + 4000 cache write (5 m assumed) × 3.75 = 26100 µ$ → 0.0261 USD.
     */
    static RawRecord handMadeCall(String requestId, String timestamp) throws IOException {
        String rec = "{\"timestamp\":\"" + timestamp + "\",\"accountId\":\"" + ACCT + "\",\"identity\":{\"arn\":\"" + ALICE + "\"},"
                + "\"region\":\"us-east-1\",\"requestId\":\"" + requestId + "\",\"operation\":\"Converse\","
                + "\"modelId\":\"global.anthropic.claude-sonnet-4-5-20250929-v1:0\","
                + "\"input\":{\"inputContentType\":\"application/json\",\"inputTokenCount\":1000,"
                + "\"cacheReadInputTokenCount\":2000,\"cacheWriteInputTokenCount\":4000},"
                + "\"output\":{\"outputContentType\":\"application/json\",\"outputTokenCount\":500},"
                + "\"schemaType\":\"ModelInvocationLog\",\"schemaVersion\":\"1.0\"}";
        String cwl = "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"" + ACCT + "\",\"logGroup\":\"/aws/bedrock/modelinvocations\","
                + "\"logStream\":\"aws/bedrock/modelinvocations\",\"subscriptionFilters\":[\"to-kinesis\"],"
                + "\"logEvents\":[{\"id\":\"37950000000000000000000000000000000000000000000000000001\","
                + "\"timestamp\":" + java.time.Instant.parse(timestamp).toEpochMilli() + ",\"message\":" + JSON.writeValueAsString(rec) + "}]}";
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(b)) {
            g.write(cwl.getBytes(StandardCharsets.UTF_8));
        }
        return new RawRecord("hand:invocations", "1", b.toByteArray());
    }

    /** The generator's principal tags plus the hand-made fixture's user. */
    static PrincipalTagSeed seedWithAlice(PrincipalTagSeed generated) {
        Map<String, Map<String, String>> m = new TreeMap<>(generated.asMap());
        m.put(ALICE, Map.of("team", "platform-kinesis", "costCenter", "cc-900"));
        return new PrincipalTagSeed(m);
    }
}
