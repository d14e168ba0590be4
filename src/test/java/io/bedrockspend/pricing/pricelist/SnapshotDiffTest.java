package io.bedrockspend.pricing.pricelist;

import static io.bedrockspend.pricing.pricelist.SnapshotValidatorTest.entry;
import static io.bedrockspend.pricing.pricelist.SnapshotValidatorTest.snapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bedrockspend.pricing.PriceBook;
import io.bedrockspend.pricing.TokenKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotDiffTest {
    @TempDir
    Path dir;

    private SnapshotDiff.Result diff() throws Exception {
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        Files.writeString(a, snapshot("a", "2026-11-01",
                entry("amazon.nova-pro-v1:0", "regional", "us", "standard", "\"input\":\"0.8\",\"output\":\"3.2\"", ""),
                entry("amazon.nova-lite-v1:0", "regional", "us", "standard", "\"input\":\"0.06\"", ""),
                entry("meta.llama3-8b-instruct-v1:0", "regional", "us", "standard", "\"input\":\"0.3\"", ""),
                entry("mistral.mistral-7b-instruct-v0:2", "regional", "us", "standard", "\"input\":\"0.15\"", "\"effectiveTo\":\"2027-01-01\",")),
                StandardCharsets.UTF_8);
        Files.writeString(b, snapshot("b", "2026-12-01",
                entry("amazon.nova-pro-v1:0", "regional", "us", "standard", "\"input\":\"0.80\",\"output\":\"2.4\",\"cacheRead\":\"0.2\"", ""),
                entry("meta.llama3-8b-instruct-v1:0", "regional", "us", "standard", "\"input\":\"0.3\"", ""),
                entry("mistral.mistral-7b-instruct-v0:2", "regional", "us", "standard", "\"input\":\"0.15\"", "\"effectiveTo\":\"2027-02-01\","),
                entry("amazon.nova-micro-v1:0", "regional", "us", "standard", "\"input\":\"0.035\"", "")),
                StandardCharsets.UTF_8);
        return SnapshotDiff.diff(PriceBook.readSnapshot(a), PriceBook.readSnapshot(b));
    }

    @Test
    void listsAddedRemovedChangedRatesAndDates() throws Exception {
        SnapshotDiff.Result r = diff();
        assertEquals(1, r.count("added"));
        assertEquals(1, r.count("removed"));
        assertEquals(2, r.count("changed"));
        assertEquals(1, r.unchanged());
        SnapshotDiff.EntryChange nova = r.changes().stream()
                .filter(c -> c.key().startsWith("amazon.nova-pro")).findFirst().orElseThrow();
        // 0.8 -> 0.80 is the same price (compared exactly, not as text)
        assertEquals(2, nova.rates().size(), nova.rates().toString());
        SnapshotDiff.RateChange out = nova.rates().get(0);
        assertEquals(TokenKind.OUTPUT, out.kind());
        assertEquals(0, new BigDecimal("-25.00").compareTo(out.percent()));
        assertEquals(TokenKind.CACHE_READ, nova.rates().get(1).kind());
        assertEquals(null, nova.rates().get(1).oldRate());
        SnapshotDiff.EntryChange mistral = r.changes().stream()
                .filter(c -> c.key().startsWith("mistral")).findFirst().orElseThrow();
        assertEquals(java.util.List.of("effectiveTo: 2027-01-01 -> 2027-02-01"), mistral.other());
        assertTrue(r.snapshotChanges().contains("effectiveFrom: 2026-11-01 -> 2026-12-01"));
    }

    @Test
    void printsATableAndJson() throws Exception {
        SnapshotDiff.Result r = diff();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        SnapshotDiff.print(r, new PrintStream(buf, true, StandardCharsets.UTF_8));
        String table = buf.toString(StandardCharsets.UTF_8);
        assertTrue(table.contains("1 added, 1 removed, 2 changed, 1 unchanged entries"), table);
        assertTrue(table.matches("(?s).*changed +amazon.nova-pro-v1:0 \\(regional, us, standard, standard\\) +output +3.2 +2.4 +-25.00%.*"), table);
        assertTrue(table.matches("(?s).*removed +amazon.nova-lite-v1:0 .* input +0.06 +- .*"), table);
        ObjectMapper om = new ObjectMapper();
        JsonNode j = SnapshotDiff.json(r, om);
        assertEquals(2, j.path("counts").path("changed").asInt());
        JsonNode first = j.path("changes").get(1); // sorted by entry key: nova-lite (removed), nova-micro (added), ...
        assertEquals("removed", j.path("changes").get(0).path("change").asText());
        assertEquals("added", first.path("change").asText());
        assertEquals("amazon.nova-micro-v1:0", first.path("model").asText());
        assertEquals("0.035", first.path("new").path("ratesPerMillionTokens").path("input").asText());
    }

    @Test
    void identicalSnapshotsHaveNoChanges() throws Exception {
        Path a = Path.of("pricing-snapshots/2026-11-23-reference.json");
        SnapshotDiff.Result r = SnapshotDiff.diff(PriceBook.readSnapshot(a), PriceBook.readSnapshot(a));
        assertTrue(r.identical());
        assertEquals(142, r.unchanged());
    }
}
