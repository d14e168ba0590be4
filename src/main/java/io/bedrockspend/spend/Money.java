package io.bedrockspend.spend;

import java.math.BigDecimal;

/** Exact USD formatting: a plain decimal string, no exponent, no binary floating point anywhere. */
public final class Money {
    private Money() {}

    /** Chars {@link #formatInto} may need: a sign, 18 digits, a point and up to 18 leading zeros. */
    public static final int MAX_FAST_CHARS = 40;

    /** Exact plain decimal ("0.0049335"), "0" for zero, null for null (unpriced). */
    public static String format(BigDecimal usd) {
        if (usd == null) return null;
        char[] buf = new char[MAX_FAST_CHARS];
        int n = formatInto(usd, buf);
        return n >= 0 ? new String(buf, 0, n) : usd.stripTrailingZeros().toPlainString();
    }

    /**
     * {@link #format} of a non-null amount written into {@code buf} (at least {@link #MAX_FAST_CHARS}
     * long), returning the number of chars; -1 (nothing written) when the amount needs the general path
     * (more than 18 digits, or a negative scale), which the caller takes with {@link #format}. The same
     * text as {@code stripTrailingZeros().toPlainString()}, without the temporaries.
     */
    public static int formatInto(BigDecimal usd, char[] buf) {
        if (usd.signum() == 0) {
            buf[0] = '0';
            return 1;
        }
        int scale = usd.scale();
        if (scale < 0 || scale > 18 || usd.precision() > 18) return -1;
        long u = usd.scaleByPowerOfTen(scale).longValueExact(); // the unscaled value, exactly
        while (scale > 0 && u % 10 == 0) { // stripTrailingZeros, down to scale 0 (its plain form prints the zeros)
            u /= 10;
            scale--;
        }
        int len = 0;
        if (u < 0) {
            buf[len++] = '-';
            u = -u;
        }
        int digits = 1;
        for (long p = 10; digits < 19 && p <= u; p *= 10) digits++;
        int intDigits = digits - scale; // <= 0: "0." and -intDigits zeros before the digits
        int end = len + (intDigits > 0 ? digits + (scale > 0 ? 1 : 0) : 2 + scale);
        int at = end;
        for (int i = 0; i < scale; i++) { // fraction, from the right, zero-padded to the scale
            buf[--at] = (char) ('0' + u % 10);
            u /= 10;
        }
        if (scale > 0) buf[--at] = '.';
        if (intDigits > 0) {
            for (int i = 0; i < intDigits; i++) {
                buf[--at] = (char) ('0' + u % 10);
                u /= 10;
            }
        } else {
            buf[--at] = '0';
        }
        return end;
    }

    /** Rounded for display only (terminal tables): never used for stored or exported figures. */
    public static String display(BigDecimal usd, int scale) {
        if (usd == null) return "unpriced";
        return "$" + usd.setScale(scale, java.math.RoundingMode.HALF_EVEN).toPlainString();
    }
}
