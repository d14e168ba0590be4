package io.bedrockspend.bench;

import io.bedrockspend.PipelineConfig;
import io.bedrockspend.identity.IdentityInput;
import io.bedrockspend.identity.IdentityJoin;
import io.bedrockspend.identity.PrincipalTagSeed;
import io.bedrockspend.ingest.DedupeOperator;
import io.bedrockspend.ingest.InvocationCall;
import io.bedrockspend.ingest.TrailEvent;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.contrib.streaming.state.EmbeddedRocksDBStateBackend;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.runtime.state.storage.FileSystemCheckpointStorage;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.co.CoBroadcastWithKeyedOperator;
import org.apache.flink.streaming.util.AbstractStreamOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Benchmark command (not a test): the identity join's and de-duplication's state, per live session, per
 * call waiting for its session, per recently matched call and per remembered requestId, as
 * <ul>
 *   <li>checkpoint bytes with the heap backend ({@code hashmap}, full snapshots) and with RocksDB
 *       (full and incremental snapshots: the production default is RocksDB with incremental checkpoints),
 *       written to a file checkpoint store as a job would;</li>
 *   <li>heap bytes with the heap backend (the state objects retained after a full GC). RocksDB keeps its
 *       state off heap, in native memory bounded by Flink's managed memory, so it has no per-entry heap figure.</li>
 * </ul>
 * Then one mixed state (N live sessions and M waiting calls) with its totals. Prints {@code name: value unit}
 * lines. Run with bench/identity-state.
 */
public final class IdentityStateBenchmark {
    private static final long T0 = 1_790_000_000_000L;

    private IdentityStateBenchmark() {}

    enum Kind { SESSION, WAITING, MATCHED, REQUEST_ID }

    enum Backend {
        HASHMAP, ROCKSDB_FULL, ROCKSDB_INCREMENTAL;

        StateBackend create() {
            return switch (this) {
                case HASHMAP -> new HashMapStateBackend();
                case ROCKSDB_FULL -> new EmbeddedRocksDBStateBackend(false);
                case ROCKSDB_INCREMENTAL -> new EmbeddedRocksDBStateBackend(true);
            };
        }

        String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What one measurement found: checkpoint bytes, and retained heap bytes (heap backend only, else -1). */
    record Footprint(long checkpointBytes, long heapBytes) {}

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        int m = args.length > 1 ? Integer.parseInt(args[1]) : n;
        Path dir = Files.createTempDirectory("identity-state");
        try {
            System.out.printf("state_entries_per_measurement: %d entries%n", n);
            for (Kind kind : Kind.values()) {
                for (Backend backend : Backend.values()) {
                    Footprint empty = measure(Map.of(), backend, dir);
                    Footprint full = measure(Map.of(kind, n), backend, dir);
                    String name = kind.name().toLowerCase(java.util.Locale.ROOT);
                    System.out.printf("checkpoint_per_%s_%s: %.0f bytes%n", name, backend.label(),
                            (full.checkpointBytes() - empty.checkpointBytes()) / (double) n);
                    if (backend == Backend.HASHMAP) {
                        System.out.printf("heap_per_%s_hashmap: %.0f bytes%n", name, (full.heapBytes() - empty.heapBytes()) / (double) n);
                    }
                    if (kind == Kind.SESSION && backend == Backend.HASHMAP) {
                        double perSession = (full.checkpointBytes() - empty.checkpointBytes()) / (double) n;
                        System.out.printf("checkpoint_per_live_session_target: %s (<= 1024 bytes, hashmap)%n", perSession <= 1024 ? "met" : "MISSED");
                    }
                }
            }
            for (Backend backend : Backend.values()) {
                Footprint mixed = measure(Map.of(Kind.SESSION, n, Kind.WAITING, m), backend, dir);
                System.out.printf("mixed_checkpoint_%s: %d bytes (%d live sessions + %d waiting calls)%n", backend.label(), mixed.checkpointBytes(), n, m);
                if (backend == Backend.HASHMAP) {
                    System.out.printf("mixed_heap_hashmap: %d bytes (%d live sessions + %d waiting calls)%n", mixed.heapBytes(), n, m);
                }
            }
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
    }

    /** Fills one operator's state with {@code counts} entries of each kind and takes one checkpoint. */
    static Footprint measure(Map<Kind, Integer> counts, Backend backend, Path dir) throws Exception {
        boolean dedupe = counts.containsKey(Kind.REQUEST_ID);
        if (dedupe && counts.size() > 1) throw new IllegalArgumentException("requestIds live in the dedupe operator alone");
        try (AbstractStreamOperatorTestHarness<?> h = dedupe ? dedupeHarness() : joinHarness()) {
            h.setStateBackend(backend.create());
            h.setCheckpointStorage(new FileSystemCheckpointStorage(Files.createTempDirectory(dir, "cp").toUri()));
            h.open();
            long heap0 = backend == Backend.HASHMAP ? usedHeapAfterGc() : -1;
            for (var e : counts.entrySet()) {
                for (int i = 0; i < e.getValue(); i++) add(h, e.getKey(), i);
            }
            long heap1 = backend == Backend.HASHMAP ? usedHeapAfterGc() : -1;
            long bytes = h.snapshot(1L, 1L).getStateSize();
            return new Footprint(bytes, heap1 < 0 ? -1 : heap1 - heap0);
        }
    }

    private static KeyedOneInputStreamOperatorTestHarness<Long, InvocationCall, InvocationCall> dedupeHarness() throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new DedupeOperator(new PipelineConfig().dedupeRetention)),
                (InvocationCall c) -> io.bedrockspend.Keys.hash64(c.requestId), Types.LONG, 1, 1, 0);
    }

    private static KeyedBroadcastOperatorTestHarness<Long, IdentityInput, TrailEvent, ?> joinHarness() throws Exception {
        return new KeyedBroadcastOperatorTestHarness<>(
                new CoBroadcastWithKeyedOperator<>(new IdentityJoin(PrincipalTagSeed.empty(), new PipelineConfig()),
                        List.of(IdentityJoin.PRINCIPAL_TAGS)),
                IdentityInput::key, Types.LONG, 1, 1, 0);
    }

    @SuppressWarnings("unchecked")
    private static void add(AbstractStreamOperatorTestHarness<?> h, Kind kind, int i) throws Exception {
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
                ((KeyedBroadcastOperatorTestHarness<Long, IdentityInput, TrailEvent, ?>) h).processElement(IdentityInput.of(e), T0);
            }
            case WAITING, MATCHED -> {
                InvocationCall c = call(i);
                // a waiting call's session is never started (in the mixed state too: "wait-" sessions are
                // not the "user-" sessions started above), a matched call is an IAM user's, attributed at once
                c.identityArn = kind == Kind.WAITING ? session.replace("/user-", "/wait-") : "arn:aws:iam::111122223333:user/user-" + i;
                ((KeyedBroadcastOperatorTestHarness<Long, IdentityInput, TrailEvent, ?>) h).processElement(IdentityInput.of(c), T0);
            }
            case REQUEST_ID -> {
                InvocationCall c = call(i);
                c.identityArn = "arn:aws:iam::111122223333:user/user-" + i;
                ((KeyedOneInputStreamOperatorTestHarness<Long, InvocationCall, InvocationCall>) h).processElement(c, T0);
            }
        }
    }

    private static InvocationCall call(int i) {
        InvocationCall c = new InvocationCall();
        c.requestId = "6b1f7c2e-3d4a-4e5f-8a9b-" + String.format("%012d", i);
        c.timestampMillis = T0;
        c.accountId = "111122223333";
        c.region = "us-east-1";
        c.operation = "Converse";
        c.modelId = "us.anthropic.claude-haiku-4-5-20251001-v1:0";
        c.inputTokens = 1200;
        c.outputTokens = 300;
        c.origin = "stream/shardId-000000000001";
        c.position = "49650000000000000000000000000000000000000000000000000000";
        return c;
    }

    /** Heap in use after full collections (repeated until it stops shrinking): what the live objects retain. */
    private static long usedHeapAfterGc() throws InterruptedException {
        var mem = ManagementFactory.getMemoryMXBean();
        long last = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            Thread.sleep(20);
            long used = mem.getHeapMemoryUsage().getUsed();
            if (used >= last) return Math.min(used, last);
            last = used;
        }
        return last;
    }
}
