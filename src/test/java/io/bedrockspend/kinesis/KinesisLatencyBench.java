package io.bedrockspend.kinesis;

import com.fasterxml.jackson.databind.JsonNode;
import io.bedrockspend.demo.TrafficGenerator;
import io.bedrockspend.identity.PrincipalTagSeed;
import io.bedrockspend.identity.Principals;
import io.bedrockspend.identity.TagMerge;
import io.bedrockspend.ingest.DeadLetter;
import io.bedrockspend.ingest.DecodeSink;
import io.bedrockspend.ingest.InvocationCall;
import io.bedrockspend.ingest.RawRecord;
import io.bedrockspend.ingest.RecordDecoder;
import io.bedrockspend.ingest.TrailEvent;
import io.bedrockspend.pricing.PriceBook;
import io.bedrockspend.run.JobConfig;
import io.bedrockspend.run.SpendJob;
import org.apache.flink.core.execution.JobClient;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * Latency of the production job on kinesis-local: puts invocation-log payloads (gzip CloudWatch Logs,
 * callers with known identity from the principal-tag seed) at a steady rate and measures, per call,
 * the time from its PutRecord to the arrival of the live spend update that first counts it (the
 * team's n-th call ↔ the update with calls = n; arrival = the record's ApproximateArrivalTimestamp
 * on the spend stream). Default job settings, except parallelism 2 and TRIM_HORIZON.
 *
 * <p>Usage: bench/kinesis-latency [callsPerSecond=50] [seconds=30]
 */
public final class KinesisLatencyBench {
    public static void main(String[] args) throws Exception {
        double rate = args.length > 0 ? Double.parseDouble(args[0]) : 50;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        Path out = Files.createTempDirectory("kinesis-latency");
        try (KinesisLocal k = KinesisLocal.start(); KinesisClient kc = Streams.client(k.endpoint())) {
            String prefix = "bench";
            Harness.createStreams(kc, prefix);
            TrafficGenerator gen = new TrafficGenerator(3, Instant.now(), rate,
                    TrafficGenerator.Options.bench(TrafficGenerator.Bodies.NONE));
            PrincipalTagSeed seed = gen.principalTags();
            PriceBook book = PriceBook.load(Harness.pricingDir());
            // default checkpointing/buffer settings; only what the emulator needs
            JobConfig cfg = Harness.config(k, prefix, out, Map.of("checkpoint.interval", "60s", "checkpoint.min-pause", "10s",
                    "state.backend", "rocksdb"));
            JobClient job = JobRunner.start(cfg, new SpendJob.Reference(book, seed), null, UnaryOperator.identity());

            Map<String, List<Long>> putTimes = new ConcurrentHashMap<>();
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            Thread reader = new Thread(() -> readSpend(kc, prefix + "-spend", putTimes, latencies), "spend-reader");
            reader.setDaemon(true);
            reader.start();
            Thread.sleep(3000); // job start-up: not part of the measurement

            RecordDecoder decoder = new RecordDecoder();
            long intervalNanos = (long) (1e9 / rate);
            long next = System.nanoTime();
            long end = next + seconds * 1_000_000_000L;
            int calls = 0;
            while (System.nanoTime() < end) {
                for (RawRecord r : gen.next(1)) {
                    if (!r.origin.contains("invocations")) continue; // identity comes from the seed here
                    List<String> teams = new ArrayList<>();
                    decoder.decode(r, new DecodeSink() {
                        @Override public void call(InvocationCall c) {
                            String t = TagMerge.team(seed.tagsOf(Principals.canonical(c.identityArn)), "team");
                            teams.add(t == null ? "unattributed" : t);
                        }
                        @Override public void trail(TrailEvent e) {}
                        @Override public void deadLetter(DeadLetter d) {}
                        @Override public void skipped(String what) {}
                    });
                    long now = System.currentTimeMillis();
                    for (String t : teams) putTimes.computeIfAbsent(t, x -> Collections.synchronizedList(new ArrayList<>())).add(now);
                    kc.putRecord(b -> b.streamName(prefix + "-invocations").partitionKey(Long.toString(System.nanoTime()))
                            .data(SdkBytes.fromByteArray(r.payload)));
                    calls += teams.size();
                }
                next += intervalNanos;
                long sleep = next - System.nanoTime();
                if (sleep > 0) Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            }
            Thread.sleep(3000);
            job.cancel().get();
            List<Long> l = new ArrayList<>(latencies);
            Collections.sort(l);
            if (l.isEmpty()) throw new IllegalStateException("no spend updates observed");
            System.out.printf("kinesis-latency: %.0f calls/s for %d s, %d calls put, %d spend updates matched%n", rate, seconds, calls, l.size());
            System.out.printf("  put → spend update: p50 %d ms, p90 %d ms, p99 %d ms, max %d ms%n",
                    pct(l, 50), pct(l, 90), pct(l, 99), l.get(l.size() - 1));
        }
    }

    static long pct(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100 * sorted.size()) - 1));
    }

    static void readSpend(KinesisClient kc, String stream, Map<String, List<Long>> putTimes, List<Long> latencies) {
        String shard = kc.listShards(b -> b.streamName(stream)).shards().get(0).shardId();
        String it = kc.getShardIterator(b -> b.streamName(stream).shardId(shard).shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        Map<String, Long> seen = new ConcurrentHashMap<>();
        try {
            while (it != null) {
                String cur = it;
                GetRecordsResponse r = kc.getRecords(b -> b.shardIterator(cur));
                for (Record rec : r.records()) {
                    JsonNode n = Harness.JSON.readTree(rec.data().asByteArray());
                    String team = n.get("team").asText();
                    long calls = n.get("calls").asLong();
                    long prev = seen.getOrDefault(team, 0L);
                    List<Long> puts = putTimes.get(team);
                    // an update may count several new calls at once: each of them is measured
                    for (long i = prev + 1; i <= calls && puts != null && i <= puts.size(); i++) {
                        latencies.add(rec.approximateArrivalTimestamp().toEpochMilli() - puts.get((int) i - 1));
                    }
                    seen.put(team, Math.max(prev, calls));
                }
                it = r.nextShardIterator();
                Thread.sleep(20);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            throw new IllegalStateException("spend reader failed", e);
        }
    }
}
