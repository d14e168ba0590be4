package io.bedrockspend.spend;

import io.bedrockspend.pricing.CallCost;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.util.Collector;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpendAggregatorTest {
    static long t(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    static SpendDelta delta(String iso, String usd) {
        SpendDelta d = new SpendDelta();
        d.dimension = "team";
        d.key = "search";
        d.timestampMillis = t(iso);
        d.costUsd = new BigDecimal(usd);
        d.calls = 1;
        return d;
    }

    static KeyedOneInputStreamOperatorTestHarness<String, SpendDelta, SpendUpdate> harness() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SpendAggregator(Duration.ofHours(2), 13)), SpendDelta::seriesKey, Types.STRING);
        h.open();
        return h;
    }

    static void in(KeyedOneInputStreamOperatorTestHarness<String, SpendDelta, SpendUpdate> h, SpendDelta d) throws Exception {
        h.processElement(new StreamRecord<>(d, d.timestampMillis));
    }

    static List<SpendUpdate> drain(KeyedOneInputStreamOperatorTestHarness<String, SpendDelta, SpendUpdate> h) {
        List<SpendUpdate> l = new ArrayList<>(h.extractOutputValues());
        h.getOutput().clear();
        return l;
    }

    static SpendUpdate find(List<SpendUpdate> l, String period, String startIso) {
        return l.stream().filter(u -> u.period.equals(period) && u.periodStartMillis == t(startIso)).reduce((a, b) -> b).orElseThrow(
                () -> new AssertionError("no " + period + " update for " + startIso + " in " + l.size()));
    }

    @Test
    void minuteAndMonthReportedWhenTheWatermarkPassesTheMinute() throws Exception {
        try (var h = harness()) {
            in(h, delta("2026-10-05T10:00:10Z", "0.0261"));
            in(h, delta("2026-10-05T10:00:50Z", "0.0004"));
            in(h, delta("2026-10-05T10:01:05Z", "0.1"));
            h.processWatermark(t("2026-10-05T10:00:30Z"));
            assertTrue(drain(h).isEmpty(), "minute not complete yet");
            h.processWatermark(t("2026-10-05T10:01:00Z"));
            List<SpendUpdate> u = drain(h);
            assertEquals(0, new BigDecimal("0.0265").compareTo(find(u, "minute", "2026-10-05T10:00:00Z").totals.costUsd));
            assertEquals(0, new BigDecimal("0.1265").compareTo(find(u, "month", "2026-10-01T00:00:00Z").totals.costUsd),
                    "month-to-date includes every call so far");
            h.processWatermark(t("2026-10-05T10:02:00Z"));
            u = drain(h);
            assertEquals(0, new BigDecimal("0.1").compareTo(find(u, "minute", "2026-10-05T10:01:00Z").totals.costUsd));
            assertFalse(u.get(0).late);
        }
    }

    @Test
    void monthToDateIsPushedLiveBeforeTheMinuteCloses() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(
                new SpendAggregator(Duration.ofHours(2), 13, Duration.ofSeconds(1))), SpendDelta::seriesKey, Types.STRING);
        h.open();
        h.setProcessingTime(0);
        in(h, delta("2026-10-05T10:00:10Z", "0.5"));
        in(h, delta("2026-10-05T10:00:20Z", "0.25"));
        assertTrue(drain(h).isEmpty());
        h.setProcessingTime(1000);
        List<SpendUpdate> u = drain(h);
        assertEquals(1, u.size(), "one push per interval, not one per call");
        assertEquals(0, new BigDecimal("0.75").compareTo(find(u, "month", "2026-10-01T00:00:00Z").totals.costUsd));
        h.close();
    }

    @Test
    void monthBoundaryIsUtcCalendarMonth() throws Exception {
        try (var h = harness()) {
            in(h, delta("2026-10-31T23:59:30Z", "1"));
            in(h, delta("2026-11-01T00:00:10Z", "2"));
            h.processWatermark(t("2026-11-01T00:05:00Z"));
            List<SpendUpdate> u = drain(h);
            assertEquals(0, BigDecimal.ONE.compareTo(find(u, "month", "2026-10-01T00:00:00Z").totals.costUsd));
            assertEquals(0, new BigDecimal("2").compareTo(find(u, "month", "2026-11-01T00:00:00Z").totals.costUsd));
        }
    }

    @Test
    void lateCallCorrectsItsMinuteAndMonthAndIsFlagged() throws Exception {
        try (var h = harness()) {
            in(h, delta("2026-10-05T10:00:10Z", "1"));
            h.processWatermark(t("2026-10-05T10:05:00Z"));
            drain(h);
            in(h, delta("2026-10-05T10:00:40Z", "0.5"));
            List<SpendUpdate> u = drain(h);
            SpendUpdate minute = find(u, "minute", "2026-10-05T10:00:00Z");
            assertTrue(minute.late);
            assertEquals(0, new BigDecimal("1.5").compareTo(minute.totals.costUsd));
            assertEquals(2, minute.totals.calls);
            assertEquals(0, new BigDecimal("1.5").compareTo(find(u, "month", "2026-10-01T00:00:00Z").totals.costUsd));
            // a call far older than the minute retention still counts in its month
            in(h, delta("2026-10-02T08:00:00Z", "3"));
            SpendUpdate month = find(drain(h), "month", "2026-10-01T00:00:00Z");
            assertTrue(month.late);
            assertEquals(0, new BigDecimal("4.5").compareTo(month.totals.costUsd));
        }
    }

    @Test
    void totalsSurviveARestartFromACheckpoint() throws Exception {
        OperatorSubtaskState snap;
        try (var h = harness()) {
            in(h, delta("2026-10-05T10:00:10Z", "1.25"));
            h.processWatermark(t("2026-10-05T10:01:00Z"));
            snap = h.snapshot(1L, 1L);
        }
        var h2 = new KeyedOneInputStreamOperatorTestHarness<>(
                new KeyedProcessOperator<>(new SpendAggregator(Duration.ofHours(2), 13)), SpendDelta::seriesKey, Types.STRING);
        h2.initializeState(snap);
        h2.open();
        in(h2, delta("2026-10-05T10:03:00Z", "0.75"));
        h2.processWatermark(t("2026-10-05T10:04:00Z"));
        SpendUpdate month = find(drain(h2), "month", "2026-10-01T00:00:00Z");
        assertEquals(0, new BigDecimal("2.00").compareTo(month.totals.costUsd));
        assertTrue(month.version > 2, "versions continue after restore");
        h2.close();
    }

    @Test
    void batchModeTotalsPerDimensionAreExactSums() throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        env.setParallelism(2);
        List<PricedCall> calls = List.of(
                call("a", "2026-10-31T23:59:59Z", "search", "0.1", "amazon.nova-micro-v1:0"),
                call("b", "2026-11-01T00:00:00Z", "search", "0.2", "amazon.nova-micro-v1:0"),
                call("c", "2026-11-01T01:00:00Z", "growth", "0.3", "anthropic.claude-sonnet-4-5-20250929-v1:0"),
                call("d", "2026-11-01T01:00:30Z", "search", null, "acme.private-model-v1:0"));
        List<String> dims = List.of("team", "model", "tokenKind");
        List<SpendUpdate> out = new ArrayList<>();
        try (var it = env.fromData(calls).returns(TypeInformation.of(PricedCall.class))
                .flatMap((PricedCall c, Collector<SpendDelta> o) -> SpendDeltas.of(c, dims).forEach(o::collect))
                .returns(TypeInformation.of(SpendDelta.class))
                .keyBy(SpendDelta::seriesKey)
                .process(new SpendAggregator(Duration.ofHours(2), 13))
                .executeAndCollect()) {
            it.forEachRemaining(out::add);
        }
        Map<String, SpendUpdate> latest = new HashMap<>();
        out.stream().filter(u -> u.period.equals("month")).sorted(Comparator.comparingLong(u -> u.version))
                .forEach(u -> latest.put(u.dimension + "=" + u.key + "@" + Instant.ofEpochMilli(u.periodStartMillis), u));
        assertEquals(0, new BigDecimal("0.1").compareTo(latest.get("team=search@2026-10-01T00:00:00Z").totals.costUsd));
        SpendUpdate novSearch = latest.get("team=search@2026-11-01T00:00:00Z");
        assertEquals(0, new BigDecimal("0.2").compareTo(novSearch.totals.costUsd));
        assertEquals(2, novSearch.totals.calls);
        assertEquals(1, novSearch.totals.unpricedCalls, "unpriced counted, not summed as $0");
        assertEquals(0, new BigDecimal("0.3").compareTo(latest.get("team=growth@2026-11-01T00:00:00Z").totals.costUsd));
        assertEquals(0, new BigDecimal("0.3").compareTo(latest.get("model=amazon.nova-micro-v1:0@2026-11-01T00:00:00Z").totals.costUsd
                .add(latest.get("model=anthropic.claude-sonnet-4-5-20250929-v1:0@2026-11-01T00:00:00Z").totals.costUsd).subtract(new BigDecimal("0.2"))));
        // token kinds split the cost: input 0.5 share + output 0.5 share per call (see call())
        assertEquals(0, new BigDecimal("0.25").compareTo(latest.get("tokenKind=input@2026-11-01T00:00:00Z").totals.costUsd));
        assertEquals(0, new BigDecimal("0.25").compareTo(latest.get("tokenKind=output@2026-11-01T00:00:00Z").totals.costUsd));
    }

    static PricedCall call(String id, String iso, String team, String usd, String model) {
        PricedCall c = new PricedCall();
        c.requestId = id;
        c.timestampMillis = t(iso);
        c.team = team;
        c.modelId = model;
        c.inputTokens = 100;
        c.outputTokens = 10;
        CallCost k = new CallCost();
        if (usd == null) {
            k.status = CallCost.UNPRICED;
        } else {
            k.status = CallCost.PRICED;
            k.total = new BigDecimal(usd);
            k.input = k.total.divide(BigDecimal.valueOf(2));
            k.output = k.total.subtract(k.input);
            k.cacheRead = BigDecimal.ZERO;
            k.cacheWrite5m = BigDecimal.ZERO;
            k.cacheWrite1h = BigDecimal.ZERO;
            k.baseModelId = model;
            k.routingClass = "regional";
        }
        c.cost = k;
        return c;
    }
}
