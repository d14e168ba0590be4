package io.bedrockspend.spend;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Per-series spend in event time: 1-minute buckets and billing-month-to-date (UTC month). A minute
 * is reported when the watermark passes its end, together with its month's running total. A call
 * that arrives after its minute was reported still counts: it updates the minute (while the minute
 * is retained) and the month at once, and the update is flagged {@code late}. Nothing is dropped.
 * Between watermarks, the month-to-date is also pushed every {@code liveInterval} of processing time
 * while calls arrive, so live gauges do not lag by the allowed out-of-orderness.
 */
public class SpendAggregator extends KeyedProcessFunction<String, SpendDelta, SpendUpdate> {
    private final long minuteRetentionMillis;
    private final int monthsRetained;
    private final long liveIntervalMillis;

    private transient MapState<Long, SpendTotals> minutes;
    private transient MapState<Long, SpendTotals> months;
    private transient ValueState<Long> version;
    /** Month touched since the last live push, or null when nothing is pending. */
    private transient ValueState<Long> livePending;

    public SpendAggregator(Duration minuteRetention, int monthsRetained) {
        this(minuteRetention, monthsRetained, Duration.ZERO);
    }

    public SpendAggregator(Duration minuteRetention, int monthsRetained, Duration liveInterval) {
        this.minuteRetentionMillis = minuteRetention.toMillis();
        this.monthsRetained = monthsRetained;
        this.liveIntervalMillis = liveInterval.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        minutes = getRuntimeContext().getMapState(new MapStateDescriptor<>("minute-totals", Long.class, SpendTotals.class));
        months = getRuntimeContext().getMapState(new MapStateDescriptor<>("month-totals", Long.class, SpendTotals.class));
        version = getRuntimeContext().getState(new ValueStateDescriptor<>("series-version", Long.class));
        livePending = getRuntimeContext().getState(new ValueStateDescriptor<>("live-push-pending", Long.class));
    }

    @Override
    public void processElement(SpendDelta d, Context ctx, Collector<SpendUpdate> out) throws Exception {
        long minute = SpendPeriods.minuteStart(d.timestampMillis);
        long month = SpendPeriods.monthStart(d.timestampMillis);
        long wm = ctx.timerService().currentWatermark();
        boolean minuteRetained = minute + SpendPeriods.MINUTE_MILLIS + minuteRetentionMillis > wm;
        SpendTotals mo = months.get(month);
        months.put(month, (mo == null ? new SpendTotals() : mo).plus(d));
        if (minuteRetained) {
            SpendTotals mi = minutes.get(minute);
            minutes.put(minute, (mi == null ? new SpendTotals() : mi).plus(d));
        }
        long minuteEnd = minute + SpendPeriods.MINUTE_MILLIS - 1;
        if (minuteEnd <= wm) {
            // this minute was already reported: correct it (and the month) now
            if (minuteRetained) out.collect(update(d.dimension, d.key, SpendUpdate.MINUTE, minute, minutes.get(minute), true, wm));
            out.collect(update(d.dimension, d.key, SpendUpdate.MONTH, month, months.get(month), true, wm));
            if (minuteRetained) ctx.timerService().registerEventTimeTimer(minute + SpendPeriods.MINUTE_MILLIS + minuteRetentionMillis);
        } else {
            ctx.timerService().registerEventTimeTimer(minuteEnd);
            if (liveIntervalMillis > 0) {
                if (livePending.value() == null) {
                    ctx.timerService().registerProcessingTimeTimer(ctx.timerService().currentProcessingTime() + liveIntervalMillis);
                }
                livePending.update(Math.max(month, livePending.value() == null ? month : livePending.value()));
            }
        }
    }

    @Override
    public void onTimer(long ts, OnTimerContext ctx, Collector<SpendUpdate> out) throws Exception {
        String[] dk = ctx.getCurrentKey().split("=", 2);
        if (ctx.timeDomain() == org.apache.flink.streaming.api.TimeDomain.PROCESSING_TIME) {
            Long month = livePending.value();
            livePending.clear();
            SpendTotals t = month == null ? null : months.get(month);
            if (t != null) out.collect(update(dk[0], dk[1], SpendUpdate.MONTH, month, t, false, ctx.timerService().currentWatermark()));
            return;
        }
        long minute = ts + 1 - SpendPeriods.MINUTE_MILLIS;
        long wm = ctx.timerService().currentWatermark();
        SpendTotals mi = SpendPeriods.minuteStart(minute) == minute ? minutes.get(minute) : null;
        if (mi != null) {
            out.collect(update(dk[0], dk[1], SpendUpdate.MINUTE, minute, mi, false, wm));
            long month = SpendPeriods.monthStart(minute);
            out.collect(update(dk[0], dk[1], SpendUpdate.MONTH, month, months.get(month), false, wm));
            ctx.timerService().registerEventTimeTimer(minute + SpendPeriods.MINUTE_MILLIS + minuteRetentionMillis);
        }
        // forget minutes past the allowed lateness, and months far behind
        List<Long> old = new ArrayList<>();
        for (Map.Entry<Long, SpendTotals> e : minutes.entries()) {
            if (e.getKey() + SpendPeriods.MINUTE_MILLIS + minuteRetentionMillis <= ts) old.add(e.getKey());
        }
        for (Long k : old) minutes.remove(k);
        long keepFrom = SpendPeriods.monthStart(ts);
        for (int i = 0; i < monthsRetained; i++) keepFrom = SpendPeriods.monthStart(keepFrom - 1);
        List<Long> oldMonths = new ArrayList<>();
        for (Long k : months.keys()) if (k < keepFrom) oldMonths.add(k);
        for (Long k : oldMonths) months.remove(k);
    }

    private SpendUpdate update(String dim, String key, String period, long start, SpendTotals t, boolean late, long wm)
            throws Exception {
        // A hybrid clock: one more than the last version, but never behind the wall clock (µs). After a
        // restore from a checkpoint, the restored counter is behind updates the previous run already
        // sent; starting from the clock keeps every new update above them, so "highest version wins".
        long last = version.value() == null ? 0 : version.value();
        long v = Math.max(last + 1, System.currentTimeMillis() * 1000L);
        version.update(v);
        SpendUpdate u = new SpendUpdate();
        u.dimension = dim;
        u.key = key;
        u.period = period;
        u.periodStartMillis = start;
        u.totals = t.copy();
        u.version = v;
        u.late = late;
        u.completeUpToMillis = wm;
        return u;
    }
}
