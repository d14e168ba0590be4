package io.bedrockspend.kinesis;

import com.fasterxml.jackson.databind.JsonNode;
import io.bedrockspend.demo.TrafficGenerator;
import io.bedrockspend.identity.PrincipalTagSeed;
import io.bedrockspend.ingest.RawRecord;
import io.bedrockspend.pricing.PriceBook;
import io.bedrockspend.run.JobConfig;
import io.bedrockspend.run.SpendJob;
import org.apache.flink.core.execution.JobClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The production job end to end on kinesis-local: realistic gzip CloudWatch Logs subscription
 * payloads and CloudTrail records (EventBridge envelopes and CWL payloads) with duplicates and
 * malformed records, run on a MiniCluster at parallelism 2 with checkpoints; the committed ledger
 * and the live spend stream are checked call by call and team by team against the input.
 */
class KinesisJobIT {
    static KinesisLocal kinesis;
    static KinesisClient kc;

    @TempDir
    Path out;

    @BeforeAll
    static void startEmulator() throws Exception {
        kinesis = KinesisLocal.start();
        kc = Streams.client(kinesis.endpoint());
    }

    @AfterAll
    static void stopEmulator() throws Exception {
        if (kc != null) kc.close();
        if (kinesis != null) kinesis.close();
    }

    @Test
    void ledgerAndTeamTotalsMatchTheInputCallByCall() throws Exception {
        String prefix = "e2e";
        Harness.createStreams(kc, prefix);
        TrafficGenerator gen = new TrafficGenerator(42, Instant.parse("2026-10-01T10:00:00Z"), 50,
                TrafficGenerator.Options.demo());
        List<RawRecord> records = new ArrayList<>(gen.generate(400));
        records.add(Harness.handMadeCall("hand-1", "2026-10-01T11:30:00Z"));
        TrafficGenerator.Stats stats = gen.stats();
        assertTrue(stats.duplicateDeliveries > 0 && stats.malformed() > 0, "fixture should have faults: " + stats);

        PriceBook book = PriceBook.load(Harness.pricingDir());
        PrincipalTagSeed seed = Harness.seedWithAlice(gen.principalTags());
        Map<String, Harness.Expected> expected = Harness.expected(records, book, seed);
        assertEquals(stats.calls + 1, expected.size());

        Harness.put(kc, prefix, records, "p");
        JobConfig cfg = Harness.config(kinesis, prefix, out, Map.of());
        JobClient job = JobRunner.start(cfg, new SpendJob.Reference(book, seed), null, UnaryOperator.identity());
        try {
            Path ledgerDir = out.resolve("ledger");
            Harness.await("all " + expected.size() + " calls committed to the ledger", 60_000,
                    () -> Harness.ledgerSize(ledgerDir) >= expected.size());
            Harness.await("spend stream totals", 20_000, () -> {
                try {
                    long calls = Harness.latestSpend(kc, prefix + "-spend").values().stream().mapToLong(n -> n.get("calls").asLong()).sum();
                    return calls == expected.size();
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            Harness.await("dead letters committed", 20_000, () -> deadLetters(out.resolve("dead-letters")).size() >= stats.malformed());
            List<JsonNode> ledger = Harness.ledger(ledgerDir);
            Harness.assertLedgerAndTotals(expected, ledger, Harness.latestSpend(kc, prefix + "-spend"));

            JsonNode hand = ledger.stream().filter(n -> n.get("requestId").asText().equals("hand-1")).findFirst().orElseThrow();
            assertEquals(0, new BigDecimal("0.0261").compareTo(new BigDecimal(hand.get("costUsd").asText())));
            assertEquals("platform-kinesis", hand.get("team").asText());
            assertEquals("complete", hand.get("attribution").asText());

            List<JsonNode> dead = deadLetters(out.resolve("dead-letters"));
            assertEquals(stats.malformed(), dead.size(), "one dead letter per malformed record: " + dead);
            for (JsonNode d : dead) {
                assertTrue(d.get("origin").asText().matches("e2e-(invocations|cloudtrail)/shardId-\\d+"), d.toString());
                assertTrue(d.get("position").asText().matches("\\d+"), "position is the sequence number: " + d);
            }
        } finally {
            job.cancel().get();
        }
    }

    static List<JsonNode> deadLetters(Path root) {
        List<JsonNode> out = new ArrayList<>();
        if (!Files.isDirectory(root)) return out;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path f : s.filter(p -> p.getFileName().toString().startsWith("dead-letters")).filter(Files::isRegularFile).toList()) {
                for (String line : Files.readAllLines(f)) if (!line.isBlank()) out.add(Harness.JSON.readTree(line));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out;
    }
}
