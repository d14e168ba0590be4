package io.bedrockspend.ingest;

import io.bedrockspend.Counters;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;

/**
 * Counts every call once. Keyed by a 64-bit hash of the requestId (fast to sort in batch runs); the
 * full requestId is the state's map key, so a hash collision never drops a call. Remembers a
 * fingerprint of the first delivery for the retention period. A redelivery with the same content is dropped and counted as a duplicate; one
 * with different content (a producer bug, or a forged record) goes to dead letters rather than
 * silently replacing or adding to the first.
 */
public class DedupeOperator extends KeyedProcessFunction<Long, InvocationCall, InvocationCall> {
    private final Duration retention;
    private transient MapState<String, Long> seen;
    private transient Counters.Handle calls;
    private transient Counters.Handle duplicates;
    private transient Counters.Handle deadLetters;

    public DedupeOperator(Duration retention) {
        this.retention = retention;
    }

    @Override
    public void open(OpenContext openContext) {
        MapStateDescriptor<String, Long> d = new MapStateDescriptor<>("first-delivery-fingerprint", String.class, Long.class);
        d.enableTimeToLive(StateTtlConfig.newBuilder(retention)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build());
        seen = getRuntimeContext().getMapState(d);
        calls = Counters.register(getRuntimeContext(), Counters.CALLS);
        duplicates = Counters.register(getRuntimeContext(), Counters.DUPLICATES);
        deadLetters = Counters.register(getRuntimeContext(), Counters.DEAD_LETTERS);
    }

    @Override
    public void processElement(InvocationCall call, Context ctx, Collector<InvocationCall> out) throws Exception {
        long fp = call.contentFingerprint();
        Long first = seen.get(call.requestId);
        if (first == null) {
            seen.put(call.requestId, fp);
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
