package io.bedrockspend.reconcile;

import org.apache.flink.api.common.functions.AggregateFunction;

import java.io.Serializable;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything {@code summary.json}, {@code report.html} and the command's output draw, folded from the
 * classified keys inside the job: totals, difference and key counts by class, estimate vs billed per
 * team and day, difference per usage type, the largest differences, the top principals (from exact
 * per-principal sums) and the price-drift accumulators. Its size depends on teams, days, usage types
 * and snapshots, never on the number of keys, so it is all the client receives. Money is exact.
 */
public final class ReconSummary implements Serializable {
    /** The report's "largest differences" table. */
    public static final int LARGEST = 50;
    /** The report's "top drifting principals" chart. */
    public static final int TOP_PRINCIPALS = 10;

    public BigDecimal estimate = BigDecimal.ZERO;
    public BigDecimal billedUsage = BigDecimal.ZERO;
    public BigDecimal adjustments = BigDecimal.ZERO;
    public BigDecimal tax = BigDecimal.ZERO;
    public BigDecimal difference = BigDecimal.ZERO;
    /** Class → sum of that class's components (every class present, in {@link Classifier#CLASSES} order). */
    public LinkedHashMap<String, BigDecimal> byClass = new LinkedHashMap<>();
    /** Row class (including "match") → keys. */
    public TreeMap<String, Long> keysByClass = new TreeMap<>();
    public long keys;
    public long matchedKeys;
    public long curOnlyKeys;
    public long ledgerOnlyKeys;
    public long breaches;
    public long assumedUnitKeys;
    public long derivedUsageTypeKeys;
    /** team → day (YYYY-MM-DD) → {estimate, billed usage + adjustments}. */
    public TreeMap<String, TreeMap<String, BigDecimal[]>> teamDays = new TreeMap<>();
    /** usage type → difference, over keys whose difference is not zero. */
    public TreeMap<String, BigDecimal> usageTypeDifference = new TreeMap<>();
    /** The largest differences, at most {@link #LARGEST} once {@link #trim()}med. */
    public ArrayList<Top> largest = new ArrayList<>();
    /** Principals by summed difference (each sum complete: summed per principal before this), at most {@link #TOP_PRINCIPALS}. */
    public ArrayList<Amount> topPrincipals = new ArrayList<>();
    /** (snapshot, model, usage type) → price-drift accumulator. */
    public TreeMap<String, Suggestion> suggestions = new TreeMap<>();

    public ReconSummary() {
        for (String c : Classifier.CLASSES) byClass.put(c, BigDecimal.ZERO);
    }

    /** One row of the largest-differences table. */
    public static final class Top implements Serializable {
        public long bucket;
        public String account, principal, usageType, team, cls, reason;
        public BigDecimal estimate, billed, difference;
        public boolean breach;
    }

    /** A name and an exact amount (a principal's summed difference). */
    public static final class Amount implements Serializable {
        public String name;
        public BigDecimal usd;

        public Amount() {}

        public Amount(String name, BigDecimal usd) {
            this.name = name;
            this.usd = usd;
        }
    }

    /** Snapshot rate vs effective billed rate for one (snapshot, model, usage type). */
    public static final class Suggestion implements Serializable {
        public String snapshotId, model, usageType, kind;
        public BigDecimal estimate = BigDecimal.ZERO, estTokens = BigDecimal.ZERO, billedUsage = BigDecimal.ZERO,
                billedTokens = BigDecimal.ZERO, priceDrift = BigDecimal.ZERO;

        void merge(Suggestion o) {
            estimate = estimate.add(o.estimate);
            estTokens = estTokens.add(o.estTokens);
            billedUsage = billedUsage.add(o.billedUsage);
            billedTokens = billedTokens.add(o.billedTokens);
            priceDrift = priceDrift.add(o.priceDrift);
        }

        public BigDecimal snapshotRatePerM() {
            return estimate.multiply(MILLION).divide(estTokens, 6, RoundingMode.HALF_EVEN);
        }

        public BigDecimal billedRatePerM() {
            return billedUsage.multiply(MILLION).divide(billedTokens, 6, RoundingMode.HALF_EVEN);
        }
    }

    private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private static final Comparator<String> NULLS_FIRST = Comparator.nullsFirst(Comparator.naturalOrder());
    /** Largest |difference| first; ties by key, so the table is the same whatever the parallelism. */
    static final Comparator<Top> LARGEST_FIRST = Comparator.comparing((Top t) -> t.difference.abs()).reversed()
            .thenComparingLong(t -> t.bucket).thenComparing(t -> t.account, NULLS_FIRST).thenComparing(t -> t.principal, NULLS_FIRST)
            .thenComparing(t -> t.usageType, NULLS_FIRST);
    /** Largest |amount| first, ties by name. */
    static final Comparator<Amount> AMOUNT_FIRST = Comparator.comparing((Amount a) -> a.usd.abs()).reversed()
            .thenComparing(a -> a.name);

    /** The label principals are charted (and summed) under. */
    public static String principalLabel(ReconRow r) {
        return r.k.principal.isEmpty() ? "(no principal)" : r.k.principal;
    }

    /** Folds one classified key in (everything but the principal ranking, which needs complete sums). */
    public void add(ReconRow r) {
        KeyResult k = r.k;
        estimate = estimate.add(k.estimate);
        billedUsage = billedUsage.add(k.billedUsage);
        adjustments = adjustments.add(k.adjustments);
        tax = tax.add(k.tax);
        difference = difference.add(r.difference);
        r.components.forEach((c, v) -> byClass.merge(c, v, BigDecimal::add));
        keysByClass.merge(r.cls, 1L, Long::sum);
        keys++;
        if (k.hasCur() && k.hasLedger()) matchedKeys++;
        else if (k.hasCur()) curOnlyKeys++;
        else if (k.hasLedger()) ledgerOnlyKeys++;
        if (r.breach) breaches++;
        if (k.assumedUnit) assumedUnitKeys++;
        if (k.derivedUsageType) derivedUsageTypeKeys++;
        addTeamDay(r.team, ReconcileJob.iso(k.bucket).substring(0, 10), k.estimate, r.billed());
        if (r.difference.signum() != 0) {
            usageTypeDifference.merge(k.usageType, r.difference, BigDecimal::add);
            Top t = new Top();
            t.bucket = k.bucket;
            t.account = k.account;
            t.principal = k.principal;
            t.usageType = k.usageType;
            t.team = r.team;
            t.cls = r.cls;
            t.reason = r.reason;
            t.estimate = k.estimate;
            t.billed = r.billed();
            t.difference = r.difference;
            t.breach = r.breach;
            largest.add(t);
            if (largest.size() >= 4 * LARGEST) trimLargest();
        }
        BigDecimal drift = r.components.get(Classifier.PRICE_DRIFT);
        if (drift != null && k.estTokens != 0 && k.billedTokens.signum() != 0) {
            Suggestion s = suggestions.computeIfAbsent(k.snapshotId + "|" + k.model + "|" + k.usageType, x -> {
                Suggestion n = new Suggestion();
                n.snapshotId = k.snapshotId == null ? "" : k.snapshotId;
                n.model = k.model == null ? "" : k.model;
                n.usageType = k.usageType;
                n.kind = r.parsed() == null ? "" : r.parsed().kind();
                return n;
            });
            s.estimate = s.estimate.add(k.estimate);
            s.estTokens = s.estTokens.add(BigDecimal.valueOf(k.estTokens));
            s.billedUsage = s.billedUsage.add(k.billedUsage);
            s.billedTokens = s.billedTokens.add(k.billedTokens);
            s.priceDrift = s.priceDrift.add(drift);
        }
    }

    /** One principal's complete summed difference. */
    public void addPrincipal(Amount a) {
        topPrincipals.add(a);
        if (topPrincipals.size() >= 4 * TOP_PRINCIPALS) trimPrincipals();
    }

    private void addTeamDay(String team, String day, BigDecimal est, BigDecimal billed) {
        BigDecimal[] v = teamDays.computeIfAbsent(team, x -> new TreeMap<>())
                .computeIfAbsent(day, x -> new BigDecimal[] {BigDecimal.ZERO, BigDecimal.ZERO});
        v[0] = v[0].add(est);
        v[1] = v[1].add(billed);
    }

    /** Adds another partial summary into this one. */
    public ReconSummary merge(ReconSummary o) {
        estimate = estimate.add(o.estimate);
        billedUsage = billedUsage.add(o.billedUsage);
        adjustments = adjustments.add(o.adjustments);
        tax = tax.add(o.tax);
        difference = difference.add(o.difference);
        o.byClass.forEach((c, v) -> byClass.merge(c, v, BigDecimal::add));
        o.keysByClass.forEach((c, v) -> keysByClass.merge(c, v, Long::sum));
        keys += o.keys;
        matchedKeys += o.matchedKeys;
        curOnlyKeys += o.curOnlyKeys;
        ledgerOnlyKeys += o.ledgerOnlyKeys;
        breaches += o.breaches;
        assumedUnitKeys += o.assumedUnitKeys;
        derivedUsageTypeKeys += o.derivedUsageTypeKeys;
        o.teamDays.forEach((team, days) -> days.forEach((day, v) -> addTeamDay(team, day, v[0], v[1])));
        o.usageTypeDifference.forEach((u, v) -> usageTypeDifference.merge(u, v, BigDecimal::add));
        largest.addAll(o.largest);
        topPrincipals.addAll(o.topPrincipals);
        o.suggestions.forEach((key, s) -> {
            Suggestion mine = suggestions.get(key);
            if (mine == null) suggestions.put(key, s);
            else mine.merge(s);
        });
        return trim();
    }

    /** Cuts the ranked lists to their size, in their final order. */
    public ReconSummary trim() {
        trimLargest();
        trimPrincipals();
        return this;
    }

    private void trimLargest() {
        largest.sort(LARGEST_FIRST);
        if (largest.size() > LARGEST) largest = new ArrayList<>(largest.subList(0, LARGEST));
    }

    private void trimPrincipals() {
        topPrincipals.sort(AMOUNT_FIRST);
        if (topPrincipals.size() > TOP_PRINCIPALS) topPrincipals = new ArrayList<>(topPrincipals.subList(0, TOP_PRINCIPALS));
    }

    public boolean pass() {
        return breaches == 0;
    }

    public BigDecimal billed() {
        return billedUsage.add(adjustments);
    }

    /** The {@code n} usage types with the largest |difference|, ties by name. */
    public Map<String, BigDecimal> topUsageTypes(int n) {
        List<Amount> all = new ArrayList<>();
        usageTypeDifference.forEach((u, v) -> all.add(new Amount(u, v)));
        all.sort(AMOUNT_FIRST);
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        for (Amount a : all.subList(0, Math.min(n, all.size()))) out.put(a.name, a.usd);
        return out;
    }

    /** The top principals as an ordered map. */
    public Map<String, BigDecimal> principals() {
        Map<String, BigDecimal> out = new LinkedHashMap<>();
        for (Amount a : topPrincipals) out.put(a.name, a.usd);
        return out;
    }

    /** Per-subtask fold of classified keys (the job's pre-aggregation). */
    public static final class OfRows implements AggregateFunction<ReconRow, ReconSummary, ReconSummary> {
        @Override public ReconSummary createAccumulator() { return new ReconSummary(); }
        @Override public ReconSummary add(ReconRow r, ReconSummary acc) { acc.add(r); return acc; }
        @Override public ReconSummary getResult(ReconSummary acc) { return acc.trim(); }
        @Override public ReconSummary merge(ReconSummary a, ReconSummary b) { return a.merge(b); }
    }

    /** Per-subtask top principals from complete per-principal sums. */
    public static final class OfPrincipals implements AggregateFunction<Amount, ReconSummary, ReconSummary> {
        @Override public ReconSummary createAccumulator() { return new ReconSummary(); }
        @Override public ReconSummary add(Amount a, ReconSummary acc) { acc.addPrincipal(a); return acc; }
        @Override public ReconSummary getResult(ReconSummary acc) { return acc.trim(); }
        @Override public ReconSummary merge(ReconSummary a, ReconSummary b) { return a.merge(b); }
    }
}
