package io.bedrockspend.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.bedrockspend.PipelineConfig;
import io.bedrockspend.SpendPipeline;
import io.bedrockspend.identity.PrincipalTagSeed;
import io.bedrockspend.ingest.DecodeLimits;
import io.bedrockspend.ingest.JsonRecordFileFormat;
import io.bedrockspend.ingest.RawRecord;
import io.bedrockspend.pricing.PriceBook;
import io.bedrockspend.spend.SpendUpdate;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

import static io.bedrockspend.cli.ReplayIT.ACCT;
import static io.bedrockspend.cli.ReplayIT.JSON;
import static io.bedrockspend.cli.ReplayIT.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * End to end with Debian's Prometheus: the job (streaming, Prometheus reporter on) runs over a
 * folder it keeps monitoring; a real Prometheus on loopback scrapes it and evaluates the rules in
 * deploy/prometheus/rules.yml; the live series must equal the month-to-date the job computed, every
 * dashboard query must evaluate, and the unpriced-model alert must fire.
 */
class PrometheusMetricsIT {
    /** Series gauges: Flink's reporter puts the key-value groups (dimension, key) into the name and the labels. */
    static final String P = "flink_taskmanager_job_task_operator_bedrockspend_dimension_key_";
    static final ConcurrentLinkedQueue<SpendUpdate> UPDATES = new ConcurrentLinkedQueue<>();
    static final HttpClient HTTP = HttpClient.newHttpClient();
    static final Path REPO = Path.of(System.getProperty("user.dir"));

    @TempDir
    static Path dir;
    static JobClient job;
    static Process prometheus;
    static int promPort;

    @BeforeAll
    static void start() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        String alice = "arn:aws:iam::" + ACCT + ":user/alice";
        String bob = "arn:aws:iam::" + ACCT + ":user/bob";
        String now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        Files.writeString(in.resolve("calls.jsonl"), String.join("\n",
                record("p1", now, alice, "amazon.nova-micro-v1:0", 1234, 567, 0, 0, null, ""),
                record("p2", now, alice, "global.anthropic.claude-sonnet-4-5-20250929-v1:0", 1000, 500, 2000, 4000, null, ""),
                record("p3", now, bob, "amazon.nova-micro-v1:0", 1000, 1000, 0, 0, null, ""),
                record("p4", now, bob, "acme.private-model-v1:0", 10, 10, 0, 0, null, "")) + "\n");
        PrincipalTagSeed seed = new PrincipalTagSeed(Map.of(alice, Map.of("team", "search"), bob, Map.of("team", "growth")));

        int reporterPort = freePort();
        StreamExecutionEnvironment env = Launcher.localEnvironment(1, reporterPort);
        FileSource<RawRecord> src = FileSource.forBulkFileFormat(new JsonRecordFileFormat(DecodeLimits.defaults()).withFileOrigins(),
                new org.apache.flink.core.fs.Path(in.toUri())).monitorContinuously(Duration.ofSeconds(1)).build();
        var raw = env.fromSource(src, WatermarkStrategy.noWatermarks(), "files", TypeInformation.of(RawRecord.class));
        SpendPipeline.Outputs o = SpendPipeline.define(raw, new PipelineConfig(), seed,
                PriceBook.load(REPO.resolve("pricing-snapshots")), DecodeLimits.defaults());
        o.spendUpdates().sinkTo(new CollectingSink()).name("collect updates");
        job = env.executeAsync("prometheus-it");

        promPort = freePort();
        Path cfg = dir.resolve("prometheus.yml");
        Files.writeString(cfg, """
                global:
                  scrape_interval: 1s
                  evaluation_interval: 1s
                rule_files:
                  - %s
                scrape_configs:
                  - job_name: bedrock-spend
                    static_configs:
                      - targets: ['127.0.0.1:%d']
                """.formatted(REPO.resolve("deploy/prometheus/rules.yml"), reporterPort));
        String binary = findOnPath("prometheus");
        prometheus = new ProcessBuilder(binary, "--config.file=" + cfg, "--web.listen-address=127.0.0.1:" + promPort,
                "--storage.tsdb.path=" + dir.resolve("tsdb"), "--log.level=warn")
                .redirectErrorStream(true).redirectOutput(dir.resolve("prometheus.log").toFile()).start();
        long deadline = System.currentTimeMillis() + 30_000;
        while (true) {
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + promPort + "/-/ready")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) break;
            } catch (IOException notYet) {
                if (!prometheus.isAlive()) fail("prometheus exited: " + Files.readString(dir.resolve("prometheus.log")));
            }
            if (System.currentTimeMillis() > deadline) fail("prometheus did not become ready: " + Files.readString(dir.resolve("prometheus.log")));
            Thread.sleep(200);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        if (job != null) job.cancel().get(30, TimeUnit.SECONDS);
        if (prometheus != null) {
            prometheus.destroy();
            prometheus.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void liveSeriesEqualTheJobsMonthToDateAndDashboardAndRulesEvaluate() throws Exception {
        // what the job computed: the latest month-to-date of each team series
        Map<String, BigDecimal> expected = awaitTeamTotals(2, 4);
        assertEquals(0, new BigDecimal("0.02622257").compareTo(expected.get("search")),
                "search: 0.00012257 (Nova Micro) + 0.0261 (Sonnet 4.5 global) = " + expected.get("search"));

        // what Prometheus scraped
        Map<String, Double> scraped = new HashMap<>();
        long deadline = System.currentTimeMillis() + 40_000;
        while (System.currentTimeMillis() < deadline) {
            scraped.clear();
            for (JsonNode r : query("sum by (key) (" + P + "spend_month_to_date_usd{dimension=\"team\"})")) {
                scraped.put(r.at("/metric/key").asText(), Double.parseDouble(r.at("/value/1").asText()));
            }
            if (scraped.keySet().equals(expected.keySet()) && matches(expected, scraped)) break;
            Thread.sleep(500);
        }
        assertEquals(expected.keySet(), scraped.keySet(), "team series in Prometheus");
        assertTrue(matches(expected, scraped), "Prometheus " + scraped + " vs job " + expected);

        // every dashboard query evaluates
        JsonNode dash = JSON.readTree(REPO.resolve("deploy/grafana/bedrock-spend.json").toFile());
        int queries = 0;
        for (JsonNode panel : dash.get("panels")) {
            for (JsonNode t : panel.get("targets")) {
                query(t.get("expr").asText().replace("$team", ".*"));
                queries++;
            }
        }
        assertTrue(queries >= 12, "dashboard queries evaluated: " + queries);
        assertTrue(query("sum by (key) (" + P + "unpriced_calls_month_to_date{dimension=\"model\"}) > 0").size() == 1,
                "the unpriced model shows on the unpriced panel");

        // the rules file is valid and its alerts evaluate on the live series
        Process check = new ProcessBuilder(findOnPath("promtool"), "check", "rules", REPO.resolve("deploy/prometheus/rules.yml").toString())
                .redirectErrorStream(true).start();
        String checkOut = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, check.waitFor(), checkOut);
        List<JsonNode> alerts = List.of();
        deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline && alerts.isEmpty()) {
            alerts = query("ALERTS{alertname=\"BedrockSpendUnpricedModelUsage\", alertstate=\"firing\"}");
            Thread.sleep(500);
        }
        assertEquals(1, alerts.size(), "unpriced-model alert firing");
        // Flink's reporter turns characters outside [a-zA-Z0-9:_] in label values into '_'
        assertEquals("acme_private_model_v1:0", alerts.get(0).at("/metric/key").asText());
    }

    static boolean matches(Map<String, BigDecimal> expected, Map<String, Double> scraped) {
        for (Map.Entry<String, BigDecimal> e : expected.entrySet()) {
            Double v = scraped.get(e.getKey());
            if (v == null || Math.abs(v - e.getValue().doubleValue()) > 1e-12) return false;
        }
        return true;
    }

    static Map<String, BigDecimal> awaitTeamTotals(int teams, long calls) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 60_000;
        while (System.currentTimeMillis() < deadline) {
            Map<String, SpendUpdate> latest = new HashMap<>();
            for (SpendUpdate u : new ArrayList<>(UPDATES)) {
                if (!u.dimension.equals("team") || !u.period.equals(SpendUpdate.MONTH)) continue;
                latest.merge(u.key, u, (a, b) -> b.version > a.version ? b : a);
            }
            if (latest.size() == teams && latest.values().stream().mapToLong(u -> u.totals.calls).sum() == calls) {
                Map<String, BigDecimal> m = new HashMap<>();
                latest.forEach((k, u) -> m.put(k, u.totals.costUsd));
                return m;
            }
            Thread.sleep(200);
        }
        fail("job did not report month-to-date for " + teams + " teams: " + UPDATES.size() + " updates");
        return null;
    }

    static List<JsonNode> query(String promql) throws IOException, InterruptedException {
        String url = "http://127.0.0.1:" + promPort + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode n = JSON.readTree(r.body());
        assertEquals("success", n.path("status").asText(), "query failed: " + promql + " -> " + r.body());
        List<JsonNode> out = new ArrayList<>();
        n.at("/data/result").forEach(out::add);
        return out;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    static String findOnPath(String name) {
        for (String d : System.getenv("PATH").split(":")) {
            Path p = Path.of(d, name);
            if (Files.isExecutable(p)) return p.toString();
        }
        fail(name + " not found on PATH: install Debian's prometheus package (.ci/run does)");
        return null;
    }

    /** Collects the job's spend updates in this JVM (the MiniCluster runs here). */
    static final class CollectingSink implements Sink<SpendUpdate> {
        @Override
        @SuppressWarnings("deprecation")
        public SinkWriter<SpendUpdate> createWriter(InitContext context) {
            return writer();
        }

        @Override
        public SinkWriter<SpendUpdate> createWriter(WriterInitContext context) {
            return writer();
        }

        private static SinkWriter<SpendUpdate> writer() {
            return new SinkWriter<>() {
                @Override public void write(SpendUpdate u, Context c) { UPDATES.add(u); }
                @Override public void flush(boolean endOfInput) {}
                @Override public void close() {}
            };
        }
    }
}
