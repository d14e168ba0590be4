package io.bedrockspend.sinks;

import io.bedrockspend.ingest.DeadLetter;
import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.DateTimeBucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.OnCheckpointRollingPolicy;
import org.apache.flink.connector.kinesis.sink.KinesisStreamsSink;

import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Map;

/**
 * Dead letters ({@link JsonFormats#deadLetter}: reason, detail, origin, position, recordId; never
 * the record's content) to files or to a Kinesis stream. Files are bucketed by the hour they were
 * rejected (a dead letter has no trustworthy event time) and committed on checkpoints like the ledger.
 */
public final class DeadLetterSinks {
    private DeadLetterSinks() {}

    public static FileSink<DeadLetter> files(String basePath) {
        return FileSink.forRowFormat(new Path(basePath), new JsonLinesEncoder<DeadLetter>(JsonFormats::deadLetter))
                .withBucketAssigner(new DateTimeBucketAssigner<>("'dt='yyyy-MM-dd'/hour='HH", ZoneOffset.UTC))
                .withRollingPolicy(OnCheckpointRollingPolicy.build())
                .withOutputFileConfig(OutputFileConfig.builder().withPartPrefix("dead-letters").withPartSuffix(".jsonl").build())
                .build();
    }

    public static KinesisStreamsSink<DeadLetter> kinesis(String streamArn, Map<String, String> awsClientProperties) {
        // partition by origin (stream/shard or file) so one bad producer's letters stay together
        return KinesisJsonSink.create(streamArn, awsClientProperties, JsonFormats::deadLetter,
                d -> d.origin == null ? "unknown" : d.origin, Duration.ofSeconds(1));
    }
}
