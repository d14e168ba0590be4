package io.bedrockspend.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bedrockspend.identity.Principals;
import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.util.Collector;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Set;

/** Turns CUR rows and ledger lines into {@link Fact}s on the common key. */
public final class Facts {
    public static final String CUR_ROWS = "cur_rows";
    public static final String CUR_BEDROCK_ROWS = "cur_bedrock_rows";
    public static final String CUR_OTHER_LINE_ITEMS = "cur_other_line_items";
    public static final String LEDGER_CALLS = "ledger_calls";
    public static final String LEDGER_OUTSIDE = "ledger_calls_outside_periods";
    public static final String LEDGER_NO_USAGE_TYPE = "ledger_costs_without_usage_type";

    static final Set<String> BEDROCK_CODES = Set.of("AmazonBedrock", "AmazonBedrockService", "AmazonBedrockFoundationModels");
    /** Line items that carry usage at its (on-demand) cost. */
    static final Set<String> USAGE_TYPES = Set.of("Usage", "DiscountedUsage", "SavingsPlanCoveredUsage");
    /** Line items that reduce (or restore) what was billed for usage. */
    static final Set<String> ADJUSTMENT_TYPES = Set.of("Credit", "Refund", "EdpDiscount", "PrivateRateDiscount",
            "BundledDiscount", "SavingsPlanNegation", "Discount", "DistributorDiscount");
    static final List<String> KINDS = List.of("input", "output", "cacheRead", "cacheWrite5m", "cacheWrite1h");

    private Facts() {}

    /** Bucket start (UTC) for the grain. */
    public static long bucket(long millis, boolean daily) {
        long size = daily ? 86_400_000L : 3_600_000L;
        return Math.floorDiv(millis, size) * size;
    }

    static String canonicalPrincipal(String arn) {
        String c = Principals.canonical(arn);
        return c == null ? "" : c;
    }

    /** Selection per formats.md §6.1: family, Bedrock product/service codes, or a principal on a Bedrock usage type. */
    public static boolean isBedrock(CurRow r) {
        if ("Amazon Bedrock".equals(r.productFamily)) return true;
        if (r.productCode != null && BEDROCK_CODES.contains(r.productCode)) return true;
        if (r.serviceCode != null && BEDROCK_CODES.contains(r.serviceCode)) return true;
        if (r.productName != null && r.productName.contains("Amazon Bedrock Edition")) return true;
        return r.iamPrincipal != null && !r.iamPrincipal.isEmpty() && UsageTypeParser.parse(r.usageType) != null;
    }

    /** CUR rows → facts. Tax and fees are kept (tax is reported); rows of other periods are dropped. */
    public static final class FromCur extends RichFlatMapFunction<CurRow, Fact> {
        private final boolean daily;
        private final String onlyPeriod;
        private transient LongCounter rows;
        private transient LongCounter bedrock;
        private transient LongCounter other;

        public FromCur(boolean daily, String onlyPeriod) {
            this.daily = daily;
            this.onlyPeriod = onlyPeriod;
        }

        @Override
        public void open(OpenContext ctx) {
            rows = getRuntimeContext().getLongCounter(CUR_ROWS);
            bedrock = getRuntimeContext().getLongCounter(CUR_BEDROCK_ROWS);
            other = getRuntimeContext().getLongCounter(CUR_OTHER_LINE_ITEMS);
        }

        @Override
        public void flatMap(CurRow r, Collector<Fact> out) {
            rows.add(1L);
            if (!isBedrock(r)) return;
            Fact f = convert(r, daily);
            if (onlyPeriod != null && !onlyPeriod.equals(f.period)) return;
            bedrock.add(1L);
            if (f.lineItemType == null) { other.add(1L); return; }
            out.collect(f);
        }
    }

    /** One Bedrock CUR row as a fact; {@code lineItemType} null for line items reconciliation ignores (fees). */
    static Fact convert(CurRow r, boolean daily) {
        Fact f = new Fact();
        f.cur = true;
        f.bucket = bucket(r.usageStartMillis, daily);
        f.account = r.accountId == null ? "" : r.accountId;
        f.rawPrincipal = r.iamPrincipal;
        f.principal = canonicalPrincipal(r.iamPrincipal);
        f.usageType = r.usageType == null ? "" : r.usageType;
        f.period = r.billingPeriod != null ? r.billingPeriod : Instant.ofEpochMilli(r.usageStartMillis).toString().substring(0, 7);
        f.curTeam = r.team;
        BigDecimal cost = r.unblendedCost == null ? BigDecimal.ZERO : r.unblendedCost;
        f.usageCost = BigDecimal.ZERO;
        f.adjustmentCost = BigDecimal.ZERO;
        f.taxCost = BigDecimal.ZERO;
        f.billedTokens = BigDecimal.ZERO;
        String type = r.lineItemType == null ? "Usage" : r.lineItemType;
        if (USAGE_TYPES.contains(type)) {
            f.usageCost = cost;
            UsageType ut = UsageTypeParser.parse(r.usageType);
            BigDecimal per = PricingUnits.tokensPerUnit(r.pricingUnit);
            if (per == null) { per = PricingUnits.assumed(ut); f.assumedUnit = true; }
            if (r.usageAmount != null) f.billedTokens = r.usageAmount.multiply(per);
        } else if (ADJUSTMENT_TYPES.contains(type)) {
            f.adjustmentCost = cost;
        } else if ("Tax".equals(type)) {
            f.taxCost = cost;
        } else {
            type = null;
        }
        f.lineItemType = type;
        return f;
    }

    /** Ledger JSON lines (calls.jsonl) → one fact per token kind with tokens or cost. */
    public static final class FromLedger extends RichFlatMapFunction<String, Fact> {
        private final boolean daily;
        private final Set<String> periods; // null: keep every call
        private final UsageTypeTable table;
        private transient ObjectMapper json;
        private transient LongCounter calls;
        private transient LongCounter outside;
        private transient LongCounter noUsageType;

        public FromLedger(boolean daily, Set<String> periods, UsageTypeTable table) {
            this.daily = daily;
            this.periods = periods == null ? null : Set.copyOf(periods);
            this.table = table;
        }

        @Override
        public void open(OpenContext ctx) {
            json = new ObjectMapper();
            calls = getRuntimeContext().getLongCounter(LEDGER_CALLS);
            outside = getRuntimeContext().getLongCounter(LEDGER_OUTSIDE);
            noUsageType = getRuntimeContext().getLongCounter(LEDGER_NO_USAGE_TYPE);
        }

        @Override
        public void flatMap(String line, Collector<Fact> out) throws IOException {
            if (line.isBlank()) return;
            JsonNode c;
            try {
                c = json.readTree(line);
            } catch (IOException e) {
                // the ledger is our own output: a bad line is a bug or a torn file, not something to skip
                throw new IOException("ledger line is not JSON: " + e.getMessage(), e);
            }
            calls.add(1L);
            long ts = Instant.parse(c.path("timestamp").asText()).toEpochMilli();
            String period = Instant.ofEpochMilli(ts).toString().substring(0, 7);
            if (periods != null && !periods.contains(period)) { outside.add(1L); return; }
            JsonNode tokens = c.path("tokens");
            JsonNode cost = c.path("cost");
            JsonNode pricing = c.path("pricing");
            JsonNode types = pricing.path("usageTypes");
            String principal = text(c, "principal");
            if (principal == null) principal = canonicalPrincipal(text(c, "principalArn"));
            String region = text(c, "region");
            long cacheWrite5m = tokens.path("cacheWrite5m").asLong(0);
            long cacheWrite1h = tokens.path("cacheWrite1h").asLong(0);
            if (cacheWrite5m == 0 && cacheWrite1h == 0) cacheWrite5m = tokens.path("cacheWrite").asLong(0);
            for (String kind : KINDS) {
                long n = switch (kind) {
                    case "cacheWrite5m" -> cacheWrite5m;
                    case "cacheWrite1h" -> cacheWrite1h;
                    default -> tokens.path(kind).asLong(0);
                };
                String costText = text(cost, kind);
                BigDecimal kc = costText == null ? null : new BigDecimal(costText);
                if (n == 0 && (kc == null || kc.signum() == 0)) continue;
                Fact f = new Fact();
                f.cur = false;
                f.bucket = bucket(ts, daily);
                f.period = period;
                f.account = c.path("accountId").asText("");
                f.principal = principal == null ? "" : principal;
                f.rawPrincipal = text(c, "principalArn");
                f.requestId = text(c, "requestId");
                f.tokens = n;
                f.estimate = kc;
                f.attribution = text(c, "attribution");
                f.team = text(c, "team");
                f.region = region;
                f.model = text(pricing, "baseModelId") != null ? text(pricing, "baseModelId") : text(c, "modelId");
                f.snapshotId = text(pricing, "snapshotId");
                String ut = text(types, kind);
                if (ut == null) {
                    ut = table == null ? null : table.usageType(text(pricing, "baseModelId"), text(pricing, "routingClass"),
                            text(pricing, "tier"), text(pricing, "contextBand"), kind, region);
                    f.derivedUsageType = true;
                }
                if (ut == null) {
                    // kept visible as its own key: estimated spend no CUR usage type can match
                    noUsageType.add(1L);
                    ut = "(no usage type) " + f.model + " " + kind + " " + region;
                }
                f.usageType = ut;
                f.usageCost = BigDecimal.ZERO;
                f.adjustmentCost = BigDecimal.ZERO;
                f.taxCost = BigDecimal.ZERO;
                f.billedTokens = BigDecimal.ZERO;
                out.collect(f);
            }
        }

        private static String text(JsonNode n, String field) {
            JsonNode v = n.get(field);
            return v == null || v.isNull() || v.isMissingNode() ? null : v.asText();
        }
    }
}
