package io.bedrockspend.kinesis;

import io.bedrockspend.demo.TrafficGenerator;
import io.bedrockspend.identity.PrincipalTagSeed;
import io.bedrockspend.ingest.RawRecord;
import io.bedrockspend.pricing.PriceBook;
import io.bedrockspend.run.JobConfig;
import io.bedrockspend.run.SpendJob;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.api.common.state.CheckpointListener;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.kinesis.KinesisClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Exactly-once totals across failures: (1) a task failure mid-stream, after a completed checkpoint,
 * with restart from that checkpoint (the source redelivers everything read after it); (2) stop with
 * savepoint, more input (including producer re-puts of already counted records), resume from the
 * savepoint. In both, the committed ledger and the final live totals equal the input's to the last
 * nano-dollar: no call lost, none counted twice.
 */
class KinesisExactlyOnceIT {
    static KinesisLocal kinesis;
    static KinesisClient kc;
    static PriceBook book;

    @TempDir
    Path out;

    @BeforeAll
    static void startEmulator() throws Exception {
        kinesis = KinesisLocal.start();
        kc = Streams.client(kinesis.endpoint());
        book = PriceBook.load(Harness.pricingDir());
    }

    @AfterAll
    static void stopEmulator() throws Exception {
        if (kc != null) kc.close();
        if (kinesis != null) kinesis.close();
    }

    // ---- failure injection: shared through statics, the MiniCluster runs in this JVM ----
    static final AtomicBoolean CHECKPOINTED = new AtomicBoolean();
    static final AtomicBoolean FAILED = new AtomicBoolean();
    static final AtomicInteger SEEN_AFTER_CHECKPOINT = new AtomicInteger();
    static final Map<String, Integer> DELIVERIES = new ConcurrentHashMap<>();

    /** Passes records through; once a checkpoint has completed and more records follow, fails the task once. */
    static final class FailOnceAfterCheckpoint extends RichMapFunction<RawRecord, RawRecord> implements CheckpointListener {
        @Override
        public RawRecord map(RawRecord r) {
            DELIVERIES.merge(r.origin + "@" + r.position, 1, Integer::sum);
            if (CHECKPOINTED.get() && SEEN_AFTER_CHECKPOINT.incrementAndGet() > 40 && FAILED.compareAndSet(false, true)) {
                throw new IllegalStateException("injected task failure (test)");
            }
            return r;
        }

        @Override
        public void notifyCheckpointComplete(long checkpointId) {
            CHECKPOINTED.set(true);
        }
    }

    @Test
    void taskFailureRestartsFromCheckpointWithoutLossOrDoubleCounting() throws Exception {
        String prefix = "fail";
        Harness.createStreams(kc, prefix);
        TrafficGenerator gen = new TrafficGenerator(7, Instant.parse("2026-10-02T09:00:00Z"), 40, TrafficGenerator.Options.demo());
        List<RawRecord> first = gen.next(200);
        List<RawRecord> second = gen.next(200);
        second.addAll(gen.drain());
        PrincipalTagSeed seed = Harness.seedWithAlice(gen.principalTags());
        List<RawRecord> all = new ArrayList<>(first);
        all.addAll(second);
        Map<String, Harness.Expected> expected = Harness.expected(all, book, seed);

        // RocksDB here: the production state backend goes through the same restore
        JobConfig cfg = Harness.config(kinesis, prefix, out, Map.of("state.backend", "rocksdb"));
        Harness.put(kc, prefix, first, "a");
        UnaryOperator<DataStream<RawRecord>> tap = raw -> raw.map(new FailOnceAfterCheckpoint())
                .returns(RawRecord.class).uid("test-fail-once").name("test: fail once");
        JobClient job = JobRunner.start(cfg, new SpendJob.Reference(book, seed), null, tap);
        try {
            Path ledgerDir = out.resolve("ledger");
            Harness.await("first committed ledger files", 60_000, () -> Harness.ledgerSize(ledgerDir) > 0);
            Harness.put(kc, prefix, second, "b");
            Harness.await("injected failure", 30_000, FAILED::get);
            Harness.await("all " + expected.size() + " calls in the ledger", 60_000, () -> Harness.ledgerSize(ledgerDir) >= expected.size());
            awaitSpend(prefix, expected.size());

            long redelivered = DELIVERIES.values().stream().filter(n -> n > 1).count();
            assertTrue(redelivered > 0, "the source should have redelivered records read after the checkpoint");
            Harness.assertLedgerAndTotals(expected, Harness.ledger(ledgerDir), Harness.latestSpend(kc, prefix + "-spend"));
        } finally {
            job.cancel().get();
        }
    }

    @Test
    void stopWithSavepointAndResumeKeepsTotalsExact() throws Exception {
        String prefix = "savepoint";
        Harness.createStreams(kc, prefix);
        TrafficGenerator gen = new TrafficGenerator(11, Instant.parse("2026-10-03T14:00:00Z"), 40, TrafficGenerator.Options.demo());
        List<RawRecord> first = gen.next(200);
        List<RawRecord> second = new ArrayList<>(gen.next(200));
        second.addAll(gen.drain());
        // a producer retry after the restart: 25 payloads of the first phase put again
        List<RawRecord> rePut = first.stream().filter(r -> r.origin.contains("invocations")).limit(25).toList();
        PrincipalTagSeed seed = Harness.seedWithAlice(gen.principalTags());
        List<RawRecord> all = new ArrayList<>(first);
        all.addAll(second);
        Map<String, Harness.Expected> expected = Harness.expected(all, book, seed);

        JobConfig cfg = Harness.config(kinesis, prefix, out, Map.of());
        SpendJob.Reference ref = new SpendJob.Reference(book, seed);
        Path ledgerDir = out.resolve("ledger");
        Harness.put(kc, prefix, first, "a");
        JobClient job1 = JobRunner.start(cfg, ref, null, UnaryOperator.identity());
        String savepoint;
        try {
            Harness.await("some committed ledger files", 60_000, () -> Harness.ledgerSize(ledgerDir) > 0);
            savepoint = job1.stopWithSavepoint(false, out.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL).get();
        } catch (Exception e) {
            job1.cancel();
            throw e;
        }
        int afterStop = Harness.ledgerSize(ledgerDir);

        Harness.put(kc, prefix, second, "b");
        Harness.put(kc, prefix, rePut, "r");
        JobClient job2 = JobRunner.start(cfg, ref, savepoint, UnaryOperator.identity());
        try {
            Harness.await("all " + expected.size() + " calls in the ledger", 60_000, () -> Harness.ledgerSize(ledgerDir) >= expected.size());
            awaitSpend(prefix, expected.size());
            assertTrue(afterStop > 0 && afterStop <= expected.size());
            Harness.assertLedgerAndTotals(expected, Harness.ledger(ledgerDir), Harness.latestSpend(kc, prefix + "-spend"));
        } finally {
            job2.cancel().get();
        }
    }

    private static void awaitSpend(String prefix, int calls) throws InterruptedException {
        Harness.await("live spend totals covering " + calls + " calls", 30_000, () -> {
            try {
                return Harness.latestSpend(kc, prefix + "-spend").values().stream().mapToLong(n -> n.get("calls").asLong()).sum() == calls;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
