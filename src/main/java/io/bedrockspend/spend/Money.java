package io.bedrockspend.spend;

import java.math.BigDecimal;

/** Exact USD formatting: a plain decimal string, no exponent, no binary floating point anywhere. */
public final class Money {
    private Money() {}

    /** Exact plain decimal ("0.0049335"), "0" for zero, null for null (unpriced). */
    public static String format(BigDecimal usd) {
        if (usd == null) return null;
        if (usd.signum() == 0) return "0";
        return usd.stripTrailingZeros().toPlainString();
    }

    /** Rounded for display only (terminal tables): never used for stored or exported figures. */
    public static String display(BigDecimal usd, int scale) {
        if (usd == null) return "unpriced";
        return "$" + usd.setScale(scale, java.math.RoundingMode.HALF_EVEN).toPlainString();
    }
}
