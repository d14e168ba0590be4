package io.bedrockspend.identity;

import io.bedrockspend.ingest.InvocationCall;
import io.bedrockspend.ingest.TrailEvent;

/**
 * What the identity join receives on its keyed side, keyed by the caller's ARN as logged: an
 * invocation, its CloudTrail runtime event, or the STS event that started the session. Exactly one
 * field is set.
 */
@org.apache.flink.api.common.typeinfo.TypeInfo(IdentityInputSerializer.Factory.class)
public class IdentityInput {
    public InvocationCall call;
    public TrailEvent event;

    public IdentityInput() {}

    public static IdentityInput of(InvocationCall c) {
        IdentityInput i = new IdentityInput();
        i.call = c;
        return i;
    }

    public static IdentityInput of(TrailEvent e) {
        IdentityInput i = new IdentityInput();
        i.event = e;
        return i;
    }

    /**
     * What the pipeline sends to the join: a copy of the call without its file origin and position.
     * Those only serve dead letters, all decided before the join (decode, dedupe), and are a fifth of
     * the bytes every call costs in the join's shuffle, sort and state.
     */
    public static IdentityInput forJoin(InvocationCall c) {
        InvocationCall slim = io.bedrockspend.ingest.InvocationCallSerializer.INSTANCE.copy(c);
        slim.origin = null;
        slim.position = null;
        return of(slim);
    }

    /** As {@link #forJoin(InvocationCall)}, for a runtime or STS event. */
    public static IdentityInput forJoin(TrailEvent e) {
        TrailEvent slim = io.bedrockspend.ingest.TrailEventSerializer.INSTANCE.copy(e);
        slim.origin = null;
        slim.position = null;
        return of(slim);
    }

    /** The join key: the ARN that later calls of the same identity log as {@code identity.arn}. */
    public String callerArn() {
        String k;
        if (call != null) k = call.identityArn;
        else if (TrailEvent.Kind.SESSION_START.name().equals(event.kind)) k = event.sessionArn;
        else k = event.userIdentityArn;
        return k == null ? "" : k;
    }

    /** Partitioning key: a 64-bit hash of {@link #callerArn()} (the join keeps the full ARN in its state). */
    public long key() {
        return io.bedrockspend.Keys.hash64(callerArn());
    }

    /**
     * Where this input sorts among its key's records in a batch run, which orders each key's records by
     * timestamp only: a call's CloudTrail runtime event sorts {@code leadMillis} ahead of its own time,
     * so the join has seen it (access key, path, source identity) before a call up to that much earlier,
     * whatever order the two clocks or a tie put them in. Without it the ledger depended on ties.
     */
    public long batchSortTime(long leadMillis) {
        if (event != null && TrailEvent.Kind.RUNTIME_CALL.name().equals(event.kind)) return event.eventTimeMillis - leadMillis;
        return eventTimeMillis();
    }

    public long eventTimeMillis() {
        return call != null ? call.timestampMillis : event.eventTimeMillis;
    }
}
