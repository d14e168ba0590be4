package io.bedrockspend.pricing.pricelist;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bedrockspend.pricing.PriceEntry;
import io.bedrockspend.pricing.PricingSnapshot;
import io.bedrockspend.pricing.TokenKind;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * {@code pricing diff A B}: what changed between two snapshots, for review before commit. Entries
 * are matched on (model, routing, scope, tier, band); when a key has several dated periods, equal
 * periods are paired first, then the rest in date order (a changed period is a date change).
 */
public final class SnapshotDiff {
    /** One rate that differs; {@code oldRate}/{@code newRate} null when the kind was added/removed. */
    public record RateChange(TokenKind kind, BigDecimal oldRate, BigDecimal newRate) {
        /** Percent change, 2 decimals (display only; the rates themselves stay exact). */
        public BigDecimal percent() {
            if (oldRate == null || newRate == null) {
                return null;
            }
            return newRate.subtract(oldRate).multiply(BigDecimal.valueOf(100)).divide(oldRate, 2, RoundingMode.HALF_EVEN);
        }
    }

    /** An entry-level change: added, removed, or changed (rates and/or dates/threshold). */
    public record EntryChange(String change, String key, PriceEntry oldEntry, PriceEntry newEntry,
            List<RateChange> rates, List<String> other) {}

    /** The whole diff. */
    public record Result(String a, String b, List<String> snapshotChanges, List<EntryChange> changes, int unchanged) {
        public boolean identical() {
            return snapshotChanges.isEmpty() && changes.isEmpty();
        }

        public long count(String change) {
            return changes.stream().filter(c -> c.change().equals(change)).count();
        }
    }

    private SnapshotDiff() {}

    public static Result diff(PricingSnapshot a, PricingSnapshot b) {
        List<String> snap = new ArrayList<>();
        field(snap, "snapshotId", a.snapshotId(), b.snapshotId());
        field(snap, "effectiveFrom", a.effectiveFrom(), b.effectiveFrom());
        field(snap, "publishedAt", a.publishedAt(), b.publishedAt());
        field(snap, "source", a.source(), b.source());
        Map<String, List<PriceEntry>> left = byKey(a);
        Map<String, List<PriceEntry>> right = byKey(b);
        TreeMap<String, Boolean> keys = new TreeMap<>();
        left.keySet().forEach(k -> keys.put(k, true));
        right.keySet().forEach(k -> keys.put(k, true));
        List<EntryChange> changes = new ArrayList<>();
        int unchanged = 0;
        for (String key : keys.keySet()) {
            List<PriceEntry> l = new ArrayList<>(left.getOrDefault(key, List.of()));
            List<PriceEntry> r = new ArrayList<>(right.getOrDefault(key, List.of()));
            List<PriceEntry[]> pairs = new ArrayList<>();
            for (PriceEntry x : List.copyOf(l)) {
                for (PriceEntry y : r) {
                    if (Objects.equals(x.effectiveFrom(), y.effectiveFrom()) && Objects.equals(x.effectiveTo(), y.effectiveTo())) {
                        pairs.add(new PriceEntry[] {x, y});
                        l.remove(x);
                        r.remove(y);
                        break;
                    }
                }
            }
            while (!l.isEmpty() && !r.isEmpty()) {
                pairs.add(new PriceEntry[] {l.remove(0), r.remove(0)});
            }
            for (PriceEntry x : l) {
                changes.add(new EntryChange("removed", key, x, null, List.of(), List.of()));
            }
            for (PriceEntry y : r) {
                changes.add(new EntryChange("added", key, null, y, List.of(), List.of()));
            }
            for (PriceEntry[] p : pairs) {
                EntryChange c = compare(key, p[0], p[1]);
                if (c == null) {
                    unchanged++;
                } else {
                    changes.add(c);
                }
            }
        }
        changes.sort(Comparator.comparing(EntryChange::key).thenComparing(EntryChange::change));
        return new Result(a.file(), b.file(), snap, changes, unchanged);
    }

    private static EntryChange compare(String key, PriceEntry x, PriceEntry y) {
        List<RateChange> rates = new ArrayList<>();
        for (TokenKind k : TokenKind.values()) {
            BigDecimal o = x.rates().perMillion(k);
            BigDecimal n = y.rates().perMillion(k);
            if (o == null && n == null) {
                continue;
            }
            if (o == null || n == null || o.compareTo(n) != 0) {
                rates.add(new RateChange(k, o, n));
            }
        }
        List<String> other = new ArrayList<>();
        field(other, "effectiveFrom", x.effectiveFrom(), y.effectiveFrom());
        field(other, "effectiveTo", x.effectiveTo(), y.effectiveTo());
        if (x.longContextThresholdTokens() != y.longContextThresholdTokens()) {
            other.add("longContextThresholdTokens " + x.longContextThresholdTokens() + " -> " + y.longContextThresholdTokens());
        }
        if (rates.isEmpty() && other.isEmpty()) {
            return null;
        }
        return new EntryChange("changed", key, x, y, rates, other);
    }

    private static void field(List<String> out, String name, Object a, Object b) {
        if (!Objects.equals(a, b)) {
            out.add(name + ": " + show(a) + " -> " + show(b));
        }
    }

    private static String show(Object o) {
        if (o == null) {
            return "(none)";
        }
        return o instanceof LocalDate ? o.toString() : String.valueOf(o);
    }

    private static Map<String, List<PriceEntry>> byKey(PricingSnapshot s) {
        Map<String, List<PriceEntry>> m = new TreeMap<>();
        for (PriceEntry e : s.entries()) {
            m.computeIfAbsent(e.describe(), k -> new ArrayList<>()).add(e);
        }
        m.values().forEach(l -> l.sort(Comparator.comparing(e -> e.effectiveFrom() == null ? LocalDate.MIN : e.effectiveFrom())));
        return m;
    }

    private static String rate(BigDecimal r) {
        return r == null ? "-" : r.toPlainString();
    }

    private static String period(PriceEntry e) {
        if (e.effectiveFrom() == null && e.effectiveTo() == null) {
            return "";
        }
        return " [" + (e.effectiveFrom() == null ? "start" : e.effectiveFrom()) + ", "
                + (e.effectiveTo() == null ? "open" : e.effectiveTo()) + ")";
    }

    /** Human-readable table. */
    public static void print(Result r, PrintStream out) {
        out.println("pricing diff " + r.a() + " -> " + r.b());
        for (String s : r.snapshotChanges()) {
            out.println("  snapshot " + s);
        }
        out.printf("  %d added, %d removed, %d changed, %d unchanged entries%n", r.count("added"), r.count("removed"),
                r.count("changed"), r.unchanged());
        if (r.changes().isEmpty()) {
            return;
        }
        out.println();
        out.printf("%-8s %-72s %-13s %14s %14s %9s%n", "CHANGE", "ENTRY (model, routing, scope, tier, band)", "KIND", "OLD",
                "NEW", "%");
        for (EntryChange c : r.changes()) {
            PriceEntry e = c.newEntry() != null ? c.newEntry() : c.oldEntry();
            String label = c.key() + period(e);
            switch (c.change()) {
                case "added", "removed" -> {
                    boolean added = c.change().equals("added");
                    for (Map.Entry<TokenKind, BigDecimal> rt : e.rates().asMap().entrySet()) {
                        out.printf("%-8s %-72s %-13s %14s %14s %9s%n", c.change(), label, rt.getKey().wireName(),
                                added ? "-" : rate(rt.getValue()), added ? rate(rt.getValue()) : "-", "");
                    }
                }
                default -> {
                    for (RateChange rc : c.rates()) {
                        BigDecimal pct = rc.percent();
                        out.printf("%-8s %-72s %-13s %14s %14s %9s%n", "changed", label, rc.kind().wireName(),
                                rate(rc.oldRate()), rate(rc.newRate()), pct == null ? "" : (pct.signum() > 0 ? "+" : "") + pct.toPlainString() + "%");
                    }
                    for (String o : c.other()) {
                        out.printf("%-8s %-72s %s%n", "changed", label, o);
                    }
                }
            }
        }
    }

    /** Machine-readable form. */
    public static ObjectNode json(Result r, ObjectMapper om) {
        ObjectNode root = om.createObjectNode();
        root.put("a", r.a());
        root.put("b", r.b());
        ArrayNode snap = root.putArray("snapshotChanges");
        r.snapshotChanges().forEach(snap::add);
        ObjectNode counts = root.putObject("counts");
        counts.put("added", r.count("added"));
        counts.put("removed", r.count("removed"));
        counts.put("changed", r.count("changed"));
        counts.put("unchanged", r.unchanged());
        ArrayNode list = root.putArray("changes");
        for (EntryChange c : r.changes()) {
            ObjectNode n = list.addObject();
            n.put("change", c.change());
            PriceEntry e = c.newEntry() != null ? c.newEntry() : c.oldEntry();
            n.put("model", e.model());
            n.put("routingClass", e.routingClass().wireName());
            n.put("regionScope", e.regionScope());
            n.put("tier", e.tier().wireName());
            n.put("contextBand", e.contextBand().wireName());
            if (c.oldEntry() != null) {
                n.set("old", ratesJson(c.oldEntry(), om));
            }
            if (c.newEntry() != null) {
                n.set("new", ratesJson(c.newEntry(), om));
            }
            ArrayNode rates = n.putArray("rateChanges");
            for (RateChange rc : c.rates()) {
                ObjectNode x = rates.addObject();
                x.put("kind", rc.kind().wireName());
                x.put("old", rc.oldRate() == null ? null : rc.oldRate().toPlainString());
                x.put("new", rc.newRate() == null ? null : rc.newRate().toPlainString());
                x.put("percent", rc.percent() == null ? null : rc.percent().toPlainString());
            }
            ArrayNode other = n.putArray("otherChanges");
            c.other().forEach(other::add);
        }
        return root;
    }

    private static ObjectNode ratesJson(PriceEntry e, ObjectMapper om) {
        ObjectNode n = om.createObjectNode();
        n.put("effectiveFrom", e.effectiveFrom() == null ? null : e.effectiveFrom().toString());
        n.put("effectiveTo", e.effectiveTo() == null ? null : e.effectiveTo().toString());
        ObjectNode rates = n.putObject("ratesPerMillionTokens");
        e.rates().asMap().forEach((k, v) -> rates.put(k.wireName(), v.toPlainString()));
        return n;
    }
}
