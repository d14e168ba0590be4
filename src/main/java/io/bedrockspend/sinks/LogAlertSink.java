package io.bedrockspend.sinks;

import io.bedrockspend.alerts.AlertEvent;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes each alert as one log line (SLF4J, WARN so the CLI's default WARN level shows it). Alerts
 * carry team, model and money figures, never URLs or secrets. Also the fallback of
 * {@link WebhookAlertSink} for alerts it could not deliver.
 */
public class LogAlertSink implements Sink<AlertEvent> {
    private static final long serialVersionUID = 1L;
    static final Logger LOG = LoggerFactory.getLogger(LogAlertSink.class);

    /** "alert firing critical budget:team=search:2026-10:100 - team search has spent ..." */
    public static void log(AlertEvent a) {
        LOG.warn("alert {} {} {} - {}", a.state, a.severity, a.alertId, a.message);
    }

    /** An alert the webhook did not take, with the reason (never the URL). */
    public static void undelivered(AlertEvent a, String reason) {
        LOG.warn("alert {} {} {} (webhook not delivered: {}) - {}", a.state, a.severity, a.alertId, reason, a.message);
    }

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<AlertEvent> createWriter(InitContext context) {
        return new Writer();
    }

    @Override
    public SinkWriter<AlertEvent> createWriter(WriterInitContext context) {
        return new Writer();
    }

    static final class Writer implements SinkWriter<AlertEvent> {
        @Override
        public void write(AlertEvent a, Context context) {
            log(a);
        }

        @Override
        public void flush(boolean endOfInput) {}

        @Override
        public void close() {}
    }
}
