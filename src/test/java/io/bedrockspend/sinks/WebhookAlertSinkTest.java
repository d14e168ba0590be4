package io.bedrockspend.sinks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;
import io.bedrockspend.alerts.AlertEvent;
import org.apache.flink.metrics.groups.UnregisteredMetricsGroup;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.Property;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntUnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WebhookAlertSinkTest {
    static final String SECRET = "T0000/B0000/s3cr3t-t0k3n";
    static final ObjectMapper JSON = new ObjectMapper();

    HttpServer server;
    final List<String> received = new CopyOnWriteArrayList<>();
    final AtomicInteger requests = new AtomicInteger();
    /** Request number (1-based) → HTTP status; a negative status means: stall that many ms, then 200. */
    volatile IntUnaryOperator behaviour = n -> 200;
    final List<String> logLines = new CopyOnWriteArrayList<>();
    AbstractAppender appender;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.createContext("/", ex -> {
            int n = requests.incrementAndGet();
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            int status = behaviour.applyAsInt(n);
            if (status < 0) {
                try {
                    Thread.sleep(-status);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                status = 200;
            }
            if (status == 200) received.add(new String(body, StandardCharsets.UTF_8));
            ex.sendResponseHeaders(status, -1);
            ex.close();
        });
        server.start();
        appender = new AbstractAppender("capture", null, null, true, Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent e) {
                logLines.add(e.getLoggerName() + " " + e.getMessage().getFormattedMessage()
                        + (e.getThrown() == null ? "" : " " + e.getThrown()));
            }
        };
        appender.start();
        Configurator.setLevel("io.bedrockspend.sinks", Level.DEBUG);
        ((org.apache.logging.log4j.core.Logger) LogManager.getLogger("io.bedrockspend.sinks")).addAppender(appender);
    }

    @AfterEach
    void stop() {
        ((org.apache.logging.log4j.core.Logger) LogManager.getLogger("io.bedrockspend.sinks")).removeAppender(appender);
        server.stop(0);
        // no log line, whatever happened, carries the secret part of the URL
        for (String l : logLines) assertFalse(l.contains(SECRET) || l.contains("s3cr3t"), l);
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/services/" + SECRET;
    }

    WebhookAlertSink.Options options() {
        WebhookAlertSink.Options o = new WebhookAlertSink.Options();
        o.url = url();
        o.requestTimeout = Duration.ofMillis(300);
        o.initialBackoff = Duration.ofMillis(20);
        o.maxBackoff = Duration.ofMillis(100);
        o.maxAttempts = 3;
        o.drainTimeout = Duration.ofSeconds(20);
        return o;
    }

    WebhookAlertSink.Writer writer(WebhookAlertSink.Options o) {
        return new WebhookAlertSink.Writer(o, Map.of(), new UnregisteredMetricsGroup());
    }

    static AlertEvent alert(String id) {
        AlertEvent a = new AlertEvent();
        a.alertId = id;
        a.rule = "budget";
        a.severity = AlertEvent.WARNING;
        a.state = AlertEvent.FIRING;
        a.dimension = "team";
        a.key = "search";
        a.period = "2026-10";
        a.firedAtEventTime = 1_791_000_000_000L;
        a.figures.put("spentUsd", "812.4");
        a.figures.put("budgetUsd", "1000");
        a.message = "team search has spent $812.40 of its $1,000.00 October budget (81 %), past its 80 % alert level";
        return a;
    }

    @Test
    void healthyServerGetsSlackCompatibleJson() throws Exception {
        WebhookAlertSink.Writer w = writer(options());
        w.write(alert("budget:team=search:2026-10:80"), null);
        w.write(alert("budget:team=search:2026-10:100"), null);
        w.flush(true);
        w.close();
        assertEquals(2, received.size());
        JsonNode body = JSON.readTree(received.get(0));
        assertTrue(body.get("text").asText().contains("team search has spent $812.40"), body.toString());
        assertTrue(body.get("text").asText().startsWith(":warning: [WARNING]"), body.toString());
        assertEquals("bedrock-spend · budget:team=search:2026-10:80", body.get("attachments").get(0).get("footer").asText());
        assertEquals(2, w.sent.getCount());
        assertEquals(0, w.failed.getCount());
    }

    @Test
    void serverErrorIsRetriedThenDelivered() throws Exception {
        behaviour = n -> n == 1 ? 500 : 200;
        WebhookAlertSink.Writer w = writer(options());
        w.write(alert("a1"), null);
        w.flush(true);
        w.close();
        assertEquals(2, requests.get());
        assertEquals(1, received.size());
        assertEquals(0, w.failed.getCount());
    }

    @Test
    void deadServerGivesUpLogsTheAlertAndDoesNotThrow() throws Exception {
        behaviour = n -> 500;
        WebhookAlertSink.Writer w = writer(options());
        long t0 = System.nanoTime();
        w.write(alert("a1"), null);
        w.flush(true);
        w.close();
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).toSeconds() < 15, "bounded time");
        assertEquals(3, requests.get());
        assertEquals(1, w.failed.getCount());
        String port = String.valueOf(server.getAddress().getPort());
        assertTrue(logLines.stream().anyMatch(l -> l.contains("a1") && l.contains("HTTP 500 from http://127.0.0.1:" + port + "/…")
                && l.contains("after 3 attempts") && l.contains("team search has spent")), logLines.toString());
    }

    @Test
    void clientErrorIsNotRetried() throws Exception {
        behaviour = n -> 404;
        WebhookAlertSink.Writer w = writer(options());
        w.write(alert("a1"), null);
        w.flush(true);
        w.close();
        assertEquals(1, requests.get());
        assertEquals(1, w.failed.getCount());
        assertTrue(logLines.stream().anyMatch(l -> l.contains("HTTP 404") && l.contains("not retried")), logLines.toString());
    }

    @Test
    void slowServerTimesOutRetriesAndGivesUpInBoundedTime() throws Exception {
        behaviour = n -> -3_000;
        WebhookAlertSink.Writer w = writer(options());
        long t0 = System.nanoTime();
        w.write(alert("slow"), null);
        w.flush(true);
        w.close();
        assertTrue(Duration.ofNanos(System.nanoTime() - t0).toSeconds() < 15, "bounded time");
        assertEquals(1, w.failed.getCount());
        assertEquals(0, w.sent.getCount());
        assertTrue(logLines.stream().anyMatch(l -> l.contains("slow") && l.contains("no response from") && l.contains("within 300 ms")),
                logLines.toString());
    }

    @Test
    void slowThenHealthyIsRetried() throws Exception {
        behaviour = n -> n == 1 ? -2_000 : 200;
        WebhookAlertSink.Writer w = writer(options());
        w.write(alert("a1"), null);
        w.flush(true);
        w.close();
        assertEquals(1, w.sent.getCount());
        assertEquals(0, w.failed.getCount());
    }

    @Test
    void fullBufferSpillsToTheLogInsteadOfBlocking() throws Exception {
        behaviour = n -> -1_000;
        WebhookAlertSink.Options o = options();
        o.bufferCapacity = 1;
        o.maxAttempts = 1;
        o.requestTimeout = Duration.ofSeconds(5);
        WebhookAlertSink.Writer w = writer(o);
        for (int i = 0; i < 5; i++) w.write(alert("a" + i), null);
        w.flush(true);
        w.close();
        assertTrue(w.failed.getCount() >= 3, "spilled: " + w.failed.getCount());
        assertTrue(logLines.stream().anyMatch(l -> l.contains("webhook buffer full")), logLines.toString());
    }

    @Test
    void channelUrlsComeFromTheEnvironmentAndNoUrlMeansLogOnly() throws Exception {
        WebhookAlertSink.Options o = options();
        o.url = null;
        WebhookAlertSink.Writer w = new WebhookAlertSink.Writer(o,
                Map.of("BEDROCK_SPEND_WEBHOOK_URL_SEARCH_ALERTS", url()), new UnregisteredMetricsGroup());
        AlertEvent toChannel = alert("c1");
        toChannel.channel = "search-alerts";
        w.write(toChannel, null);
        w.write(alert("nowhere"), null);
        w.flush(true);
        w.close();
        assertEquals(1, received.size());
        assertTrue(logLines.stream().anyMatch(l -> l.contains("nowhere") && l.contains("no webhook URL configured")), logLines.toString());
    }

    @Test
    void redactsToSchemeHostAndPort() {
        assertEquals("https://hooks.slack.com/…", WebhookAlertSink.redact(java.net.URI.create("https://hooks.slack.com/services/" + SECRET)));
    }
}
