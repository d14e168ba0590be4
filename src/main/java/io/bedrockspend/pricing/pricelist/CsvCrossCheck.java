package io.bedrockspend.pricing.pricelist;

import io.bedrockspend.ingest.InvocationCall;
import io.bedrockspend.pricing.CallCost;
import io.bedrockspend.pricing.PriceBook;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code pricing crosscheck}: prices 100K tokens of each kind for every row of the research table
 * ({@code bedrock-prices.csv}) through the real {@link PriceBook} lookup and lists where the
 * snapshot disagrees. Rows for dated periods or non-standard tiers (their notes say so) are
 * skipped: the table has no machine-readable date or tier column.
 */
public final class CsvCrossCheck {
    /** 100K tokens: below every long-context threshold, so the standard band is compared. */
    private static final long TOKENS = 100_000L;
    private static final String[] SKIP_MARKERS = {"HISTORICAL", "PROMO", "STANDARD from", "STANDARD effective",
        "effective until", "effective from", "LATENCY-OPTIMIZED", "PRIORITY tier", "FLEX tier"};
    private static final String[] KINDS = {"input", "output", "cacheRead", "cacheWrite5m", "cacheWrite1h"};

    /** One disagreement; {@code snapshot} is null when the snapshot has no price. */
    public record Disagreement(int line, String modelId, String region, String kind, BigDecimal csv,
            BigDecimal snapshot, String reason) {
        @Override
        public String toString() {
            return "bedrock-prices.csv:" + line + " " + modelId + " @ " + region + " " + kind + ": csv " + csv.toPlainString()
                    + ", snapshot " + (snapshot == null ? "none (" + reason + ")" : snapshot.toPlainString());
        }
    }

    public record Result(List<Disagreement> disagreements, int compared, int skippedRows) {}

    private CsvCrossCheck() {}

    public static Result check(PriceBook book, Path csv, LocalDate on) throws IOException {
        List<String> lines = Files.readAllLines(csv);
        if (lines.isEmpty() || !lines.get(0).startsWith("model_id,")) {
            throw new IOException(csv + ": not the bedrock-prices.csv layout (header model_id,...)");
        }
        List<Disagreement> out = new ArrayList<>();
        int compared = 0;
        int skipped = 0;
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            List<String> f = split(lines.get(i));
            if (f.size() < 13) {
                throw new IOException(csv + ":" + (i + 1) + ": expected 13 columns, got " + f.size());
            }
            String notes = f.get(12);
            if (skip(notes)) {
                skipped++;
                continue;
            }
            String model = f.get(0);
            String region = region(f.get(2));
            for (int k = 0; k < KINDS.length; k++) {
                String v = f.get(3 + k).trim();
                if (v.isEmpty()) {
                    continue;
                }
                BigDecimal expected = new BigDecimal(v);
                CallCost c = book.price(call(model, region, on, KINDS[k]));
                compared++;
                if (c.total == null) {
                    out.add(new Disagreement(i + 1, model, region, KINDS[k], expected, null, c.reason));
                } else {
                    BigDecimal rate = c.total.movePointRight(1).stripTrailingZeros(); // cost of 100K tokens x 10
                    if (rate.compareTo(expected) != 0) {
                        out.add(new Disagreement(i + 1, model, region, KINDS[k], expected, rate, null));
                    }
                }
            }
        }
        return new Result(out, compared, skipped);
    }

    private static boolean skip(String notes) {
        for (String m : SKIP_MARKERS) {
            if (notes.contains(m)) {
                return true;
            }
        }
        return false;
    }

    /** The table's region column: a region code, a geo profile ("eu (geo profile)") or "unspecified". */
    private static String region(String csvRegion) {
        String r = csvRegion.trim().toLowerCase(Locale.ROOT);
        if (r.startsWith("eu ")) {
            return "eu-central-1";
        }
        if (r.startsWith("apac ")) {
            return "ap-southeast-1";
        }
        if (r.equals("unspecified") || r.isEmpty()) {
            return "us-east-1";
        }
        return r;
    }

    /** A call of 100K tokens of one kind, so ten times its cost is the rate. */
    static InvocationCall call(String modelId, String region, LocalDate on, String kind) {
        InvocationCall c = new InvocationCall();
        c.modelId = modelId;
        c.region = region;
        c.timestampMillis = on.atTime(12, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
        switch (kind) {
            case "input" -> c.inputTokens = TOKENS;
            case "output" -> c.outputTokens = TOKENS;
            case "cacheRead" -> c.cacheReadTokens = TOKENS;
            case "cacheWrite5m" -> {
                c.cacheWriteTokens = TOKENS;
                c.cacheSplitKnown = true;
            }
            default -> {
                c.cacheWriteTokens = TOKENS;
                c.cacheSplitKnown = true;
                c.cacheWrite1hTokens = TOKENS;
            }
        }
        return c;
    }

    /** RFC-4180 style split: quoted fields may hold commas and doubled quotes. */
    static List<String> split(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char ch = line.charAt(i);
            if (quoted) {
                if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cur.append('"');
                    i++;
                } else if (ch == '"') {
                    quoted = false;
                } else {
                    cur.append(ch);
                }
            } else if (ch == '"') {
                quoted = true;
            } else if (ch == ',') {
                out.add(cur.toString());
                cur.setLength(0);
            } else {
                cur.append(ch);
            }
        }
        out.add(cur.toString());
        return out;
    }
}
