package io.bedrockspend.reconcile;

import java.math.BigDecimal;
import java.util.Locale;

/**
 * Tokens per unit of CUR's {@code pricing_unit}: {@code line_item_usage_amount} counts units of it
 * (formats.md §6.1). When the unit is missing or just "Units" (it was NULL in one real export), the
 * Price List's unit for the shape is assumed: 1M tokens for Marketplace ({@code MP:}) rows, 1K tokens
 * for AmazonBedrock legacy and mantle rows (pricing.md §7.2); the row is then flagged.
 */
public final class PricingUnits {
    public static final BigDecimal THOUSAND = BigDecimal.valueOf(1_000);
    public static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private PricingUnits() {}

    /** Tokens per pricing unit, or null when the unit text does not say (then use {@link #assumed}). */
    public static BigDecimal tokensPerUnit(String pricingUnit) {
        if (pricingUnit == null) return null;
        String u = pricingUnit.trim().toLowerCase(Locale.ROOT);
        if (u.isEmpty() || u.equals("units") || u.equals("unit")) return null;
        if (u.startsWith("1m") || u.contains("million")) return MILLION;
        if (u.startsWith("1k") || u.contains("thousand")) return THOUSAND;
        if (u.equals("tokens") || u.equals("token")) return BigDecimal.ONE;
        return null;
    }

    /** The unit assumed for a usage-type shape when {@code pricing_unit} does not say. */
    public static BigDecimal assumed(UsageType t) {
        return t != null && "marketplace".equals(t.shape()) ? MILLION : THOUSAND;
    }
}
