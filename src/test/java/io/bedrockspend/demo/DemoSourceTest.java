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

    /** A clock for the pacer that moves only when told to. */
    private static final class FakeClock implements java.util.function.LongSupplier {
        long nanos = 1_000_000_000L;

        @Override
        public long getAsLong() {
            return nanos;
        }
    }

    @Test
    void pacerHoldsEachRecordUntilItsEventTimeIsDueOnTheWallClock() {
        FakeClock clock = new FakeClock();
        DemoSource.Pacer pacer = new DemoSource.Pacer(clock);
        assertEquals(0, pacer.waitNanos(), "nothing emitted yet");
        DemoSource.Generator g = new DemoSource.Generator(5, 2, START, Options.demo()).paced(pacer);
        g.open(0, 1);
        g.map(0L); // anchors event time to the wall clock
        long waited = 0;
        for (long i = 1; i < 200; i++) {
            long w = pacer.waitNanos();
            clock.nanos += w; // the reader sleeps exactly as long as asked
            waited += w;
            assertEquals(0, pacer.waitNanos(), "after waiting, the record may go");
            g.map(i);
        }
        // 2 calls/s: the wait the pacer asked for is the event time the generator covered, to the millisecond
        assertTrue(waited > 0);
        clock.nanos += 250_000_000L;
        long before = pacer.waitNanos();
        clock.nanos += 100_000_000L;
        assertEquals(Math.max(0, before - 100_000_000L), pacer.waitNanos(), "waiting shrinks as the wall clock moves");
    }

    @Test
    void pacedDemoDeliversItsCallRateOnTheWallClockAtAnyRate() {
        // a record-count limit cannot do this: records per call is 1.27 at 10 calls/s and 0.54 at 200/s
        for (double rate : new double[] {10, 40, 200}) {
            FakeClock clock = new FakeClock();
            DemoSource.Pacer pacer = new DemoSource.Pacer(clock);
            DemoSource.Generator g = new DemoSource.Generator(6, rate, START, Options.demo()).paced(pacer);
            g.open(0, 1);
            List<RawRecord> out = new ArrayList<>();
            long wallStart = clock.nanos;
            for (long i = 0; i < 6_000; i++) {
                clock.nanos += pacer.waitNanos();
                out.add(g.map(i));
            }
            double seconds = (clock.nanos - wallStart) / 1e9;
            double callsPerSecond = requestIds(out).size() / seconds;
            // calls still in open CloudWatch batches at the end make the measured rate a little low
            assertTrue(Math.abs(callsPerSecond - rate) < 0.1 * rate,
                    "rate " + rate + ": delivered " + callsPerSecond + " calls per wall second");
        }
    }

    @Test
    void aLiveDemoSendsItsBacklogAtOnceThenPacesOnTheWallClock() {
        FakeClock clock = new FakeClock(); // does not move: only the backlog may go out
        DemoSource.Pacer pacer = new DemoSource.Pacer(clock);
        DemoSource.Generator g = DemoSource.Generator.live(8, 40, java.time.Duration.ofMinutes(3), Options.demo()).paced(pacer);
        g.open(0, 1);
        List<RawRecord> backlog = new ArrayList<>();
        long i = 0;
        while (pacer.waitNanos() == 0 && i < 100_000) backlog.add(g.map(i++));
        // 3 minutes at 40 calls/s went out without waiting (calls still in open CloudWatch batches aside)
        int calls = requestIds(backlog).size();
        assertTrue(Math.abs(calls - 7_200) < 0.1 * 7_200, calls + " calls in a 3-minute backlog at 40/s");
        // and then the next record waits for the wall clock: about one call interval, never minutes
        assertTrue(pacer.waitNanos() > 0 && pacer.waitNanos() < 1_000_000_000L, "waits " + pacer.waitNanos() + " ns");
    }

    @Test
    void aRestartedGeneratorStartsANewAnchor() {
        FakeClock clock = new FakeClock();
        DemoSource.Pacer pacer = new DemoSource.Pacer(clock);
        DemoSource.Generator g = new DemoSource.Generator(7, 50, START, Options.demo()).paced(pacer);
        g.open(0, 1);
        for (long i = 0; i < 500; i++) g.map(i); // never waits: the pacer now asks for seconds
        assertTrue(pacer.waitNanos() > 1_000_000_000L);
        g.map(10_000L); // an index jump, as after a restore: a fresh generator, a fresh anchor
        assertEquals(0, pacer.waitNanos());
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
