package io.bedrockspend.alerts;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.Map;

/** Wire forms of an alert: one JSON object (Kinesis, files) and a Slack-compatible webhook body. */
public final class AlertJson {
    private static final JsonFactory JSON = new JsonFactory();

    private AlertJson() {}

    /** The alert as one JSON line; figures stay strings (exact decimals). */
    public static String format(AlertEvent a) throws IOException {
        StringWriter w = new StringWriter(512);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("alertId", a.alertId);
            g.writeStringField("rule", a.rule);
            g.writeStringField("severity", a.severity);
            g.writeStringField("state", a.state);
            g.writeStringField("dimension", a.dimension);
            g.writeStringField("key", a.key);
            g.writeStringField("period", a.period);
            g.writeStringField("firedAt", Instant.ofEpochMilli(a.firedAtEventTime).toString());
            g.writeObjectFieldStart("figures");
            if (a.figures != null) for (Map.Entry<String, String> e : a.figures.entrySet()) g.writeStringField(e.getKey(), e.getValue());
            g.writeEndObject();
            g.writeStringField("channel", a.channel);
            g.writeStringField("message", a.message);
            g.writeEndObject();
        }
        return w.toString();
    }

    /**
     * Slack incoming-webhook body: {@code text} (what every Slack-compatible receiver shows) plus one
     * attachment with a severity colour and the figures as fields; {@code alertId} in the footer.
     */
    public static String slack(AlertEvent a) throws IOException {
        StringWriter w = new StringWriter(768);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            String mark = a.firing() ? switch (a.severity == null ? "" : a.severity) {
                case AlertEvent.CRITICAL -> ":rotating_light:";
                case AlertEvent.WARNING -> ":warning:";
                default -> ":information_source:";
            } : ":white_check_mark:";
            g.writeStringField("text", mark + " [" + (a.firing() ? String.valueOf(a.severity).toUpperCase(java.util.Locale.ROOT) : "RESOLVED")
                    + "] " + a.message);
            g.writeArrayFieldStart("attachments");
            g.writeStartObject();
            g.writeStringField("color", !a.firing() ? "#2eb886" : AlertEvent.CRITICAL.equals(a.severity) ? "#d00000"
                    : AlertEvent.WARNING.equals(a.severity) ? "#daa038" : "#439fe0");
            g.writeStringField("fallback", a.message);
            g.writeArrayFieldStart("fields");
            field(g, "rule", a.rule);
            if (a.key != null) field(g, a.dimension, a.key);
            if (a.period != null) field(g, "period", a.period);
            if (a.figures != null) for (Map.Entry<String, String> e : a.figures.entrySet()) field(g, e.getKey(), e.getValue());
            g.writeEndArray();
            g.writeStringField("footer", "bedrock-spend · " + a.alertId);
            g.writeNumberField("ts", a.firedAtEventTime / 1000L);
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
        }
        return w.toString();
    }

    private static void field(JsonGenerator g, String title, String value) throws IOException {
        g.writeStartObject();
        g.writeStringField("title", title);
        g.writeStringField("value", value);
        g.writeBooleanField("short", true);
        g.writeEndObject();
    }
}
