package io.bedrockspend.reconcile;

import io.bedrockspend.pricing.PriceBook;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The client only receives the job's {@link ReconSummary}; it must equal what the per-key
 * reconciliation.csv rows add up to: totals, class parts, key counts, team-days, usage types, the
 * ranked principals and largest differences, and the price-drift accumulators. Run at parallelism 2
 * so the per-subtask partials and the final reduce are exercised, on the {@link ReconcileJobTest}
 * scenario (every class) and on a benchmark-shaped data set (thousands of keys, hundreds of principals).
 */
class ReconSummaryTest {
    static final Finality FIN = new Finality(Instant.parse("2026-06-01T00:00:00Z").toEpochMilli(), 48 * 3_600_000L, 14, false);
    static final Classifier.Tolerance TOL = new Classifier.Tolerance(new BigDecimal("0.01"), BigDecimal.ONE);

    @Test
    void scenarioSummaryEqualsTheCsv(@TempDir Path dir) throws Exception {
        List<CurGenerator.Call> calls = ReconcileJobTest.calls();
        CurGenerator.writeLedger(dir.resolve("ledger/calls.jsonl"), calls, true);
        Path export = dir.resolve("cur/bedrock-cost");
        CurGenerator.writeExport(export, "bedrock-cost", "2026-04", "20260510T000000Z",
                CurGenerator.bill(calls, ReconcileJobTest.drift()), true, 2, true);
        ReconSummary s = checkAgainstCsv(export, dir.resolve("ledger"), dir.resolve("out"));
        assertEquals(0, new BigDecimal("0.6516").compareTo(s.difference));
        assertTrue(s.keysByClass.keySet().containsAll(Set.of("price_drift", "unpriced_model", "identity", "unseen_by_live",
                "estimated_not_billed", "billed_not_estimated", "discount_credit", "match")), s.keysByClass.toString());
    }

    @Test
    void generatedSummaryEqualsTheCsv(@TempDir Path dir) throws Exception {
        Path export = dir.resolve("cur").resolve(ReconcileBenchmark.EXPORT);
        ReconcileBenchmark.generate(export, dir.resolve("ledger"), 20_000);
        ReconSummary s = checkAgainstCsv(export, dir.resolve("ledger"), dir.resolve("out"));
        assertTrue(s.keys >= 20_000, "one key per CUR row: " + s.keys);
        assertTrue(s.largest.size() == ReconSummary.LARGEST && s.topPrincipals.size() == ReconSummary.TOP_PRINCIPALS,
                "the ranked lists are full, so trimming across subtasks is exercised: " + s.largest.size() + ", " + s.topPrincipals.size());
        assertTrue(s.byClass.get("price_drift").signum() > 0 && s.byClass.get("usage_mismatch").signum() < 0, s.byClass.toString());
    }

    static ReconSummary checkAgainstCsv(Path export, Path ledger, Path out) throws Exception {
        Files.createDirectories(out);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, new Configuration());
        ReconcileJob.Output o = ReconcileJob.run(env, new ReconcileJob.Spec(
                CurLayout.resolve(new org.apache.flink.core.fs.Path(export.toUri()), null),
                List.of(new org.apache.flink.core.fs.Path(ledger.toUri())), false, null,
                UsageTypeTable.from(PriceBook.load(Path.of("pricing-snapshots"))), FIN, TOL, out));
        ReconSummary s = o.summary();

        List<String> lines = Files.readAllLines(out.resolve(ReconcileJob.CSV));
        assertEquals(String.join(",", Report.CSV_COLUMNS), lines.get(0));
        String[] head = lines.get(0).split(",");
        List<Map<String, String>> rows = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) rows.add(ReconcileJobTest.parseCsvLine(head, l));
        assertTrue(Files.list(out).noneMatch(p -> p.getFileName().toString().endsWith(".parts")), "part files removed");

        assertEquals(rows.size(), s.keys, "keys");
        Set<String> distinct = new HashSet<>();
        for (Map<String, String> r : rows) {
            assertTrue(distinct.add(r.get("bucketStart") + r.get("accountId") + r.get("principal") + r.get("usageType")), "one row per key");
            // the key's parts add up: billed = usage + adjustments, difference = billed - estimate
            assertEquals(0, d(r, "billedUsd").compareTo(d(r, "billedUsageUsd").add(d(r, "adjustmentsUsd"))), r.toString());
            assertEquals(0, d(r, "differenceUsd").compareTo(d(r, "billedUsd").subtract(d(r, "estimateUsd"))), r.toString());
        }
        assertSum(rows, "estimateUsd", s.estimate);
        assertSum(rows, "billedUsageUsd", s.billedUsage);
        assertSum(rows, "adjustmentsUsd", s.adjustments);
        assertSum(rows, "differenceUsd", s.difference);
        assertSum(rows, "priceDriftUsd", s.byClass.get(Classifier.PRICE_DRIFT));
        assertSum(rows, "usageMismatchUsd", s.byClass.get(Classifier.USAGE_MISMATCH));
        assertEquals(0, s.byClass.values().stream().reduce(BigDecimal.ZERO, BigDecimal::add).compareTo(s.difference),
                "class parts add up to the difference");
        assertEquals(count(rows, r -> r.get("class")), new TreeMap<>(s.keysByClass), "keys by class");
        assertEquals(rows.stream().filter(r -> r.get("breach").equals("true")).count(), s.breaches, "breaches");
        assertEquals(rows.stream().filter(r -> !r.get("curRows").equals("0") && !r.get("calls").equals("0")).count(), s.matchedKeys);
        assertEquals(rows.stream().filter(r -> !r.get("curRows").equals("0") && r.get("calls").equals("0")).count(), s.curOnlyKeys);
        assertEquals(rows.stream().filter(r -> r.get("curRows").equals("0") && !r.get("calls").equals("0")).count(), s.ledgerOnlyKeys);

        // estimate vs billed per team and day
        Map<String, BigDecimal[]> teamDays = new TreeMap<>();
        for (Map<String, String> r : rows) {
            BigDecimal[] v = teamDays.computeIfAbsent(r.get("team") + "|" + r.get("bucketStart").substring(0, 10),
                    x -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
            v[0] = v[0].add(d(r, "estimateUsd"));
            v[1] = v[1].add(d(r, "billedUsd"));
        }
        Map<String, BigDecimal[]> got = new TreeMap<>();
        s.teamDays.forEach((team, days) -> days.forEach((day, v) -> got.put(team + "|" + day, v)));
        assertEquals(teamDays.keySet(), got.keySet(), "team-days");
        teamDays.forEach((k, v) -> {
            assertEquals(0, v[0].compareTo(got.get(k)[0]), "estimate " + k);
            assertEquals(0, v[1].compareTo(got.get(k)[1]), "billed " + k);
        });

        // difference per usage type and per principal (keys whose difference is not zero)
        List<Map<String, String>> drifting = rows.stream().filter(r -> d(r, "differenceUsd").signum() != 0).toList();
        assertDecimalMaps(sum(drifting, r -> r.get("usageType")), s.usageTypeDifference, "usage types");
        Map<String, BigDecimal> perPrincipal = sum(drifting, r -> r.get("principal").isEmpty() ? "(no principal)" : r.get("principal"));
        List<Map.Entry<String, BigDecimal>> ranked = new ArrayList<>(perPrincipal.entrySet());
        ranked.sort(Comparator.comparing((Map.Entry<String, BigDecimal> e) -> e.getValue().abs()).reversed()
                .thenComparing(Map.Entry::getKey));
        List<String> expectedTop = new ArrayList<>();
        for (Map.Entry<String, BigDecimal> e : ranked.subList(0, Math.min(ReconSummary.TOP_PRINCIPALS, ranked.size()))) {
            expectedTop.add(e.getKey() + "=" + e.getValue().stripTrailingZeros().toPlainString());
        }
        assertEquals(expectedTop, s.topPrincipals.stream().map(a -> a.name + "=" + a.usd.stripTrailingZeros().toPlainString()).toList(),
                "top principals");

        // the largest differences, ties by key
        List<Map<String, String>> largest = new ArrayList<>(drifting);
        largest.sort(Comparator.comparing((Map<String, String> r) -> d(r, "differenceUsd").abs()).reversed()
                .thenComparing(r -> r.get("bucketStart")).thenComparing(r -> r.get("accountId"))
                .thenComparing(r -> r.get("principal")).thenComparing(r -> r.get("usageType")));
        assertEquals(largest.subList(0, Math.min(ReconSummary.LARGEST, largest.size())).stream()
                        .map(r -> r.get("principal") + "|" + r.get("usageType") + "|" + r.get("bucketStart") + "|" + r.get("differenceUsd") + "|" + r.get("class")).toList(),
                s.largest.stream().map(t -> t.principal + "|" + t.usageType + "|" + ReconcileJob.iso(t.bucket) + "|"
                        + t.difference.stripTrailingZeros().toPlainString() + "|" + t.cls).toList(),
                "largest differences");

        // price-drift accumulators: exactly the keys with a price-drift part and tokens on both sides
        Map<String, BigDecimal> drift = sum(rows.stream().filter(r -> d(r, "priceDriftUsd").signum() != 0
                        && !r.get("estimatedTokens").equals("0") && d(r, "billedTokens").signum() != 0).toList(),
                r -> r.get("snapshotId") + "|" + r.get("model") + "|" + r.get("usageType"), "priceDriftUsd");
        Map<String, BigDecimal> gotDrift = new TreeMap<>();
        s.suggestions.forEach((k, v) -> gotDrift.put(k, v.priceDrift));
        assertDecimalMaps(drift, gotDrift, "price-drift suggestions");
        return s;
    }

    static BigDecimal d(Map<String, String> r, String col) {
        String v = r.get(col);
        return v == null || v.isEmpty() ? BigDecimal.ZERO : new BigDecimal(v);
    }

    static void assertSum(List<Map<String, String>> rows, String col, BigDecimal expected) {
        BigDecimal sum = rows.stream().map(r -> d(r, col)).reduce(BigDecimal.ZERO, BigDecimal::add);
        assertEquals(0, sum.compareTo(expected), col + ": CSV sums to " + sum + ", summary says " + expected);
    }

    static Map<String, Long> count(List<Map<String, String>> rows, Function<Map<String, String>, String> by) {
        Map<String, Long> m = new TreeMap<>();
        for (Map<String, String> r : rows) m.merge(by.apply(r), 1L, Long::sum);
        return m;
    }

    static Map<String, BigDecimal> sum(List<Map<String, String>> rows, Function<Map<String, String>, String> by) {
        return sum(rows, by, "differenceUsd");
    }

    static Map<String, BigDecimal> sum(List<Map<String, String>> rows, Function<Map<String, String>, String> by, String col) {
        Map<String, BigDecimal> m = new TreeMap<>();
        for (Map<String, String> r : rows) m.merge(by.apply(r), d(r, col), BigDecimal::add);
        return m;
    }

    static void assertDecimalMaps(Map<String, BigDecimal> expected, Map<String, BigDecimal> actual, String what) {
        assertEquals(expected.keySet(), new HashSet<>(actual.keySet()), what);
        Map<String, String> bad = new HashMap<>();
        expected.forEach((k, v) -> { if (v.compareTo(actual.get(k)) != 0) bad.put(k, v + " vs " + actual.get(k)); });
        assertTrue(bad.isEmpty(), what + ": " + bad);
    }
}
