package io.bedrockspend.ingest.kinesis;

import io.bedrockspend.ingest.RawRecord;
import io.bedrockspend.run.JobConfig;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.kinesis.source.KinesisStreamsSource;
import org.apache.flink.connector.kinesis.source.config.KinesisStreamsSourceConfigConstants;
import org.apache.flink.connector.kinesis.source.config.KinesisStreamsSourceConfigConstants.InitialPosition;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.util.Map;

/**
 * The job's two FLIP-27 Kinesis sources (connector 4.3.0's {@link KinesisStreamsSource}). Shard
 * positions live in Flink state, so a restore from a checkpoint or savepoint resumes each shard
 * after its last checkpointed sequence number; the initial position applies to a fresh start only.
 */
public final class KinesisSources {
    private KinesisSources() {}

    /** Invocation logs, and CloudTrail when configured, as one stream of raw records. */
    public static DataStream<RawRecord> raw(StreamExecutionEnvironment env, JobConfig cfg) {
        DataStream<RawRecord> invocations = stream(env, cfg, cfg.invocationsStreamArn, "invocations");
        if (cfg.cloudtrailStreamArn == null) return invocations;
        return invocations.union(stream(env, cfg, cfg.cloudtrailStreamArn, "cloudtrail"));
    }

    /** One source; uid {@code kinesis-<label>} is part of the savepoint contract: never change it. */
    public static DataStream<RawRecord> stream(StreamExecutionEnvironment env, JobConfig cfg, String arn, String label) {
        KinesisStreamsSource<RawRecord> source = KinesisStreamsSource.<RawRecord>builder()
                .setStreamArn(arn)
                .setSourceConfig(sourceConfig(cfg))
                .setDeserializationSchema(new RawRecordDeserializer())
                .build();
        // The connector stamps records with their arrival time and keeps one watermark generator per
        // shard (split), so a quiet shard is marked idle instead of holding back the others. The
        // pipeline re-derives event time from the call's own timestamp after decoding.
        WatermarkStrategy<RawRecord> perShard = WatermarkStrategy
                .<RawRecord>forBoundedOutOfOrderness(cfg.sourceMaxOutOfOrderness)
                .withIdleness(cfg.sourceIdleness);
        // explicit type: the 4.3.0 source is not ResultTypeQueryable
        return env.fromSource(source, perShard, "kinesis " + label, TypeInformation.of(RawRecord.class))
                .uid("kinesis-" + label).name("kinesis " + label + " (" + JobConfig.streamName(arn) + ")");
    }

    /** Connector configuration: the AWSConfigConstants string keys (relocated in the 4.3.0 jar) plus source options. */
    public static Configuration sourceConfig(JobConfig cfg) {
        Configuration c = new Configuration();
        for (Map.Entry<String, String> e : cfg.awsClientProperties().entrySet()) c.setString(e.getKey(), e.getValue());
        c.set(KinesisStreamsSourceConfigConstants.STREAM_INITIAL_POSITION, InitialPosition.valueOf(cfg.initialPosition.name()));
        if (cfg.initialTimestamp != null) {
            // ISO instant, parsed by the connector with this pattern
            c.set(KinesisStreamsSourceConfigConstants.STREAM_TIMESTAMP_DATE_FORMAT, "yyyy-MM-dd'T'HH:mm:ss.SSSXXX");
            c.set(KinesisStreamsSourceConfigConstants.STREAM_INITIAL_TIMESTAMP,
                    java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX")
                            .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.parse(cfg.initialTimestamp)));
        }
        c.set(KinesisStreamsSourceConfigConstants.SHARD_DISCOVERY_INTERVAL_MILLIS, cfg.shardDiscoveryInterval.toMillis());
        return c;
    }
}
