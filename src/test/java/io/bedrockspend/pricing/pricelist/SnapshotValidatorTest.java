package io.bedrockspend.pricing.pricelist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotValidatorTest {
    @TempDir
    Path dir;

    private static final String ALIASES = """
            {"models": [
              {"modelId": "anthropic.claude-sonnet-4-5-20250929-v1:0", "names": ["Claude Sonnet 4.5"], "regionalPremium": true},
              {"modelId": "amazon.nova-pro-v1:0", "names": ["Nova Pro"]},
              {"modelId": "amazon.nova-micro-v1:0", "names": ["Nova Micro"]},
              {"modelId": "anthropic.claude-3-5-haiku-20241022-v1:0", "names": ["Claude 3.5 Haiku"], "retiredOn": "2026-06-19"}
            ]}""";

    static String entry(String model, String routing, String scope, String tier, String rates, String dates) {
        return "{\"model\":\"" + model + "\",\"routingClass\":\"" + routing + "\",\"regionScope\":\"" + scope
                + "\",\"tier\":\"" + tier + "\",\"contextBand\":\"standard\"," + dates + "\"ratesPerMillionTokens\":{" + rates + "}}";
    }

    static String snapshot(String id, String from, String... entries) {
        return "{\"formatVersion\":1,\"snapshotId\":\"" + id + "\",\"effectiveFrom\":\"" + from
                + "\",\"publishedAt\":\"" + from + "\",\"source\":\"test\",\"entries\":[" + String.join(",", entries) + "]}";
    }

    private static final String S45 = "anthropic.claude-sonnet-4-5-20250929-v1:0";

    @Test
    void theCommittedFolderPasses() throws Exception {
        SnapshotValidator.Result r = SnapshotValidator.validate(Path.of("pricing-snapshots"), List.of("us-east-1"),
                ModelAliases.bundled(), true);
        assertEquals(List.of(), r.problems());
        assertTrue(r.ok());
        assertEquals(1, r.snapshots().size());
    }

    @Test
    void aBrokenSnapshotFailsWithSpecificMessages() throws Exception {
        Files.writeString(dir.resolve("2026-12-01-pricelist.json"), snapshot("broken", "2026-12-01",
                // the CacheWrite1h row read as the input rate
                entry(S45, "regional", "us-east-1", "standard", "\"input\":\"3.3\",\"cacheWrite1h\":\"3.3\",\"cacheRead\":\"0.33\"", ""),
                entry(S45, "global", "us-east-1", "standard", "\"input\":\"3.0\",\"cacheWrite5m\":\"3.75\"", ""),
                entry(S45, "global", "us-east-1", "batch", "\"input\":\"2\"", ""),
                entry("amazon.nova-pro-v1:0", "regional", "us", "standard", "\"input\":\"0.8\"", "\"effectiveTo\":\"2027-01-01\","),
                entry("amazon.nova-pro-v1:0", "regional", "us", "standard", "\"input\":\"0.9\"", "\"effectiveFrom\":\"2026-12-15\","),
                entry("amazon.nova-pro-v1:0", "regional", "us", "standard", "\"input\":\"1.0\"", "\"effectiveFrom\":\"2026-12-20\",")),
                StandardCharsets.UTF_8);
        SnapshotValidator.Result r = SnapshotValidator.validate(dir, List.of("us-east-1", "eu-west-1"),
                ModelAliases.parse(ALIASES.getBytes(StandardCharsets.UTF_8), "test"), false);
        List<String> errors = messages(r, SnapshotValidator.Severity.ERROR);
        List<String> warnings = messages(r, SnapshotValidator.Severity.WARNING);
        assertFalse(r.ok());
        assertTrue(errors.contains(S45 + " (regional, us-east-1, standard, standard): cacheWrite1h 3.3 is not 2 x input 3.3 (expected 6.6)"), errors.toString());
        // every overlap is listed, not just the first
        assertEquals(3, errors.stream().filter(e -> e.startsWith("overlapping effective ranges for amazon.nova-pro-v1:0")).count(), errors.toString());
        assertTrue(errors.contains("model amazon.nova-micro-v1:0 (alias table) has no standard price for region us-east-1 "
                + "(scopes [us-east-1, us, *]) in snapshot broken"), errors.toString());
        assertTrue(errors.stream().anyMatch(e -> e.startsWith("model " + S45 + " (alias table) has no standard price for region eu-west-1")));
        assertTrue(errors.stream().noneMatch(e -> e.contains("claude-3-5-haiku")), "retired models are not required");
        assertEquals(3 + 1 + 4, errors.size(), errors.toString()); // 3 overlaps, 1 ratio, 4 (model, region) gaps
        assertTrue(warnings.contains(S45 + " (global, us-east-1, batch, standard): input 2 is not 0.5 x standard input 3.0 (expected 1.5)"), warnings.toString());
        // 3.3 is exactly 1.1 x 3.0: no regional-premium warning; the batch one is the only warning
        assertEquals(1, warnings.size(), warnings.toString());
    }

    @Test
    void regionalPremiumAndBatchAreWarningsUnlessStrict() throws Exception {
        Files.writeString(dir.resolve("a.json"), snapshot("a", "2026-12-01",
                entry(S45, "regional", "*", "standard", "\"input\":\"3.5\"", ""),
                entry(S45, "global", "*", "standard", "\"input\":\"3\"", ""),
                entry("amazon.nova-pro-v1:0", "regional", "us", "standard", "\"input\":\"0.8\"", ""),
                entry("amazon.nova-micro-v1:0", "regional", "us", "standard", "\"input\":\"0.035\"", "")), StandardCharsets.UTF_8);
        ModelAliases aliases = ModelAliases.parse(ALIASES.getBytes(StandardCharsets.UTF_8), "test");
        SnapshotValidator.Result lenient = SnapshotValidator.validate(dir, List.of("us-east-1"), aliases, false);
        assertEquals(List.of(S45 + " (regional, *, standard, standard): input 3.5 is not 1.1 x global 3 (*; expected 3.3)"),
                messages(lenient, SnapshotValidator.Severity.WARNING));
        assertTrue(lenient.ok());
        assertFalse(SnapshotValidator.validate(dir, List.of("us-east-1"), aliases, true).ok());
    }

    @Test
    void loaderErrorsAreReportedPerFile() throws Exception {
        Files.writeString(dir.resolve("a.json"), snapshot("a", "2026-12-01",
                entry("amazon.nova-pro-v1:0", "regional", "us", "standard", "\"input\":0.8", "")), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve("b.json"), snapshot("b", "2026-12-02",
                entry("amazon.nova-pro-v1:0", "regional", "us", "standard", "\"input\":\"-1\"", "")), StandardCharsets.UTF_8);
        SnapshotValidator.Result r = SnapshotValidator.validate(dir, List.of("us-east-1"),
                ModelAliases.parse(ALIASES.getBytes(StandardCharsets.UTF_8), "test"), false);
        List<String> errors = messages(r, SnapshotValidator.Severity.ERROR);
        assertTrue(errors.get(0).endsWith("a.json: entry #1 (amazon.nova-pro-v1:0): rate input must be a decimal string, got 0.8"), errors.toString());
        assertTrue(errors.get(1).endsWith("b.json: entry #1 (amazon.nova-pro-v1:0): rate input '-1' must be positive"), errors.toString());
        assertFalse(r.ok());
    }

    private static List<String> messages(SnapshotValidator.Result r, SnapshotValidator.Severity s) {
        return r.problems().stream().filter(p -> p.severity() == s).map(SnapshotValidator.Problem::message)
                .collect(Collectors.toList());
    }
}
