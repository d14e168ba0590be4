package io.bedrockspend.pricing;

import io.bedrockspend.ingest.InvocationCall;
import java.io.IOException;
import java.io.Serializable;
import java.math.BigDecimal;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * All pricing snapshots, immutable, and the rule that prices one call. Serializable so a Flink
 * operator can carry it.
 *
 * <p>Lookup for a call: the snapshot in force at the call's UTC day, then the entry for (base
 * model, routing class, tier) in the first region scope that has one, trying the geo profile's geo,
 * the exact region, the region's geos, then {@code *}; within that scope the long-context entry
 * when the prompt exceeds its threshold, else the standard one; only entries effective that day.
 */
public final class PriceBook implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final long MILLIS_PER_DAY = 86_400_000L;

    /** Lookup key inside one snapshot; both bands and all dated periods share a key. */
    private record EntryKey(String model, RoutingClass routing, String scope, Tier tier)
            implements Serializable {}

    private final List<PricingSnapshot> snapshots; // ascending effectiveFrom
    private final long[] startDays;
    private final List<Map<EntryKey, List<PriceEntry>>> indexes;
    private final ModelIdNormalizer normalizer;

    private PriceBook(List<PricingSnapshot> sorted, List<Map<EntryKey, List<PriceEntry>>> indexes,
            ModelIdNormalizer normalizer) {
        this.snapshots = sorted;
        this.indexes = indexes;
        this.normalizer = normalizer;
        this.startDays = new long[sorted.size()];
        for (int i = 0; i < sorted.size(); i++) {
            startDays[i] = sorted.get(i).effectiveFrom().toEpochDay();
        }
    }

    /**
     * Reads every {@code *.json} file in {@code dir}. Fails with an {@link IOException} naming the
     * file and problem: missing folder, no snapshots, bad JSON, unknown formatVersion, bad rate,
     * overlapping effective ranges, duplicate snapshot id or start date, conflicting aliases.
     */
    public static PriceBook load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("pricing snapshot folder not found or not a directory: " + dir);
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
            ds.forEach(files::add);
        }
        if (files.isEmpty()) {
            throw new IOException("no *.json pricing snapshots in " + dir);
        }
        files.sort(Comparator.naturalOrder());
        List<PricingSnapshot> snapshots = new ArrayList<>();
        for (Path f : files) {
            snapshots.add(SnapshotReader.read(f));
        }
        String problem = bookProblem(snapshots);
        if (problem != null) {
            throw new IOException(problem);
        }
        return build(snapshots);
    }

    /**
     * As {@link #load}, from snapshot files' contents (name → bytes) already read from a folder, local
     * or remote: what the hot reload uses.
     */
    public static PriceBook fromContents(Map<String, byte[]> files) throws IOException {
        if (files.isEmpty()) {
            throw new IOException("no *.json pricing snapshots");
        }
        List<PricingSnapshot> snapshots = new ArrayList<>();
        for (Map.Entry<String, byte[]> f : new java.util.TreeMap<>(files).entrySet()) {
            snapshots.add(SnapshotReader.parse(f.getValue(), f.getKey(), true));
        }
        String problem = bookProblem(snapshots);
        if (problem != null) {
            throw new IOException(problem);
        }
        return build(snapshots);
    }

    /** Reads and checks one snapshot file exactly as {@link #load} does (for tools: fetch, diff). */
    public static PricingSnapshot readSnapshot(Path file) throws IOException {
        return SnapshotReader.read(file);
    }

    /**
     * Reads one snapshot file with every check of {@link #load} except overlapping effective ranges,
     * so a validator can list all overlaps (see {@link #overlapProblems}) instead of the first.
     */
    public static PricingSnapshot readSnapshotForValidation(Path file) throws IOException {
        return SnapshotReader.read(file, false);
    }

    /** Every pair of entries in {@code snapshot} with the same key and overlapping dates. */
    public static List<String> overlapProblems(PricingSnapshot snapshot) {
        List<String> problems = new ArrayList<>();
        Map<String, List<PriceEntry>> byKey = new HashMap<>();
        for (PriceEntry e : snapshot.entries()) {
            List<PriceEntry> same = byKey.computeIfAbsent(e.describe(), k -> new ArrayList<>());
            for (PriceEntry prior : same) {
                if (prior.overlaps(e)) {
                    problems.add("overlapping effective ranges for " + e.describe() + ": [" + range(prior)
                            + ") and [" + range(e) + ")");
                }
            }
            same.add(e);
        }
        return problems;
    }

    /** The first problem across snapshots (duplicate id or start, alias conflicts), or null. */
    public static String crossSnapshotProblem(List<PricingSnapshot> snapshots) {
        return bookProblem(snapshots);
    }

    /** An in-memory price book (tests, tools). Throws IllegalArgumentException when invalid. */
    public static PriceBook of(List<PricingSnapshot> snapshots) {
        for (PricingSnapshot s : snapshots) {
            String p = overlapProblem(s);
            if (p != null) {
                throw new IllegalArgumentException(s.snapshotId() + ": " + p);
            }
        }
        String problem = bookProblem(snapshots);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        return build(snapshots);
    }

    /**
     * The same prices, resolving application-inference-profile ARNs through {@code profiles}
     * (profile ARN, or its trailing id, to a model id, system profile id or ARN).
     */
    public PriceBook withApplicationProfiles(Map<String, String> profiles) {
        return new PriceBook(snapshots, indexes, normalizer.withApplicationProfiles(profiles));
    }

    public List<String> snapshotIds() {
        List<String> ids = new ArrayList<>(snapshots.size());
        snapshots.forEach(s -> ids.add(s.snapshotId()));
        return List.copyOf(ids);
    }

    /** All snapshots, oldest effectiveFrom first (for listing and validation tools). */
    public List<PricingSnapshot> snapshots() {
        return snapshots;
    }

    /** The entries of one snapshot; empty when the id is unknown. */
    public List<PriceEntry> entries(String snapshotId) {
        for (PricingSnapshot s : snapshots) {
            if (s.snapshotId().equals(snapshotId)) {
                return s.entries();
            }
        }
        return List.of();
    }

    public ModelIdNormalizer normalizer() {
        return normalizer;
    }

    /** Prices one call. Never throws for bad data: problems become an unpriced result with a reason. */
    public CallCost price(InvocationCall call) {
        CallCost cost = new CallCost();
        boolean failed = call.errorCode != null && !call.errorCode.isEmpty();
        cost.status = failed ? CallCost.ERROR : CallCost.PRICED;
        cost.cacheTtlAssumed = !call.cacheSplitKnown && call.cacheWriteTokens > 0;
        Tier tier = Tier.fromCall(call.tier);
        cost.tier = tier != null ? tier.wireName() : call.tier;

        ModelRef ref = normalizer.normalize(call.modelId);
        cost.baseModelId = ref.baseModelId();
        cost.routingClass = ref.routingClass() == null ? null : ref.routingClass().wireName();

        long day = Math.floorDiv(call.timestampMillis, MILLIS_PER_DAY);
        int snap = snapshotIndexOn(day);
        if (snap >= 0) {
            cost.snapshotId = snapshots.get(snap).snapshotId();
        }

        long[] tokens = tokensByKind(call);
        boolean noTokens = true;
        for (long t : tokens) {
            if (t < 0) {
                return unpriced(cost, "negative token count (inconsistent cache split?)");
            }
            noTokens &= t == 0;
        }
        if (failed && noTokens) {
            // A failed call without tokens costs nothing whatever the model.
            return zero(cost);
        }
        if (!ref.isResolved()) {
            return unpriced(cost, ref.unresolvedReason());
        }
        if (tier == null) {
            return unpriced(cost, "unknown service tier '" + call.tier + "'");
        }
        if (snap < 0) {
            return unpriced(cost, "no pricing snapshot in force on " + LocalDate.ofEpochDay(day));
        }
        String region = call.region != null && !call.region.isEmpty() ? call.region : ref.arnRegion();
        PriceEntry entry = findEntry(indexes.get(snap), ref, region, tier, day, promptTokens(call));
        String where = " (" + ref.routingClass().wireName() + ", " + (region == null ? "unknown region" : region)
                + ", " + tier.wireName() + ")";
        if (entry == null) {
            return unpriced(cost, "no price for model " + ref.baseModelId() + where);
        }
        cost.contextBand = entry.contextBand().wireName();
        RateCard rates = entry.rates();
        for (TokenKind kind : TokenKind.values()) {
            if (tokens[kind.ordinal()] > 0 && !rates.has(kind)) {
                // Never partially priced: one unknown rate makes the whole call unknown.
                return unpriced(cost, "no " + kind.wireName() + " rate for " + entry.describe()
                        + " in snapshot " + cost.snapshotId);
            }
        }
        BigDecimal[] amounts = new BigDecimal[tokens.length];
        BigDecimal total = BigDecimal.ZERO;
        for (TokenKind kind : TokenKind.values()) {
            long t = tokens[kind.ordinal()];
            BigDecimal amount = t == 0 ? BigDecimal.ZERO : RateCard.cost(rates.perMillion(kind), t);
            amounts[kind.ordinal()] = amount;
            total = total.add(amount);
        }
        setAmounts(cost, amounts);
        cost.total = total;
        cost.usageTypes = usageTypes(entry, tokens, region);
        return cost;
    }

    /** The CUR usage type of each billed kind, with the region's billing code filled in; null when none is known. */
    static Map<String, String> usageTypes(PriceEntry entry, long[] tokens, String region) {
        String code = region == null ? null : io.bedrockspend.pricing.BillingRegions.code(region);
        if (code == null || entry.usageTypes().isEmpty()) return null;
        Map<String, String> out = new java.util.TreeMap<>();
        for (TokenKind kind : TokenKind.values()) {
            String template = entry.usageTypes().get(kind);
            if (tokens[kind.ordinal()] > 0 && template != null) out.put(kind.wireName(), template.replace("{region}", code));
        }
        return out.isEmpty() ? null : out;
    }

    /** The entry that prices {@code ref} on {@code day}, or null (see class comment for the order). */
    private static PriceEntry findEntry(Map<EntryKey, List<PriceEntry>> index, ModelRef ref,
            String region, Tier tier, long day, long promptTokens) {
        for (String scope : scopeChain(ref.profileGeo(), region)) {
            List<PriceEntry> candidates = index.get(new EntryKey(ref.baseModelId(), ref.routingClass(), scope, tier));
            if (candidates == null) {
                continue;
            }
            PriceEntry standard = null;
            PriceEntry longBand = null;
            for (PriceEntry e : candidates) {
                if (e.appliesOn(day)) {
                    if (e.contextBand() == ContextBand.LONG) {
                        longBand = e;
                    } else {
                        standard = e;
                    }
                }
            }
            if (standard == null && longBand == null) {
                continue;
            }
            // The scope that knows the model decides; we do not mix bands across scopes.
            if (longBand != null && promptTokens > longBand.longContextThresholdTokens()) {
                return longBand;
            }
            return standard;
        }
        return null;
    }

    /** Scopes to try, most specific first: profile geo, region, region's geos, then any. */
    static List<String> scopeChain(String profileGeo, String region) {
        List<String> chain = new ArrayList<>(5);
        if (profileGeo != null) {
            chain.add(profileGeo);
        }
        if (region != null && !chain.contains(region)) {
            chain.add(region);
        }
        for (String geo : RegionGeo.geosOf(region)) {
            if (!chain.contains(geo)) {
                chain.add(geo);
            }
        }
        chain.add(RegionGeo.ANY);
        return chain;
    }

    private int snapshotIndexOn(long day) {
        int found = -1;
        for (int i = 0; i < startDays.length && startDays[i] <= day; i++) {
            found = i;
        }
        return found;
    }

    /** Tokens per {@link TokenKind} ordinal. Without a known split every write is a 5-minute write. */
    private static long[] tokensByKind(InvocationCall call) {
        long[] t = new long[TokenKind.values().length];
        t[TokenKind.INPUT.ordinal()] = call.inputTokens;
        t[TokenKind.OUTPUT.ordinal()] = call.outputTokens;
        t[TokenKind.CACHE_READ.ordinal()] = call.cacheReadTokens;
        t[TokenKind.CACHE_WRITE_5M.ordinal()] = call.cacheWrite5mTokens();
        t[TokenKind.CACHE_WRITE_1H.ordinal()] = call.cacheWrite1hTokensKnown();
        return t;
    }

    /** The prompt size that selects the long-context band. */
    private static long promptTokens(InvocationCall call) {
        return call.inputTokens + call.cacheReadTokens + call.cacheWriteTokens;
    }

    private static CallCost unpriced(CallCost cost, String reason) {
        if (!CallCost.ERROR.equals(cost.status)) {
            cost.status = CallCost.UNPRICED;
        }
        cost.reason = reason;
        setAmounts(cost, new BigDecimal[TokenKind.values().length]);
        cost.total = null;
        return cost;
    }

    private static CallCost zero(CallCost cost) {
        BigDecimal[] zeros = new BigDecimal[TokenKind.values().length];
        java.util.Arrays.fill(zeros, BigDecimal.ZERO);
        setAmounts(cost, zeros);
        cost.total = BigDecimal.ZERO;
        return cost;
    }

    private static void setAmounts(CallCost cost, BigDecimal[] a) {
        cost.input = a[TokenKind.INPUT.ordinal()];
        cost.output = a[TokenKind.OUTPUT.ordinal()];
        cost.cacheRead = a[TokenKind.CACHE_READ.ordinal()];
        cost.cacheWrite5m = a[TokenKind.CACHE_WRITE_5M.ordinal()];
        cost.cacheWrite1h = a[TokenKind.CACHE_WRITE_1H.ordinal()];
    }

    private static PriceBook build(List<PricingSnapshot> snapshots) {
        List<PricingSnapshot> sorted = new ArrayList<>(snapshots);
        sorted.sort(Comparator.comparing(PricingSnapshot::effectiveFrom));
        Map<String, String> aliases = aliases(sorted);
        List<Map<EntryKey, List<PriceEntry>>> indexes = new ArrayList<>(sorted.size());
        for (PricingSnapshot s : sorted) {
            Map<EntryKey, List<PriceEntry>> index = new HashMap<>();
            for (PriceEntry e : s.entries()) {
                index.computeIfAbsent(new EntryKey(e.model(), e.routingClass(), e.regionScope(), e.tier()),
                        k -> new ArrayList<>()).add(e);
            }
            index.replaceAll((k, v) -> List.copyOf(v));
            indexes.add(Map.copyOf(index));
        }
        return new PriceBook(List.copyOf(sorted), List.copyOf(indexes), new ModelIdNormalizer(Map.of(), aliases));
    }

    /** alias -> model over all snapshots (validated by {@link #bookProblem}). */
    private static Map<String, String> aliases(List<PricingSnapshot> snapshots) {
        Map<String, String> aliases = new HashMap<>();
        for (PricingSnapshot s : snapshots) {
            for (PriceEntry e : s.entries()) {
                for (String a : e.aliases()) {
                    aliases.put(a, e.model());
                }
            }
        }
        return aliases;
    }

    /** First problem across snapshots (duplicate id or start, alias conflicts), or null. */
    static String bookProblem(List<PricingSnapshot> snapshots) {
        Map<String, PricingSnapshot> byId = new HashMap<>();
        Map<LocalDate, PricingSnapshot> byStart = new HashMap<>();
        Map<String, String> aliasOwner = new HashMap<>();
        java.util.Set<String> models = new java.util.HashSet<>();
        for (PricingSnapshot s : snapshots) {
            PricingSnapshot other = byId.putIfAbsent(s.snapshotId(), s);
            if (other != null) {
                return s.file() + ": snapshotId " + s.snapshotId() + " is also used by " + other.file();
            }
            other = byStart.putIfAbsent(s.effectiveFrom(), s);
            if (other != null) {
                return s.file() + ": effectiveFrom " + s.effectiveFrom() + " is also the start of "
                        + other.file() + " (which one is in force would be ambiguous)";
            }
            s.entries().forEach(e -> models.add(e.model()));
        }
        for (PricingSnapshot s : snapshots) {
            for (PriceEntry e : s.entries()) {
                for (String a : e.aliases()) {
                    if (models.contains(a)) {
                        return s.file() + ": alias " + a + " of " + e.model() + " is itself a model id";
                    }
                    String owner = aliasOwner.putIfAbsent(a, e.model());
                    if (owner != null && !owner.equals(e.model())) {
                        return s.file() + ": alias " + a + " is claimed by both " + owner + " and " + e.model();
                    }
                }
            }
        }
        return null;
    }

    /** First pair of entries in one snapshot with the same key and overlapping dates, or null. */
    static String overlapProblem(PricingSnapshot snapshot) {
        Map<String, List<PriceEntry>> byKey = new HashMap<>();
        for (PriceEntry e : snapshot.entries()) {
            String key = e.describe();
            List<PriceEntry> same = byKey.computeIfAbsent(key, k -> new ArrayList<>());
            for (PriceEntry prior : same) {
                if (prior.overlaps(e)) {
                    return "overlapping effective ranges for " + key + ": ["
                            + range(prior) + ") and [" + range(e) + ")";
                }
            }
            same.add(e);
        }
        return null;
    }

    private static String range(PriceEntry e) {
        return (e.effectiveFrom() == null ? "start" : e.effectiveFrom().toString()) + ", "
                + (e.effectiveTo() == null ? "open" : e.effectiveTo().toString());
    }
}
