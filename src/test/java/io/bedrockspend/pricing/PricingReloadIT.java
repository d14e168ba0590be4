package io.bedrockspend.pricing;

import io.bedrockspend.PipelineConfig;
import io.bedrockspend.SpendPipeline;
import io.bedrockspend.identity.PrincipalTagSeed;
import io.bedrockspend.ingest.DecodeLimits;
import io.bedrockspend.ingest.JsonRecordFileFormat;
import io.bedrockspend.ingest.RawRecord;
import io.bedrockspend.spend.PricedCall;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A streaming job picks up a new pricing snapshot without a restart: calls before and after the
 * swap are priced by the snapshot in force at their timestamps, and a pricing folder that is briefly
 * unreadable keeps the prices in force.
 */
class PricingReloadIT {
    static final Map<String, PricedCall> OUT = new ConcurrentHashMap<>();
    static final String USER = "arn:aws:iam::111122223333:user/alice";

    @TempDir
    Path dir;

    @Test
    void newSnapshotIsPickedUpMidStream() throws Exception {
        Path pricing = Files.createDirectories(dir.resolve("pricing"));
        Files.copy(Path.of(System.getProperty("user.dir"), "pricing-snapshots", "2026-11-23-reference.json"),
                pricing.resolve("2026-11-23-reference.json"));
        Path in = Files.createDirectories(dir.resolve("in"));

        PipelineConfig cfg = new PipelineConfig();
        cfg.pricingFolder = pricing.toUri().toString();
        cfg.pricingPollInterval = Duration.ofMillis(200);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(1);
        FileSource<RawRecord> src = FileSource.forBulkFileFormat(new JsonRecordFileFormat(DecodeLimits.defaults()).withFileOrigins(),
                new org.apache.flink.core.fs.Path(in.toUri())).monitorContinuously(Duration.ofMillis(200)).build();
        var raw = env.fromSource(src, WatermarkStrategy.noWatermarks(), "files", TypeInformation.of(RawRecord.class));
        SpendPipeline.Outputs o = SpendPipeline.define(raw, cfg, new PrincipalTagSeed(Map.of(USER, Map.of("team", "search"))),
                PriceBook.load(pricing), DecodeLimits.defaults());
        o.calls().sinkTo(new Collect());
        JobClient job = env.executeAsync("pricing-reload");
        try {
            // before the swap: the reference seed, Nova Micro 0.035 in / 0.14 out per 1M:
            // 1000 × 0.035 + 1000 × 0.14 = 175 µ$
            put(in, "c1", "2026-10-01T10:00:00Z");
            PricedCall c1 = await("c1");
            assertEquals("2026-11-23-reference", c1.cost.snapshotId);
            assertEquals(0, new BigDecimal("0.000175").compareTo(c1.cost.total));

            // a new snapshot, in force from 2026-10-02: 0.05 in / 0.20 out
            Files.writeString(pricing.resolve("2026-10-02-cut.json"), NEW_SNAPSHOT);
            awaitReload(in);

            put(in, "c2", "2026-10-03T10:00:00Z");
            put(in, "c3", "2026-10-01T12:00:00Z");
            PricedCall c2 = await("c2");
            PricedCall c3 = await("c3");
            assertEquals("2026-10-02-cut", c2.cost.snapshotId);
            assertEquals(0, new BigDecimal("0.00025").compareTo(c2.cost.total), "1000 × 0.05 + 1000 × 0.20 = 250 µ$");
            assertEquals("2026-11-23-reference", c3.cost.snapshotId, "a call before the new snapshot's date keeps the old price");
            assertEquals(0, new BigDecimal("0.000175").compareTo(c3.cost.total));

            // the pricing folder disappears for a while: the prices in force stay
            Path away = dir.resolve("pricing-away");
            Files.move(pricing, away);
            Thread.sleep(1000);
            put(in, "c4", "2026-10-04T10:00:00Z");
            PricedCall c4 = await("c4");
            assertEquals("2026-10-02-cut", c4.cost.snapshotId);
            assertEquals(0, new BigDecimal("0.00025").compareTo(c4.cost.total));
            Files.move(away, pricing);
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
        }
    }

    static final String NEW_SNAPSHOT = """
            {"formatVersion":1,"snapshotId":"2026-10-02-cut","effectiveFrom":"2026-10-02","publishedAt":"2026-10-01",
             "source":"test","entries":[
              {"model":"amazon.nova-micro-v1:0","routingClass":"regional","regionScope":"us","tier":"standard",
               "contextBand":"standard","ratesPerMillionTokens":{"input":"0.05","output":"0.20"},"source":["test"]}]}
            """;

    /** Probe calls dated after the new snapshot until one is priced by it: the reload has reached the job. */
    void awaitReload(Path in) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        for (int i = 0; System.currentTimeMillis() < deadline; i++) {
            String id = "probe-" + i;
            put(in, id, "2026-10-05T00:00:00Z");
            PricedCall p = await(id);
            if ("2026-10-02-cut".equals(p.cost.snapshotId)) return;
            Thread.sleep(200);
        }
        fail("the new snapshot was not picked up");
    }

    void put(Path in, String id, String ts) throws Exception {
        String rec = "{\"timestamp\":\"" + ts + "\",\"accountId\":\"111122223333\",\"identity\":{\"arn\":\"" + USER + "\"},"
                + "\"region\":\"us-east-1\",\"requestId\":\"" + id + "\",\"operation\":\"Converse\",\"modelId\":\"amazon.nova-micro-v1:0\","
                + "\"input\":{\"inputTokenCount\":1000},\"output\":{\"outputTokenCount\":1000},"
                + "\"schemaType\":\"ModelInvocationLog\",\"schemaVersion\":\"1.0\"}\n";
        Path tmp = in.resolve("." + id + ".tmp");
        Files.writeString(tmp, rec);
        Files.move(tmp, in.resolve(id + ".jsonl")); // appear whole: the source must not see a half-written file
    }

    static PricedCall await(String id) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            PricedCall c = OUT.get(id);
            if (c != null) return c;
            Thread.sleep(50);
        }
        fail("call " + id + " was not priced in time");
        return null;
    }

    static final class Collect implements Sink<PricedCall> {
        @Override
        @SuppressWarnings("deprecation")
        public SinkWriter<PricedCall> createWriter(InitContext c) {
            return writer();
        }

        @Override
        public SinkWriter<PricedCall> createWriter(WriterInitContext c) {
            return writer();
        }

        private static SinkWriter<PricedCall> writer() {
            return new SinkWriter<>() {
                @Override public void write(PricedCall p, Context c) { OUT.put(p.requestId, p); }
                @Override public void flush(boolean endOfInput) {}
                @Override public void close() {}
            };
        }
    }
}
