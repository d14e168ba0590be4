package io.bedrockspend.kinesis;

import io.bedrockspend.ingest.RawRecord;
import io.bedrockspend.run.JobConfig;
import io.bedrockspend.run.SpendJob;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.StateRecoveryOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.function.UnaryOperator;

/** Starts the production job graph ({@link SpendJob}) on a local MiniCluster, optionally from a savepoint. */
final class JobRunner {
    private JobRunner() {}

    static JobClient start(JobConfig cfg, SpendJob.Reference ref, String restorePath,
                           UnaryOperator<DataStream<RawRecord>> tap) throws Exception {
        Configuration conf = SpendJob.flinkConfiguration(cfg, false);
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.ofMebiBytes(64));
        conf.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.ofMebiBytes(64));
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(128));
        if (restorePath != null) conf.set(StateRecoveryOptions.SAVEPOINT_PATH, restorePath);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        SpendJob.define(env, cfg, ref, tap);
        return env.executeAsync(cfg.jobName);
    }
}
