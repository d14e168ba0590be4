package io.bedrockspend.sinks;

import io.bedrockspend.alerts.AlertEvent;
import io.bedrockspend.alerts.AlertJson;
import org.apache.flink.connector.kinesis.sink.KinesisStreamsSink;

import java.time.Duration;
import java.util.Map;

/** Alerts as JSON lines ({@link AlertJson#format}) on a Kinesis stream, partitioned by alertId so one alert's transitions stay in order. */
public final class KinesisAlertSink {
    private KinesisAlertSink() {}

    public static KinesisStreamsSink<AlertEvent> create(String streamArn, Map<String, String> awsClientProperties, Duration maxBufferTime) {
        return KinesisJsonSink.create(streamArn, awsClientProperties, AlertJson::format, a -> a.alertId, maxBufferTime);
    }
}
