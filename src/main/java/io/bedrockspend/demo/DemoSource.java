package io.bedrockspend.demo;

import io.bedrockspend.demo.TrafficGenerator.Options;
import io.bedrockspend.ingest.RawRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.lib.NumberSequenceSource;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimitedSourceReader;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratingIteratorSourceReader;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * FLIP-27 source of synthetic {@link RawRecord}s for the {@code demo} command: a
 * {@link DataGeneratorSource} whose generator function runs one {@link TrafficGenerator} per subtask.
 * Use with {@code env.fromSource(DemoSource.unbounded(seed, rate), WatermarkStrategy..., "demo")}.
 *
 * <p>Paced by event time, not by a record count: each reader holds its next record back until as much
 * wall-clock time has passed since its first record as event time has passed in its generator
 * ({@link Pacer}). A record rate cannot stand in for a call rate: how many records one call yields
 * depends on the rate (CloudWatch Logs batches more invocation records per payload at higher rates:
 * 1.27 records per call at 10 calls/s, 0.54 at 200/s) and on the run's age (CloudTrail holds events
 * back for minutes, so a young run yields fewer records per call), and a limit of
 * {@code rate × 1.28 records/s} ran the demo at about twice {@code --rate} with event time pulling
 * ahead of the wall clock. Each subtask generates {@code callsPerSecond / parallelism} calls per second.
 *
 * <p>The generator function keeps no checkpointed state. When it sees an index that does not follow
 * the previous one (first record, a new split, a restore) it starts a fresh generator seeded from
 * (seed, subtask, index), so restarted or parallel subtasks never repeat each other's requestIds.
 */
public final class DemoSource extends DataGeneratorSource<RawRecord> {
    private static final long serialVersionUID = 1L;
    /**
     * Rough RawRecords per call at demo rates, used only to place a fixed-start generator that restarts
     * mid-range (a restore) at a plausible event time; pacing never depends on it.
     */
    static final double RECORDS_PER_CALL_ESTIMATE = 1.2;

    private final boolean unbounded;
    private final Generator generator;

    private DemoSource(Generator generator, long records) {
        super(generator, records, RateLimiterStrategy.noOp(), type());
        this.generator = generator;
        this.unbounded = records == Long.MAX_VALUE;
    }

    /** One paced reader per subtask, with its own copy of the generator function (it carries the pacer). */
    @Override
    public SourceReader<RawRecord, NumberSequenceSource.NumberSequenceSplit> createReader(SourceReaderContext context) {
        Pacer pacer = new Pacer(System::nanoTime);
        Generator own = generator.paced(pacer);
        return new RateLimitedSourceReader<>(new GeneratingIteratorSourceReader<>(context, own), pacer);
    }

    /**
     * DataGeneratorSource always says BOUNDED (it is a number sequence); with no count limit the demo
     * must say unbounded, or a job in AUTOMATIC runtime mode would run it as a batch job that never ends.
     */
    @Override
    public Boundedness getBoundedness() {
        return unbounded ? Boundedness.CONTINUOUS_UNBOUNDED : Boundedness.BOUNDED;
    }

    public static TypeInformation<RawRecord> type() {
        return TypeInformation.of(RawRecord.class);
    }

    /** Live demo traffic, unbounded, event time starting now. */
    public static DemoSource unbounded(long seed, double callsPerSecond) {
        return live(seed, callsPerSecond, Duration.ZERO);
    }

    /**
     * Live demo traffic, unbounded, that starts with {@code backlog} of traffic already waiting (as a
     * job that starts on a stream with retained records finds it): the first calls are stamped
     * {@code backlog} before the subtask starts and go out at once, then it paces on the wall clock.
     * CloudTrail delivers 30–150 s late, so a backlog of a few minutes lets the first sessions' events
     * arrive with their calls instead of the table filling up only after two minutes.
     */
    public static DemoSource live(long seed, double callsPerSecond, Duration backlog) {
        if (!(callsPerSecond > 0)) throw new IllegalArgumentException("callsPerSecond must be > 0");
        return new DemoSource(Generator.live(seed, callsPerSecond, backlog, Options.demo()), Long.MAX_VALUE);
    }

    /** Live demo traffic ending after {@code records} records. */
    public static DemoSource bounded(long seed, double callsPerSecond, long records) {
        return create(seed, callsPerSecond, records, null, Options.demo());
    }

    /**
     * @param records number of records to emit ({@link Long#MAX_VALUE}: unbounded)
     * @param start   event time of the first call; null for the wall clock when the subtask starts
     */
    public static DemoSource create(long seed, double callsPerSecond, long records, Instant start, Options options) {
        if (!(callsPerSecond > 0)) throw new IllegalArgumentException("callsPerSecond must be > 0");
        if (records < 0) throw new IllegalArgumentException("records must be >= 0");
        return new DemoSource(new Generator(seed, callsPerSecond, start, options), records);
    }

    /** The per-subtask generator function; public for tests that drive it without a cluster. */
    public static final class Generator implements GeneratorFunction<Long, RawRecord> {
        private static final long serialVersionUID = 1L;
        private final long seed;
        private final double callsPerSecond;
        /** Epoch millis of the first call, or {@code Long.MIN_VALUE} for the wall clock. */
        private final long startMillis;
        private final Options options;
        /** Wall-clock start only: how far before the subtask's start the first call is stamped. */
        private final long backlogMillis;
        /** Set on the reader's own copy; null when driven without a reader (tests). */
        private final Pacer pacer;

        private transient int subtask;
        private transient int parallelism;
        private transient TrafficGenerator generator;
        private transient ArrayDeque<RawRecord> buffer;
        private transient long expectedIndex;
        /** First index this subtask saw: split ranges start anywhere up to Long.MAX_VALUE. */
        private transient long firstIndex = -1;

        public Generator(long seed, double callsPerSecond, Instant start, Options options) {
            this(seed, callsPerSecond, start == null ? Long.MIN_VALUE : start.toEpochMilli(), 0, options, null);
        }

        private Generator(long seed, double callsPerSecond, long startMillis, long backlogMillis, Options options, Pacer pacer) {
            this.seed = seed;
            this.callsPerSecond = callsPerSecond;
            this.startMillis = startMillis;
            this.backlogMillis = backlogMillis;
            this.options = options;
            this.pacer = pacer;
        }

        /** A live (wall-clock) generator whose first call is stamped {@code backlog} before it starts. */
        public static Generator live(long seed, double callsPerSecond, Duration backlog, Options options) {
            if (backlog.isNegative()) throw new IllegalArgumentException("backlog must be >= 0");
            return new Generator(seed, callsPerSecond, Long.MIN_VALUE, backlog.toMillis(), options, null);
        }

        /** A copy that reports each record's event time to {@code pacer}. */
        public Generator paced(Pacer pacer) {
            return new Generator(seed, callsPerSecond, startMillis, backlogMillis, options, pacer);
        }

        @Override
        public void open(SourceReaderContext context) {
            open(context.getIndexOfSubtask(), context.currentParallelism());
        }

        /** Same as {@link #open(SourceReaderContext)} without a Flink context. */
        public void open(int subtaskIndex, int currentParallelism) {
            this.subtask = subtaskIndex;
            this.parallelism = Math.max(1, currentParallelism);
            this.buffer = new ArrayDeque<>();
            this.generator = null;
            this.firstIndex = -1;
        }

        @Override
        public RawRecord map(Long index) {
            if (buffer == null) open(0, 1);
            if (generator == null || index != expectedIndex) {
                double subtaskRate = callsPerSecond / parallelism;
                if (firstIndex < 0) firstIndex = index;
                long now = System.currentTimeMillis();
                long start = startMillis == Long.MIN_VALUE
                        ? now - backlogMillis
                        // a fixed start stays monotone across reseeds: offset within this subtask's range
                        // at its own records-per-second (never the raw index: unbounded splits start near 2^62)
                        : startMillis + (long) ((index - firstIndex) * 1000.0 / (subtaskRate * RECORDS_PER_CALL_ESTIMATE));
                generator = new TrafficGenerator(Rng.derive(Rng.derive(seed, subtask), index),
                        Instant.ofEpochMilli(start), subtaskRate, options);
                buffer.clear();
                // on the wall clock, event time `now` is due now (a backlog goes out at once); a fixed
                // start is paced from its first record
                if (pacer != null) pacer.restart(startMillis == Long.MIN_VALUE ? now : Long.MIN_VALUE);
            }
            expectedIndex = index + 1;
            while (buffer.isEmpty()) buffer.addAll(generator.next(1));
            RawRecord r = buffer.poll();
            if (pacer != null) pacer.emitted(generator.clockMillis());
            if (parallelism > 1) r.position = subtask + "-" + r.position; // positions unique across subtasks
            return r;
        }
    }

    /**
     * Holds a reader's next record back until the wall clock has caught up with its generator: the
     * record emitted last may go out once {@code now - firstWall >= eventTime - firstEvent}. One record
     * late by design (the rate limiter is asked before the next record exists), which only lets a
     * record through as soon as its predecessor is due. Records of one delivery (a CloudWatch Logs
     * batch, a CloudTrail file) share an event time and go out together, as they would from AWS.
     * Used on the reader's mailbox thread only.
     */
    public static final class Pacer implements RateLimiter {
        private static final CompletableFuture<Void> NOW = CompletableFuture.completedFuture(null);
        private final LongSupplier nanoClock;
        private boolean anchored;
        /** Event time due at the anchor, or MIN_VALUE: the first record's. */
        private long presetAnchorMillis = Long.MIN_VALUE;
        private long anchorEventMillis;
        private long anchorNanos;
        private long dueEventMillis;

        public Pacer(LongSupplier nanoClock) {
            this.nanoClock = nanoClock;
        }

        /**
         * A new generator (first record, new split, restore): a new anchor at its next record, where
         * event time {@code anchorEventMillis} is due (MIN_VALUE: that record's own event time).
         */
        void restart(long anchorEventMillis) {
            anchored = false;
            presetAnchorMillis = anchorEventMillis;
        }

        /** The record just emitted was delivered at {@code eventMillis} on the generator's clock. */
        void emitted(long eventMillis) {
            if (!anchored) {
                anchored = true;
                anchorEventMillis = presetAnchorMillis == Long.MIN_VALUE ? eventMillis : presetAnchorMillis;
                anchorNanos = nanoClock.getAsLong();
            }
            dueEventMillis = eventMillis;
        }

        /** How long the next record must still wait, in nanoseconds (0: go). */
        public long waitNanos() {
            if (!anchored) return 0;
            long due = (dueEventMillis - anchorEventMillis) * 1_000_000L;
            return Math.max(0, due - (nanoClock.getAsLong() - anchorNanos));
        }

        @Override
        public CompletionStage<Void> acquire() {
            long wait = waitNanos();
            if (wait == 0) return NOW;
            return CompletableFuture.runAsync(() -> {}, CompletableFuture.delayedExecutor(wait, TimeUnit.NANOSECONDS));
        }
    }
}
