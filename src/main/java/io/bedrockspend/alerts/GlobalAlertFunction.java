package io.bedrockspend.alerts;

import io.bedrockspend.spend.Money;
import io.bedrockspend.spend.SpendUpdate;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * Job-wide rules over the {@code team} series, keyed by one constant so one subtask sees every team:
 * <ul>
 *   <li>unattributed share: the unattributed bucket's month-to-date over all teams' (once per month
 *       per crossing, re-armed below threshold − hysteresis);</li>
 *   <li>stale input: no update has advanced {@code completeUpToMillis} (the watermark) for
 *       {@code staleAfter} of processing time, checked by a processing-time timer; resolves when
 *       it advances again.</li>
 * </ul>
 */
public class GlobalAlertFunction extends KeyedProcessFunction<String, SpendUpdate, AlertEvent> {
    private static final long serialVersionUID = 1L;
    /** The one key of this operator. */
    public static final String KEY = "all";

    private final AlertConfig cfg;

    private transient MapState<String, TeamMonth> teams;
    private transient ValueState<Long> currentMonth;
    private transient ValueState<String> shareFiringMonth;
    private transient ValueState<Long> lastWatermark;
    private transient ValueState<Long> lastAdvance;
    private transient ValueState<Long> nextCheck;
    private transient ValueState<String> staleFiring;

    public GlobalAlertFunction(AlertConfig cfg) {
        this.cfg = cfg;
    }

    @Override
    public void open(OpenContext openContext) {
        teams = getRuntimeContext().getMapState(new MapStateDescriptor<>("alert-team-months", Types.STRING, TypeInformation.of(TeamMonth.class)));
        currentMonth = getRuntimeContext().getState(new ValueStateDescriptor<>("alert-current-month", Types.LONG));
        shareFiringMonth = getRuntimeContext().getState(new ValueStateDescriptor<>("alert-share-firing", Types.STRING));
        lastWatermark = getRuntimeContext().getState(new ValueStateDescriptor<>("alert-last-watermark", Types.LONG));
        lastAdvance = getRuntimeContext().getState(new ValueStateDescriptor<>("alert-last-advance", Types.LONG));
        nextCheck = getRuntimeContext().getState(new ValueStateDescriptor<>("alert-stale-next-check", Types.LONG));
        staleFiring = getRuntimeContext().getState(new ValueStateDescriptor<>("alert-stale-firing", Types.STRING));
    }

    @Override
    public void processElement(SpendUpdate u, Context ctx, Collector<AlertEvent> out) throws Exception {
        long proc = ctx.timerService().currentProcessingTime();
        Long wm = lastWatermark.value();
        if (wm == null || u.completeUpToMillis > wm) {
            lastWatermark.update(u.completeUpToMillis);
            lastAdvance.update(proc);
            String firing = staleFiring.value();
            if (firing != null) {
                staleFiring.clear();
                out.collect(stale(firing, u.completeUpToMillis, proc, false));
            }
        }
        if (nextCheck.value() == null) {
            long at = proc + cfg.staleCheckInterval.toMillis();
            ctx.timerService().registerProcessingTimeTimer(at);
            nextCheck.update(at);
        }
        if (SpendUpdate.MONTH.equals(u.period) && cfg.teamDimension.equals(u.dimension)) onTeamMonth(u, out);
    }

    private void onTeamMonth(SpendUpdate u, Collector<AlertEvent> out) throws Exception {
        TeamMonth tm = teams.get(u.key);
        // per team only its newest month counts; a correction of an older month does not move this month's share
        if (tm != null && (u.periodStartMillis < tm.monthStart || (u.periodStartMillis == tm.monthStart && u.version <= tm.version))) return;
        if (tm == null) tm = new TeamMonth();
        tm.monthStart = u.periodStartMillis;
        tm.version = u.version;
        tm.costUsd = u.totals.costUsd;
        teams.put(u.key, tm);

        Long cur = currentMonth.value();
        if (cur == null || u.periodStartMillis > cur) {
            cur = u.periodStartMillis;
            currentMonth.update(cur);
        }
        if (u.periodStartMillis != cur) return;
        BigDecimal total = BigDecimal.ZERO;
        BigDecimal unattributed = BigDecimal.ZERO;
        for (Map.Entry<String, TeamMonth> e : teams.entries()) {
            if (e.getValue().monthStart != cur) continue;
            total = total.add(e.getValue().costUsd);
            if (cfg.unattributedTeam.equals(e.getKey())) unattributed = e.getValue().costUsd;
        }
        String monthId = AlertRules.monthId(cur);
        String firing = shareFiringMonth.value();
        long t = Math.max(u.completeUpToMillis, u.periodStartMillis);
        if (firing != null && !firing.equals(monthId)) {
            // a new month starts from zero: the old month's alert closes, this month is armed afresh
            out.collect(share(firing, null, unattributed, total, t, false, "the month ended"));
            shareFiringMonth.clear();
            firing = null;
        }
        AlertRules.Transition tr = AlertRules.unattributedShare(unattributed, total, cfg.unattributedSharePercent,
                cfg.unattributedHysteresisPercent, cfg.unattributedMinTotalUsd, firing != null);
        if (tr == AlertRules.Transition.FIRE) {
            shareFiringMonth.update(monthId);
            out.collect(share(monthId, cur, unattributed, total, t, true, null));
        } else if (tr == AlertRules.Transition.RESOLVE) {
            shareFiringMonth.clear();
            out.collect(share(monthId, cur, unattributed, total, t, false, null));
        }
    }

    @Override
    public void onTimer(long ts, OnTimerContext ctx, Collector<AlertEvent> out) throws Exception {
        long proc = ctx.timerService().currentProcessingTime();
        Long last = lastAdvance.value();
        if (last != null && staleFiring.value() == null && AlertRules.stale(last, proc, cfg.staleAfter.toMillis())) {
            Long wm = lastWatermark.value();
            String period = wm == null || wm <= 0 ? "never" : Instant.ofEpochMilli(wm).toString();
            staleFiring.update(period);
            out.collect(stale(period, wm == null ? Long.MIN_VALUE : wm, proc, true));
        }
        long at = proc + cfg.staleCheckInterval.toMillis();
        ctx.timerService().registerProcessingTimeTimer(at);
        nextCheck.update(at);
    }

    private AlertEvent share(String monthId, Long month, BigDecimal unattributed, BigDecimal total, long t, boolean fire, String why) {
        AlertEvent a = new AlertEvent();
        a.rule = AlertRules.UNATTRIBUTED;
        a.severity = AlertEvent.WARNING;
        a.dimension = cfg.teamDimension;
        a.key = cfg.unattributedTeam;
        a.period = monthId;
        a.alertId = AlertRules.alertId(a.rule, a.dimension, a.key, monthId, null);
        a.state = fire ? AlertEvent.FIRING : AlertEvent.RESOLVED;
        a.firedAtEventTime = t;
        BigDecimal pct = total.signum() == 0 ? BigDecimal.ZERO : AlertRules.percent(unattributed, total);
        a.figures.put("unattributedUsd", Money.format(unattributed));
        a.figures.put("totalUsd", Money.format(total));
        a.figures.put("percent", AlertRules.plain(pct));
        a.figures.put("thresholdPercent", AlertRules.plain(cfg.unattributedSharePercent));
        String name = month == null ? monthId : AlertRules.monthName(month);
        if (why != null) {
            a.message = "unattributed share alert for " + monthId + " closed: " + why;
        } else if (fire) {
            a.message = pct.toPlainString() + " % of " + name + "'s Bedrock spend (" + AlertRules.usd(unattributed) + " of "
                    + AlertRules.usd(total) + ") has no team tag, above the " + AlertRules.plain(cfg.unattributedSharePercent) + " % threshold";
        } else {
            a.message = "unattributed spend is back to " + pct.toPlainString() + " % of " + name + "'s Bedrock spend ("
                    + AlertRules.usd(unattributed) + " of " + AlertRules.usd(total) + ")";
        }
        return a;
    }

    private AlertEvent stale(String period, long watermark, long proc, boolean fire) {
        AlertEvent a = new AlertEvent();
        a.rule = AlertRules.STALE;
        a.severity = AlertEvent.CRITICAL;
        a.period = period;
        a.alertId = AlertRules.alertId(a.rule, null, null, period, null);
        a.state = fire ? AlertEvent.FIRING : AlertEvent.RESOLVED;
        // nothing advances in event time while input is stale: this one is stamped in processing time
        a.firedAtEventTime = proc;
        String upTo = watermark <= 0 ? "nothing yet" : Instant.ofEpochMilli(watermark).toString();
        a.figures.put("completeUpTo", upTo);
        a.figures.put("staleAfterSeconds", Long.toString(cfg.staleAfter.toSeconds()));
        a.message = fire
                ? "spend input is stale: no update has advanced the data for " + cfg.staleAfter.toMinutes()
                    + " min; figures are complete only up to " + upTo
                : "spend input is flowing again: data complete up to " + upTo;
        return a;
    }
}
