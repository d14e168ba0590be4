package io.bedrockspend.alerts;

import io.bedrockspend.spend.SpendUpdate;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * The alerts part of the topology: spend updates in, alert events out.
 *
 * <pre>
 * spend updates ─┬─ filter(team, costCenter, model) ─ keyBy(series) ─┬─ series rules ─┬─ alerts
 * budgets file ──┼─ poll ─ changes ─ broadcast ──────────────────────┘                 │
 *                └─ filter(team) ─ keyBy(constant) ─ unattributed share, stale input ──┘
 * </pre>
 */
public final class Alerts {
    private Alerts() {}

    public static DataStream<AlertEvent> define(DataStream<SpendUpdate> updates, AlertConfig cfg) {
        BroadcastStream<BudgetsUpdate> budgets = BudgetsSource.stream(updates.getExecutionEnvironment(), cfg)
                .broadcast(SeriesAlertFunction.BUDGETS);
        // local copies: the filters must not capture the (serializable, but larger) config
        String team = cfg.teamDimension;
        String costCenter = cfg.costCenterDimension;
        String model = cfg.modelDimension;
        SingleOutputStreamOperator<AlertEvent> series = updates
                .filter(u -> team.equals(u.dimension) || costCenter.equals(u.dimension) || model.equals(u.dimension))
                .uid("alerts-series-filter").name("alert series")
                .keyBy(u -> u.dimension + "=" + u.key)
                .connect(budgets)
                .process(new SeriesAlertFunction(cfg))
                .uid("alerts-series").name("alerts: budgets, forecast, anomaly, unpriced");
        if (cfg.parallelism > 0) series.setParallelism(cfg.parallelism);
        SingleOutputStreamOperator<AlertEvent> global = updates
                .filter(u -> team.equals(u.dimension))
                .uid("alerts-global-filter").name("alert team series")
                .keyBy(u -> GlobalAlertFunction.KEY)
                .process(new GlobalAlertFunction(cfg))
                // one key: one subtask does the work, so run one
                .setParallelism(1).setMaxParallelism(1)
                .uid("alerts-global").name("alerts: unattributed share, stale input");
        return series.union(global);
    }
}
