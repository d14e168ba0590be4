package io.bedrockspend.pricing;

import static io.bedrockspend.pricing.Calls.call;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Loader validation and snapshot selection, on small hand-written snapshots. */
class PriceBookLoadTest {
    @TempDir
    Path dir;

    static String snapshot(String id, String from, String entries) {
        return "{\"formatVersion\":1,\"snapshotId\":\"" + id + "\",\"effectiveFrom\":\"" + from
                + "\",\"publishedAt\":\"" + from + "\",\"source\":\"test\",\"entries\":[" + entries + "]}";
    }

    static String entry(String extra, String rates) {
        return "{\"model\":\"m.x\",\"routingClass\":\"regional\",\"regionScope\":\"us\",\"tier\":\"standard\","
                + "\"contextBand\":\"standard\"" + extra + ",\"ratesPerMillionTokens\":{" + rates + "}}";
    }

    static final String OK_RATES = "\"input\":\"1.00\"";

    static Stream<Arguments> badFiles() {
        return Stream.of(
                Arguments.of("{\"formatVersion\":1,", "invalid JSON"),
                Arguments.of(snapshot("s", "2024-01-01", entry("", OK_RATES)).replace("\"formatVersion\":1", "\"formatVersion\":2"),
                        "unsupported formatVersion 2"),
                Arguments.of(snapshot("s", "2024-01-01", entry("", "\"input\":\"0\"")), "rate input '0' must be positive"),
                Arguments.of(snapshot("s", "2024-01-01", entry("", "\"input\":\"-1.5\"")), "rate input '-1.5' must be positive"),
                Arguments.of(snapshot("s", "2024-01-01", entry("", "\"input\":\"abc\"")), "rate input 'abc' is not a decimal number"),
                Arguments.of(snapshot("s", "2024-01-01", entry("", "\"input\":3.3")), "rate input must be a decimal string"),
                Arguments.of(snapshot("s", "2024-01-01", entry("", "\"inputz\":\"1\"")), "unknown token kind 'inputz'"),
                Arguments.of(snapshot("s", "2024-01-01", entry("", "")), "ratesPerMillionTokens is missing or empty"),
                Arguments.of(snapshot("s", "2024-01-01", entry(",\"extra\":1", OK_RATES)), "extra"),
                Arguments.of(snapshot("s", "2024-01-01", entry("", OK_RATES).replace("\"regional\"", "\"geo\"")),
                        "routingClass must be global or regional"),
                Arguments.of(snapshot("s", "2024-01-01", entry(",\"effectiveFrom\":\"2025-02-30\"", OK_RATES)),
                        "effectiveFrom '2025-02-30' is not a date"),
                Arguments.of(snapshot("s", "2024-01-01",
                        entry(",\"effectiveTo\":\"2025-06-01\"", OK_RATES) + ","
                                + entry(",\"effectiveFrom\":\"2025-05-31\"", OK_RATES)),
                        "overlapping effective ranges for m.x (regional, us, standard, standard)"),
                Arguments.of(snapshot("s", "2024-01-01", entry("", OK_RATES) + "," + entry("", "\"input\":\"2\"")),
                        "overlapping effective ranges"));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("badFiles")
    void rejectsBadSnapshotNamingFileAndProblem(String json, String problem) throws IOException {
        Files.writeString(dir.resolve("bad.json"), json);
        IOException e = assertThrows(IOException.class, () -> PriceBook.load(dir));
        assertTrue(e.getMessage().contains("bad.json"), e.getMessage());
        assertTrue(e.getMessage().contains(problem), e.getMessage());
    }

    @Test
    void rejectsMissingFolder() {
        IOException e = assertThrows(IOException.class, () -> PriceBook.load(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }

    @Test
    void rejectsFolderWithoutSnapshots() {
        IOException e = assertThrows(IOException.class, () -> PriceBook.load(dir));
        assertTrue(e.getMessage().startsWith("no *.json pricing snapshots"), e.getMessage());
    }

    @Test
    void rejectsDuplicateSnapshotId() throws IOException {
        Files.writeString(dir.resolve("a.json"), snapshot("same", "2024-01-01", entry("", OK_RATES)));
        Files.writeString(dir.resolve("b.json"), snapshot("same", "2025-01-01", entry("", OK_RATES)));
        IOException e = assertThrows(IOException.class, () -> PriceBook.load(dir));
        assertTrue(e.getMessage().contains("snapshotId same is also used by"), e.getMessage());
    }

    @Test
    void adjacentDatedEntriesDoNotOverlap() throws IOException {
        Files.writeString(dir.resolve("a.json"), snapshot("s", "2024-01-01",
                entry(",\"effectiveTo\":\"2025-06-01\"", OK_RATES) + ","
                        + entry(",\"effectiveFrom\":\"2025-06-01\"", "\"input\":\"2\"")));
        PriceBook book = PriceBook.load(dir);
        // 1000 x 1.00 / 1e6 = 0.001 on the last day of the first range; 1000 x 2 = 0.002 on the first of the next
        assertEquals(0, new BigDecimal("0.001").compareTo(book.price(call("m.x", "us-east-1", "2025-05-31").tokens(1000, 0).build()).total));
        assertEquals(0, new BigDecimal("0.002").compareTo(book.price(call("m.x", "us-east-1", "2025-06-01").tokens(1000, 0).build()).total));
    }

    @Test
    void laterSnapshotTakesOverAtItsEffectiveDate() throws IOException {
        Files.writeString(dir.resolve("old.json"), snapshot("old", "2024-01-01", entry("", "\"input\":\"1\"")));
        Files.writeString(dir.resolve("new.json"), snapshot("new", "2026-01-01", entry("", "\"input\":\"3\"")));
        PriceBook book = PriceBook.load(dir);
        assertEquals(List.of("old", "new"), book.snapshotIds());
        CallCost before = book.price(call("m.x", "us-east-1", "2025-12-31").tokens(1000, 0).build());
        CallCost after = book.price(call("us.m.x", "us-east-1", "2026-01-01").tokens(1000, 0).build());
        assertEquals("old", before.snapshotId);
        assertEquals(0, new BigDecimal("0.001").compareTo(before.total)); // 1000 x 1 / 1e6
        assertEquals("new", after.snapshotId);
        assertEquals(0, new BigDecimal("0.003").compareTo(after.total)); // 1000 x 3 / 1e6
        assertEquals(1, book.entries("new").size());
    }
}
