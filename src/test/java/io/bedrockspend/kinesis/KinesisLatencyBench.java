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
 * Latency of the production job on kinesis-local, with known identity: the CloudTrail records (STS
 * sessions with their tags, runtime events) are put first; then invocation-log payloads (gzip
 * CloudWatch Logs) at a steady rate. Per call, the time from its PutRecord to the arrival of the
 * first team month-to-date update on the spend stream that counts it (first in, first counted per
 * team; arrival = the record's ApproximateArrivalTimestamp). Default job settings, except
 * parallelism 2 and TRIM_HORIZON.
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

            // calls are matched first-in first-counted over all teams: the k-th call put is measured at the
            // first spend update after which the teams' month-to-date calls sum to at least k
            List<Long> putTimes = Collections.synchronizedList(new ArrayList<>());
            List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
            Thread reader = new Thread(() -> readSpend(kc, prefix + "-spend", putTimes, latencies), "spend-reader");
            reader.setDaemon(true);
            reader.start();
            Thread.sleep(3000); // job start-up: not part of the measurement

            RecordDecoder decoder = new RecordDecoder();
            // Known identity: every session's STS event (and the IAM/CloudTrail context) is on the CloudTrail
            // stream before the calls are put; the calls are then put at a steady rate.
            List<RawRecord> all = gen.generate((int) Math.ceil(rate * seconds));
            List<RawRecord> invocations = new ArrayList<>();
            int trail = 0;
            for (RawRecord r : all) {
                if (r.origin.contains("invocations")) { invocations.add(r); continue; }
                kc.putRecord(b -> b.streamName(prefix + "-cloudtrail").partitionKey(Long.toString(System.nanoTime()))
                        .data(SdkBytes.fromByteArray(r.payload)));
                trail++;
            }
            Thread.sleep(2000); // let the job read the CloudTrail backlog: not part of the measurement
            long intervalNanos = (long) (1e9 / rate);
            long next = System.nanoTime();
            int calls = 0;
            for (RawRecord r : invocations) {
                List<String> ids = new ArrayList<>();
                decoder.decode(r, new DecodeSink() {
                    @Override public void call(InvocationCall c) { ids.add(c.requestId); }
                    @Override public void trail(TrailEvent e) {}
                    @Override public void deadLetter(DeadLetter d) {}
                    @Override public void skipped(String what) {}
                });
                long now = System.currentTimeMillis();
                for (int i = 0; i < ids.size(); i++) putTimes.add(now);
                kc.putRecord(b -> b.streamName(prefix + "-invocations").partitionKey(Long.toString(System.nanoTime()))
                        .data(SdkBytes.fromByteArray(r.payload)));
                calls += ids.size();
                next += intervalNanos * Math.max(1, ids.size());
                long sleep = next - System.nanoTime();
                if (sleep > 0) Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
            }
            System.out.printf("kinesis_latency_trail_records_put_first: %d records%n", trail);
            Thread.sleep(3000);
            job.cancel().get();
            List<Long> l = new ArrayList<>(latencies);
            Collections.sort(l);
            if (l.isEmpty()) throw new IllegalStateException("no spend updates observed");
            System.out.printf("kinesis_latency_rate: %.0f calls/s%n", rate);
            System.out.printf("kinesis_latency_duration: %d s%n", seconds);
            System.out.printf("kinesis_latency_calls_put: %d calls%n", calls);
            System.out.printf("kinesis_latency_spend_updates_matched: %d updates%n", l.size());
            // put -> live spend update
            System.out.printf("kinesis_latency_p50: %d ms%n", pct(l, 50));
            System.out.printf("kinesis_latency_p90: %d ms%n", pct(l, 90));
            System.out.printf("kinesis_latency_p99: %d ms%n", pct(l, 99));
            System.out.printf("kinesis_latency_max: %d ms%n", l.get(l.size() - 1));
        }
    }

    static long pct(List<Long> sorted, double p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100 * sorted.size()) - 1));
    }

    static void readSpend(KinesisClient kc, String stream, List<Long> putTimes, List<Long> latencies) {
        String shard = kc.listShards(b -> b.streamName(stream)).shards().get(0).shardId();
        String it = kc.getShardIterator(b -> b.streamName(stream).shardId(shard).shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
        Map<String, Long> seen = new ConcurrentHashMap<>();
        long counted = 0;
        try {
            while (it != null) {
                String cur = it;
                GetRecordsResponse r = kc.getRecords(b -> b.shardIterator(cur));
                for (Record rec : r.records()) {
                    JsonNode n = Harness.JSON.readTree(rec.data().asByteArray());
                    if (!n.get("dimension").asText().equals("team") || !n.get("period").asText().equals("month")) continue;
                    String team = n.get("key").asText();
                    seen.merge(team, n.get("calls").asLong(), Math::max);
                    long total = seen.values().stream().mapToLong(Long::longValue).sum();
                    // an update may count several new calls at once: each of them is measured
                    for (long i = counted + 1; i <= total && i <= putTimes.size(); i++) {
                        latencies.add(rec.approximateArrivalTimestamp().toEpochMilli() - putTimes.get((int) i - 1));
                    }
                    counted = Math.max(counted, Math.min(total, putTimes.size()));
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
