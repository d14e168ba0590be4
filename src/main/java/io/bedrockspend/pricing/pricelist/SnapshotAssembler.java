package io.bedrockspend.pricing.pricelist;

import io.bedrockspend.pricing.BillingRegions;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bedrockspend.pricing.ContextBand;
import io.bedrockspend.pricing.RoutingClass;
import io.bedrockspend.pricing.Tier;
import io.bedrockspend.pricing.TokenKind;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns Price List products into snapshot entries (format of docs/pricing-snapshots.md). Each row
 * is classified by usage type, its unit normalized to USD per 1M tokens, its model mapped through
 * {@link ModelAliases}; anything else is reported with a reason, never guessed. Entries are scoped
 * to the exact region fetched, for both routing classes: the Price List sells global SKUs per
 * source region, so a region we did not fetch stays unpriced rather than borrowing another's price.
 */
public final class SnapshotAssembler {
    static final String LATENCY_SUFFIX = " latency optimized";

    /** Key of one snapshot entry. */
    private record Key(String model, RoutingClass routing, String scope, Tier tier, boolean longCtx)
            implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            return Comparator.comparing(Key::model).thenComparing(Key::routing).thenComparing(Key::scope)
                    .thenComparing(Key::tier).thenComparing(Key::longCtx).compare(this, o);
        }
    }

    /** One accepted rate with its provenance. */
    private record Rate(BigDecimal perMillion, String serviceCode, String sku, String usageType, String effectiveDate,
            String unit, String usd) {}

    private static final class Building {
        final Map<TokenKind, List<Rate>> rates = new EnumMap<>(TokenKind.class);
        final Set<TokenKind> conflicted = new HashSet<>();
        Long threshold;
    }

    /** An offer version seen (service code, version, publicationDate). */
    public record Offer(String serviceCode, String version, String publicationDate) {}

    private final ModelAliases aliases;
    private final Map<Key, Building> entries = new TreeMap<>();
    private final List<ReportedRow> reported = new ArrayList<>();
    private final Set<Offer> offers = new LinkedHashSet<>();
    private final Set<String> seen = new HashSet<>();
    private int rows;
    private int priced;
    private int duplicates;

    public SnapshotAssembler(ModelAliases aliases) {
        this.aliases = aliases;
    }

    /** A PriceList element that failed to parse. */
    public void addUnparseable(String serviceCode, String region, String reason) {
        rows++;
        reported.add(new ReportedRow(ReportedRow.REJECTED, reason, serviceCode, region, null, null, null, null, null,
                null, null, null));
    }

    /** Adds one product fetched for {@code region} from {@code serviceCode}. */
    public void add(String serviceCode, String region, PriceListProduct p) {
        rows++;
        if (!seen.add(region + "|" + p.sku())) {
            duplicates++; // the same SKU on two pages or under two offer codes: price it once
            return;
        }
        if (p.version() != null || p.publicationDate() != null) {
            offers.add(new Offer(serviceCode, p.version(), p.publicationDate()));
        }
        UsageClass c = UsageTypeClassifier.classify(p.usageType(), p.attribute("feature"));
        if (c.status() == UsageClass.Status.EXCLUDED) {
            report(ReportedRow.EXCLUDED, c.reason(), serviceCode, region, p);
            return;
        }
        if (c.status() == UsageClass.Status.UNCLASSIFIED) {
            report(ReportedRow.UNCLASSIFIED, c.reason(), serviceCode, region, p);
            return;
        }
        String billingRegion = BillingRegions.region(c.billingCode());
        if (billingRegion == null) {
            report(ReportedRow.UNCLASSIFIED, "billing region code " + c.billingCode() + " is not in the table",
                    serviceCode, region, p);
            return;
        }
        if (!billingRegion.equals(region)) {
            report(ReportedRow.REJECTED, "usage type bills in " + billingRegion + ", fetched for " + region,
                    serviceCode, region, p);
            return;
        }
        String regionCode = p.attribute("regionCode");
        if (regionCode != null && !regionCode.equals(region)) {
            report(ReportedRow.REJECTED, "regionCode " + regionCode + " differs from " + region, serviceCode, region, p);
            return;
        }
        if (p.onDemand().isEmpty()) {
            report(p.hasReservedTerms() ? ReportedRow.EXCLUDED : ReportedRow.REJECTED,
                    p.hasReservedTerms() ? "reserved term only" : "no OnDemand term", serviceCode, region, p);
            return;
        }
        if (p.onDemand().size() != 1 || p.onDemand().get(0).dimensions().size() != 1) {
            report(ReportedRow.REJECTED, "expected one OnDemand term with one price dimension, got "
                    + p.onDemand().size() + " term(s) / " + p.onDemand().get(0).dimensions().size()
                    + " dimension(s) (tiered prices are not supported)", serviceCode, region, p);
            return;
        }
        PriceListProduct.Term term = p.onDemand().get(0);
        PriceListProduct.Dimension dim = term.dimensions().get(0);
        String unitProblem = null;
        BigDecimal perMillion = null;
        try {
            perMillion = perMillion(dim);
        } catch (IllegalArgumentException e) {
            unitProblem = e.getMessage();
        }
        if (unitProblem != null) {
            report(ReportedRow.REJECTED, unitProblem, serviceCode, region, p);
            return;
        }
        String mapProblem = null;
        ModelAliases.Model model = null;
        try {
            model = mapModel(p, c);
        } catch (IllegalArgumentException e) {
            mapProblem = e.getMessage();
        }
        if (model == null) {
            report(ReportedRow.UNMAPPED, mapProblem, serviceCode, region, p);
            return;
        }
        if (c.longContext() && model.longContextThresholdTokens() == null) {
            report(ReportedRow.REJECTED, "long-context row for " + model.modelId()
                    + " but the alias table gives no longContextThresholdTokens", serviceCode, region, p);
            return;
        }
        Key key = new Key(model.modelId(), c.routing(), region, c.tier(), c.longContext());
        Building b = entries.computeIfAbsent(key, k -> new Building());
        b.threshold = c.longContext() ? model.longContextThresholdTokens() : null;
        List<Rate> list = b.rates.computeIfAbsent(c.tokenKind(), k -> new ArrayList<>());
        Rate rate = new Rate(perMillion, serviceCode, p.sku(), p.usageType(), term.effectiveDate(), dim.unit(), dim.usd());
        for (Rate other : list) {
            if (other.perMillion().compareTo(perMillion) != 0) {
                // Twin SKUs that disagree: which one bills is unknown, so the kind stays unpriced.
                b.conflicted.add(c.tokenKind());
            }
        }
        list.add(rate);
        priced++;
    }

    private void report(String category, String reason, String serviceCode, String region, PriceListProduct p) {
        reported.add(ReportedRow.of(category, reason, serviceCode, region, p));
    }

    /**
     * USD per 1M tokens from one price dimension: {@code 1K tokens} x 1000; {@code 1M tokens} x 1;
     * {@code Units} only when the description says million (an older Marketplace spelling).
     */
    static BigDecimal perMillion(PriceListProduct.Dimension dim) {
        if (dim.usd() == null) {
            throw new IllegalArgumentException("no USD price");
        }
        BigDecimal usd;
        try {
            usd = new BigDecimal(dim.usd().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("USD price '" + dim.usd() + "' is not a decimal");
        }
        if (usd.signum() <= 0) {
            throw new IllegalArgumentException("USD price " + dim.usd() + " is not positive");
        }
        if (dim.beginRange() != null && !dim.beginRange().equals("0")) {
            throw new IllegalArgumentException("price dimension starts at " + dim.beginRange() + " (tiered)");
        }
        String unit = dim.unit() == null ? "" : dim.unit().trim();
        String desc = dim.description() == null ? "" : dim.description().toLowerCase(Locale.ROOT);
        BigDecimal scaled;
        switch (unit.toLowerCase(Locale.ROOT)) {
            case "1k tokens" -> scaled = usd.movePointRight(3);
            case "1m tokens" -> scaled = usd;
            case "units" -> {
                if (!desc.contains("million")) {
                    throw new IllegalArgumentException("unit 'Units' without 'million' in the description");
                }
                scaled = usd;
            }
            default -> throw new IllegalArgumentException("unit '" + unit + "' is not a token unit");
        }
        BigDecimal s = scaled.stripTrailingZeros();
        return s.scale() < 0 ? s.setScale(0) : s;
    }

    /**
     * The model of a row. Every name the row carries ({@code model}, {@code titanModel}, Marketplace
     * {@code servicename}, mantle id) must be in the alias table and agree; null with a reason
     * (IllegalArgumentException) otherwise.
     */
    ModelAliases.Model mapModel(PriceListProduct p, UsageClass c) {
        Set<ModelAliases.Model> found = new LinkedHashSet<>();
        List<String> unknown = new ArrayList<>();
        for (String attr : List.of("model", "titanModel")) {
            String name = p.attribute(attr);
            if (name == null) {
                continue;
            }
            String folded = ModelAliases.fold(name);
            if (folded.endsWith(LATENCY_SUFFIX)) {
                if (c.tier() != Tier.LATENCY_OPTIMIZED) {
                    throw new IllegalArgumentException(attr + " '" + name + "' says latency optimized but the usage type's tier is "
                            + c.tier().wireName());
                }
                name = name.trim().substring(0, name.trim().length() - LATENCY_SUFFIX.length());
            }
            add(aliases.byName(name), attr + " '" + p.attribute(attr) + "'", found, unknown);
        }
        String service = p.attribute("servicename");
        if (service != null && service.endsWith(ModelAliases.EDITION_SUFFIX)) {
            String name = service.substring(0, service.length() - ModelAliases.EDITION_SUFFIX.length());
            add(aliases.byName(name), "servicename '" + service + "'", found, unknown);
        }
        if (c.embeddedModelId() != null) {
            add(aliases.byUsageTypeModel(c.embeddedModelId()), "usage-type model '" + c.embeddedModelId() + "'",
                    found, unknown);
        }
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException("not in the model alias table: " + String.join(", ", unknown));
        }
        if (found.isEmpty()) {
            throw new IllegalArgumentException("row names no model (no model, titanModel, Bedrock Edition servicename or mantle id)");
        }
        if (found.size() > 1) {
            List<String> ids = new ArrayList<>();
            found.forEach(m -> ids.add(m.modelId()));
            throw new IllegalArgumentException("names map to different models: " + ids);
        }
        return found.iterator().next();
    }

    private static void add(ModelAliases.Model m, String what, Set<ModelAliases.Model> found, List<String> unknown) {
        if (m == null) {
            unknown.add(what);
        } else {
            found.add(m);
        }
    }

    /** Every row that did not become a rate, including twins whose prices disagree. */
    public List<ReportedRow> reported() {
        List<ReportedRow> all = new ArrayList<>(reported);
        for (Map.Entry<Key, Building> e : entries.entrySet()) {
            Key k = e.getKey();
            for (TokenKind kind : e.getValue().conflicted) {
                for (Rate x : e.getValue().rates.get(kind)) {
                    all.add(new ReportedRow(ReportedRow.REJECTED, "twin SKUs disagree on the " + kind.wireName()
                            + " rate of " + k.model() + " (" + k.routing().wireName() + ", " + k.tier().wireName()
                            + (k.longCtx() ? ", long" : "") + "); left unpriced", x.serviceCode(), k.scope(), x.sku(),
                            x.usageType(), null, null, null, null, x.unit(), x.usd()));
                }
            }
        }
        return all;
    }

    public Set<Offer> offers() {
        return Set.copyOf(offers);
    }

    public int rows() {
        return rows;
    }

    public int pricedRows() {
        return priced;
    }

    public int duplicates() {
        return duplicates;
    }

    /**
     * The snapshot document. Conflicting twin rates are left out (and listed by {@link #reported}),
     * so the kind is unpriced rather than priced at a guess.
     */
    public ObjectNode snapshot(ObjectMapper om, String snapshotId, LocalDate effectiveFrom, String publishedAt,
            String source, String description) {
        ObjectNode root = om.createObjectNode();
        root.put("formatVersion", 1);
        root.put("snapshotId", snapshotId);
        root.put("effectiveFrom", effectiveFrom.toString());
        root.put("publishedAt", publishedAt);
        root.put("source", source);
        root.put("description", description);
        ArrayNode list = root.putArray("entries");
        for (Map.Entry<Key, Building> e : entries.entrySet()) {
            Key k = e.getKey();
            Building b = e.getValue();
            ObjectNode rates = om.createObjectNode();
            ObjectNode usage = om.createObjectNode();
            ArrayNode sourceRows = om.createArrayNode();
            for (Map.Entry<TokenKind, List<Rate>> r : b.rates.entrySet()) {
                TokenKind kind = r.getKey();
                if (b.conflicted.contains(kind)) {
                    continue;
                }
                List<Rate> rs = new ArrayList<>(r.getValue());
                rs.sort(Comparator.comparing(Rate::usageType).thenComparing(Rate::sku));
                rates.put(kind.wireName(), rs.get(0).perMillion().toPlainString());
                usage.put(kind.wireName(), template(rs.get(0).usageType()));
                for (Rate x : rs) {
                    sourceRows.add(kind.wireName() + ": " + x.serviceCode() + " sku " + x.sku() + " usagetype "
                            + x.usageType() + " effectiveDate " + x.effectiveDate() + " (" + x.usd() + " USD per "
                            + x.unit() + ")");
                }
            }
            if (rates.isEmpty()) {
                continue;
            }
            ObjectNode n = list.addObject();
            n.put("model", k.model());
            n.put("routingClass", k.routing().wireName());
            n.put("regionScope", k.scope());
            n.put("tier", k.tier().wireName());
            n.put("contextBand", k.longCtx() ? ContextBand.LONG.wireName() : ContextBand.STANDARD.wireName());
            if (k.longCtx()) {
                n.put("longContextThresholdTokens", b.threshold);
            }
            n.set("ratesPerMillionTokens", rates);
            n.set("usageTypes", usage);
            n.putArray("source").add("aws-pricelist");
            n.set("sourceRows", sourceRows);
        }
        return root;
    }

    /** The usage type with its billing code replaced by {@code {region}} (snapshot template form). */
    static String template(String usageType) {
        int dash = usageType.indexOf('-');
        String reg = usageType.substring(0, dash);
        return "{region}" + usageType.substring(dash).replace("MP:" + reg + "_", "MP:{region}_");
    }
}
