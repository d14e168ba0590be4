package io.bedrockspend.pricing.pricelist;

import io.bedrockspend.pricing.ContextBand;
import io.bedrockspend.pricing.PriceBook;
import io.bedrockspend.pricing.PriceEntry;
import io.bedrockspend.pricing.PricingSnapshot;
import io.bedrockspend.pricing.RegionGeo;
import io.bedrockspend.pricing.RoutingClass;
import io.bedrockspend.pricing.Tier;
import io.bedrockspend.pricing.TokenKind;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * {@code pricing validate}: checks a pricing folder beyond what loading needs.
 *
 * <p>Errors (the folder must not be used): anything the loader rejects (schema, dates, rates that
 * are not positive decimal strings, duplicate ids/starts, alias conflicts), every overlapping
 * effective range (all of them, not only the first), a Claude cache rate off its multiplier (5m
 * write 1.25x, 1h write 2x, read 0.1x input: uniform across every Claude model, region and routing
 * in all sources, so a mismatch almost always means a misclassified usage type such as
 * {@code CacheWrite1hInputTokenCount} read as input), and a model of the alias table with no
 * standard price in a configured region in the newest snapshot (its calls would be unpriced).
 *
 * <p>Warnings (shown for review, fatal only with {@code strict}): regional = 1.1x global for the
 * models flagged {@code regionalPremium}, and batch = 0.5x standard. These are pricing conventions,
 * not invariants: GovCloud is +20%, batch is N/A or differently priced for some models, and AWS can
 * price a region differently at any time; a change there deserves a look at {@code pricing diff},
 * not a blocked pipeline.
 */
public final class SnapshotValidator {
    public enum Severity { ERROR, WARNING }

    public record Problem(Severity severity, String where, String message) {
        @Override
        public String toString() {
            return severity.name().toLowerCase() + ": " + (where == null ? "" : where + ": ") + message;
        }
    }

    /** Outcome; {@link #ok} is false when there is an error (or, when strict, a warning). */
    public record Result(List<Problem> problems, List<PricingSnapshot> snapshots, boolean strict) {
        public long errors() {
            return problems.stream().filter(p -> p.severity() == Severity.ERROR).count();
        }

        public long warnings() {
            return problems.stream().filter(p -> p.severity() == Severity.WARNING).count();
        }

        public boolean ok() {
            return errors() == 0 && (!strict || warnings() == 0);
        }
    }

    static final BigDecimal CLAUDE_READ = new BigDecimal("0.1");
    static final BigDecimal CLAUDE_WRITE_5M = new BigDecimal("1.25");
    static final BigDecimal CLAUDE_WRITE_1H = new BigDecimal("2");
    static final BigDecimal REGIONAL_PREMIUM = new BigDecimal("1.1");
    static final BigDecimal BATCH = new BigDecimal("0.5");

    private SnapshotValidator() {}

    public static Result validate(Path dir, List<String> regions, ModelAliases aliases, boolean strict) throws IOException {
        List<Problem> problems = new ArrayList<>();
        List<PricingSnapshot> loaded = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            problems.add(new Problem(Severity.ERROR, dir.toString(), "pricing folder not found or not a directory"));
            return new Result(problems, loaded, strict);
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
            ds.forEach(files::add);
        }
        files.sort(Comparator.naturalOrder());
        if (files.isEmpty()) {
            problems.add(new Problem(Severity.ERROR, dir.toString(), "no *.json pricing snapshots"));
        }
        for (Path f : files) {
            try {
                PricingSnapshot s = PriceBook.readSnapshotForValidation(f);
                loaded.add(s);
                for (String o : PriceBook.overlapProblems(s)) {
                    problems.add(new Problem(Severity.ERROR, f.toString(), o));
                }
            } catch (IOException e) {
                problems.add(new Problem(Severity.ERROR, null, e.getMessage()));
            }
        }
        String cross = loaded.isEmpty() ? null : PriceBook.crossSnapshotProblem(loaded);
        if (cross != null) {
            problems.add(new Problem(Severity.ERROR, null, cross));
        }
        for (PricingSnapshot s : loaded) {
            checkRates(s, problems);
            checkClaudeCache(s, problems);
            checkRegionalPremium(s, aliases, problems);
            checkBatch(s, problems);
        }
        if (!loaded.isEmpty()) {
            PricingSnapshot newest = loaded.stream().max(Comparator.comparing(PricingSnapshot::effectiveFrom)).get();
            checkCoverage(newest, regions, aliases, problems);
        }
        return new Result(problems, List.copyOf(loaded), strict);
    }

    private static void checkRates(PricingSnapshot s, List<Problem> problems) {
        for (PriceEntry e : s.entries()) {
            for (Map.Entry<TokenKind, BigDecimal> r : e.rates().asMap().entrySet()) {
                if (r.getValue().signum() <= 0) {
                    problems.add(new Problem(Severity.ERROR, s.file(), e.describe() + ": " + r.getKey().wireName()
                            + " rate " + r.getValue().toPlainString() + " is not positive"));
                }
            }
        }
    }

    private static void checkClaudeCache(PricingSnapshot s, List<Problem> problems) {
        for (PriceEntry e : s.entries()) {
            if (!e.model().startsWith("anthropic.claude")) {
                continue;
            }
            BigDecimal input = e.rates().perMillion(TokenKind.INPUT);
            if (input == null) {
                continue;
            }
            ratio(s, e, TokenKind.CACHE_READ, input, CLAUDE_READ, "input", Severity.ERROR, problems);
            ratio(s, e, TokenKind.CACHE_WRITE_5M, input, CLAUDE_WRITE_5M, "input", Severity.ERROR, problems);
            ratio(s, e, TokenKind.CACHE_WRITE_1H, input, CLAUDE_WRITE_1H, "input", Severity.ERROR, problems);
        }
    }

    private static void ratio(PricingSnapshot s, PriceEntry e, TokenKind kind, BigDecimal base, BigDecimal factor,
            String baseName, Severity severity, List<Problem> problems) {
        BigDecimal actual = e.rates().perMillion(kind);
        if (actual == null) {
            return;
        }
        BigDecimal expected = base.multiply(factor);
        if (actual.compareTo(expected) != 0) {
            problems.add(new Problem(severity, s.file(), e.describe() + ": " + kind.wireName() + " "
                    + actual.toPlainString() + " is not " + factor.toPlainString() + " x " + baseName + " "
                    + base.toPlainString() + " (expected " + expected.stripTrailingZeros().toPlainString() + ")"));
        }
    }

    private static void checkRegionalPremium(PricingSnapshot s, ModelAliases aliases, List<Problem> problems) {
        for (PriceEntry regional : s.entries()) {
            ModelAliases.Model m = aliases.byId(regional.model());
            if (regional.routingClass() != RoutingClass.REGIONAL || m == null || !m.regionalPremium()) {
                continue;
            }
            for (PriceEntry global : s.entries()) {
                if (global.routingClass() != RoutingClass.GLOBAL || !sameProduct(global, regional)
                        || !global.overlaps(regional) || !comparableScopes(global.regionScope(), regional.regionScope())) {
                    continue;
                }
                for (Map.Entry<TokenKind, BigDecimal> g : global.rates().asMap().entrySet()) {
                    BigDecimal r = regional.rates().perMillion(g.getKey());
                    BigDecimal expected = g.getValue().multiply(REGIONAL_PREMIUM);
                    if (r != null && r.compareTo(expected) != 0) {
                        problems.add(new Problem(Severity.WARNING, s.file(), regional.describe() + ": "
                                + g.getKey().wireName() + " " + r.toPlainString() + " is not 1.1 x global "
                                + g.getValue().toPlainString() + " (" + global.regionScope() + "; expected "
                                + expected.stripTrailingZeros().toPlainString() + ")"));
                    }
                }
            }
        }
    }

    /** A global price scoped {@code *} is compared with commercial regional scopes only (GovCloud is +20%). */
    private static boolean comparableScopes(String globalScope, String regionalScope) {
        if (globalScope.equals(regionalScope)) {
            return true;
        }
        return RegionGeo.ANY.equals(globalScope) && !regionalScope.startsWith("us-gov");
    }

    private static void checkBatch(PricingSnapshot s, List<Problem> problems) {
        for (PriceEntry batch : s.entries()) {
            if (batch.tier() != Tier.BATCH) {
                continue;
            }
            for (PriceEntry std : s.entries()) {
                if (std.tier() != Tier.STANDARD || !std.model().equals(batch.model())
                        || std.routingClass() != batch.routingClass() || !std.regionScope().equals(batch.regionScope())
                        || std.contextBand() != batch.contextBand() || !std.overlaps(batch)) {
                    continue;
                }
                for (TokenKind k : List.of(TokenKind.INPUT, TokenKind.OUTPUT)) {
                    BigDecimal base = std.rates().perMillion(k);
                    if (base != null) {
                        ratio(s, batch, k, base, BATCH, "standard " + k.wireName(), Severity.WARNING, problems);
                    }
                }
            }
        }
    }

    private static boolean sameProduct(PriceEntry a, PriceEntry b) {
        return a.model().equals(b.model()) && a.tier() == b.tier() && a.contextBand() == b.contextBand();
    }

    private static void checkCoverage(PricingSnapshot newest, List<String> regions, ModelAliases aliases,
            List<Problem> problems) {
        for (ModelAliases.Model m : aliases.models()) {
            if (m.retiredOn() != null && !newest.effectiveFrom().isBefore(m.retiredOn())) {
                continue;
            }
            for (String region : regions) {
                List<String> scopes = new ArrayList<>();
                scopes.add(region);
                scopes.addAll(RegionGeo.geosOf(region));
                scopes.add(RegionGeo.ANY);
                boolean priced = newest.entries().stream().anyMatch(e -> e.model().equals(m.modelId())
                        && e.tier() == Tier.STANDARD && e.contextBand() == ContextBand.STANDARD
                        && scopes.contains(e.regionScope()));
                if (!priced) {
                    problems.add(new Problem(Severity.ERROR, newest.file(), "model " + m.modelId()
                            + " (alias table) has no standard price for region " + region + " (scopes " + scopes
                            + ") in snapshot " + newest.snapshotId()));
                }
            }
        }
        newest.entries().stream().map(PriceEntry::model).distinct().sorted()
                .filter(id -> aliases.byId(id) == null)
                .forEach(id -> problems.add(new Problem(Severity.WARNING, newest.file(), "model " + id
                        + " is priced but not in the alias table, so a Price List fetch cannot produce it")));
    }
}
