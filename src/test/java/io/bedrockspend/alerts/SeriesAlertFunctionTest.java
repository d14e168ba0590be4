package io.bedrockspend.alerts;

import io.bedrockspend.spend.SpendTotals;
import io.bedrockspend.spend.SpendUpdate;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.util.KeyedBroadcastOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SeriesAlertFunctionTest {
    static final long OCT = Instant.parse("2026-10-01T00:00:00Z").toEpochMilli();
    static final long NOV = Instant.parse("2026-11-01T00:00:00Z").toEpochMilli();
    static final long MIN = 60_000L;
    static final long HOUR = 3_600_000L;
    static final String BUDGETS = "{\"teams\": {\"search\": {\"monthlyUsd\": \"1000.00\", \"channel\": \"search-alerts\"}},"
            + " \"costCenters\": {\"CC-7\": {\"monthlyUsd\": \"100\", \"levels\": [100]}}}";

    KeyedBroadcastOperatorTestHarness<String, SpendUpdate, BudgetsUpdate, AlertEvent> h;
    long version;

    static SpendUpdate update(String dim, String key, String period, long start, String cost, long version, long completeUpTo) {
        SpendUpdate u = new SpendUpdate();
        u.dimension = dim;
        u.key = key;
        u.period = period;
        u.periodStartMillis = start;
        u.totals = new SpendTotals();
        u.totals.costUsd = new BigDecimal(cost);
        u.version = version;
        u.completeUpToMillis = completeUpTo;
        return u;
    }

    /** A month-to-date update of team search, next version, input complete up to {@code at}. */
    void month(String cost, long at) throws Exception {
        month("team", "search", SpendTotalsMonth.of(at), cost, at);
    }

    void month(String dim, String key, long monthStart, String cost, long at) throws Exception {
        h.processElement(update(dim, key, SpendUpdate.MONTH, monthStart, cost, ++version, at), at);
    }

    void minute(long start, String cost) throws Exception {
        h.processElement(update("team", "search", SpendUpdate.MINUTE, start, cost, ++version, start + MIN), start + MIN);
    }

    void budgets(String json) throws Exception {
        h.processBroadcastElement(BudgetsUpdate.ok("budgets.json", json, 1L), 0L);
    }

    List<AlertEvent> drain() {
        List<AlertEvent> out = h.extractOutputValues();
        h.getOutput().clear();
        return out;
    }

    static List<String> ids(List<AlertEvent> l) {
        return l.stream().map(a -> a.state + " " + a.alertId).collect(Collectors.toList());
    }

    static final class SpendTotalsMonth {
        static long of(long t) {
            return io.bedrockspend.spend.SpendPeriods.monthStart(t);
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        AlertConfig cfg = new AlertConfig();
        h = ProcessFunctionTestHarnesses.forKeyedBroadcastProcessFunction(new SeriesAlertFunction(cfg),
                u -> u.dimension + "=" + u.key, Types.STRING, SeriesAlertFunction.BUDGETS);
        version = 0;
    }

    @Test
    void firesOncePerCrossingNotPerRecord() throws Exception {
        budgets(BUDGETS);
        long t = OCT + 10 * 24 * HOUR;
        month("100", t);
        month("400", t + MIN);
        assertEquals(List.of(), drain());
        month("500", t + 2 * MIN);
        month("600", t + 3 * MIN);
        month("700", t + 4 * MIN);
        List<AlertEvent> fifty = drain();
        assertEquals(List.of("firing budget:team=search:2026-10:50"), ids(fifty));
        assertEquals("info", fifty.get(0).severity);
        month("812.40", t + 5 * MIN);
        month("813", t + 6 * MIN);
        List<AlertEvent> eighty = drain();
        assertEquals(List.of("firing budget:team=search:2026-10:80"), ids(eighty));
        AlertEvent a = eighty.get(0);
        assertEquals("warning", a.severity);
        assertEquals("team search has spent $812.40 of its $1,000.00 October budget (81 %), past its 80 % alert level", a.message);
        assertEquals("812.4", a.figures.get("spentUsd"));
        assertEquals("1000", a.figures.get("budgetUsd"));
        assertEquals("81.24", a.figures.get("percent"));
        assertEquals("search-alerts", a.channel);
        assertEquals(t + 5 * MIN, a.firedAtEventTime);
        month("1000", t + 7 * MIN);
        List<AlertEvent> over = drain();
        assertEquals(List.of("firing budget:team=search:2026-10:100"), ids(over));
        assertEquals("critical", over.get(0).severity);
    }

    @Test
    void hysteresisReArmsOnlyBelowLevelMinusHysteresis() throws Exception {
        budgets(BUDGETS);
        long t = OCT + HOUR;
        month("810", t);
        assertEquals(List.of("firing budget:team=search:2026-10:50", "firing budget:team=search:2026-10:80"), ids(drain()));
        month("790", t + MIN);   // 79 %: inside the band
        month("805", t + 2 * MIN);
        month("751", t + 3 * MIN);
        assertEquals(List.of(), drain());
        month("749.99", t + 4 * MIN);
        List<AlertEvent> resolved = drain();
        assertEquals(List.of("resolved budget:team=search:2026-10:80"), ids(resolved));
        assertEquals("team search is back below its 80 % alert level: $749.99 of its $1,000.00 October budget (74 %) spent",
                resolved.get(0).message);
        month("800", t + 5 * MIN);
        assertEquals(List.of("firing budget:team=search:2026-10:80"), ids(drain()));
    }

    @Test
    void outOfOrderVersionsAreIgnoredAndLateCorrectionsFireOnce() throws Exception {
        budgets(BUDGETS);
        long t = OCT + HOUR;
        h.processElement(update("team", "search", SpendUpdate.MONTH, OCT, "790", 10, t), t);
        // an older version arriving after a newer one changes nothing
        h.processElement(update("team", "search", SpendUpdate.MONTH, OCT, "100", 7, t), t);
        assertEquals(List.of("firing budget:team=search:2026-10:50"), ids(drain()));
        // late calls correct the month past 80 %: one alert, however many corrections follow
        SpendUpdate late = update("team", "search", SpendUpdate.MONTH, OCT, "801", 11, t);
        late.late = true;
        h.processElement(late, t);
        h.processElement(update("team", "search", SpendUpdate.MONTH, OCT, "802", 12, t), t);
        h.processElement(update("team", "search", SpendUpdate.MONTH, OCT, "803", 13, t), t);
        assertEquals(List.of("firing budget:team=search:2026-10:80"), ids(drain()));
    }

    @Test
    void newMonthIsArmedAfreshAndLastMonthStillTakesCorrections() throws Exception {
        budgets(BUDGETS);
        month("team", "search", OCT, "850", NOV - MIN);
        assertEquals(2, drain().size());
        month("team", "search", NOV, "100", NOV + MIN);
        assertEquals(List.of(), drain());
        month("team", "search", NOV, "520", NOV + 2 * MIN);
        assertEquals(List.of("firing budget:team=search:2026-11:50"), ids(drain()));
        // a late October call after November began still counts against October, once
        month("team", "search", OCT, "1000.01", NOV + 3 * MIN);
        List<AlertEvent> oct = drain();
        assertEquals(List.of("firing budget:team=search:2026-10:100"), ids(oct));
        assertTrue(oct.get(0).message.contains("October budget (100 %): over budget"), oct.get(0).message);
    }

    @Test
    void budgetHotSwapReEvaluatesAtOnce() throws Exception {
        month("600", OCT + HOUR);
        assertEquals(List.of(), drain());   // no budgets yet
        budgets(BUDGETS);
        assertEquals(List.of("firing budget:team=search:2026-10:50"), ids(drain()));
        budgets(BUDGETS.replace("1000.00", "700"));
        List<AlertEvent> lowered = drain();
        assertEquals(List.of("firing budget:team=search:2026-10:80"), ids(lowered));
        assertTrue(lowered.get(0).message.endsWith("(budgets changed)"), lowered.get(0).message);
        budgets(BUDGETS.replace("1000.00", "2000"));
        assertEquals(List.of("resolved budget:team=search:2026-10:50", "resolved budget:team=search:2026-10:80"), ids(drain()));
        // the same text again is not a change
        budgets(BUDGETS.replace("1000.00", "2000"));
        assertEquals(List.of(), drain());
    }

    @Test
    void invalidBudgetsKeepThePreviousOnesAndSaySo() throws Exception {
        budgets(BUDGETS);
        h.processBroadcastElement(BudgetsUpdate.invalid("budgets-new.json", "budgets-new.json: teams.search.monthlyUsd: missing", 5L), 0L);
        List<AlertEvent> out = drain();
        assertEquals(1, out.size());
        assertEquals(AlertRules.BUDGETS_INVALID, out.get(0).rule);
        assertTrue(out.get(0).message.contains("previous budgets stay in force"), out.get(0).message);
        month("500", OCT + HOUR);
        assertEquals(List.of("firing budget:team=search:2026-10:50"), ids(drain()));
    }

    @Test
    void costCenterBudgets() throws Exception {
        budgets(BUDGETS);
        month("costCenter", "CC-7", OCT, "99.99", OCT + HOUR);
        assertEquals(List.of(), drain());
        month("costCenter", "CC-7", OCT, "100", OCT + HOUR);
        List<AlertEvent> out = drain();
        assertEquals(List.of("firing budget:costCenter=CC-7:2026-10:100"), ids(out));
        assertTrue(out.get(0).message.startsWith("cost center CC-7 has spent $100.00 of its $100.00 October budget"), out.get(0).message);
    }

    @Test
    void unpricedModelOncePerModelPerMonth() throws Exception {
        String model = "acme.new-model-v1:0";
        SpendUpdate u = update("model", model, SpendUpdate.MONTH, OCT, "0", 1, OCT + HOUR);
        h.processElement(u, 0);
        u = update("model", model, SpendUpdate.MONTH, OCT, "0", 2, OCT + HOUR);
        u.totals.unpricedCalls = 3;
        h.processElement(u, 0);
        u = update("model", model, SpendUpdate.MONTH, OCT, "0", 3, OCT + HOUR);
        u.totals.unpricedCalls = 9;
        h.processElement(u, 0);
        u = update("model", model, SpendUpdate.MONTH, NOV, "0", 4, NOV + HOUR);
        u.totals.unpricedCalls = 1;
        h.processElement(u, 0);
        List<AlertEvent> out = drain();
        assertEquals(List.of("firing unpriced-model:model=" + model + ":2026-10", "firing unpriced-model:model=" + model + ":2026-11"), ids(out));
        assertEquals("3", out.get(0).figures.get("unpricedCalls"));
    }

    @Test
    void burnRateForecastOncePerDayAndResolves() throws Exception {
        budgets(BUDGETS);
        long t = OCT + 9 * 24 * HOUR;   // 2026-10-10T00:00
        month("500", t - 10 * MIN);
        drain();
        // $10 over the last hour: 500 left / 10 per hour = 50 h -> 2026-10-12T02:00
        for (int i = 0; i < 10; i++) minute(t - 60 * MIN + i * 6 * MIN, "1");
        List<AlertEvent> out = drain();
        assertEquals(List.of("firing burn-rate-forecast:team=search:2026-10"), ids(out));
        // it fires on the first minute already: $1 in the trailing hour runs the remaining $500 out on Oct 30
        AlertEvent f = out.get(0);
        assertEquals("2026-10-30", f.figures.get("forecastDate"));
        minute(t - 6 * MIN, "1");
        assertEquals(List.of(), drain());   // same day: no repeat

        // the next day, still on course: one reminder with the same alertId
        long d2 = t + 24 * HOUR;
        month("740", d2 - MIN);
        drain();
        for (int i = 0; i < 10; i++) minute(d2 - 60 * MIN + i * 6 * MIN, "2");
        // (doubling the rate is also a spend anomaly: only the forecast matters here)
        out = drain().stream().filter(a -> a.rule.equals(AlertRules.FORECAST)).collect(Collectors.toList());
        assertEquals(List.of("firing burn-rate-forecast:team=search:2026-10"), ids(out));
        // spending slows: an hour with one cent puts the forecast beyond the month
        minute(d2 + 2 * HOUR, "0.01");
        out = drain().stream().filter(a -> a.rule.equals(AlertRules.FORECAST)).collect(Collectors.toList());
        assertEquals(List.of("resolved burn-rate-forecast:team=search:2026-10"), ids(out));
    }

    @Test
    void forecastSentence() throws Exception {
        budgets(BUDGETS);
        long t = OCT + 9 * 24 * HOUR;
        month("500", t - 10 * MIN);
        drain();
        minute(t - MIN, "10");
        AlertEvent f = drain().get(0);
        assertEquals("2026-10-12", f.figures.get("forecastDate"));
        assertEquals("at the last hour's rate ($10.00/h) team search exceeds its $1,000.00 October budget on 2026-10-12 ($500.00 spent so far)",
                f.message);
    }

    @Test
    void spendAnomalyAgainstOwnBaseline() throws Exception {
        long t0 = OCT + 5 * 24 * HOUR;
        // 8 hours of $1 an hour (one minute each hour)
        for (int hr = 0; hr < 8; hr++) minute(t0 + hr * HOUR, "1");
        assertEquals(List.of(), drain());
        long t = t0 + 8 * HOUR;
        minute(t, "20");
        List<AlertEvent> out = drain();
        assertEquals(List.of("firing spend-anomaly:team=search:2026-10-06T08"), ids(out));
        assertEquals("team search spent $20.00 in the last hour, 17.5× its trailing hourly mean of $1.14/h", out.get(0).message);
        assertEquals("20", out.get(0).figures.get("rateUsdPerHour"));
        minute(t + MIN, "10");
        assertEquals(List.of(), drain());   // still anomalous: no repeat
        minute(t + 3 * HOUR, "0.5");
        assertEquals(List.of("resolved spend-anomaly:team=search:2026-10-06T08"), ids(drain()));
    }

    @Test
    void newTeamWithoutHistoryIsNotAnAnomaly() throws Exception {
        minute(OCT + HOUR, "500");
        assertEquals(List.of(), drain());
    }
}
