package io.bedrockspend.alerts;

import io.bedrockspend.sinks.SpendMetrics;
import io.bedrockspend.spend.Money;
import io.bedrockspend.spend.SpendPeriods;
import io.bedrockspend.spend.SpendUpdate;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Per-series alert rules, keyed by the spend series ({@code team=search}, {@code costCenter=CC-7},
 * {@code model=...}), with the budgets broadcast to every subtask:
 * <ul>
 *   <li>budget levels per team and cost center per month (fire once per crossing, re-arm below level − hysteresis);</li>
 *   <li>burn-rate forecast per team (trailing window's rate runs the budget out inside the month; at most one notification a day);</li>
 *   <li>spend-rate anomaly per team (last hour vs its own trailing hourly mean);</li>
 *   <li>unpriced-model usage (once per model per month).</li>
 * </ul>
 * Event time comes from the updates themselves: a month update applies to its own month (by
 * {@code periodStartMillis}), versions below the newest are ignored, and "now" is the newest
 * {@code completeUpToMillis} / minute end seen, so out-of-order and late corrections land where
 * they belong. A new budgets file re-evaluates every series at once (a lowered budget fires, a
 * raised one re-arms).
 */
public class SeriesAlertFunction extends KeyedBroadcastProcessFunction<String, SpendUpdate, BudgetsUpdate, AlertEvent> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(SeriesAlertFunction.class);

    /** Broadcast state: the current budgets file's text under {@link #TEXT} and its name under {@link #ORIGIN}. */
    public static final MapStateDescriptor<String, String> BUDGETS =
            new MapStateDescriptor<>("alert-budgets", Types.STRING, Types.STRING);
    static final String TEXT = "text";
    static final String ORIGIN = "origin";
    static final MapStateDescriptor<Long, MonthSeen> MONTHS =
            new MapStateDescriptor<>("alert-months", Types.LONG, TypeInformation.of(MonthSeen.class));

    private final AlertConfig cfg;

    private transient MapState<Long, MonthSeen> months;
    private transient MapState<Long, BigDecimal> minutes;
    private transient ValueState<Long> firstMinute;
    private transient ValueState<Long> now;
    private transient ValueState<String> forecastFiringMonth;
    private transient ValueState<String> forecastNotifiedDay;
    private transient ValueState<String> anomalyFiringHour;

    private transient String parsedText;
    private transient Budgets budgets;
    private transient MetricGroup metrics;
    private transient Map<String, Boolean> budgetGauges;

    public SeriesAlertFunction(AlertConfig cfg) {
        this.cfg = cfg;
    }

    @Override
    public void open(OpenContext openContext) {
        months = getRuntimeContext().getMapState(MONTHS);
        minutes = getRuntimeContext().getMapState(new MapStateDescriptor<>("alert-minute-costs", Types.LONG, Types.BIG_DEC));
        firstMinute = getRuntimeContext().getState(new ValueStateDescriptor<>("alert-first-minute", Types.LONG));
        now = getRuntimeContext().getState(new ValueStateDescriptor<>("alert-now", Types.LONG));
        forecastFiringMonth = getRuntimeContext().getState(new ValueStateDescriptor<>("alert-forecast-firing", Types.STRING));
        forecastNotifiedDay = getRuntimeContext().getState(new ValueStateDescriptor<>("alert-forecast-day", Types.STRING));
        anomalyFiringHour = getRuntimeContext().getState(new ValueStateDescriptor<>("alert-anomaly-firing", Types.STRING));
        budgets = Budgets.NONE;
        budgetGauges = new HashMap<>();
        // the budget gauges are registered once (subtask 0), not once per subtask
        if (getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0) {
            metrics = getRuntimeContext().getMetricGroup().addGroup(SpendMetrics.GROUP);
        }
    }

    // ---------------------------------------------------------------- spend updates

    @Override
    public void processElement(SpendUpdate u, ReadOnlyContext ctx, Collector<AlertEvent> out) throws Exception {
        Budgets b = budgets(ctx.getBroadcastState(BUDGETS));
        boolean minute = SpendUpdate.MINUTE.equals(u.period);
        long t = Math.max(u.completeUpToMillis, minute ? u.periodStartMillis + SpendPeriods.MINUTE_MILLIS : u.periodStartMillis);
        Long prev = now.value();
        long nowTs = prev == null ? t : Math.max(prev, t);
        now.update(nowTs);

        if (SpendUpdate.MONTH.equals(u.period)) {
            onMonth(u, b, t, out);
        } else if (minute && cfg.teamDimension.equals(u.dimension)) {
            onTeamMinute(u, b, nowTs, out);
        }
    }

    private void onMonth(SpendUpdate u, Budgets b, long t, Collector<AlertEvent> out) throws Exception {
        long month = u.periodStartMillis;
        long keepFrom = keepFrom(now.value());
        // a correction of a month older than the previous one is not alerted on (its state is gone)
        if (month < keepFrom) return;
        MonthSeen m = months.get(month);
        if (m == null) m = new MonthSeen();
        if (u.version <= m.version) return;
        m.version = u.version;
        m.costUsd = u.totals.costUsd;
        m.unpricedCalls = u.totals.unpricedCalls;

        if (cfg.modelDimension.equals(u.dimension)) {
            if (m.unpricedCalls > 0 && !m.unpricedFired) {
                m.unpricedFired = true;
                out.collect(unpriced(u.key, month, m, t, b));
            }
        } else {
            budgetLevels(u.dimension, u.key, month, m, b, t, null, out);
        }
        months.put(month, m);
        List<Long> old = new ArrayList<>();
        for (Long k : months.keys()) if (k < keepFrom) old.add(k);
        for (Long k : old) months.remove(k);
    }

    /** The current and the previous month are kept: late corrections of last month still alert. */
    private static long keepFrom(long nowTs) {
        return SpendPeriods.monthStart(SpendPeriods.monthStart(nowTs) - 1);
    }

    private void budgetLevels(String dim, String key, long month, MonthSeen m, Budgets b, long t, String why,
                              Collector<AlertEvent> out) {
        Budgets.Budget budget = b.lookup(cfg, dim, key);
        List<BigDecimal> firing = levels(m.firingLevels);
        Map<BigDecimal, AlertRules.Transition> changes = AlertRules.thresholds(m.costUsd,
                budget == null ? null : budget.monthlyUsd(), budget == null ? List.of() : budget.levels(),
                b.hysteresisPercent, firing);
        if (changes.isEmpty()) return;
        for (Map.Entry<BigDecimal, AlertRules.Transition> c : changes.entrySet()) {
            BigDecimal level = c.getKey();
            boolean fire = c.getValue() == AlertRules.Transition.FIRE;
            if (fire) firing.add(level);
            else firing.removeIf(f -> f.compareTo(level) == 0);
            out.collect(budgetAlert(dim, key, month, m.costUsd, budget, level, fire, t, b, why));
        }
        firing.sort(null);
        StringBuilder s = new StringBuilder();
        for (BigDecimal f : firing) s.append(s.length() == 0 ? "" : ",").append(AlertRules.plain(f));
        m.firingLevels = s.toString();
    }

    private static List<BigDecimal> levels(String csv) {
        List<BigDecimal> l = new ArrayList<>();
        if (csv != null && !csv.isEmpty()) for (String s : csv.split(",")) l.add(new BigDecimal(s));
        return l;
    }

    private void onTeamMinute(SpendUpdate u, Budgets b, long nowTs, Collector<AlertEvent> out) throws Exception {
        minutes.put(u.periodStartMillis, u.totals.costUsd);
        Long first = firstMinute.value();
        if (first == null || u.periodStartMillis < first) firstMinute.update(u.periodStartMillis);
        long hour = AlertRules.HOUR_MILLIS;
        long baseline = cfg.anomalyBaseline.toMillis();
        Map<Long, BigDecimal> mins = new HashMap<>();
        List<Long> old = new ArrayList<>();
        for (Map.Entry<Long, BigDecimal> e : minutes.entries()) {
            if (e.getKey() < nowTs - hour - baseline) old.add(e.getKey());
            else mins.put(e.getKey(), e.getValue());
        }
        for (Long k : old) minutes.remove(k);
        forecast(u.key, mins, b, nowTs, out);
        anomaly(u.key, mins, nowTs, b, out);
    }

    private void forecast(String team, Map<Long, BigDecimal> mins, Budgets b, long nowTs, Collector<AlertEvent> out) throws Exception {
        long window = cfg.burnRateWindow.toMillis();
        BigDecimal rate = AlertRules.sum(mins, nowTs - window, nowTs)
                .multiply(BigDecimal.valueOf(AlertRules.HOUR_MILLIS)).divide(BigDecimal.valueOf(window), java.math.MathContext.DECIMAL64);
        long month = SpendPeriods.monthStart(nowTs);
        MonthSeen m = months.get(month);
        BigDecimal spent = m == null ? BigDecimal.ZERO : m.costUsd;
        Budgets.Budget budget = b.teams.get(team);
        String firing = forecastFiringMonth.value();
        String monthId = AlertRules.monthId(month);
        if (firing != null && !firing.equals(monthId)) {
            out.collect(forecastAlert(team, firing, null, spent, budget, rate, null, nowTs, b, "the month ended"));
            firing = null;
        }
        Long exhaustion = budget == null ? null : AlertRules.exhaustionTime(spent, budget.monthlyUsd(), rate, nowTs);
        if (AlertRules.exhaustsThisMonth(exhaustion, nowTs)) {
            String day = AlertRules.dayId(nowTs);
            if (!day.equals(forecastNotifiedDay.value())) {
                out.collect(forecastAlert(team, monthId, month, spent, budget, rate, exhaustion, nowTs, b, null));
                forecastNotifiedDay.update(day);
                firing = monthId;
            }
        } else if (firing != null) {
            out.collect(forecastAlert(team, firing, month, spent, budget, rate, exhaustion, nowTs, b,
                    budget == null ? "the budget was removed" : null));
            firing = null;
        }
        if (firing == null) forecastFiringMonth.clear();
        else forecastFiringMonth.update(firing);
    }

    private void anomaly(String team, Map<Long, BigDecimal> mins, long nowTs, Budgets b, Collector<AlertEvent> out) throws Exception {
        long hour = AlertRules.HOUR_MILLIS;
        long lastHourFrom = nowTs - hour;
        long baseFrom = Math.max(lastHourFrom - cfg.anomalyBaseline.toMillis(), firstMinute.value());
        long baseMillis = lastHourFrom - baseFrom;
        String firing = anomalyFiringHour.value();
        // no verdict without enough history of the team's own: a new team is not an anomaly
        if (baseMillis < Math.max(hour, cfg.anomalyMinHistory.toMillis())) return;
        BigDecimal rate = AlertRules.sum(mins, lastHourFrom, nowTs);
        BigDecimal mean = AlertRules.hourlyMean(AlertRules.sum(mins, baseFrom, lastHourFrom), baseMillis);
        AlertRules.Transition t = AlertRules.anomaly(rate, mean, cfg.anomalyFactor, cfg.anomalyMinUsdPerHour,
                cfg.anomalyResolveFraction, firing != null);
        if (t == AlertRules.Transition.FIRE) {
            String h = AlertRules.hourId(nowTs);
            anomalyFiringHour.update(h);
            out.collect(anomalyAlert(team, h, rate, mean, nowTs, true, b));
        } else if (t == AlertRules.Transition.RESOLVE) {
            anomalyFiringHour.clear();
            out.collect(anomalyAlert(team, firing, rate, mean, nowTs, false, b));
        }
    }

    // ---------------------------------------------------------------- budgets

    @Override
    public void processBroadcastElement(BudgetsUpdate u, Context ctx, Collector<AlertEvent> out) throws Exception {
        boolean first = getRuntimeContext().getTaskInfo().getIndexOfThisSubtask() == 0;
        Budgets parsed = null;
        String error = u.error;
        if (error == null) {
            try {
                parsed = Budgets.parse(u.text, u.origin);
            } catch (Budgets.InvalidBudgetsException e) {
                error = e.getMessage();
            }
        }
        if (error != null) {
            // keep the budgets in force; say so once (subtask 0), in the log and as an alert
            if (first) {
                LOG.warn("budgets file {} is invalid, previous budgets stay in force: {}", u.origin, error);
                out.collect(invalidBudgets(u, error, ctx.currentWatermark()));
            }
            return;
        }
        if (u.text.equals(ctx.getBroadcastState(BUDGETS).get(TEXT))) return;
        ctx.getBroadcastState(BUDGETS).put(TEXT, u.text);
        ctx.getBroadcastState(BUDGETS).put(ORIGIN, u.origin);
        parsedText = u.text;
        budgets = parsed;
        registerGauges(parsed);
        final Budgets b = parsed;
        ctx.applyToKeyedState(MONTHS, (seriesKey, state) -> {
            String[] dk = seriesKey.split("=", 2);
            if (dk.length != 2 || cfg.modelDimension.equals(dk[0])) return;
            Long nowTs = now.value();
            List<Map.Entry<Long, MonthSeen>> entries = new ArrayList<>();
            for (Map.Entry<Long, MonthSeen> e : state.entries()) entries.add(Map.entry(e.getKey(), e.getValue()));
            for (Map.Entry<Long, MonthSeen> e : entries) {
                MonthSeen m = e.getValue();
                String before = m.firingLevels;
                budgetLevels(dk[0], dk[1], e.getKey(), m, b, nowTs == null ? e.getKey() : nowTs, "budgets changed", out);
                if (!before.equals(m.firingLevels)) state.put(e.getKey(), m);
            }
        });
    }

    private Budgets budgets(ReadOnlyBroadcastState<String, String> state) throws Exception {
        String text = state.get(TEXT);
        if (text == null) return Budgets.NONE;
        if (!text.equals(parsedText)) {
            // after a restore the broadcast state holds text that validated when it was stored
            budgets = Budgets.parse(text, state.get(ORIGIN));
            parsedText = text;
            registerGauges(budgets);
        }
        return budgets;
    }

    /** What a gauge reports when it has no value: not a number, so dashboards show a gap rather than $0. */
    private static final Number NO_VALUE = Double.NaN;

    private void registerGauges(Budgets b) {
        if (metrics == null) return;
        for (String team : b.teams.keySet()) {
            if (budgetGauges.putIfAbsent(team, Boolean.TRUE) != null) continue;
            // the exact decimal goes to the reporter; a team removed from the file reports no number
            // (NaN in Prometheus): "no budget", never $0
            metrics.addGroup("team", team).<Number, org.apache.flink.metrics.Gauge<Number>>gauge("budget_usd", () -> {
                Budgets.Budget x = budgets.teams.get(team);
                return x == null ? NO_VALUE : x.monthlyUsd();
            });
        }
    }

    // ---------------------------------------------------------------- alert events

    private String what(String dim, String key) {
        if (cfg.teamDimension.equals(dim)) return "team " + key;
        if (cfg.costCenterDimension.equals(dim)) return "cost center " + key;
        return dim + " " + key;
    }

    private String channel(String dim, String key, Budgets b) {
        Budgets.Budget x = b.lookup(cfg, dim, key);
        return x != null && x.channel() != null ? x.channel() : b.defaultChannel;
    }

    private AlertEvent budgetAlert(String dim, String key, long month, BigDecimal spent, Budgets.Budget budget, BigDecimal level,
                                   boolean fire, long t, Budgets b, String why) {
        String lv = AlertRules.plain(level);
        // a resolution carries its level's severity, so a receiver can match it to what fired
        AlertEvent a = base(AlertRules.BUDGET, AlertRules.severityOfLevel(level), dim, key,
                AlertRules.monthId(month), lv, fire, t, channel(dim, key, b));
        a.figures.put("spentUsd", Money.format(spent));
        a.figures.put("level", lv);
        String monthName = AlertRules.monthName(month);
        if (budget == null) {
            a.message = "the " + monthName + " budget of " + what(dim, key) + " was removed from the budgets file; its "
                    + lv + " % alert is resolved (" + AlertRules.usd(spent) + " spent)";
            return a;
        }
        BigDecimal pct = AlertRules.percent(spent, budget.monthlyUsd());
        a.figures.put("budgetUsd", Money.format(budget.monthlyUsd()));
        a.figures.put("percent", AlertRules.plain(pct));
        String figures = AlertRules.usd(spent) + " of its " + AlertRules.usd(budget.monthlyUsd()) + " " + monthName
                + " budget (" + AlertRules.wholePercent(spent, budget.monthlyUsd()) + ")";
        if (fire) {
            a.message = what(dim, key) + " has spent " + figures
                    + (level.compareTo(AlertRules.HUNDRED) >= 0 ? ": over budget" : ", past its " + lv + " % alert level")
                    + (why == null ? "" : " (" + why + ")");
        } else {
            a.message = what(dim, key) + " is back below its " + lv + " % alert level: " + figures + " spent"
                    + (why == null ? "" : " (" + why + ")");
        }
        return a;
    }

    private AlertEvent forecastAlert(String team, String monthId, Long month, BigDecimal spent, Budgets.Budget budget,
                                     BigDecimal rate, Long exhaustion, long t, Budgets b, String why) {
        boolean fire = exhaustion != null && why == null && AlertRules.exhaustsThisMonth(exhaustion, t);
        AlertEvent a = base(AlertRules.FORECAST, AlertEvent.WARNING, cfg.teamDimension, team,
                monthId, null, fire, t, channel(cfg.teamDimension, team, b));
        BigDecimal ratePerHour = rate.setScale(Math.max(2, Math.min(rate.scale(), 10)), java.math.RoundingMode.HALF_EVEN);
        a.figures.put("rateUsdPerHour", AlertRules.plain(ratePerHour));
        a.figures.put("spentUsd", Money.format(spent));
        if (budget != null) a.figures.put("budgetUsd", Money.format(budget.monthlyUsd()));
        a.figures.put("day", AlertRules.dayId(t));
        String name = month == null ? monthId : AlertRules.monthName(month);
        if (fire) {
            String date = AlertRules.dayId(exhaustion);
            a.figures.put("forecastDate", date);
            a.figures.put("forecastAt", Instant.ofEpochMilli(exhaustion).toString());
            a.message = "at the last hour's rate (" + AlertRules.usd(rate) + "/h) team " + team + " exceeds its "
                    + AlertRules.usd(budget.monthlyUsd()) + " " + name + " budget on " + date
                    + " (" + AlertRules.usd(spent) + " spent so far)";
        } else {
            a.message = "team " + team + " is no longer forecast to exceed its " + name + " budget this month"
                    + (why == null ? " (last hour's rate " + AlertRules.usd(rate) + "/h, " + AlertRules.usd(spent) + " spent)" : ": " + why);
        }
        return a;
    }

    private AlertEvent anomalyAlert(String team, String hourId, BigDecimal rate, BigDecimal mean, long t, boolean fire, Budgets b) {
        AlertEvent a = base(AlertRules.ANOMALY, AlertEvent.WARNING, cfg.teamDimension, team, hourId, null, fire, t,
                channel(cfg.teamDimension, team, b));
        BigDecimal meanRounded = mean.setScale(6, java.math.RoundingMode.HALF_EVEN);
        a.figures.put("rateUsdPerHour", Money.format(rate));
        a.figures.put("baselineUsdPerHour", AlertRules.plain(meanRounded));
        a.figures.put("factor", AlertRules.plain(cfg.anomalyFactor));
        a.figures.put("floorUsdPerHour", AlertRules.plain(cfg.anomalyMinUsdPerHour));
        String ratio = mean.signum() == 0 ? "no spend" : AlertRules.plain(rate.divide(mean, 1, java.math.RoundingMode.HALF_EVEN)) + "×";
        a.message = fire
                ? "team " + team + " spent " + AlertRules.usd(rate) + " in the last hour, " + ratio + " its trailing hourly mean of "
                    + AlertRules.usd(mean) + "/h"
                : "team " + team + "'s spend rate is back to normal: " + AlertRules.usd(rate) + " in the last hour (trailing mean "
                    + AlertRules.usd(mean) + "/h)";
        return a;
    }

    private AlertEvent unpriced(String model, long month, MonthSeen m, long t, Budgets b) {
        AlertEvent a = base(AlertRules.UNPRICED, AlertEvent.WARNING, cfg.modelDimension, model, AlertRules.monthId(month), null,
                true, t, b.defaultChannel);
        a.figures.put("unpricedCalls", Long.toString(m.unpricedCalls));
        a.message = "model " + model + " has unpriced calls in " + AlertRules.monthName(month) + " (" + m.unpricedCalls
                + " so far): their spend is not counted until the model has a price in the pricing snapshots";
        return a;
    }

    private AlertEvent invalidBudgets(BudgetsUpdate u, String error, long watermark) {
        AlertEvent a = new AlertEvent();
        a.rule = AlertRules.BUDGETS_INVALID;
        a.severity = AlertEvent.WARNING;
        a.period = u.modifiedMillis > 0 ? Instant.ofEpochMilli(u.modifiedMillis).toString() : null;
        a.alertId = AlertRules.alertId(a.rule, null, null, u.origin + (a.period == null ? "" : "@" + a.period), null);
        a.state = AlertEvent.FIRING;
        a.firedAtEventTime = Math.max(0L, watermark);
        a.figures.put("file", u.origin);
        a.channel = budgets == null ? null : budgets.defaultChannel;
        a.message = "budgets file " + u.origin + " is invalid, the previous budgets stay in force: " + error;
        return a;
    }

    private static AlertEvent base(String rule, String severity, String dim, String key, String period, String level,
                                   boolean fire, long t, String channel) {
        AlertEvent a = new AlertEvent();
        a.rule = rule;
        a.severity = severity;
        a.dimension = dim;
        a.key = key;
        a.period = period;
        a.alertId = AlertRules.alertId(rule, dim, key, period, level);
        a.state = fire ? AlertEvent.FIRING : AlertEvent.RESOLVED;
        a.firedAtEventTime = t;
        a.channel = channel;
        return a;
    }
}
