package io.bedrockspend.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bedrockspend.pricing.PriceBook;
import io.bedrockspend.pricing.pricelist.FakePriceListServer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PricingCommandTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T08:00:00Z"), ZoneOffset.UTC);
    private static final String SEED = "pricing-snapshots/2026-11-23-reference.json";

    @TempDir
    Path dir;

    private record Run(int code, String out, String err) {}

    private static Run run(String... argv) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = PricingCommand.run(argv, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), CLOCK);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theCommittedPricingFolderIsValid() throws Exception {
        Run r = run("pricing", "validate", "pricing-snapshots", "--regions", "us-east-1", "--strict");
        assertEquals(ExitCodes.OK, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("1 snapshot(s), 142 entries, regions [us-east-1]: 0 error(s), 0 warning(s): valid"), r.out());
    }

    @Test
    void validateListsProblemsAndFails() throws Exception {
        Files.writeString(dir.resolve("x.json"), """
                {"formatVersion":1,"snapshotId":"x","effectiveFrom":"2026-12-01","publishedAt":"2026-12-01","source":"t",
                 "entries":[{"model":"anthropic.claude-haiku-4-5-20251001-v1:0","routingClass":"global","regionScope":"*",
                   "tier":"standard","contextBand":"standard","ratesPerMillionTokens":{"input":"1","cacheRead":"0.25"}}]}""");
        Run r = run("pricing", "validate", dir.toString());
        assertEquals(ExitCodes.FAILED, r.code());
        assertTrue(r.err().contains("anthropic.claude-haiku-4-5-20251001-v1:0 (global, *, standard, standard): cacheRead 0.25 is not 0.1 x input 1 (expected 0.1)"), r.err());
        assertTrue(r.err().contains("model amazon.nova-pro-v1:0 (alias table) has no standard price for region us-east-1"), r.err());
        assertTrue(r.err().contains(": INVALID"), r.err());
        assertEquals(ExitCodes.BAD_INPUT, run("pricing", "validate", dir.resolve("missing").toString()).code());
    }

    @Test
    void fetchWritesALoadableSnapshotAndAReport() throws Exception {
        String oldKey = System.getProperty("aws.accessKeyId");
        String oldSecret = System.getProperty("aws.secretAccessKey");
        // the default credential chain reads these system properties first
        System.setProperty("aws.accessKeyId", "AKIDEXAMPLE");
        System.setProperty("aws.secretAccessKey", "fake-secret");
        try (FakePriceListServer server = new FakePriceListServer()) {
            Path out = dir.resolve("snapshots");
            Run r = run("pricing", "fetch", "--region", "us-east-1", "--out", out.toString(), "--endpoint",
                    server.endpoint().toString());
            assertEquals(ExitCodes.OK, r.code(), r.out() + r.err());
            assertTrue(r.out().contains("32 rows in 6 pages (0 throttled retries): 27 priced"), r.out());
            assertTrue(r.out().contains("not priced: {excluded=3, unclassified=1, unmapped=1}"), r.out());
            assertEquals(6, server.requests().size(), "6 pages over the three offer codes");
            PriceBook book = PriceBook.load(out);
            assertEquals(java.util.List.of("2026-12-01-pricelist"), book.snapshotIds());
            JsonNode report = new ObjectMapper().readTree(out.resolve("reports/unclassified-2026-12-01.json").toFile());
            assertEquals(5, report.path("reported").size());

            Run again = run("pricing", "fetch", "--region", "us-east-1", "--out", out.toString(), "--endpoint",
                    server.endpoint().toString());
            assertEquals(ExitCodes.FAILED, again.code());
            assertEquals(6, server.requests().size(), "refused before calling the API");
            assertTrue(again.err().contains("already exists (use --force to replace it)"), again.err());
        } finally {
            restore("aws.accessKeyId", oldKey);
            restore("aws.secretAccessKey", oldSecret);
        }
    }

    @Test
    void diffPrintsChangesAsTableOrJson() throws Exception {
        String seed = Files.readString(Path.of(SEED));
        Path b = dir.resolve("b.json");
        Files.writeString(b, seed.replaceFirst("\"2026-11-23-reference\"", "\"b\"")
                .replaceFirst("\"input\": \"0.3\",\\s*\"output\": \"2.5\"", "\"input\": \"0.33\", \"output\": \"2.5\""));
        Run r = run("pricing", "diff", SEED, b.toString());
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().contains("0 added, 0 removed, 1 changed, 141 unchanged entries"), r.out());
        assertTrue(r.out().matches("(?s).*amazon.nova-2-lite-v1:0 \\(global, \\*, standard, standard\\) +input +0.3 +0.33 +\\+10.00%.*"), r.out());
        Run j = run("pricing", "diff", SEED, b.toString(), "--json");
        JsonNode n = new ObjectMapper().readTree(j.out());
        assertEquals("10.00", n.path("changes").get(0).path("rateChanges").get(0).path("percent").asText());
        assertEquals(ExitCodes.USAGE, run("pricing", "diff", SEED).code());
        assertEquals(ExitCodes.BAD_INPUT, run("pricing", "diff", SEED, dir.resolve("nope.json").toString()).code());
    }

    @Test
    void crosscheckAgreesWithTheTableTheSeedCameFrom() throws Exception {
        Run r = run("pricing", "crosscheck", SEED, "--csv", "pricing-snapshots/seed/bedrock-prices.csv", "--on", "2026-11-23");
        assertEquals(ExitCodes.OK, r.code(), r.err());
        assertTrue(r.out().contains("298 rates compared on 2026-11-23, 0 disagreement(s)"), r.out());
    }

    @Test
    void usageErrors() throws Exception {
        assertEquals(ExitCodes.USAGE, run("pricing").code());
        assertEquals(ExitCodes.OK, run("pricing", "--help").code());
        assertEquals(ExitCodes.USAGE, run("pricing", "bogus").code());
        Run noRegion = run("pricing", "fetch", "--out", dir.toString());
        assertEquals(ExitCodes.USAGE, noRegion.code());
        assertTrue(noRegion.err().contains("give at least one --region"), noRegion.err());
        assertEquals(ExitCodes.USAGE, run("pricing", "fetch", "--region", "mars-1", "--out", dir.toString()).code());
        assertEquals(ExitCodes.USAGE, run("pricing", "fetch", "--region", "us-east-1", "--out", dir.toString(),
                "--effective-from", "tomorrow").code());
        assertEquals(ExitCodes.OK, run("pricing", "validate", "--help").code());
    }

    private static void restore(String key, String value) {
        if (value == null) {
            System.clearProperty(key);
        } else {
            System.setProperty(key, value);
        }
    }
}
