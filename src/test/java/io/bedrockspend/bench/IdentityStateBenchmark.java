package io.bedrockspend.bench;

import io.bedrockspend.PipelineConfig;
import io.bedrockspend.identity.IdentityInput;
import io.bedrockspend.identity.IdentityJoin;
import io.bedrockspend.identity.PrincipalTagSeed;
import io.bedrockspend.ingest.DedupeOperator;
import io.bedrockspend.ingest.InvocationCall;
import io.bedrockspend.ingest.TrailEvent;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

import java.util.Map;

/**
 * Benchmark command (not a test): checkpoint size of the identity join's state per live session,
 * per waiting call and per recently matched call, and of de-duplication per remembered requestId. Prints {@code name: value unit} lines.
 * Run with bench/identity-state.
 */
public final class IdentityStateBenchmark {
    private static final long T0 = 1_790_000_000_000L;

    private IdentityStateBenchmark() {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 5_000;
        long empty = size(0, Kind.SESSION);
        long sessions = size(n, Kind.SESSION);
        long waiting = size(n, Kind.WAITING);
        long matched = size(n, Kind.MATCHED);
        System.out.printf("identity_state_empty: %d bytes%n", empty);
        System.out.printf("identity_state_per_live_session: %.0f bytes (%d sessions, 4 session tags each)%n", (sessions - empty) / (double) n, n);
        System.out.printf("identity_state_per_waiting_call: %.0f bytes (%d calls waiting for their session)%n", (waiting - empty) / (double) n, n);
        System.out.printf("identity_state_per_matched_call: %.0f bytes (%d request ids kept for 2x the wait)%n", (matched - empty) / (double) n, n);
        long dedupeEmpty = dedupeSize(0);
        long dedupe = dedupeSize(n);
        System.out.printf("dedupe_state_per_request_id: %.0f bytes (%d request ids remembered for the retention)%n", (dedupe - dedupeEmpty) / (double) n, n);
        System.out.printf("checkpoint_per_live_session_target: %s (<= 1024 bytes)%n", (sessions - empty) / (double) n <= 1024 ? "met" : "MISSED");
    }

    /** Checkpoint size of the de-duplication state after n distinct calls (one fingerprint per requestId, with TTL). */
    static long dedupeSize(int n) throws Exception {
        try (var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(
                new DedupeOperator(new PipelineConfig().dedupeRetention), (InvocationCall c) -> io.bedrockspend.Keys.hash64(c.requestId), Types.LONG)) {
            for (int i = 0; i < n; i++) {
                InvocationCall c = new InvocationCall();
                c.requestId = "6b1f7c2e-3d4a-4e5f-8a9b-" + String.format("%012d", i);
                c.timestampMillis = T0;
                c.identityArn = "arn:aws:iam::111122223333:user/user-" + i;
                c.modelId = "us.anthropic.claude-haiku-4-5-20251001-v1:0";
                c.inputTokens = 1200;
                h.processElement(c, T0);
            }
            return h.snapshot(1L, 1L).getStateSize();
        }
    }

    enum Kind { SESSION, WAITING, MATCHED }

    static long size(int n, Kind kind) throws Exception {
        PipelineConfig cfg = new PipelineConfig();
        try (KeyedBroadcastOperatorTestHarness<Long, IdentityInput, TrailEvent, ?> h =
                     ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new IdentityJoin(PrincipalTagSeed.empty(), cfg),
                             IdentityInput::key, Types.LONG, IdentityJoin.PRINCIPAL_TAGS)) {
            for (int i = 0; i < n; i++) {
                String session = "arn:aws:sts::111122223333:assumed-role/llm-gateway/user-" + i + "@example.com";
                switch (kind) {
                    case SESSION -> {
                        TrailEvent e = new TrailEvent();
                        e.kind = TrailEvent.Kind.SESSION_START.name();
                        e.eventId = "0f6a2d8e-8c1b-4b53-9d3e-" + String.format("%012d", i);
                        e.eventName = "AssumeRole";
                        e.eventTimeMillis = T0;
                        e.sessionArn = session;
                        e.roleArn = "arn:aws:iam::111122223333:role/platform/llm-gateway";
                        e.sessionAccessKeyId = "ASIA" + String.format("%016d", i);
                        e.sessionExpiresMillis = T0 + 3_600_000L;
                        e.sessionTags = Map.of("team", "growth", "costCenter", "CC-3300", "user", "user-" + i, "env", "prod");
                        h.processElement(IdentityInput.of(e), T0);
                    }
                    case WAITING, MATCHED -> {
                        InvocationCall c = new InvocationCall();
                        c.requestId = "6b1f7c2e-3d4a-4e5f-8a9b-" + String.format("%012d", i);
                        c.timestampMillis = T0;
                        c.identityArn = kind == Kind.WAITING ? session : "arn:aws:iam::111122223333:user/user-" + i;
                        c.accountId = "111122223333";
                        c.region = "us-east-1";
                        c.operation = "Converse";
                        c.modelId = "us.anthropic.claude-haiku-4-5-20251001-v1:0";
                        c.inputTokens = 1200;
                        c.outputTokens = 300;
                        c.origin = "stream/shardId-000000000001";
                        c.position = "49650000000000000000000000000000000000000000000000000000";
                        h.processElement(IdentityInput.of(c), T0);
                    }
                }
            }
            OperatorSubtaskState s = h.snapshot(1L, 1L);
            return s.getStateSize();
        }
    }
}
