package io.bedrockspend.spend;

import java.math.BigDecimal;

/** Exact running totals of a series over a period (a minute, a billing month). */
public class SpendTotals {
    public BigDecimal costUsd = BigDecimal.ZERO;
    public long calls;
    public long unpricedCalls;
    public long errorCalls;
    public long inputTokens;
    public long outputTokens;
    public long cacheReadTokens;
    public long cacheWriteTokens;

    public SpendTotals() {}

    public SpendTotals plus(SpendDelta d) {
        SpendTotals t = copy();
        t.costUsd = costUsd.add(d.costUsd);
        t.calls += d.calls;
        t.unpricedCalls += d.unpricedCalls;
        t.errorCalls += d.errorCalls;
        t.inputTokens += d.inputTokens;
        t.outputTokens += d.outputTokens;
        t.cacheReadTokens += d.cacheReadTokens;
        t.cacheWriteTokens += d.cacheWriteTokens;
        return t;
    }

    public SpendTotals copy() {
        SpendTotals t = new SpendTotals();
        t.costUsd = costUsd;
        t.calls = calls;
        t.unpricedCalls = unpricedCalls;
        t.errorCalls = errorCalls;
        t.inputTokens = inputTokens;
        t.outputTokens = outputTokens;
        t.cacheReadTokens = cacheReadTokens;
        t.cacheWriteTokens = cacheWriteTokens;
        return t;
    }
}
