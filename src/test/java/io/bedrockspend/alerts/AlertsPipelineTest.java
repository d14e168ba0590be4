package io.bedrockspend.alerts;

import io.bedrockspend.spend.SpendUpdate;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import static io.bedrockspend.alerts.SeriesAlertFunctionTest.OCT;
import static io.bedrockspend.alerts.SeriesAlertFunctionTest.update;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The wiring of {@link Alerts#define} on a local MiniCluster: budgets file in, alerts out. */
class AlertsPipelineTest {
    @Test
    void budgetsFileAndUpdatesGiveAlerts(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("budgets.json"), "{\"teams\": {\"search\": {\"monthlyUsd\": \"1000\"}}}");
        AlertConfig cfg = new AlertConfig();
        cfg.budgetsPath = dir.toString();
        cfg.budgetsPollInterval = Duration.ZERO;   // read once: the job ends with its input
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        List<SpendUpdate> in = new ArrayList<>();
        in.add(update("team", "search", SpendUpdate.MONTH, OCT, "100", 1, OCT + 60_000));
        in.add(update("team", "search", SpendUpdate.MONTH, OCT, "900", 2, OCT + 120_000));
        in.add(update("team", "unattributed", SpendUpdate.MONTH, OCT, "100", 1, OCT + 120_000));
        var updates = env.fromData(in, TypeInformation.of(SpendUpdate.class))
                .assignTimestampsAndWatermarks(WatermarkStrategy.<SpendUpdate>forMonotonousTimestamps()
                        .withTimestampAssigner((u, r) -> u.completeUpToMillis));
        List<String> ids = new ArrayList<>();
        try (var it = Alerts.define(updates, cfg).executeAndCollect()) {
            it.forEachRemaining(a -> ids.add(a.state + " " + a.alertId));
        }
        List<String> sorted = ids.stream().sorted().collect(Collectors.toList());
        // budget levels depend on whether the budgets reached the operator before the updates; the
        // broadcast re-evaluation makes the outcome the same either way
        assertEquals(List.of("firing budget:team=search:2026-10:50", "firing budget:team=search:2026-10:80",
                "firing unattributed-share:team=unattributed:2026-10"), sorted);
    }
}
