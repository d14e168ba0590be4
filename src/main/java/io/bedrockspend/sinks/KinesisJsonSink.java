package io.bedrockspend.sinks;

import org.apache.flink.api.common.serialization.SerializationSchema;
import org.apache.flink.connector.kinesis.sink.KinesisStreamsSink;
import org.apache.flink.connector.kinesis.sink.PartitionKeyGenerator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

/**
 * Writes records as JSON to a Kinesis stream with the connector's Sink V2 {@link KinesisStreamsSink}.
 * Delivery is at least once (buffered requests are checkpointed and re-sent after a restore), so the
 * records written here are idempotent by design: a spend update carries the team's running total,
 * and a consumer keeps the one with the highest {@code calls} per team.
 */
public final class KinesisJsonSink {
    private KinesisJsonSink() {}

    public static <T> KinesisStreamsSink<T> create(String streamArn, Map<String, String> awsClientProperties,
                                                   LineFormatter<T> json, PartitionKeyGenerator<T> partitionKey,
                                                   Duration maxBufferTime) {
        Properties p = new Properties();
        p.putAll(awsClientProperties);
        return KinesisStreamsSink.<T>builder()
                .setStreamArn(streamArn)
                .setKinesisClientProperties(p)
                .setSerializationSchema(new JsonSchema<>(json))
                .setPartitionKeyGenerator(partitionKey)
                // fail the job (and restore from the checkpoint) rather than drop a rejected batch
                .setFailOnError(true)
                .setMaxTimeInBufferMS(Math.max(1, maxBufferTime.toMillis()))
                .build();
    }

    static final class JsonSchema<T> implements SerializationSchema<T> {
        private static final long serialVersionUID = 1L;
        private final LineFormatter<T> json;

        JsonSchema(LineFormatter<T> json) {
            this.json = json;
        }

        @Override
        public byte[] serialize(T element) {
            try {
                return json.format(element).getBytes(StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot serialize " + element.getClass().getSimpleName() + " to JSON", e);
            }
        }
    }
}
