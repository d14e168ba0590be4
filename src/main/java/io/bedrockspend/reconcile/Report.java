package io.bedrockspend.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bedrockspend.spend.Money;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Writes summary.json and the self-contained report.html from the job's {@link ReconSummary}, and
 * formats reconciliation.csv rows (written by the job's sink, one per key).
 */
public final class Report {
    /** Everything the outputs need. */
    public record Run(ReconSummary summary, List<CurLayout.Period> periods, ReconcileJob.Output job, Finality finality,
                      Classifier.Tolerance tolerance, String grain) {}

    public static final List<String> CSV_COLUMNS = List.of("bucketStart", "period", "accountId", "principal", "usageType",
            "team", "model", "estimateUsd", "billedUsageUsd", "adjustmentsUsd", "billedUsd", "differenceUsd", "class", "reason",
            "estimatedTokens", "billedTokens", "unpricedCalls", "calls", "curRows", "lineItemTypes", "estimatedRatePerM",
            "billedRatePerM", "priceDriftUsd", "usageMismatchUsd", "final", "breach", "curPrincipalArn", "snapshotId");

    private Report() {}

    public static void writeAll(Path dir, Run run) throws IOException {
        Files.createDirectories(dir);
        writeSummary(dir.resolve("summary.json"), run);
        Files.writeString(dir.resolve("report.html"), html(run), StandardCharsets.UTF_8);
    }

    /** One reconciliation.csv row (no newline), in {@link #CSV_COLUMNS} order. */
    static String csvLine(ReconRow r) {
        KeyResult k = r.k;
        List<String> f = List.of(ReconcileJob.iso(k.bucket), s(k.period), s(k.account), s(k.principal), s(k.usageType),
                s(r.team), s(k.model), m(k.estimate), m(k.billedUsage), m(k.adjustments),
                m(r.billed()), m(r.difference), r.cls, s(r.reason), Long.toString(k.estTokens),
                Classifier.plain(k.billedTokens), Long.toString(k.unpricedCalls), Long.toString(k.calls),
                Long.toString(k.curRows), s(k.lineItemTypes), r.estimatedRatePerM == null ? "" : Classifier.plain(r.estimatedRatePerM),
                r.billedRatePerM == null ? "" : Classifier.plain(r.billedRatePerM),
                m(r.component(Classifier.PRICE_DRIFT)), m(r.component(Classifier.USAGE_MISMATCH)),
                Boolean.toString(r.isFinal), Boolean.toString(r.breach), s(k.curPrincipalArn), s(k.snapshotId));
        StringBuilder b = new StringBuilder(400);
        for (int i = 0; i < f.size(); i++) {
            if (i > 0) b.append(',');
            b.append(csv(f.get(i)));
        }
        return b.toString();
    }

    /** Price-drift suggestions: per (snapshot, model, usage type) the snapshot rate vs the effective billed rate. */
    static List<Map<String, String>> suggestions(Run run) {
        List<Map<String, String>> out = new ArrayList<>();
        for (ReconSummary.Suggestion a : run.summary().suggestions.values()) {
            Map<String, String> s = new LinkedHashMap<>();
            s.put("snapshotId", a.snapshotId);
            s.put("model", a.model);
            s.put("usageType", a.usageType);
            s.put("kind", a.kind);
            s.put("snapshotRatePerM", Classifier.plain(a.snapshotRatePerM()));
            s.put("billedRatePerM", Classifier.plain(a.billedRatePerM()));
            s.put("priceDriftUsd", Money.format(a.priceDrift));
            out.add(s);
        }
        return out;
    }

    static void writeSummary(Path file, Run run) throws IOException {
        ObjectMapper om = new ObjectMapper();
        ObjectNode root = om.createObjectNode();
        root.put("result", run.summary().pass() ? "pass" : "drift");
        root.put("grain", run.grain());
        root.put("asOf", Instant.ofEpochMilli(run.finality().asOfMillis()).toString());
        root.put("curDelayHours", run.finality().curDelayMillis() / 3_600_000L);
        root.put("restatementDays", run.finality().restatementDays());
        ObjectNode tol = root.putObject("tolerance");
        tol.put("absUsd", Money.format(run.tolerance().absUsd()));
        tol.put("relPct", Classifier.plain(run.tolerance().relPct()));
        ObjectNode tot = root.putObject("totals");
        ReconSummary sm = run.summary();
        tot.put("estimateUsd", Money.format(sm.estimate));
        tot.put("billedUsageUsd", Money.format(sm.billedUsage));
        tot.put("adjustmentsUsd", Money.format(sm.adjustments));
        tot.put("billedUsd", Money.format(sm.billed()));
        tot.put("taxUsd", Money.format(sm.tax));
        tot.put("differenceUsd", Money.format(sm.difference));
        ObjectNode cls = root.putObject("differenceByClass");
        sm.byClass.forEach((c, v) -> cls.put(c, Money.format(v)));
        ObjectNode counts = root.putObject("keysByClass");
        sm.keysByClass.forEach(counts::put);
        root.put("keys", sm.keys);
        root.put("matchedKeys", sm.matchedKeys);
        root.put("curOnlyKeys", sm.curOnlyKeys);
        root.put("ledgerOnlyKeys", sm.ledgerOnlyKeys);
        root.put("breaches", sm.breaches);
        root.put("keysWithAssumedPricingUnit", sm.assumedUnitKeys);
        root.put("keysWithDerivedUsageType", sm.derivedUsageTypeKeys);
        ArrayNode periods = root.putArray("periods");
        for (CurLayout.Period p : run.periods()) {
            ObjectNode n = periods.addObject();
            n.put("period", p.period());
            n.put("files", p.files().size());
            n.put("deliveries", p.deliveries());
            n.put("delivery", p.chosen());
            n.put("fromManifest", p.fromManifest());
            n.put("deliveredAt", Instant.ofEpochMilli(p.deliveredAtMillis()).toString());
            n.put("restatedAfterClose", p.restatedAfterClose());
            n.put("restatable", run.finality().restatable(p.period()));
        }
        ArrayNode sug = root.putArray("priceDriftSuggestions");
        for (Map<String, String> s : suggestions(run)) {
            ObjectNode n = sug.addObject();
            s.forEach(n::put);
        }
        ObjectNode c = root.putObject("counters");
        for (String k : List.of(Facts.CUR_ROWS, Facts.CUR_BEDROCK_ROWS, Facts.CUR_OTHER_LINE_ITEMS, Facts.LEDGER_CALLS,
                Facts.LEDGER_OUTSIDE, Facts.LEDGER_NO_USAGE_TYPE)) {
            c.put(k, run.job().counter(k));
        }
        root.put("elapsedMillis", run.job().millis());
        om.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    }

    // ---- HTML ----

    static String html(Run run) throws IOException {
        String tpl;
        try (InputStream in = Report.class.getResourceAsStream("/reconcile/report.html")) {
            if (in == null) throw new IOException("report template /reconcile/report.html missing from the classpath");
            tpl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String periods = String.join(", ", run.periods().stream().map(CurLayout.Period::period).toList());
        return tpl.replace("{{period}}", esc(periods))
                .replace("{{subtitle}}", esc("periods " + periods + " · grain " + run.grain() + " · as of "
                        + Instant.ofEpochMilli(run.finality().asOfMillis()) + " · tolerance $"
                        + Money.format(run.tolerance().absUsd()) + " and " + Classifier.plain(run.tolerance().relPct()) + "%"))
                .replace("{{summary}}", summaryHtml(run))
                .replace("{{teamCharts}}", teamCharts(run))
                .replace("{{usageTypeChart}}", divergingBars(run.summary().topUsageTypes(15), 460))
                .replace("{{principalChart}}", divergingBars(run.summary().principals(), 460))
                .replace("{{tables}}", tables(run));
    }

    private static String summaryHtml(Run run) {
        StringBuilder b = new StringBuilder("<div class=\"cards\">");
        ReconSummary sm = run.summary();
        card(b, "result", sm.pass() ? "<span class=\"pass\">within tolerance</span>"
                : "<span class=\"fail\">drift: " + sm.breaches + " key(s)</span>");
        card(b, "estimate", "$" + esc(Money.format(sm.estimate)));
        card(b, "billed usage", "$" + esc(Money.format(sm.billedUsage)));
        card(b, "credits &amp; discounts", "$" + esc(Money.format(sm.adjustments)));
        card(b, "difference", "$" + esc(Money.format(sm.difference)));
        card(b, "keys", Long.toString(sm.keys));
        return b.append("</div>").toString();
    }

    private static void card(StringBuilder b, String label, String value) {
        b.append("<div class=\"card\"><span class=\"muted\">").append(label).append("</span><b>").append(value).append("</b></div>");
    }

    /** Bar length in pixels (one decimal) of |value| on a scale where {@code max} spans {@code span} pixels. */
    static BigDecimal pixels(BigDecimal value, BigDecimal max, int span) {
        if (max.signum() == 0) return BigDecimal.ZERO.setScale(1);
        return value.abs().multiply(BigDecimal.valueOf(span)).divide(max, 1, java.math.RoundingMode.HALF_UP);
    }

    /** Horizontal bars left (negative: billed below estimate) and right (positive) of zero. */
    static String divergingBars(Map<String, BigDecimal> values, int width) {
        if (values.isEmpty()) return "<p class=\"muted\">no differences</p>";
        BigDecimal max = values.values().stream().map(BigDecimal::abs).reduce(BigDecimal.ZERO, BigDecimal::max);
        int rowH = 20, label = 330, h = values.size() * rowH + 10, half = width / 2;
        StringBuilder b = new StringBuilder("<svg width=\"" + (label + width + 90) + "\" height=\"" + h + "\" role=\"img\">");
        int y = 5;
        for (Map.Entry<String, BigDecimal> e : values.entrySet()) {
            BigDecimal len = pixels(e.getValue(), max, half - 4);
            int x0 = label + half;
            boolean pos = e.getValue().signum() > 0;
            b.append("<text x=\"").append(label - 6).append("\" y=\"").append(y + 13).append("\" text-anchor=\"end\">")
                    .append(esc(shorten(e.getKey(), 52))).append("<title>").append(esc(e.getKey())).append("</title></text>");
            b.append(String.format(java.util.Locale.ROOT, "<rect class=\"%s\" x=\"%s\" y=\"%d\" width=\"%s\" height=\"14\"/>",
                    pos ? "pos" : "neg", (pos ? BigDecimal.valueOf(x0) : BigDecimal.valueOf(x0).subtract(len)).toPlainString(), y + 2,
                    len.max(BigDecimal.ONE).toPlainString()));
            b.append("<text x=\"").append(label + width + 4).append("\" y=\"").append(y + 13).append("\">$")
                    .append(esc(Money.display(e.getValue(), 4).substring(1))).append("</text>");
            y += rowH;
        }
        b.append("<line x1=\"").append(label + half).append("\" x2=\"").append(label + half).append("\" y1=\"0\" y2=\"").append(h)
                .append("\" stroke=\"#98a2b3\"/></svg>");
        return b.toString();
    }

    /** Small multiples: one chart per team (top 8 by billed), estimate and billed bars per day. */
    static String teamCharts(Run run) {
        Map<String, TreeMap<String, BigDecimal[]>> t = run.summary().teamDays;
        TreeSet<String> days = new TreeSet<>();
        t.values().forEach(d -> days.addAll(d.keySet()));
        if (t.isEmpty()) return "<p class=\"muted\">no data</p>";
        List<String> teams = t.keySet().stream().sorted(Comparator.comparing((String team) -> t.get(team).values().stream()
                .map(v -> v[1]).reduce(BigDecimal.ZERO, BigDecimal::add)).reversed()).limit(8).toList();
        List<String> dl = new ArrayList<>(days);
        StringBuilder b = new StringBuilder();
        int w = Math.max(220, dl.size() * 22 + 60), h = 170, plotH = 120;
        for (String team : teams) {
            Map<String, BigDecimal[]> d = t.get(team);
            BigDecimal max = d.values().stream().flatMap(v -> java.util.stream.Stream.of(v[0], v[1])).map(BigDecimal::abs)
                    .reduce(BigDecimal.ZERO, BigDecimal::max);
            BigDecimal est = d.values().stream().map(v -> v[0]).reduce(BigDecimal.ZERO, BigDecimal::add);
            BigDecimal bil = d.values().stream().map(v -> v[1]).reduce(BigDecimal.ZERO, BigDecimal::add);
            b.append("<svg width=\"").append(w).append("\" height=\"").append(h).append("\" role=\"img\"><text x=\"6\" y=\"14\">")
                    .append(esc(team)).append(" · est $").append(esc(Money.display(est, 2).substring(1))).append(" · billed $")
                    .append(esc(Money.display(bil, 2).substring(1))).append("</text>");
            for (int i = 0; i < dl.size(); i++) {
                BigDecimal[] v = d.getOrDefault(dl.get(i), new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
                int x = 40 + i * 22;
                for (int s = 0; s < 2; s++) {
                    BigDecimal bh = pixels(v[s], max, plotH);
                    b.append(String.format(java.util.Locale.ROOT, "<rect class=\"%s\" x=\"%d\" y=\"%s\" width=\"9\" height=\"%s\"><title>%s %s $%s</title></rect>",
                            s == 0 ? "est" : "bil", x + s * 9, BigDecimal.valueOf(20 + plotH).subtract(bh).toPlainString(),
                            bh.toPlainString(), dl.get(i), s == 0 ? "estimate" : "billed",
                            esc(Money.format(v[s]))));
                }
                if (dl.size() <= 16 || i % 7 == 0) {
                    b.append("<text x=\"").append(x).append("\" y=\"").append(h - 14).append("\">").append(dl.get(i).substring(5)).append("</text>");
                }
            }
            b.append("</svg>");
        }
        return b.toString();
    }

    private static String tables(Run run) {
        StringBuilder b = new StringBuilder("<h2>Difference by class</h2><table><tr><th>class</th><th class=\"n\">difference (USD)</th><th class=\"n\">keys</th></tr>");
        Map<String, Long> counts = run.summary().keysByClass;
        run.summary().byClass.forEach((c, v) -> b.append("<tr><td>").append(c).append("</td><td class=\"n\">").append(esc(Money.format(v)))
                .append("</td><td class=\"n\">").append(counts.getOrDefault(c, 0L)).append("</td></tr>"));
        b.append("</table>");
        List<Map<String, String>> sug = suggestions(run);
        if (!sug.isEmpty()) {
            b.append("<h2>Suggested pricing-snapshot changes (price-table drift)</h2><table><tr><th>snapshot</th><th>model</th><th>usage type</th><th class=\"n\">snapshot $/1M</th><th class=\"n\">billed $/1M</th><th class=\"n\">drift USD</th></tr>");
            for (Map<String, String> s : sug) {
                b.append("<tr><td>").append(esc(s.get("snapshotId"))).append("</td><td>").append(esc(s.get("model"))).append("</td><td><code>")
                        .append(esc(s.get("usageType"))).append("</code></td><td class=\"n\">").append(esc(s.get("snapshotRatePerM")))
                        .append("</td><td class=\"n\">").append(esc(s.get("billedRatePerM"))).append("</td><td class=\"n\">")
                        .append(esc(s.get("priceDriftUsd"))).append("</td></tr>");
            }
            b.append("</table>");
        }
        b.append("<h2>Periods</h2><table><tr><th>period</th><th class=\"n\">files</th><th class=\"n\">deliveries</th><th>used</th><th>restated after close</th><th>can still be restated</th></tr>");
        for (CurLayout.Period p : run.periods()) {
            b.append("<tr><td>").append(esc(p.period())).append("</td><td class=\"n\">").append(p.files().size()).append("</td><td class=\"n\">")
                    .append(p.deliveries()).append("</td><td>").append(esc(p.chosen())).append(p.fromManifest() ? " (manifest)" : "")
                    .append("</td><td>").append(p.restatedAfterClose() ? "yes" : "no").append("</td><td>")
                    .append(run.finality().restatable(p.period()) ? "yes" : "no").append("</td></tr>");
        }
        b.append("</table><h2>Largest differences</h2><table><tr><th>bucket</th><th>principal</th><th>usage type</th><th>team</th><th class=\"n\">estimate</th><th class=\"n\">billed</th><th class=\"n\">difference</th><th>class</th><th>why</th></tr>");
        run.summary().largest.forEach(r -> b.append("<tr")
                        .append(r.breach ? " class=\"fail\"" : "").append("><td>").append(ReconcileJob.iso(r.bucket)).append("</td><td><code>")
                        .append(esc(r.principal)).append("</code></td><td><code>").append(esc(r.usageType)).append("</code></td><td>")
                        .append(esc(r.team)).append("</td><td class=\"n\">").append(esc(Money.format(r.estimate))).append("</td><td class=\"n\">")
                        .append(esc(Money.format(r.billed))).append("</td><td class=\"n\">")
                        .append(esc(Money.format(r.difference))).append("</td><td>").append(r.cls).append("</td><td>").append(esc(r.reason))
                        .append("</td></tr>"));
        return b.append("</table>").toString();
    }

    static String shorten(String s, int n) {
        return s.length() <= n ? s : "…" + s.substring(s.length() - n + 1);
    }

    static String esc(String s) {
        if (s == null) return "";
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String s(String v) {
        return v == null ? "" : v;
    }

    private static String m(BigDecimal v) {
        return v == null ? "" : Money.format(v);
    }

    private static String csv(String s) {
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }
}
