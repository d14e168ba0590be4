package io.bedrockspend.ingest;

import io.bedrockspend.Counters;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;

/**
 * Counts every call once. Keyed by requestId; remembers a fingerprint of the first delivery for the
 * retention period. A redelivery with the same content is dropped and counted as a duplicate; one
 * with different content (a producer bug, or a forged record) goes to dead letters rather than
 * silently replacing or adding to the first.
 */
public class DedupeOperator extends KeyedProcessFunction<String, InvocationCall, InvocationCall> {
    private final Duration retention;
    private transient ValueState<Long> seen;
    private transient Counters.Handle calls;
    private transient Counters.Handle duplicates;
    private transient Counters.Handle deadLetters;

    public DedupeOperator(Duration retention) {
        this.retention = retention;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<Long> d = new ValueStateDescriptor<>("first-delivery-fingerprint", Long.class);
        d.enableTimeToLive(StateTtlConfig.newBuilder(retention)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        seen = getRuntimeContext().getState(d);
        calls = Counters.register(getRuntimeContext(), Counters.CALLS);
        duplicates = Counters.register(getRuntimeContext(), Counters.DUPLICATES);
        deadLetters = Counters.register(getRuntimeContext(), Counters.DEAD_LETTERS);
    }

    @Override
    public void processElement(InvocationCall call, Context ctx, Collector<InvocationCall> out) throws Exception {
        long fp = call.contentFingerprint();
        Long first = seen.value();
        if (first == null) {
            seen.update(fp);
            calls.inc();
            out.collect(call);
        } else if (first == fp) {
            duplicates.inc();
        } else {
            deadLetters.inc();
            ctx.output(DecodeOperator.DEAD_LETTERS, new DeadLetter(DeadLetterReason.CONFLICTING_DUPLICATE,
                    "requestId already counted with different token counts, model, principal or time; first delivery kept",
                    call.origin, call.position, call.requestId));
        }
    }
}
