package io.bedrockspend.demo;

import io.bedrockspend.demo.TrafficGenerator.Options;
import io.bedrockspend.ingest.RawRecord;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DemoSourceTest {
    static final Instant START = Instant.parse("2026-03-02T09:00:00Z");

    private static List<RawRecord> run(DemoSource.Generator g, long from, int n) {
        List<RawRecord> out = new ArrayList<>();
        for (long i = from; i < from + n; i++) out.add(g.map(i));
        return out;
    }

    private static Set<String> requestIds(List<RawRecord> records) {
        Set<String> ids = new HashSet<>();
        for (Decoded.Invocation i : Decoded.of(records).invocations) ids.add(i.record().get("requestId").asText());
        return ids;
    }

    @Test
    void subtasksDoNotRepeatEachOther() {
        DemoSource.Generator a = new DemoSource.Generator(1, 100, START, Options.demo());
        DemoSource.Generator b = new DemoSource.Generator(1, 100, START, Options.demo());
        a.open(0, 2);
        b.open(1, 2);
        List<RawRecord> ra = run(a, 0, 2_000);
        List<RawRecord> rb = run(b, 1_000_000, 2_000);
        Set<String> ia = requestIds(ra);
        Set<String> ib = requestIds(rb);
        assertTrue(ia.size() > 300 && ib.size() > 300);
        ia.retainAll(ib);
        assertTrue(ia.isEmpty(), "parallel subtasks share requestIds: " + ia.size());
        assertTrue(ra.get(0).position.startsWith("0-") && rb.get(0).position.startsWith("1-"));
    }

    @Test
    void sameSubtaskSameSeedIsDeterministic() {
        DemoSource.Generator a = new DemoSource.Generator(4, 100, START, Options.demo());
        DemoSource.Generator b = new DemoSource.Generator(4, 100, START, Options.demo());
        a.open(0, 1);
        b.open(0, 1);
        List<RawRecord> ra = run(a, 0, 1_000);
        List<RawRecord> rb = run(b, 0, 1_000);
        for (int i = 0; i < ra.size(); i++) assertArrayEquals(ra.get(i).payload, rb.get(i).payload);
    }

    @Test
    void restartAtAnotherIndexReseeds() {
        DemoSource.Generator a = new DemoSource.Generator(4, 100, START, Options.demo());
        a.open(0, 1);
        Set<String> before = requestIds(run(a, 0, 1_000));
        Set<String> after = requestIds(run(a, 5_000, 1_000)); // as after a restore from a checkpoint
        before.retainAll(after);
        assertTrue(before.isEmpty());
    }

    @Test
    void recordsPerCallConstantMatchesTheTraffic() {
        TrafficGenerator gen = new TrafficGenerator(2, START, 100);
        int calls = 30_000;
        int records = gen.generate(calls).size();
        double ratio = records / (double) calls;
        assertTrue(Math.abs(ratio - DemoSource.RECORDS_PER_CALL) < 0.15 * DemoSource.RECORDS_PER_CALL,
                "measured " + ratio + " records per call");
    }

    @Test
    void boundednessFollowsCount() {
        assertEquals(Boundedness.CONTINUOUS_UNBOUNDED, DemoSource.unbounded(1, 10).getBoundedness());
        assertEquals(Boundedness.BOUNDED, DemoSource.bounded(1, 10, 100).getBoundedness());
        assertEquals(RawRecord.class, DemoSource.unbounded(1, 10).getProducedType().getTypeClass());
    }

    @Test
    void runsOnMiniCluster() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataGeneratorSource<RawRecord> source = DemoSource.create(3, 4_000, 3_000, START, Options.demo());
        List<RawRecord> out = new ArrayList<>();
        try (CloseableIterator<RawRecord> it = env.fromSource(source, WatermarkStrategy.noWatermarks(), "demo-traffic")
                .executeAndCollect("demo-source-test")) {
            it.forEachRemaining(out::add);
        }
        assertEquals(3_000, out.size());
        Set<String> positions = new HashSet<>();
        for (RawRecord r : out) {
            assertTrue(r.origin.equals(TrafficGenerator.ORIGIN_INVOCATIONS) || r.origin.equals(TrafficGenerator.ORIGIN_CLOUDTRAIL));
            assertTrue(r.payload != null && r.payload.length > 0);
            assertTrue(positions.add(r.origin + "/" + r.position), "positions unique per origin across subtasks");
        }
        assertTrue(requestIds(out).size() > 500);
    }
}
