package io.bedrockspend.run;

import io.bedrockspend.SpendPipeline;
import io.bedrockspend.identity.PrincipalTagSeed;
import io.bedrockspend.ingest.DecodeLimits;
import io.bedrockspend.ingest.RawRecord;
import io.bedrockspend.ingest.kinesis.KinesisSources;
import io.bedrockspend.pricing.PriceBook;
import io.bedrockspend.sinks.DeadLetterSinks;
import io.bedrockspend.sinks.JsonFormats;
import io.bedrockspend.sinks.KinesisAlertSink;
import io.bedrockspend.sinks.LogAlertSink;
import io.bedrockspend.sinks.WebhookAlertSink;
import io.bedrockspend.sinks.KinesisJsonSink;
import io.bedrockspend.sinks.LedgerSink;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The production job: Kinesis sources → {@link SpendPipeline} → ledger files, live spend stream,
 * dead letters. Shared by {@code run}, {@code flink run}, Managed Service for Apache Flink and the
 * integration tests, so what is tested is what is deployed.
 *
 * <p>Exactly-once: source shard positions, the de-duplication state and the team totals are all in
 * the same checkpoint, and the ledger's FileSink commits its files only when that checkpoint
 * completes. After any restore the job replays from the checkpointed positions; records already
 * counted before the checkpoint are not re-read, records after it were never committed.
 *
 * <p>The uids set here ({@code kinesis-*}, {@code ledger}, {@code spend-kinesis},
 * {@code dead-letters-*}, plus the pipeline's own) are the savepoint contract.
 */
public final class SpendJob {
    private SpendJob() {}

    /** Reference data the job carries in its operators. */
    public record Reference(PriceBook priceBook, PrincipalTagSeed tags) {}

    public static SpendPipeline.Outputs define(StreamExecutionEnvironment env, JobConfig cfg, Reference ref) {
        return define(env, cfg, ref, UnaryOperator.identity());
    }

    /** {@code rawTap} lets tests observe or disturb raw records between source and pipeline. */
    public static SpendPipeline.Outputs define(StreamExecutionEnvironment env, JobConfig cfg, Reference ref,
                                               UnaryOperator<DataStream<RawRecord>> rawTap) {
        if (cfg.parallelism > 0) env.setParallelism(cfg.parallelism);
        DataStream<RawRecord> raw = rawTap.apply(KinesisSources.raw(env, cfg));
        // the pricing folder the job starts from is also watched for new snapshots (local or s3://)
        if (cfg.pipeline.pricingFolder == null && cfg.pricingDir != null) cfg.pipeline.pricingFolder = cfg.pricingDir;
        SpendPipeline.Outputs o = SpendPipeline.define(raw, cfg.pipeline, ref.tags(), ref.priceBook(), DecodeLimits.defaults());
        attachSinks(o, cfg);
        return o;
    }

    /** Ledger, live spend and dead-letter sinks, each as configured. Also used by {@code backfill}. */
    public static void attachSinks(SpendPipeline.Outputs o, JobConfig cfg) {
        o.calls().sinkTo(LedgerSink.create(cfg.ledgerPath)).uid("ledger").name("ledger (" + cfg.ledgerPath + ")");
        if (cfg.spendStreamArn != null) {
            o.spendUpdates().sinkTo(KinesisJsonSink.create(cfg.spendStreamArn, cfg.awsClientProperties(),
                            JsonFormats::spendUpdate, u -> u.dimension + "=" + u.key, cfg.spendMaxBufferTime))
                    .uid("spend-kinesis").name("live spend (" + JobConfig.streamName(cfg.spendStreamArn) + ")");
        }
        o.alerts().sinkTo(new LogAlertSink()).setParallelism(1).uid("alerts-log").name("alerts to log");
        if (cfg.alertsWebhook) {
            o.alerts().sinkTo(new WebhookAlertSink(new WebhookAlertSink.Options())).setParallelism(1)
                    .uid("alerts-webhook").name("alerts to webhook");
        }
        if (cfg.alertsStreamArn != null) {
            o.alerts().sinkTo(KinesisAlertSink.create(cfg.alertsStreamArn, cfg.awsClientProperties(), cfg.spendMaxBufferTime))
                    .uid("alerts-kinesis").name("alerts (" + JobConfig.streamName(cfg.alertsStreamArn) + ")");
        }
        if (cfg.deadLettersPath != null) {
            o.deadLetters().sinkTo(DeadLetterSinks.files(cfg.deadLettersPath))
                    .uid("dead-letters-files").name("dead letters (" + cfg.deadLettersPath + ")");
        } else if (cfg.deadLettersStreamArn != null) {
            o.deadLetters().sinkTo(DeadLetterSinks.kinesis(cfg.deadLettersStreamArn, cfg.awsClientProperties()))
                    .uid("dead-letters-kinesis").name("dead letters (" + JobConfig.streamName(cfg.deadLettersStreamArn) + ")");
        }
    }

    /**
     * Flink options for checkpoints and state. On Managed Service for Apache Flink the service owns
     * checkpointing and the state backend, so there only keys set explicitly in the runtime
     * properties are applied.
     */
    public static Configuration flinkConfiguration(JobConfig cfg, boolean managedFlink) {
        Map<String, String> m = new TreeMap<>();
        put(m, cfg, managedFlink, "checkpoint.interval", "execution.checkpointing.interval", cfg.checkpointInterval.toMillis() + " ms");
        put(m, cfg, managedFlink, "checkpoint.interval", "execution.checkpointing.mode", "EXACTLY_ONCE");
        put(m, cfg, managedFlink, "checkpoint.min-pause", "execution.checkpointing.min-pause", cfg.checkpointMinPause.toMillis() + " ms");
        put(m, cfg, managedFlink, "checkpoint.timeout", "execution.checkpointing.timeout", cfg.checkpointTimeout.toMillis() + " ms");
        put(m, cfg, managedFlink, "checkpoint.unaligned", "execution.checkpointing.unaligned.enabled", String.valueOf(cfg.checkpointUnaligned));
        put(m, cfg, managedFlink, "checkpoint.aligned-timeout", "execution.checkpointing.aligned-checkpoint-timeout",
                cfg.checkpointAlignedTimeout.toMillis() + " ms");
        put(m, cfg, managedFlink, "checkpoint.retain-on-cancel", "execution.checkpointing.externalized-checkpoint-retention",
                cfg.retainCheckpointsOnCancel ? "RETAIN_ON_CANCELLATION" : "DELETE_ON_CANCELLATION");
        if (cfg.checkpointDir != null) put(m, cfg, managedFlink, "checkpoint.dir", "execution.checkpointing.dir", cfg.checkpointDir);
        if (cfg.savepointDir != null) put(m, cfg, managedFlink, "savepoint.dir", "execution.checkpointing.savepoint-dir", cfg.savepointDir);
        put(m, cfg, managedFlink, "state.backend", "state.backend.type", cfg.stateBackend.name().toLowerCase(java.util.Locale.ROOT));
        put(m, cfg, managedFlink, "state.backend.incremental", "execution.checkpointing.incremental", String.valueOf(cfg.incrementalCheckpoints));
        m.putAll(cfg.flinkExtra);
        return Configuration.fromMap(m);
    }

    private static void put(Map<String, String> m, JobConfig cfg, boolean managedFlink, String ourKey, String flinkKey, String value) {
        if (!managedFlink || cfg.explicitKeys.contains(ourKey)) m.put(flinkKey, value);
    }
}
