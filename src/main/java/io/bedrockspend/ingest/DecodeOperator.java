package io.bedrockspend.ingest;

import io.bedrockspend.Counters;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Thin Flink wrapper around {@link RecordDecoder}: invocation records go to the main output,
 * CloudTrail events and dead letters to side outputs. One bad record never fails the job.
 */
public class DecodeOperator extends ProcessFunction<RawRecord, InvocationCall> {
    public static final OutputTag<TrailEvent> TRAIL = new OutputTag<>("trail-events") {};
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {};

    private final DecodeLimits limits;
    private transient RecordDecoder decoder;
    private transient Counters.Handle records;
    private transient Counters.Handle deadLetters;
    private transient Counters.Handle trailEvents;
    private transient Counters.Handle skipped;

    public DecodeOperator(DecodeLimits limits) {
        this.limits = limits;
    }

    @Override
    public void open(OpenContext openContext) {
        decoder = new RecordDecoder(limits);
        records = Counters.register(getRuntimeContext(), Counters.RECORDS);
        deadLetters = Counters.register(getRuntimeContext(), Counters.DEAD_LETTERS);
        trailEvents = Counters.register(getRuntimeContext(), Counters.TRAIL_EVENTS);
        skipped = Counters.register(getRuntimeContext(), Counters.SKIPPED);
    }

    @Override
    public void processElement(RawRecord rec, Context ctx, Collector<InvocationCall> out) {
        records.inc();
        decoder.decode(rec, new DecodeSink() {
            @Override public void call(InvocationCall c) { out.collect(c); }
            @Override public void trail(TrailEvent e) { trailEvents.inc(); ctx.output(TRAIL, e); }
            @Override public void deadLetter(DeadLetter d) { deadLetters.inc(); ctx.output(DEAD_LETTERS, d); }
            @Override public void skipped(String what) { skipped.inc(); }
        });
    }
}
