package io.bedrockspend.pricing;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/** USD per 1M tokens, per token kind. A kind without a rate is unknown, never free. */
public final class RateCard implements Serializable {
    private static final long serialVersionUID = 1L;

    // Indexed by TokenKind.ordinal(); null = no rate known.
    private final BigDecimal[] perMillion;

    private RateCard(BigDecimal[] perMillion) {
        this.perMillion = perMillion;
    }

    /** Rates must be positive; validation with file context happens in the snapshot reader. */
    public static RateCard of(Map<TokenKind, BigDecimal> rates) {
        BigDecimal[] a = new BigDecimal[TokenKind.values().length];
        rates.forEach((k, v) -> {
            if (v.signum() <= 0) {
                throw new IllegalArgumentException("rate " + k.wireName() + " must be positive: " + v);
            }
            a[k.ordinal()] = v;
        });
        return new RateCard(a);
    }

    /** The rate, or null when none is known. */
    public BigDecimal perMillion(TokenKind kind) {
        return perMillion[kind.ordinal()];
    }

    public boolean has(TokenKind kind) {
        return perMillion[kind.ordinal()] != null;
    }

    public Map<TokenKind, BigDecimal> asMap() {
        Map<TokenKind, BigDecimal> m = new EnumMap<>(TokenKind.class);
        for (TokenKind k : TokenKind.values()) {
            if (perMillion[k.ordinal()] != null) {
                m.put(k, perMillion[k.ordinal()]);
            }
        }
        return m;
    }

    /** Exact cost of {@code tokens} at this kind's rate: rate x tokens / 10^6, no rounding. */
    public static BigDecimal cost(BigDecimal ratePerMillion, long tokens) {
        return ratePerMillion.multiply(BigDecimal.valueOf(tokens)).movePointLeft(6);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RateCard)) {
            return false;
        }
        RateCard other = (RateCard) o;
        for (int i = 0; i < perMillion.length; i++) {
            BigDecimal a = perMillion[i];
            BigDecimal b = other.perMillion[i];
            if (a == null ? b != null : b == null || a.compareTo(b) != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (BigDecimal r : perMillion) {
            h = 31 * h + (r == null ? 0 : Objects.hashCode(r.stripTrailingZeros()));
        }
        return h;
    }

    @Override
    public String toString() {
        return asMap().toString();
    }
}
