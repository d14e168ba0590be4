package io.bedrockspend.pricing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The committed seed loads and covers every model of the CSV it was generated from. */
class SeedSnapshotTest {
    @Test
    void everyCsvModelHasAnEntry() throws Exception {
        PriceBook book = PriceBook.load(Path.of("pricing-snapshots"));
        assertEquals(List.of("2026-11-23-reference"), book.snapshotIds());
        Set<String> models = new HashSet<>();
        book.entries("2026-11-23-reference").forEach(e -> models.add(e.model()));
        List<String> rows = Files.readAllLines(Path.of("pricing-snapshots/seed/bedrock-prices.csv"));
        assertEquals(113, rows.size(), "header + 112 rows");
        for (String row : rows.subList(1, rows.size())) {
            String loggedId = row.substring(0, row.indexOf(','));
            ModelRef ref = book.normalizer().normalize(loggedId);
            assertTrue(models.contains(ref.baseModelId()), "no entry for " + loggedId);
        }
    }

    @Test
    void usOnlyProfileModelAlsoPricesInRegionCalls() throws Exception {
        PriceBook book = PriceBook.load(Path.of("pricing-snapshots"));
        // Nova Premier exists only as us.amazon.nova-premier-v1:0 in the CSV: 1000 x 2.5 / 1e6 = 0.0025
        CallCost c = book.price(Calls.call("amazon.nova-premier-v1:0", "us-west-2", "2025-06-01").tokens(1000, 0).build());
        assertEquals(0, new java.math.BigDecimal("0.0025").compareTo(c.total));
    }
}
