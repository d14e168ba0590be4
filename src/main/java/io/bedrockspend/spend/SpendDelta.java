package io.bedrockspend.spend;

import java.math.BigDecimal;

/** One call's contribution to one spend dimension (team=search, model=…, tokenKind=cacheRead, …). */
public class SpendDelta {
    public String dimension;
    public String key;
    public long timestampMillis;
    /** Priced USD (zero for an unpriced call, which is counted in {@link #unpricedCalls} instead). */
    public BigDecimal costUsd = BigDecimal.ZERO;
    public long calls;
    public long unpricedCalls;
    public long errorCalls;
    public long inputTokens;
    public long outputTokens;
    public long cacheReadTokens;
    public long cacheWriteTokens;

    public SpendDelta() {}

    /** "dimension=key": the aggregation key. */
    public String seriesKey() {
        return dimension + "=" + key;
    }
}
