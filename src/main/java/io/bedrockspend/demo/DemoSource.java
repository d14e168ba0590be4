package io.bedrockspend.demo;

import io.bedrockspend.demo.TrafficGenerator.Options;
import io.bedrockspend.ingest.RawRecord;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

import java.time.Instant;
import java.util.ArrayDeque;

/**
 * FLIP-27 source of synthetic {@link RawRecord}s for the {@code demo} command: a
 * {@link DataGeneratorSource} whose generator function runs one {@link TrafficGenerator} per subtask.
 * Use with {@code env.fromSource(DemoSource.unbounded(seed, rate), WatermarkStrategy..., "demo")}.
 *
 * <p>The rate limiter counts records, not calls; one call yields {@link #RECORDS_PER_CALL} records on
 * average (a share of a batched CloudWatch Logs payload, its CloudTrail event, session starts,
 * redeliveries), so the limit is set to {@code callsPerSecond × RECORDS_PER_CALL} and event time
 * tracks wall-clock time closely. Each subtask generates {@code callsPerSecond / parallelism} calls per
 * second of event time.
 *
 * <p>The generator function keeps no checkpointed state. When it sees an index that does not follow
 * the previous one (first record, a new split, a restore) it starts a fresh generator seeded from
 * (seed, subtask, index), so restarted or parallel subtasks never repeat each other's requestIds.
 */
public final class DemoSource extends DataGeneratorSource<RawRecord> {
    private static final long serialVersionUID = 1L;
    /** Average RawRecords per call with {@link Options#demo()} (measured; see DemoSourceTest). */
    public static final double RECORDS_PER_CALL = 1.28;

    private final boolean unbounded;

    private DemoSource(Generator generator, long records, double callsPerSecond) {
        super(generator, records, RateLimiterStrategy.perSecond(callsPerSecond * RECORDS_PER_CALL), type());
        this.unbounded = records == Long.MAX_VALUE;
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
        return create(seed, callsPerSecond, Long.MAX_VALUE, null, Options.demo());
    }

    /** Live demo traffic, unbounded, first call at {@code start} (pass the time the demo began). */
    public static DemoSource create(long seed, Instant start, double callsPerSecond) {
        return create(seed, callsPerSecond, Long.MAX_VALUE, start, Options.demo());
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
        return new DemoSource(new Generator(seed, callsPerSecond, start, options), records, callsPerSecond);
    }

    /** The per-subtask generator function; public for tests that drive it without a cluster. */
    public static final class Generator implements GeneratorFunction<Long, RawRecord> {
        private static final long serialVersionUID = 1L;
        private final long seed;
        private final double callsPerSecond;
        /** Epoch millis of the first call, or {@code Long.MIN_VALUE} for the wall clock. */
        private final long startMillis;
        private final Options options;

        private transient int subtask;
        private transient int parallelism;
        private transient TrafficGenerator generator;
        private transient ArrayDeque<RawRecord> buffer;
        private transient long expectedIndex;
        /** First index this subtask saw: split ranges start anywhere up to Long.MAX_VALUE. */
        private transient long firstIndex = -1;

        public Generator(long seed, double callsPerSecond, Instant start, Options options) {
            this.seed = seed;
            this.callsPerSecond = callsPerSecond;
            this.startMillis = start == null ? Long.MIN_VALUE : start.toEpochMilli();
            this.options = options;
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
                long start = startMillis == Long.MIN_VALUE
                        ? System.currentTimeMillis()
                        // a fixed start stays monotone across reseeds: offset within this subtask's range
                        // at its own records-per-second (never the raw index: unbounded splits start near 2^62)
                        : startMillis + (long) ((index - firstIndex) * 1000.0 / (subtaskRate * RECORDS_PER_CALL));
                generator = new TrafficGenerator(Rng.derive(Rng.derive(seed, subtask), index),
                        Instant.ofEpochMilli(start), subtaskRate, options);
                buffer.clear();
            }
            expectedIndex = index + 1;
            while (buffer.isEmpty()) buffer.addAll(generator.next(1));
            RawRecord r = buffer.poll();
            if (parallelism > 1) r.position = subtask + "-" + r.position; // positions unique across subtasks
            return r;
        }
    }
}
