package io.bedrockspend.identity;

import io.bedrockspend.PipelineConfig;
import io.bedrockspend.ingest.InvocationCall;
import io.bedrockspend.ingest.TrailEvent;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The identity join under every arrival order, driven through Flink's keyed broadcast test harness. */
class IdentityJoinTest {
    static final String ACCT = "111122223333";
    static final String ROLE = "arn:aws:iam::" + ACCT + ":role/gateway";
    static final String SESSION = "arn:aws:sts::" + ACCT + ":assumed-role/gateway/alice";
    static final String USER = "arn:aws:iam::" + ACCT + ":user/bob";
    static final long T0 = Instant.parse("2026-10-01T10:00:00Z").toEpochMilli();
    static final long MIN = 60_000L;

    PipelineConfig cfg;
    PrincipalTagSeed seed;
    KeyedBroadcastOperatorTestHarness<Long, IdentityInput, TrailEvent, AttributedCall> h;

    @BeforeEach
    void setUp() throws Exception {
        cfg = new PipelineConfig();
        seed = new PrincipalTagSeed(Map.of(
                ROLE, Map.of("team", "platform", "costCenter", "cc-9"),
                USER, Map.of("team", "search")));
        h = harness();
    }

    KeyedBroadcastOperatorTestHarness<Long, IdentityInput, TrailEvent, AttributedCall> harness() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new IdentityJoin(seed, cfg),
                IdentityInput::key, Types.LONG, IdentityJoin.PRINCIPAL_TAGS);
    }

    static InvocationCall call(String id, String arn, long t) {
        InvocationCall c = new InvocationCall();
        c.requestId = id;
        c.identityArn = arn;
        c.timestampMillis = t;
        c.modelId = "amazon.nova-micro-v1:0";
        c.region = "us-east-1";
        return c;
    }

    static TrailEvent assumeRole(String eventId, long t, long expires, Map<String, String> tags) {
        TrailEvent e = new TrailEvent();
        e.kind = TrailEvent.Kind.SESSION_START.name();
        e.eventId = eventId;
        e.eventName = "AssumeRole";
        e.eventTimeMillis = t;
        e.sessionArn = SESSION;
        e.roleArn = "arn:aws:iam::" + ACCT + ":role/platform/gateway";
        e.sessionExpiresMillis = expires;
        e.sessionTags = tags;
        return e;
    }

    static TrailEvent runtime(String requestId, String arn, long t) {
        TrailEvent e = new TrailEvent();
        e.kind = TrailEvent.Kind.RUNTIME_CALL.name();
        e.eventId = "ev-" + requestId;
        e.eventName = "Converse";
        e.eventTimeMillis = t;
        e.requestId = requestId;
        e.userIdentityArn = arn;
        e.sessionIssuerArn = arn.contains("assumed-role") ? "arn:aws:iam::" + ACCT + ":role/platform/gateway" : null;
        e.onBehalfOfUserId = "idc-user-1";
        e.modelId = "amazon.nova-micro-v1:0";
        return e;
    }

    static TrailEvent iam(String eventId, String name, String roleName, long t, Map<String, String> tags, String removed) {
        TrailEvent e = new TrailEvent();
        e.kind = TrailEvent.Kind.PRINCIPAL_TAGS.name();
        e.eventId = eventId;
        e.eventName = name;
        e.eventTimeMillis = t;
        e.accountId = ACCT;
        e.targetType = "role";
        e.targetName = roleName;
        e.tagsSet = tags;
        e.tagKeysRemoved = removed;
        return e;
    }

    void in(InvocationCall c) throws Exception {
        h.processElement(IdentityInput.of(c), c.timestampMillis);
    }

    void in(TrailEvent e) throws Exception {
        h.processElement(IdentityInput.of(e), e.eventTimeMillis);
    }

    /** Event time advances on both inputs (the operator's watermark is the minimum of the two). */
    void wm(long ts) throws Exception {
        h.processBroadcastWatermark(ts);
        h.processWatermark(ts);
    }

    List<AttributedCall> out() {
        return h.extractOutputValues();
    }

    AttributedCall only() {
        List<AttributedCall> o = out();
        assertEquals(1, o.size(), "calls out: " + o.size());
        return o.get(0);
    }

    @Test
    void stsBeforeCallLeavesAtOnceWithSessionTagsWinning() throws Exception {
        in(assumeRole("sts-1", T0, T0 + 60 * MIN, Map.of("team", "growth", "user", "alice")));
        in(call("c1", SESSION, T0 + MIN));
        AttributedCall a = only();
        assertEquals("growth", a.team);
        assertEquals(Map.of("team", "growth", "user", "alice", "costCenter", "cc-9"), a.tags);
        assertEquals("session", a.tagSources.get("team"));
        assertEquals("principal", a.tagSources.get("costCenter"));
        assertEquals("complete", a.attribution);
        assertEquals(ROLE, a.principal);
        assertEquals("arn:aws:iam::" + ACCT + ":role/platform/gateway", a.principalPathArn);
    }

    @Test
    void stsAfterCallWithinTheWaitReleasesTheCall() throws Exception {
        in(call("c1", SESSION, T0 + MIN));
        wm(T0 + 2 * MIN);
        assertEquals(0, out().size(), "waits for its session");
        in(assumeRole("sts-1", T0, T0 + 60 * MIN, Map.of("team", "growth")));
        AttributedCall a = only();
        assertEquals("growth", a.team);
        assertEquals("complete", a.attribution);
    }

    @Test
    void stsAfterTheWaitExpiredGivesPartialAndNeverASecondCharge() throws Exception {
        in(call("c1", SESSION, T0 + MIN));
        wm(T0 + MIN + cfg.identityWait.toMillis());
        AttributedCall a = only();
        assertEquals("partial", a.attribution);
        assertEquals("platform", a.team, "principal tags still apply");
        in(assumeRole("sts-1", T0, T0 + 60 * MIN, Map.of("team", "growth")));
        assertEquals(1, out().size(), "late context must not emit the call again");
        // once the session is known, its later calls are complete
        in(call("c2", SESSION, T0 + 10 * MIN));
        assertEquals("complete", out().get(1).attribution);
        assertEquals("growth", out().get(1).team);
    }

    @Test
    void laterCallsOfASessionWithNoStsEventDoNotWaitAgain() throws Exception {
        in(call("c1", SESSION, T0));
        wm(T0 + cfg.identityWait.toMillis());
        in(call("c2", SESSION, T0 + 6 * MIN));
        assertEquals(2, out().size(), "second call leaves at once");
        assertEquals("partial", out().get(1).attribution);
    }

    @Test
    void sessionNameReusedWithNewTags() throws Exception {
        in(assumeRole("sts-1", T0, T0 + 15 * MIN, Map.of("team", "growth")));
        in(assumeRole("sts-2", T0 + 20 * MIN, T0 + 35 * MIN, Map.of("team", "checkout")));
        in(call("c1", SESSION, T0 + 5 * MIN));
        in(call("c2", SESSION, T0 + 25 * MIN));
        assertEquals("growth", out().get(0).team);
        assertEquals("checkout", out().get(1).team);
    }

    @Test
    void overlappingReuseChoosesTheNewestSession() throws Exception {
        in(assumeRole("sts-1", T0, T0 + 60 * MIN, Map.of("team", "growth")));
        in(assumeRole("sts-2", T0 + 20 * MIN, T0 + 80 * MIN, Map.of("team", "checkout")));
        in(call("c1", SESSION, T0 + 30 * MIN));
        assertEquals("checkout", only().team);
    }

    @Test
    void accessKeyFromTheRuntimeEventPicksTheExactSession() throws Exception {
        TrailEvent first = assumeRole("sts-1", T0, T0 + 60 * MIN, Map.of("team", "growth"));
        first.sessionAccessKeyId = "ASIAFIRST";
        TrailEvent second = assumeRole("sts-2", T0 + 20 * MIN, T0 + 80 * MIN, Map.of("team", "checkout"));
        second.sessionAccessKeyId = "ASIASECOND";
        in(first);
        in(second);
        TrailEvent rt = runtime("c1", SESSION, T0 + 30 * MIN);
        rt.accessKeyId = "ASIAFIRST"; // still using the first credentials
        in(rt);
        in(call("c1", SESSION, T0 + 30 * MIN));
        assertEquals("growth", only().team);
    }

    @Test
    void roleTagsChangedMidSessionApplyFromTheirTime() throws Exception {
        in(assumeRole("sts-1", T0, T0 + 60 * MIN, Map.of("user", "alice")));
        h.processBroadcastElement(iam("iam-1", "TagRole", "gateway", T0 + 10 * MIN, Map.of("team", "search"), null), T0 + 10 * MIN);
        in(call("before", SESSION, T0 + 5 * MIN));
        in(call("after", SESSION, T0 + 15 * MIN));
        assertEquals("platform", out().get(0).team);
        assertEquals("search", out().get(1).team);
        assertEquals("cc-9", out().get(1).tags.get("costCenter"));
    }

    @Test
    void untagAndDeleteRemoveTags() throws Exception {
        h.processBroadcastElement(iam("iam-1", "UntagRole", "gateway", T0 + 10 * MIN, null, "team"), T0 + 10 * MIN);
        h.processBroadcastElement(iam("iam-2", "DeleteRole", "gateway", T0 + 20 * MIN, null, null), T0 + 20 * MIN);
        in(assumeRole("sts-1", T0, T0 + 60 * MIN, Map.of()));
        in(call("a", SESSION, T0 + 5 * MIN));
        in(call("b", SESSION, T0 + 15 * MIN));
        in(call("c", SESSION, T0 + 25 * MIN));
        assertEquals("platform", out().get(0).team);
        assertEquals(Map.of("costCenter", "cc-9"), out().get(1).tags);
        assertEquals("unattributed", out().get(1).team);
        assertEquals(Map.of(), out().get(2).tags);
    }

    @Test
    void samlAndWebIdentitySessionsCarryPrincipalTags() throws Exception {
        TrailEvent saml = assumeRole("sts-saml", T0, T0 + 12 * 60 * MIN, Map.of("team", "data-science", "CostCenter", "987654"));
        saml.eventName = "AssumeRoleWithSAML";
        in(saml);
        in(call("c1", SESSION, T0 + 60 * MIN));
        AttributedCall a = only();
        assertEquals("data-science", a.team);
        assertEquals("987654", a.tags.get("CostCenter"));
        assertEquals("complete", a.attribution);
    }

    @Test
    void callersSharingAKeyKeepTheirOwnSessions() throws Exception {
        // all inputs on one key, as if two session ARNs had the same 64-bit hash
        h = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new IdentityJoin(seed, cfg),
                i -> 1L, Types.LONG, IdentityJoin.PRINCIPAL_TAGS);
        String other = "arn:aws:sts::" + ACCT + ":assumed-role/gateway/bob";
        in(assumeRole("sts-alice", T0, T0 + 60 * MIN, Map.of("team", "growth")));
        TrailEvent bob = assumeRole("sts-bob", T0, T0 + 60 * MIN, Map.of("team", "checkout"));
        bob.sessionArn = other;
        in(call("b1", other, T0 + MIN));     // waits: bob's session is not known yet
        in(call("a1", SESSION, T0 + MIN));   // alice's is
        assertEquals(1, out().size());
        assertEquals("growth", out().get(0).team);
        in(bob);
        assertEquals("checkout", out().get(1).team);
        assertEquals("b1", out().get(1).call.requestId);
    }

    @Test
    void iamUserIsCompleteWithoutWaiting() throws Exception {
        in(call("c1", USER, T0));
        AttributedCall a = only();
        assertEquals("search", a.team);
        assertEquals("complete", a.attribution);
    }

    @Test
    void unknownPrincipalIsNoneAndUnattributed() throws Exception {
        in(call("c1", "arn:aws:iam::" + ACCT + ":user/stranger", T0));
        AttributedCall a = only();
        assertEquals("none", a.attribution);
        assertEquals("unattributed", a.team);
        assertTrue(a.tags.isEmpty());
    }

    @Test
    void duplicateStsAndIamEventsApplyOnce() throws Exception {
        TrailEvent sts = assumeRole("sts-1", T0, T0 + 60 * MIN, Map.of("team", "growth"));
        in(sts);
        in(sts);
        TrailEvent tag = iam("iam-1", "TagRole", "gateway", T0, Map.of("env", "prod"), null);
        h.processBroadcastElement(tag, T0);
        h.processBroadcastElement(tag, T0);
        in(call("c1", SESSION, T0 + MIN));
        assertEquals("growth", only().team);
        assertEquals("prod", out().get(0).tags.get("env"));
    }

    @Test
    void runtimeEventEnrichesAndUnmatchedOnesAreUnmetered() throws Exception {
        in(runtime("c1", USER, T0));
        in(runtime("ghost", USER, T0));
        in(runtime("ghost", USER, T0)); // redelivered
        in(call("c1", USER, T0));
        assertEquals("idc-user-1", only().onBehalfOf);
        wm(T0 + cfg.identityWait.toMillis());
        var unmetered = h.getSideOutput(IdentityJoin.UNMETERED);
        assertEquals(1, unmetered.size());
        assertEquals("ghost", unmetered.peek().getValue().requestId);
        assertEquals(USER, unmetered.peek().getValue().principal);
    }

    @Test
    void runtimeEventAfterItsCallIsNotUnmetered() throws Exception {
        in(call("c1", USER, T0));
        in(runtime("c1", USER, T0));
        wm(T0 + 3 * cfg.identityWait.toMillis());
        assertNull(h.getSideOutput(IdentityJoin.UNMETERED));
    }

    @Test
    void processingTimeCapFlushesAnIdleStream() throws Exception {
        h.setProcessingTime(0);
        in(call("c1", SESSION, T0));
        h.setProcessingTime(cfg.identityWaitProcessingCap.toMillis());
        assertEquals("partial", only().attribution);
    }

    int stateEntries() {
        var backend = (org.apache.flink.runtime.state.heap.HeapKeyedStateBackend<?>) h.getOperator().getKeyedStateBackend();
        return backend.numKeyValueStateEntries();
    }

    @Test
    void stateIsClearedWhenSessionsExpire() throws Exception {
        in(assumeRole("sts-1", T0, T0 + 60 * MIN, Map.of("team", "growth")));
        in(call("c1", SESSION, T0 + MIN));
        in(call("u1", USER, T0 + MIN));
        assertTrue(stateEntries() > 0);
        wm(T0 + 60 * MIN + cfg.sessionGrace.toMillis() + cfg.noSessionMemory.toMillis() + 1);
        assertEquals(0, stateEntries(), "no state left once sessions expired and waits passed");
    }
}
