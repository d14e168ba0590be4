package io.bedrockspend;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.metrics.Counter;

/**
 * Named job counters, each registered twice: as a Flink metric (dashboards, Prometheus) and as an
 * accumulator (the CLI's progress line and end-of-run summary read these).
 */
public final class Counters {
    public static final String RECORDS = "records";
    public static final String CALLS = "calls";
    public static final String DUPLICATES = "duplicates";
    public static final String DEAD_LETTERS = "dead_letters";
    public static final String UNPRICED = "unpriced_calls";
    public static final String ERRORS = "error_calls";
    public static final String TRAIL_EVENTS = "trail_events";
    public static final String SKIPPED = "skipped";
    public static final String UNATTRIBUTED = "unattributed_calls";
    public static final String PARTIAL = "partial_attribution_calls";
    public static final String UNMETERED = "unmetered_calls";
    public static final String WAITED = "calls_waited_for_identity";

    private Counters() {}

    /** One counter that is both a metric and an accumulator. */
    public static final class Handle {
        private final Counter metric;
        private final LongCounter accumulator;

        Handle(Counter metric, LongCounter accumulator) {
            this.metric = metric;
            this.accumulator = accumulator;
        }

        public void inc() {
            metric.inc();
            accumulator.add(1L);
        }
    }

    public static Handle register(RuntimeContext ctx, String name) {
        LongCounter acc = ctx.getLongCounter(name);
        Counter metric = ctx.getMetricGroup().addGroup("bedrockspend").counter(name);
        return new Handle(metric, acc);
    }
}
