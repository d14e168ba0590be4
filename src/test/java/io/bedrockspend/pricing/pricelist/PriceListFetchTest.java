package io.bedrockspend.pricing.pricelist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bedrockspend.ingest.InvocationCall;
import io.bedrockspend.pricing.CallCost;
import io.bedrockspend.pricing.PriceBook;
import io.bedrockspend.pricing.PriceEntry;
import io.bedrockspend.pricing.TokenKind;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.pricing.PricingClient;
import software.amazon.awssdk.services.pricing.model.ThrottlingException;

/** The real SDK PricingClient against a local server replaying recorded GetProducts pages. */
class PriceListFetchTest {
    private static final StaticCredentialsProvider CREDS =
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "fake-secret"));
    private static final LocalDate DAY = LocalDate.parse("2026-12-01");

    @TempDir
    Path dir;
    private FakePriceListServer server;
    private final List<Duration> sleeps = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        server = new FakePriceListServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Fetch with the SDK's own retries off (maxAttempts 1), so our ThrottlingException back-off runs. */
    private Fetched fetch(int sdkMaxAttempts, PriceListFetcher.Backoff backoff) throws Exception {
        SnapshotAssembler a = new SnapshotAssembler(ModelAliases.bundled());
        PriceListFetcher f;
        try (PricingClient client = PriceListFetcher.client(server.endpoint(), CREDS, sdkMaxAttempts)) {
            f = new PriceListFetcher(client, backoff, sleeps::add, new Random(7), s -> { });
            f.fetch(List.of("us-east-1"), a);
        }
        PriceListSnapshotWriter.Written w = PriceListSnapshotWriter.write(a, dir, null, DAY,
                Instant.parse("2026-12-01T08:00:00Z"), List.of("us-east-1"), f.warnings(), false);
        return new Fetched(a, f, w);
    }

    private record Fetched(SnapshotAssembler assembler, PriceListFetcher fetcher, PriceListSnapshotWriter.Written written) {}

    @Test
    void fetchesAllPagesAndWritesExactRates() throws Exception {
        server.throttle("AmazonBedrockService-page1", 1);
        Fetched r = fetch(1, new PriceListFetcher.Backoff(4, Duration.ofMillis(200), Duration.ofSeconds(2)));

        // 6 pages + 1 throttled attempt, all signed JSON 1.1 GetProducts calls filtered by regionCode
        List<FakePriceListServer.Request> reqs = server.requests();
        assertEquals(7, reqs.size());
        for (FakePriceListServer.Request q : reqs) {
            assertEquals(FakePriceListServer.TARGET, q.target());
            assertEquals("application/x-amz-json-1.1", q.contentType());
            assertTrue(q.authorization().startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"), q.authorization());
            assertEquals("aws_v1", q.body().path("FormatVersion").asText());
            assertEquals("regionCode", q.body().path("Filters").get(0).path("Field").asText());
            assertEquals("us-east-1", q.body().path("Filters").get(0).path("Value").asText());
        }
        assertEquals(List.of("AmazonBedrock-page1", "AmazonBedrock-page2", "AmazonBedrockFoundationModels-page1",
                "AmazonBedrockFoundationModels-page2", "AmazonBedrockFoundationModels-page3",
                "AmazonBedrockService-page1", "AmazonBedrockService-page1"),
                reqs.stream().map(FakePriceListServer.Request::page).collect(Collectors.toList()));
        assertEquals("AmazonBedrock-page2", reqs.get(1).body().path("NextToken").asText());
        assertEquals(400, reqs.get(5).status());
        assertEquals(1, r.fetcher().throttledRetries());
        assertEquals(1, sleeps.size());
        assertTrue(sleeps.get(0).compareTo(Duration.ofMillis(200)) <= 0, "first back-off is at most the base");
        assertEquals(6, r.fetcher().pages());

        assertEquals(32, r.assembler().rows());
        assertEquals(27, r.assembler().pricedRows());

        PriceBook book = PriceBook.load(dir);
        assertEquals(List.of("2026-12-01-pricelist"), book.snapshotIds());
        Map<String, PriceEntry> e = new HashMap<>();
        book.entries("2026-12-01-pricelist").forEach(x -> e.put(x.describe(), x));
        assertEquals(15, e.size(), e.keySet().toString());

        String s45 = "anthropic.claude-sonnet-4-5-20250929-v1:0";
        // 1K-token rows x1000
        rates(e, "amazon.nova-pro-v1:0 (regional, us-east-1, standard, standard)",
                "input", "0.8", "output", "3.2", "cacheRead", "0.2");
        // batch rows whose inferenceType says "Input tokens"
        rates(e, "amazon.nova-pro-v1:0 (regional, us-east-1, batch, standard)", "input", "0.4", "output", "1.6");
        rates(e, "amazon.nova-pro-v1:0 (regional, us-east-1, latency-optimized, standard)", "input", "1");
        rates(e, "amazon.nova-pro-v1:0 (regional, us-east-1, priority, standard)", "input", "1.4");
        rates(e, "meta.llama3-3-70b-instruct-v1:0 (regional, us-east-1, standard, standard)", "input", "0.72");
        rates(e, "openai.gpt-oss-120b-1:0 (regional, us-east-1, standard, standard)", "input", "0.15", "output", "0.6");
        // 1M-token Marketplace rows x1, regional/global twins, cache 5m and 1h
        rates(e, s45 + " (regional, us-east-1, standard, standard)", "input", "3.3", "output", "16.5",
                "cacheRead", "0.33", "cacheWrite5m", "4.125", "cacheWrite1h", "6.6");
        rates(e, s45 + " (global, us-east-1, standard, standard)", "input", "3", "output", "15", "cacheWrite1h", "6");
        rates(e, s45 + " (regional, us-east-1, standard, long)", "input", "6.6");
        rates(e, s45 + " (global, us-east-1, standard, long)", "input", "6");
        rates(e, s45 + " (global, us-east-1, batch, standard)", "input", "1.5");
        // unit "Units" with a "Million ..." description
        rates(e, "anthropic.claude-haiku-4-5-20251001-v1:0 (global, us-east-1, standard, standard)", "input", "1");
        // snake_case Marketplace grammar
        rates(e, "anthropic.claude-opus-4-7 (global, us-east-1, standard, standard)", "input", "5", "cacheWrite1h", "10");
        // AmazonBedrockService legacy shape, cross-region-global and long-context
        rates(e, "anthropic.claude-sonnet-4-20250514-v1:0 (global, us-east-1, standard, standard)", "input", "3");
        rates(e, "anthropic.claude-sonnet-4-20250514-v1:0 (global, us-east-1, standard, long)", "input", "6");
        assertEquals(200_000L, e.get(s45 + " (regional, us-east-1, standard, long)").longContextThresholdTokens());

        // provenance: SKU, usage type and term effectiveDate per rate; usage-type templates
        PriceEntry gptoss = e.get("openai.gpt-oss-120b-1:0 (regional, us-east-1, standard, standard)");
        assertEquals("{region}-openai.gpt-oss-120b-mantle-input-tokens-standard", gptoss.usageTypes().get(TokenKind.INPUT));
        assertEquals("{region}-MP:{region}_CacheWrite1hInputTokenCount-Units",
                e.get(s45 + " (regional, us-east-1, standard, standard)").usageTypes().get(TokenKind.CACHE_WRITE_1H));
        JsonNode snap = new ObjectMapper().readTree(r.written().snapshot().toFile());
        assertTrue(snap.path("source").asText().contains("AmazonBedrockFoundationModels version 20261118120000 publicationDate 2026-11-18T12:00:00Z"),
                snap.path("source").asText());
        assertEquals("2026-11-20T09:30:00Z", snap.path("publishedAt").asText());
        JsonNode gptRows = null;
        for (JsonNode n : snap.path("entries")) {
            if (n.path("model").asText().startsWith("openai.gpt-oss-120b")) {
                gptRows = n.path("sourceRows");
            }
        }
        assertNotNull(gptRows);
        assertEquals(3, gptRows.size(), "the output twin keeps both SKUs: " + gptRows);
        assertTrue(gptRows.get(0).asText().matches("input: AmazonBedrock sku [A-Z]{16} usagetype "
                + "USE1-openai.gpt-oss-120b-mantle-input-tokens-standard effectiveDate 2026-10-01T00:00:00Z .*"), gptRows.get(0).asText());

        // a global call and a us. call from us-east-1 are priced by their own SKU
        assertEquals(0, new BigDecimal("0.003").compareTo(cost(book, "global.anthropic.claude-sonnet-4-5-20250929-v1:0", 1000)));
        assertEquals(0, new BigDecimal("0.0033").compareTo(cost(book, "us.anthropic.claude-sonnet-4-5-20250929-v1:0", 1000)));
    }

    @Test
    void reportsWhatItCannotClassifyOrMap() throws Exception {
        Fetched r = fetch(1, PriceListFetcher.Backoff.defaults());
        JsonNode report = new ObjectMapper().readTree(r.written().report().toFile());
        assertEquals(dir.resolve("reports").resolve("unclassified-2026-12-01.json"), r.written().report());
        Map<String, String> byUsage = new HashMap<>();
        Map<String, String> category = new HashMap<>();
        for (JsonNode n : report.path("reported")) {
            byUsage.put(n.path("usageType").asText(), n.path("reason").asText());
            category.put(n.path("usageType").asText(), n.path("category").asText());
        }
        assertEquals(5, byUsage.size(), byUsage.toString());
        assertEquals("unclassified", category.get("USE1-Nova2.0Lite-web-grounding-requests"));
        assertEquals("usage type matches no known grammar", byUsage.get("USE1-Nova2.0Lite-web-grounding-requests"));
        assertEquals("unmapped", category.get("USE1-zai.glm5-mantle-input-tokens-standard"));
        assertTrue(byUsage.get("USE1-zai.glm5-mantle-input-tokens-standard").contains("model 'GLM 5'"));
        assertEquals("excluded", category.get("USE1-MP:USE1_Reserved_1Month_InputTPM_Geo-Units"));
        assertEquals("excluded", category.get("USE1-MP:USE1_ProvisionedThroughput_1MonthCommit_ModelUnits_Usage-Units"));
        assertEquals("excluded", category.get("USE1-NovaMicro-Model-Customization-input-tokens"));
        assertEquals(1, report.path("counts").path("unclassified").asInt());
        assertEquals(1, report.path("counts").path("unmapped").asInt());
        assertEquals(3, report.path("counts").path("excluded").asInt());
        // the report sits outside the snapshot glob, so the folder still loads
        assertEquals(1, PriceBook.load(dir).snapshotIds().size());
    }

    @Test
    void sdkRetryStrategyAbsorbsASingleThrottle() throws Exception {
        server.throttle("AmazonBedrock-page1", 1);
        Fetched r = fetch(3, PriceListFetcher.Backoff.defaults());
        assertEquals(0, r.fetcher().throttledRetries(), "the SDK retried, not us");
        assertEquals(7, server.requests().size());
        assertEquals(27, r.assembler().pricedRows());
    }

    @Test
    void givesUpAfterMaxAttemptsOfThrottling() throws Exception {
        server.throttle("AmazonBedrock-page1", 10);
        ThrottlingException e = assertThrows(ThrottlingException.class,
                () -> fetch(1, new PriceListFetcher.Backoff(3, Duration.ofMillis(100), Duration.ofMillis(250))));
        assertEquals(400, e.statusCode());
        assertEquals(List.of(Duration.ofMillis(100), Duration.ofMillis(250)).size(), sleeps.size());
        assertTrue(sleeps.get(1).toMillis() <= 200, "capped exponential: attempt 2 waits at most 2 x base");
        assertFalse(dir.resolve("2026-12-01-pricelist.json").toFile().exists());
    }

    @Test
    void backoffIsCappedExponentialWithJitter() {
        PriceListFetcher.Backoff b = new PriceListFetcher.Backoff(10, Duration.ofMillis(100), Duration.ofMillis(1000));
        Random rnd = new Random(1);
        for (int attempt = 1; attempt <= 9; attempt++) {
            long ceiling = Math.min(1000, 100L << (attempt - 1));
            for (int i = 0; i < 50; i++) {
                long d = b.delay(attempt, rnd).toMillis();
                assertTrue(d >= 0 && d <= ceiling, attempt + ": " + d);
            }
        }
    }

    private static void rates(Map<String, PriceEntry> entries, String key, String... kv) {
        PriceEntry e = entries.get(key);
        assertNotNull(e, "no entry " + key + " in " + entries.keySet());
        Map<TokenKind, BigDecimal> rates = e.rates().asMap();
        assertEquals(kv.length / 2, rates.size(), key + ": " + rates);
        for (int i = 0; i < kv.length; i += 2) {
            BigDecimal actual = rates.get(TokenKind.fromWire(kv[i]));
            assertNotNull(actual, key + " " + kv[i]);
            assertEquals(0, new BigDecimal(kv[i + 1]).compareTo(actual), key + " " + kv[i] + ": " + actual);
        }
    }

    private static BigDecimal cost(PriceBook book, String modelId, long input) {
        InvocationCall c = new InvocationCall();
        c.modelId = modelId;
        c.region = "us-east-1";
        c.timestampMillis = DAY.atTime(12, 0).toInstant(java.time.ZoneOffset.UTC).toEpochMilli();
        c.inputTokens = input;
        CallCost cost = book.price(c);
        assertEquals(CallCost.PRICED, cost.status, cost.reason);
        return cost.total;
    }
}
