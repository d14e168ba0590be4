package io.bedrockspend.alerts;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BudgetsTest {
    static String fixture(String name) throws IOException {
        try (InputStream in = BudgetsTest.class.getResourceAsStream("/alerts/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void parsesJsonExactly() throws Exception {
        Budgets b = Budgets.parse(fixture("budgets-valid.json"), "budgets-valid.json");
        assertEquals(new BigDecimal("1000.00"), b.teams.get("search").monthlyUsd());
        assertEquals("search-alerts", b.teams.get("search").channel());
        assertEquals(Budgets.DEFAULT_LEVELS, b.teams.get("search").levels());
        assertEquals(List.of(new BigDecimal("90"), new BigDecimal("100")), b.teams.get("ads").levels());
        assertEquals(new BigDecimal("250.50"), b.teams.get("ads").monthlyUsd());
        assertEquals(new BigDecimal("5000"), b.costCenters.get("CC-1001").monthlyUsd());
        assertEquals("finops", b.defaultChannel);
        AlertConfig cfg = new AlertConfig();
        assertEquals(b.costCenters.get("CC-1001"), b.lookup(cfg, "costCenter", "CC-1001"));
        assertNull(b.lookup(cfg, "model", "search"));
    }

    @Test
    void parsesYaml() throws Exception {
        Budgets b = Budgets.parse(fixture("budgets-valid.yaml"), "budgets-valid.yaml");
        assertEquals(new BigDecimal("1000.00"), b.teams.get("search").monthlyUsd());
        assertEquals(new BigDecimal("250"), b.teams.get("ads").monthlyUsd());
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "budgets-typo.json        | teams.search.monthlyUSD: unknown key",
            "budgets-not-decimal.json | teams.search.monthlyUsd: \"one thousand\" is not a decimal number",
            "budgets-url-channel.json | teams.search.channel: is a URL",
            "budgets-broken.json      | budgets-broken.json: not valid JSON",
            "budgets-yaml-float.yaml  | write the amount as a string",
    })
    void invalidFilesSayWhereAndWhy(String file, String expected) throws Exception {
        Budgets.InvalidBudgetsException e = assertThrows(Budgets.InvalidBudgetsException.class,
                () -> Budgets.parse(fixture(file), file));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith(file), e.getMessage());
        // the URL of a misplaced webhook is not repeated in the error (it ends up in logs and alerts)
        assertTrue(!e.getMessage().contains("hooks.slack.com"), e.getMessage());
    }

    @Test
    void levelsMustAscendAndAmountsBePositive() {
        assertThrows(Budgets.InvalidBudgetsException.class, () -> Budgets.parse("{\"levels\": [80, 50]}", "b.json"));
        assertThrows(Budgets.InvalidBudgetsException.class,
                () -> Budgets.parse("{\"teams\": {\"a\": {\"monthlyUsd\": \"0\"}}}", "b.json"));
        assertThrows(Budgets.InvalidBudgetsException.class, () -> Budgets.parse("[]", "b.json"));
    }

    @Test
    void pollerReadsNewestFileInFolderAndSeesInPlaceReplacement(@TempDir Path dir) throws Exception {
        BudgetsUpdate none = BudgetsSource.read(dir.toString());
        assertNotNull(none.error);

        Path a = dir.resolve("budgets.json");
        Files.writeString(a, "{\"teams\": {\"search\": {\"monthlyUsd\": \"1000\"}}}");
        Files.setLastModifiedTime(a, FileTime.fromMillis(1_000_000));
        Files.writeString(dir.resolve(".hidden.json"), "not json");
        Files.writeString(dir.resolve("_draft.json"), "not json");
        Files.writeString(dir.resolve("README.md"), "# notes");
        BudgetsUpdate first = BudgetsSource.read(dir.toString());
        assertNull(first.error);
        assertEquals("budgets.json", first.origin);

        // replaced in place (same path, new content): seen on the next poll
        Files.writeString(a, "{\"teams\": {\"search\": {\"monthlyUsd\": \"2000\"}}}");
        Files.setLastModifiedTime(a, FileTime.fromMillis(2_000_000));
        BudgetsUpdate replaced = BudgetsSource.read(dir.toString());
        assertTrue(replaced.text.contains("2000"));
        assertTrue(!replaced.fingerprint().equals(first.fingerprint()));

        // a newer file wins; an invalid newest file is reported, not silently skipped
        Path b = dir.resolve("budgets-2026-11.json");
        Files.writeString(b, "{\"teams\": {\"search\": {\"monthlyUsd\": \"-5\"}}}");
        Files.setLastModifiedTime(b, FileTime.fromMillis(3_000_000));
        BudgetsUpdate invalid = BudgetsSource.read(dir.toString());
        assertEquals("budgets-2026-11.json", invalid.origin);
        assertNull(invalid.text);
        assertTrue(invalid.error.contains("teams.search.monthlyUsd: must be greater than 0"), invalid.error);
    }

    @Test
    void changesOnlyPassesDifferences() throws Exception {
        BudgetsSource.ChangesOnly f = new BudgetsSource.ChangesOnly();
        BudgetsUpdate u = BudgetsUpdate.ok("b.json", "{}", 1);
        assertTrue(f.filter(u));
        assertTrue(!f.filter(BudgetsUpdate.ok("b.json", "{}", 1)));
        assertTrue(f.filter(BudgetsUpdate.ok("b.json", "{\"teams\":{}}", 2)));
    }
}
