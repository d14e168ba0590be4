package io.bedrockspend.sinks;

import io.bedrockspend.spend.SpendPeriods;
import io.bedrockspend.spend.SpendUpdate;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.metrics.Gauge;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.runtime.state.FunctionInitializationContext;
import org.apache.flink.runtime.state.FunctionSnapshotContext;
import org.apache.flink.streaming.api.checkpoint.CheckpointedFunction;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Exposes the live spend through Flink's metric system, so the Prometheus reporter serves it on
 * Kubernetes and Managed Service for Apache Flink forwards it to CloudWatch. One gauge set per
 * series, labelled {@code dimension} and {@code key}. The latest values are operator state, so a
 * restarted job serves them again at once instead of starting from zero. Runs at parallelism 1 (it
 * sees per-minute updates, not calls). Gauges hand the reporter the exact decimals; a metric system
 * turns them into its own number type at export (Prometheus: float64).
 */
public class SpendMetrics extends ProcessFunction<SpendUpdate, SpendUpdate> implements CheckpointedFunction {
    public static final String GROUP = "bedrockspend";

    private transient Map<String, Series> series;
    private transient ListState<SpendUpdate> checkpointed;
    private transient MetricGroup group;
    private transient volatile long completeUpToMillis;

    static final class Series {
        SpendUpdate month;
        final TreeMap<Long, BigDecimal> lastHour = new TreeMap<>();
        boolean registered;

        BigDecimal ratePerHour() {
            BigDecimal sum = BigDecimal.ZERO;
            for (BigDecimal v : lastHour.values()) sum = sum.add(v);
            return sum;
        }
    }

    @Override
    public void initializeState(FunctionInitializationContext ctx) throws Exception {
        checkpointed = ctx.getOperatorStateStore().getListState(new ListStateDescriptor<>("latest-spend-updates", SpendUpdate.class));
        series = new HashMap<>();
        if (ctx.isRestored()) {
            for (SpendUpdate u : checkpointed.get()) apply(u);
        }
    }

    @Override
    public void open(OpenContext openContext) {
        group = getRuntimeContext().getMetricGroup().addGroup(GROUP);
        group.gauge("data_complete_up_to_seconds", () -> completeUpToMillis / 1000L);
        group.gauge("watermark_lag_seconds", () -> completeUpToMillis <= 0 ? 0L
                : Math.max(0L, (System.currentTimeMillis() - completeUpToMillis) / 1000L));
        series.values().forEach(this::register);
    }

    @Override
    public void processElement(SpendUpdate u, Context ctx, Collector<SpendUpdate> out) {
        Series s = apply(u);
        if (group != null) register(s);
        out.collect(u);
    }

    private Series apply(SpendUpdate u) {
        Series s = series.computeIfAbsent(u.dimension + "=" + u.key, k -> new Series());
        if (u.completeUpToMillis > completeUpToMillis) completeUpToMillis = u.completeUpToMillis;
        if (SpendUpdate.MONTH.equals(u.period)) {
            // the gauge shows the newest month; a late update of an older month does not roll it back
            if (s.month == null || u.periodStartMillis > s.month.periodStartMillis
                    || (u.periodStartMillis == s.month.periodStartMillis && u.version > s.month.version)) s.month = u;
        } else if (SpendUpdate.MINUTE.equals(u.period)) {
            s.lastHour.put(u.periodStartMillis, u.totals.costUsd);
            long newest = s.lastHour.lastKey();
            s.lastHour.headMap(newest - 59 * SpendPeriods.MINUTE_MILLIS).clear();
        }
        return s;
    }

    private void register(Series s) {
        if (s.registered || s.month == null) return;
        s.registered = true;
        MetricGroup g = group.addGroup("dimension", s.month.dimension).addGroup("key", s.month.key);
        g.<BigDecimal, Gauge<BigDecimal>>gauge("spend_month_to_date_usd", () -> s.month.totals.costUsd);
        g.<BigDecimal, Gauge<BigDecimal>>gauge("spend_rate_usd_per_hour", s::ratePerHour);
        g.gauge("calls_month_to_date", () -> s.month.totals.calls);
        g.gauge("unpriced_calls_month_to_date", () -> s.month.totals.unpricedCalls);
        g.gauge("error_calls_month_to_date", () -> s.month.totals.errorCalls);
        g.gauge("input_tokens_month_to_date", () -> s.month.totals.inputTokens);
        g.gauge("output_tokens_month_to_date", () -> s.month.totals.outputTokens);
        g.gauge("cache_read_tokens_month_to_date", () -> s.month.totals.cacheReadTokens);
        g.gauge("cache_write_tokens_month_to_date", () -> s.month.totals.cacheWriteTokens);
    }

    @Override
    public void snapshotState(FunctionSnapshotContext ctx) throws Exception {
        List<SpendUpdate> keep = new ArrayList<>();
        for (Series s : series.values()) {
            if (s.month != null) keep.add(s.month);
            for (Map.Entry<Long, BigDecimal> m : s.lastHour.entrySet()) {
                SpendUpdate mu = new SpendUpdate();
                mu.dimension = s.month == null ? null : s.month.dimension;
                mu.key = s.month == null ? null : s.month.key;
                mu.period = SpendUpdate.MINUTE;
                mu.periodStartMillis = m.getKey();
                mu.totals = new io.bedrockspend.spend.SpendTotals();
                mu.totals.costUsd = m.getValue();
                if (mu.dimension != null) keep.add(mu);
            }
        }
        checkpointed.update(keep);
    }

    /** Current month-to-date USD of a series, for tests and the demo. */
    public BigDecimal monthToDate(String dimension, String key) {
        Series s = series == null ? null : series.get(dimension + "=" + key);
        return s == null || s.month == null ? null : s.month.totals.costUsd;
    }
}
