package io.bedrockspend.kinesis;

import io.bedrockspend.demo.TrafficGenerator;
import io.bedrockspend.identity.PrincipalTagSeed;
import io.bedrockspend.ingest.RawRecord;
import io.bedrockspend.pricing.PriceBook;
import io.bedrockspend.run.JobConfig;
import io.bedrockspend.run.SpendJob;
import org.apache.flink.api.common.functions.RichMapFunction;
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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Restoring state into a job with a different parallelism (issue 8, fault injection): the keyed
 * state (de-duplication, team totals, sessions), the Kinesis shard positions and the ledger's
 * pending files are redistributed over a new number of subtasks. Two ways in:
 * <ol>
 *   <li>stop-with-savepoint at parallelism 2, resume from the savepoint at parallelism 1;</li>
 *   <li>a retained checkpoint of a job at parallelism 1 that is cancelled mid-stream (what a crash
 *       or a Managed Flink scale-out leaves), resumed at parallelism 3 (more subtasks than shards).</li>
 * </ol>
 * Both run the production job graph on RocksDB with generated traffic that carries duplicate
 * deliveries, and after the restore the second half of the input plus re-puts of already counted
 * records. The committed ledger must hold every distinct call exactly once at its exact cost, and each
 * team's month-to-date on the live spend stream must equal the ledger's sum for that team.
 */
class KinesisRescaleIT {
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

    /** Parallelism each run's raw-record subtasks actually ran at, by run label (the MiniCluster is in this JVM). */
    static final Map<String, Set<Integer>> PARALLELISM_SEEN = new ConcurrentHashMap<>();

    /** Passes records through and notes the parallelism it runs at; stateless, so adding it changes no savepoint. */
    static final class NoteParallelism extends RichMapFunction<RawRecord, RawRecord> {
        private final String run;

        NoteParallelism(String run) {
            this.run = run;
        }

        @Override
        public RawRecord map(RawRecord r) {
            PARALLELISM_SEEN.computeIfAbsent(run, k -> ConcurrentHashMap.newKeySet())
                    .add(getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks());
            return r;
        }
    }

    private static UnaryOperator<DataStream<RawRecord>> note(String run) {
        return raw -> raw.map(new NoteParallelism(run)).returns(RawRecord.class).uid("test-note-parallelism").name("test: note parallelism");
    }

    /** One scenario's input, split in the phase before the restore and the phase after it. */
    private record Input(List<RawRecord> first, List<RawRecord> second, List<RawRecord> rePut,
                         Map<String, Harness.Expected> expected, SpendJob.Reference ref) {}

    private static Input input(long seed, String start) {
        TrafficGenerator gen = new TrafficGenerator(seed, Instant.parse(start), 40, TrafficGenerator.Options.demo());
        List<RawRecord> first = gen.next(200);
        List<RawRecord> second = new ArrayList<>(gen.next(200));
        second.addAll(gen.drain());
        assertTrue(gen.stats().duplicateDeliveries > 0, "the generated input should carry duplicate deliveries");
        // a producer retry after the restore: payloads of the first phase (already counted) put again
        List<RawRecord> rePut = first.stream().filter(r -> r.origin.contains("invocations")).limit(25).toList();
        PrincipalTagSeed tags = Harness.seedWithAlice(gen.principalTags());
        List<RawRecord> all = new ArrayList<>(first);
        all.addAll(second);
        return new Input(first, second, rePut, Harness.expected(all, book, tags), new SpendJob.Reference(book, tags));
    }

    private JobConfig config(String prefix, int parallelism) throws Exception {
        return Harness.config(kinesis, prefix, out, Map.of(
                "state.backend", "rocksdb",
                "parallelism", String.valueOf(parallelism),
                "checkpoint.retain-on-cancel", "true"));
    }

    @Test
    void savepointAtParallelism2ResumedAtParallelism1KeepsTotalsExact() throws Exception {
        String prefix = "rescale-sp";
        Harness.createStreams(kc, prefix);
        Input in = input(23, "2026-10-05T08:00:00Z");
        Path ledgerDir = out.resolve("ledger");

        Harness.put(kc, prefix, in.first(), "a");
        JobClient job1 = JobRunner.start(config(prefix, 2), in.ref(), null, note("sp-before"));
        String savepoint;
        try {
            Harness.await("some committed ledger files", 60_000, () -> Harness.ledgerSize(ledgerDir) > 0);
            savepoint = job1.stopWithSavepoint(false, out.resolve("savepoints").toUri().toString(), SavepointFormatType.CANONICAL).get();
        } catch (Exception e) {
            job1.cancel();
            throw e;
        }
        int beforeRestore = Harness.ledgerSize(ledgerDir);

        Harness.put(kc, prefix, in.second(), "b");
        Harness.put(kc, prefix, in.rePut(), "r");
        JobClient job2 = JobRunner.start(config(prefix, 1), in.ref(), savepoint, note("sp-after"));
        try {
            awaitAll(prefix, ledgerDir, in.expected().size());
            assertEquals(Set.of(2), PARALLELISM_SEEN.get("sp-before"), "parallelism before the savepoint");
            assertEquals(Set.of(1), PARALLELISM_SEEN.get("sp-after"), "parallelism after the restore");
            assertTrue(beforeRestore > 0 && beforeRestore < in.expected().size(),
                    "part of the input committed before the savepoint: " + beforeRestore + " of " + in.expected().size());
            Harness.assertLedgerAndTotals(in.expected(), Harness.ledger(ledgerDir), Harness.latestSpend(kc, prefix + "-spend"));
        } finally {
            job2.cancel().get();
        }
    }

    @Test
    void retainedCheckpointAtParallelism1ResumedAtParallelism3KeepsTotalsExact() throws Exception {
        String prefix = "rescale-cp";
        Harness.createStreams(kc, prefix);
        Input in = input(29, "2026-10-06T16:00:00Z");
        Path ledgerDir = out.resolve("ledger");

        Harness.put(kc, prefix, in.first(), "a");
        JobClient job1 = JobRunner.start(config(prefix, 1), in.ref(), null, note("cp-before"));
        try {
            Harness.await("some committed ledger files", 60_000, () -> Harness.ledgerSize(ledgerDir) > 0);
        } finally {
            // cancelled, not stopped: nothing is committed on the way out, the retained checkpoint is all that is left
            job1.cancel().get();
        }
        awaitTerminal(job1);
        Path checkpoint = latestRetainedCheckpoint(out.resolve("checkpoints").resolve(job1.getJobID().toHexString()));
        int beforeRestore = Harness.ledgerSize(ledgerDir);

        Harness.put(kc, prefix, in.second(), "b");
        Harness.put(kc, prefix, in.rePut(), "r");
        JobClient job2 = JobRunner.start(config(prefix, 3), in.ref(), checkpoint.toUri().toString(), note("cp-after"));
        try {
            awaitAll(prefix, ledgerDir, in.expected().size());
            assertEquals(Set.of(1), PARALLELISM_SEEN.get("cp-before"), "parallelism before the cancel");
            assertEquals(Set.of(3), PARALLELISM_SEEN.get("cp-after"), "parallelism after the restore");
            assertTrue(beforeRestore > 0 && beforeRestore < in.expected().size(),
                    "part of the input committed before the cancel: " + beforeRestore + " of " + in.expected().size());
            Harness.assertLedgerAndTotals(in.expected(), Harness.ledger(ledgerDir), Harness.latestSpend(kc, prefix + "-spend"));
        } finally {
            job2.cancel().get();
        }
    }

    private static void awaitAll(String prefix, Path ledgerDir, int calls) throws InterruptedException {
        Harness.await("all " + calls + " calls in the ledger", 60_000, () -> Harness.ledgerSize(ledgerDir) >= calls);
        Harness.await("live spend totals covering " + calls + " calls", 30_000, () -> {
            try {
                return Harness.latestSpend(kc, prefix + "-spend").values().stream().mapToLong(n -> n.get("calls").asLong()).sum() == calls;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Waits until the cancelled job has reached a terminal state (its checkpoint store has shut down). */
    private static void awaitTerminal(JobClient job) throws InterruptedException {
        try {
            job.getJobExecutionResult().get();
        } catch (ExecutionException expected) {
            // a cancelled job ends with an exception: that is the terminal state this waits for
        }
    }

    /** The highest-numbered complete checkpoint ({@code chk-N} with its {@code _metadata}) under the job's folder. */
    private static Path latestRetainedCheckpoint(Path jobDir) throws IOException {
        Optional<Path> latest;
        try (Stream<Path> s = Files.list(jobDir)) {
            latest = s.filter(p -> p.getFileName().toString().startsWith("chk-"))
                    .filter(p -> Files.isRegularFile(p.resolve("_metadata")))
                    .max((a, b) -> Long.compare(chk(a), chk(b)));
        }
        assertTrue(latest.isPresent(), "no retained checkpoint under " + jobDir);
        return latest.get();
    }

    private static long chk(Path p) {
        return Long.parseLong(p.getFileName().toString().substring("chk-".length()));
    }
}
