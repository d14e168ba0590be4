package io.bedrockspend.sinks;

import io.bedrockspend.alerts.AlertEvent;
import io.bedrockspend.alerts.AlertJson;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.Serializable;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Posts alerts to a Slack-compatible incoming webhook ({@code {"text": ..., "attachments": [...]}}).
 *
 * <p>The URL is a secret: it comes from the environment of the task manager
 * ({@value #URL_ENV}, and {@value #URL_ENV}{@code _<CHANNEL>} for a team's channel from the budgets
 * file) or from {@link Options#url}/{@link Options#channels}, and is never logged: logs name a
 * redacted host only. Delivery runs on one background thread fed by a bounded buffer, so a slow or
 * dead webhook never back-pressures the job: 5xx, 429, timeouts and connection errors are retried
 * with capped exponential back-off and jitter; after the last attempt (or a full buffer, or a 4xx)
 * the alert goes to the log ({@link LogAlertSink#undelivered}) with the reason and the
 * {@code alert_webhook_failures} counter counts it. The job does not fail for a webhook.
 * Delivery is best effort: alerts still buffered when a job fails are not re-sent.
 */
public class WebhookAlertSink implements Sink<AlertEvent> {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(WebhookAlertSink.class);
    public static final String URL_ENV = "BEDROCK_SPEND_WEBHOOK_URL";

    /** Settings with defaults; serializable so the sink ships to task managers. */
    public static final class Options implements Serializable {
        private static final long serialVersionUID = 1L;
        /** Webhook URL from configuration; null = read {@link #urlEnv} on the task manager. */
        public String url;
        public String urlEnv = URL_ENV;
        /** Channel name (budgets file) → URL; channels not listed use {@code <urlEnv>_<CHANNEL>} from the environment. */
        public Map<String, String> channels = new TreeMap<>();
        public Duration connectTimeout = Duration.ofSeconds(5);
        public Duration requestTimeout = Duration.ofSeconds(10);
        public int maxAttempts = 5;
        public Duration initialBackoff = Duration.ofMillis(500);
        public Duration maxBackoff = Duration.ofSeconds(30);
        /** Alerts waiting for delivery; beyond this they go to the log. */
        public int bufferCapacity = 1000;
        /** At end of input and on close, how long buffered alerts may still take. */
        public Duration drainTimeout = Duration.ofSeconds(30);

        public Options() {}
    }

    private final Options options;

    public WebhookAlertSink(Options options) {
        this.options = options;
    }

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<AlertEvent> createWriter(InitContext context) {
        return new Writer(options, System.getenv(), context.metricGroup());
    }

    @Override
    public SinkWriter<AlertEvent> createWriter(WriterInitContext context) {
        return new Writer(options, System.getenv(), context.metricGroup());
    }

    /** "https://hooks.slack.com/…": what logs may say about a webhook URL. */
    static String redact(URI u) {
        if (u == null || u.getHost() == null) return "(unparseable webhook URL)";
        return u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "") + "/…";
    }

    static final class Writer implements SinkWriter<AlertEvent> {
        private final Options o;
        private final URI defaultUrl;
        private final Map<String, URI> channelUrls = new HashMap<>();
        private final Map<String, String> env;
        private final BlockingQueue<AlertEvent> buffer;
        private final HttpClient client;
        final Counter sent;
        final Counter failed;
        private final Thread sender;
        private volatile boolean closed;
        /** Alerts accepted and not finished yet (buffered or being posted). */
        private final java.util.concurrent.atomic.AtomicInteger pending = new java.util.concurrent.atomic.AtomicInteger();

        Writer(Options o, Map<String, String> env, MetricGroup metrics) {
            this.o = o;
            this.env = env;
            this.defaultUrl = parse(o.url != null ? o.url : env.get(o.urlEnv), o.url != null ? "options.url" : o.urlEnv);
            for (Map.Entry<String, String> c : o.channels.entrySet()) channelUrls.put(c.getKey(), parse(c.getValue(), "channel " + c.getKey()));
            this.buffer = new ArrayBlockingQueue<>(Math.max(1, o.bufferCapacity));
            this.client = HttpClient.newBuilder().connectTimeout(o.connectTimeout).build();
            MetricGroup g = metrics.addGroup(SpendMetrics.GROUP);
            this.sent = g.counter("alert_webhook_sent");
            this.failed = g.counter("alert_webhook_failures");
            if (defaultUrl == null) LOG.warn("no webhook URL in {}: alerts without a channel URL go to the log only", o.urlEnv);
            else LOG.info("alerts post to webhook {}", redact(defaultUrl));
            this.sender = new Thread(this::run, "alert-webhook-sender");
            this.sender.setDaemon(true);
            this.sender.start();
        }

        private static URI parse(String url, String where) {
            if (url == null || url.isBlank()) return null;
            try {
                URI u = URI.create(url.trim());
                if (!"https".equals(u.getScheme()) && !"http".equals(u.getScheme()) || u.getHost() == null) {
                    throw new IllegalArgumentException("not an http(s) URL");
                }
                return u;
            } catch (IllegalArgumentException e) {
                // the message of URI.create quotes the input: do not pass it on
                throw new IllegalArgumentException("webhook URL in " + where + " is not a valid http(s) URL");
            }
        }

        URI urlFor(String channel) {
            if (channel == null) return defaultUrl;
            URI u = channelUrls.get(channel);
            if (u == null) {
                String name = o.urlEnv + "_" + channel.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
                u = parse(env.get(name), name);
                if (u != null) channelUrls.put(channel, u);
            }
            return u != null ? u : defaultUrl;
        }

        @Override
        public void write(AlertEvent a, Context context) {
            if (urlFor(a.channel) == null) {
                LogAlertSink.undelivered(a, "no webhook URL configured" + (a.channel == null ? "" : " for channel " + a.channel));
                return;
            }
            pending.incrementAndGet();
            if (closed || !buffer.offer(a)) {
                pending.decrementAndGet();
                failed.inc();
                LogAlertSink.undelivered(a, "webhook buffer full (" + o.bufferCapacity + " alerts waiting)");
            }
        }

        @Override
        public void flush(boolean endOfInput) throws InterruptedException {
            // checkpoints do not wait for a slow webhook (best effort); the end of a bounded input does
            if (endOfInput) drain(o.drainTimeout.toMillis());
        }

        /** Waits until the buffer is empty or the timeout passes; true when everything was handled. */
        boolean drain(long timeoutMillis) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
            while (pending.get() > 0 && System.nanoTime() < deadline && sender.isAlive()) {
                Thread.sleep(10);
            }
            return pending.get() == 0;
        }

        @Override
        public void close() throws InterruptedException {
            closed = true;
            drain(o.drainTimeout.toMillis());
            sender.interrupt();
            sender.join(TimeUnit.SECONDS.toMillis(5));
            List<AlertEvent> left = new ArrayList<>();
            buffer.drainTo(left);
            for (AlertEvent a : left) {
                pending.decrementAndGet();
                failed.inc();
                LogAlertSink.undelivered(a, "not delivered before the sink closed");
            }
        }

        private void run() {
            while (true) {
                AlertEvent a;
                try {
                    a = buffer.take();
                } catch (InterruptedException e) {
                    return;
                }
                try {
                    String failure = deliver(a);
                    if (failure != null) {
                        failed.inc();
                        LogAlertSink.undelivered(a, failure);
                    } else {
                        sent.inc();
                    }
                } finally {
                    pending.decrementAndGet();
                }
                if (Thread.currentThread().isInterrupted()) return;
            }
        }

        /** Posts one alert with retries; null on success, else the reason it was given up (no URL in it). */
        String deliver(AlertEvent a) {
            URI url = urlFor(a.channel);
            String host = redact(url);
            byte[] body;
            try {
                body = AlertJson.slack(a).getBytes(StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "cannot encode the alert: " + e.getMessage();
            }
            HttpRequest req = HttpRequest.newBuilder(url)
                    .timeout(o.requestTimeout)
                    .header("Content-Type", "application/json; charset=utf-8")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                    .build();
            String reason = "no attempt";
            int attempts = Math.max(1, o.maxAttempts);
            for (int attempt = 1; attempt <= attempts; attempt++) {
                try {
                    int code = client.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
                    if (code >= 200 && code < 300) return null;
                    reason = "HTTP " + code + " from " + host;
                    // a 4xx other than 429 will not get better by asking again (bad URL, revoked hook, bad payload)
                    if (code < 500 && code != 429) return reason + " (not retried)";
                } catch (HttpTimeoutException e) {
                    reason = "no response from " + host + " within " + o.requestTimeout.toMillis() + " ms";
                } catch (IOException e) {
                    // exception messages may quote the URL: name the kind of failure only
                    reason = e.getClass().getSimpleName() + " talking to " + host;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return "interrupted while the sink closed (" + reason + ")";
                }
                if (attempt < attempts) {
                    LOG.debug("alert {} attempt {}/{} failed: {}", a.alertId, attempt, attempts, reason);
                    try {
                        Thread.sleep(backoffMillis(attempt));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return "interrupted while the sink closed (" + reason + ")";
                    }
                }
            }
            return reason + " after " + attempts + " attempts";
        }

        /** Capped exponential back-off with jitter in [base/2, base], so many writers do not retry in lockstep. */
        long backoffMillis(int attempt) {
            long base = o.initialBackoff.toMillis() << Math.min(20, attempt - 1);
            base = Math.min(Math.max(1, base), o.maxBackoff.toMillis());
            return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        }
    }
}
