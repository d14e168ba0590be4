package io.bedrockspend.spend;

import java.math.BigDecimal;

/**
 * Running totals for one team. {@code costUsd} sums priced calls only; unpriced calls are counted
 * separately and never folded in as $0.
 */
public class TeamTotal {
    public String team;
    public long calls;
    public long unpricedCalls;
    public long errorCalls;
    public BigDecimal costUsd = BigDecimal.ZERO;
    public long inputTokens;
    public long outputTokens;
    public long cacheReadTokens;
    public long cacheWriteTokens;
    /** Latest event time seen for this team, epoch ms. */
    public long lastEventMillis;

    public TeamTotal() {}

    public static TeamTotal of(PricedCall c) {
        TeamTotal t = new TeamTotal();
        t.team = c.team;
        t.calls = 1;
        boolean priced = c.cost != null && c.cost.isPriced();
        t.unpricedCalls = priced ? 0 : 1;
        t.errorCalls = c.errorCode != null ? 1 : 0;
        t.costUsd = priced ? c.cost.total : BigDecimal.ZERO;
        t.inputTokens = c.inputTokens;
        t.outputTokens = c.outputTokens;
        t.cacheReadTokens = c.cacheReadTokens;
        t.cacheWriteTokens = c.cacheWriteTokens;
        t.lastEventMillis = c.timestampMillis;
        return t;
    }

    /** Pure merge of two totals of the same team. */
    public static TeamTotal merge(TeamTotal a, TeamTotal b) {
        TeamTotal t = new TeamTotal();
        t.team = a.team;
        t.calls = a.calls + b.calls;
        t.unpricedCalls = a.unpricedCalls + b.unpricedCalls;
        t.errorCalls = a.errorCalls + b.errorCalls;
        t.costUsd = a.costUsd.add(b.costUsd);
        t.inputTokens = a.inputTokens + b.inputTokens;
        t.outputTokens = a.outputTokens + b.outputTokens;
        t.cacheReadTokens = a.cacheReadTokens + b.cacheReadTokens;
        t.cacheWriteTokens = a.cacheWriteTokens + b.cacheWriteTokens;
        t.lastEventMillis = Math.max(a.lastEventMillis, b.lastEventMillis);
        return t;
    }
}
