package io.bedrockspend.cli;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/** Shared plumbing for the embedded commands: the local Flink environment and default paths. */
final class Launcher {
    private Launcher() {}

    /** A local MiniCluster environment sized for a laptop; counters refresh every second for progress. */
    static StreamExecutionEnvironment localEnvironment(int parallelism) {
        return localEnvironment(parallelism, 0);
    }

    /**
     * As {@link #localEnvironment(int)}, serving Flink's metrics (the job's spend gauges among them)
     * in Prometheus format on {@code metricsPort} when it is not 0.
     */
    static StreamExecutionEnvironment localEnvironment(int parallelism, int metricsPort) {
        return localEnvironment(parallelism, metricsPort, new Configuration());
    }

    /** As {@link #localEnvironment(int, int)}, with {@code extra} Flink options applied last. */
    static StreamExecutionEnvironment localEnvironment(int parallelism, int metricsPort, Configuration extra) {
        Configuration conf = new Configuration();
        if (metricsPort != 0) {
            conf.setString("metrics.reporter.prom.factory.class", "org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
            conf.setString("metrics.reporter.prom.port", Integer.toString(metricsPort));
        }
        conf.set(HeartbeatManagerOptions.HEARTBEAT_INTERVAL, java.time.Duration.ofSeconds(1));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.ofMebiBytes(64));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.ofMebiBytes(64));
        // batch replays sort at every keyBy: managed memory decides how much of that spills to disk
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(1024));
        conf.addAll(extra);
        return StreamExecutionEnvironment.createLocalEnvironment(Math.max(1, parallelism), conf);
    }

    /**
     * The pricing folder: the one given, else {@code $BEDROCK_SPEND_HOME/pricing-snapshots} (set by
     * bin/bedrock-spend), else {@code ./pricing-snapshots}.
     */
    static Path pricingDir(String given) {
        if (given != null) return Path.of(given);
        String home = System.getenv("BEDROCK_SPEND_HOME");
        if (home != null) return Path.of(home, "pricing-snapshots");
        return Path.of("pricing-snapshots");
    }

    /** A flat JSON object of strings, e.g. the application-inference-profile map. */
    static Map<String, String> readStringMap(Path file) throws IOException {
        return io.bedrockspend.run.ReferenceFiles.stringMap(file);
    }
}
