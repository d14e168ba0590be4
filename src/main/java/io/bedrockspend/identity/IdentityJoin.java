package io.bedrockspend.identity;

import io.bedrockspend.Counters;
import io.bedrockspend.PipelineConfig;
import io.bedrockspend.ingest.InvocationCall;
import io.bedrockspend.ingest.TrailEvent;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Who pays for a call, in event time. Keyed by (a 64-bit hash of) the caller's ARN as logged, so an
 * assumed-role session's calls, its CloudTrail runtime events and the STS event that started it meet
 * on one key; state inside is per full ARN, so a hash collision never mixes two callers;
 * principal tags (seed + live IAM tag events) are broadcast, since every session key needs its role's.
 *
 * <ul>
 *   <li>A call whose context is known (IAM user, or a session already announced) leaves at once.</li>
 *   <li>Otherwise it waits for its session's STS event up to {@code identityWait} of event time (and
 *   a processing-time cap, so an idle stream still flushes), then leaves {@code partial}. Late context
 *   never re-emits a call: each call leaves this operator exactly once.</li>
 *   <li>Runtime events with no invocation record within the wait are reported as unmetered calls.</li>
 * </ul>
 * State is bounded by live sessions and calls inside the wait: sessions are dropped after they
 * expire, matched request ids after twice the wait.
 */
public class IdentityJoin extends KeyedBroadcastProcessFunction<Long, IdentityInput, TrailEvent, AttributedCall> {
    public static final OutputTag<UnmeteredCall> UNMETERED = new OutputTag<>("unmetered-calls") {};
    public static final MapStateDescriptor<String, List<TagChange>> PRINCIPAL_TAGS = new MapStateDescriptor<>(
            "principal-tag-changes", Types.STRING, Types.LIST(TypeInformation.of(TagChange.class)));

    private final PrincipalTagSeed seed;
    private final String teamKey;
    private final String unattributedTeam;
    private final long waitMillis;
    private final long processingCapMillis;
    private final long skewMillis;
    private final int maxSessionsPerArn;
    private final long sessionGraceMillis;
    private final long noContextMemoryMillis;
    private final int maxTagChanges;

    private transient MapState<String, List<SessionContext>> sessions;
    private transient MapState<String, WaitingCall> waiting;
    private transient MapState<String, TrailEvent> runtimeEvents;
    private transient MapState<String, Long> matched;
    private transient MapState<String, Long> noContextUntil;
    private transient Counters.Handle unattributed;
    private transient Counters.Handle partial;
    private transient Counters.Handle unmetered;
    private transient Counters.Handle waited;

    public IdentityJoin(PrincipalTagSeed seed, PipelineConfig cfg) {
        this.seed = seed;
        this.teamKey = cfg.teamKey;
        this.unattributedTeam = cfg.unattributedTeam;
        this.waitMillis = cfg.identityWait.toMillis();
        this.processingCapMillis = cfg.identityWaitProcessingCap.toMillis();
        this.skewMillis = cfg.sessionClockSkew.toMillis();
        this.maxSessionsPerArn = cfg.maxSessionsPerArn;
        this.sessionGraceMillis = cfg.sessionGrace.toMillis();
        this.noContextMemoryMillis = cfg.noSessionMemory.toMillis();
        this.maxTagChanges = cfg.maxTagChangesPerPrincipal;
    }

    /** A call parked until its session context arrives, with its arrival in processing time. */
    public static class WaitingCall {
        public InvocationCall call;
        public long arrivedMillis;

        public WaitingCall() {}
    }

    @Override
    public void open(OpenContext openContext) {
        sessions = getRuntimeContext().getMapState(new MapStateDescriptor<>("sessions", Types.STRING,
                Types.LIST(TypeInformation.of(SessionContext.class))));
        waiting = getRuntimeContext().getMapState(new MapStateDescriptor<>("waiting-calls", String.class, WaitingCall.class));
        runtimeEvents = getRuntimeContext().getMapState(new MapStateDescriptor<>("runtime-events", String.class, TrailEvent.class));
        matched = getRuntimeContext().getMapState(new MapStateDescriptor<>("matched-request-ids", String.class, Long.class));
        noContextUntil = getRuntimeContext().getMapState(new MapStateDescriptor<>("no-session-context-until", String.class, Long.class));
        unattributed = Counters.register(getRuntimeContext(), Counters.UNATTRIBUTED);
        partial = Counters.register(getRuntimeContext(), Counters.PARTIAL);
        unmetered = Counters.register(getRuntimeContext(), Counters.UNMETERED);
        waited = Counters.register(getRuntimeContext(), Counters.WAITED);
    }

    @Override
    public void processElement(IdentityInput in, ReadOnlyContext ctx, Collector<AttributedCall> out) throws Exception {
        if (in.call != null) {
            onCall(in.call, ctx, out);
        } else if (TrailEvent.Kind.SESSION_START.name().equals(in.event.kind)) {
            onSessionStart(in.event, ctx, out);
        } else if (TrailEvent.Kind.RUNTIME_CALL.name().equals(in.event.kind)) {
            onRuntimeEvent(in.event, ctx);
        }
    }

    private void onCall(InvocationCall call, ReadOnlyContext ctx, Collector<AttributedCall> out) throws Exception {
        if (!Sessions.needsSession(call.identityArn)) {
            emit(call, null, false, ctx, out);
            return;
        }
        String arn = arnOf(call);
        TrailEvent runtime = call.requestId == null ? null : runtimeEvents.get(call.requestId);
        SessionContext s = Sessions.covering(sessionsOf(arn), call.timestampMillis, skewMillis,
                runtime == null ? null : runtime.accessKeyId);
        if (s != null) {
            emit(call, s, false, ctx, out);
            return;
        }
        Long until = noContextUntil.get(arn);
        if (until != null && call.timestampMillis <= until) {
            // this session's STS event did not come for an earlier call: do not make every call wait again
            emit(call, null, true, ctx, out);
            return;
        }
        WaitingCall w = new WaitingCall();
        w.call = call;
        w.arrivedMillis = ctx.timerService().currentProcessingTime();
        waiting.put(call.requestId, w);
        waited.inc();
        ctx.timerService().registerEventTimeTimer(call.timestampMillis + waitMillis);
        ctx.timerService().registerProcessingTimeTimer(w.arrivedMillis + processingCapMillis);
    }

    private void onSessionStart(TrailEvent e, ReadOnlyContext ctx, Collector<AttributedCall> out) throws Exception {
        SessionContext s = Sessions.fromEvent(e);
        String arn = e.sessionArn == null ? "" : e.sessionArn;
        List<SessionContext> updated = Sessions.add(sessionsOf(arn), s, maxSessionsPerArn);
        sessions.put(arn, updated);
        noContextUntil.remove(arn);
        ctx.timerService().registerEventTimeTimer(s.expiresMillis + sessionGraceMillis);
        List<String> released = new ArrayList<>();
        for (Map.Entry<String, WaitingCall> w : waiting.entries()) {
            if (!arn.equals(arnOf(w.getValue().call))) continue;
            TrailEvent runtime = runtimeEvents.get(w.getKey());
            SessionContext c = Sessions.covering(updated, w.getValue().call.timestampMillis, skewMillis,
                    runtime == null ? null : runtime.accessKeyId);
            if (c != null) {
                emit(w.getValue().call, c, false, ctx, out);
                released.add(w.getKey());
            }
        }
        for (String id : released) waiting.remove(id);
    }

    private void onRuntimeEvent(TrailEvent e, ReadOnlyContext ctx) throws Exception {
        if (e.requestId == null) return;
        if (matched.contains(e.requestId)) {
            matched.remove(e.requestId); // its call already left; nothing more to learn from it
            return;
        }
        if (runtimeEvents.contains(e.requestId)) return; // the same event delivered twice
        runtimeEvents.put(e.requestId, e);
        if (!waiting.contains(e.requestId)) {
            ctx.timerService().registerEventTimeTimer(e.eventTimeMillis + waitMillis);
        }
    }

    @Override
    public void processBroadcastElement(TrailEvent e, Context ctx, Collector<AttributedCall> out) throws Exception {
        TagChange change = PrincipalTagHistory.changeOf(e);
        String principal = PrincipalTagHistory.principalOf(e);
        if (change == null || principal == null) return;
        var state = ctx.getBroadcastState(PRINCIPAL_TAGS);
        state.put(principal, PrincipalTagHistory.add(seed.tagsOf(principal), state.get(principal), change, maxTagChanges));
    }

    @Override
    public void onTimer(long ts, OnTimerContext ctx, Collector<AttributedCall> out) throws Exception {
        boolean eventTime = ctx.timeDomain() == org.apache.flink.streaming.api.TimeDomain.EVENT_TIME;
        List<String> released = new ArrayList<>();
        for (Map.Entry<String, WaitingCall> w : waiting.entries()) {
            WaitingCall wc = w.getValue();
            boolean due = eventTime ? wc.call.timestampMillis + waitMillis <= ts : wc.arrivedMillis + processingCapMillis <= ts;
            if (due) {
                emit(wc.call, null, true, ctx, out);
                released.add(w.getKey());
                String arn = arnOf(wc.call);
                Long until = noContextUntil.get(arn);
                long mem = wc.call.timestampMillis + noContextMemoryMillis;
                if (until == null || mem > until) noContextUntil.put(arn, mem);
            }
        }
        for (String id : released) waiting.remove(id);
        if (!eventTime) return;

        List<String> gone = new ArrayList<>();
        for (Map.Entry<String, TrailEvent> r : runtimeEvents.entries()) {
            TrailEvent e = r.getValue();
            if (e.eventTimeMillis + waitMillis <= ts && !waiting.contains(r.getKey())) {
                ctx.output(UNMETERED, unmeteredOf(e));
                unmetered.inc();
                gone.add(r.getKey());
            }
        }
        for (String id : gone) runtimeEvents.remove(id);
        for (Iterator<Map.Entry<String, Long>> it = matched.iterator(); it.hasNext(); ) {
            if (it.next().getValue() + 2 * waitMillis <= ts) it.remove();
        }
        if (matched.isEmpty()) matched.clear(); // an emptied map still holds an entry in the heap backend
        List<String> expired = new ArrayList<>();
        for (Map.Entry<String, List<SessionContext>> e : sessions.entries()) {
            List<SessionContext> live = new ArrayList<>();
            for (SessionContext s : e.getValue()) if (s.expiresMillis + sessionGraceMillis > ts) live.add(s);
            if (live.isEmpty()) expired.add(e.getKey());
            else if (live.size() < e.getValue().size()) e.setValue(live);
        }
        for (String arn : expired) sessions.remove(arn);
        if (sessions.isEmpty()) sessions.clear();
        List<String> forgotten = new ArrayList<>();
        for (Map.Entry<String, Long> e : noContextUntil.entries()) if (e.getValue() < ts - noContextMemoryMillis) forgotten.add(e.getKey());
        for (String arn : forgotten) noContextUntil.remove(arn);
        if (noContextUntil.isEmpty()) noContextUntil.clear(); // an emptied map still holds an entry in the heap backend
    }

    private void emit(InvocationCall call, SessionContext session, boolean sessionMissing, ReadOnlyContext ctx,
                      Collector<AttributedCall> out) throws Exception {
        AttributedCall a = new AttributedCall();
        a.call = call;
        a.principal = Principals.canonical(call.identityArn);
        ReadOnlyBroadcastState<String, List<TagChange>> changes = ctx.getBroadcastState(PRINCIPAL_TAGS);
        List<TagChange> history = a.principal == null ? null : changes.get(a.principal);
        Map<String, String> principalTags = PrincipalTagHistory.tagsAt(seed.tagsOf(a.principal), history, call.timestampMillis);
        Map<String, String> sessionTags = session == null ? Map.of() : session.tags;
        a.tags = TagMerge.effective(principalTags, sessionTags);
        Map<String, String> sources = new TreeMap<>();
        principalTags.keySet().forEach(k -> sources.put(k, "principal"));
        sessionTags.keySet().forEach(k -> sources.put(k, "session"));
        a.tagSources = sources;
        boolean principalKnown = (a.principal != null && seed.contains(a.principal)) || history != null;
        Attribution level;
        if (a.tags.isEmpty() && !principalKnown && session == null) level = Attribution.NONE;
        else if (sessionMissing) level = Attribution.PARTIAL;
        else level = Attribution.COMPLETE;
        a.attribution = level.wire;
        if (level == Attribution.PARTIAL) partial.inc();
        String team = TagMerge.team(a.tags, teamKey);
        if (team == null) {
            unattributed.inc();
            team = unattributedTeam;
        }
        a.team = team;

        TrailEvent runtime = call.requestId == null ? null : runtimeEvents.get(call.requestId);
        if (runtime != null) {
            runtimeEvents.remove(call.requestId);
            a.principalPathArn = runtime.sessionIssuerArn != null ? runtime.sessionIssuerArn : runtime.userIdentityArn;
            a.sourceIdentity = runtime.sourceIdentity;
            a.onBehalfOf = runtime.onBehalfOfUserId;
        } else if (call.requestId != null) {
            matched.put(call.requestId, call.timestampMillis);
            ctx.timerService().registerEventTimeTimer(call.timestampMillis + 2 * waitMillis);
        }
        if (session != null) {
            if (a.principalPathArn == null) a.principalPathArn = session.roleArn;
            if (a.sourceIdentity == null) a.sourceIdentity = session.sourceIdentity;
        }
        out.collect(a);
    }

    private static UnmeteredCall unmeteredOf(TrailEvent e) {
        UnmeteredCall u = new UnmeteredCall();
        u.requestId = e.requestId;
        u.eventTimeMillis = e.eventTimeMillis;
        u.principalArn = e.userIdentityArn;
        u.principal = Principals.canonical(e.userIdentityArn);
        u.eventName = e.eventName;
        u.modelId = e.modelId;
        u.region = e.awsRegion;
        u.accountId = e.accountId;
        return u;
    }

    private List<SessionContext> sessionsOf(String arn) throws Exception {
        List<SessionContext> l = sessions.get(arn);
        return l == null ? new ArrayList<>() : l;
    }

    private static String arnOf(InvocationCall c) {
        return c.identityArn == null ? "" : c.identityArn;
    }
}
