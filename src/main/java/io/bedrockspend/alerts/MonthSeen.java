package io.bedrockspend.alerts;

import java.math.BigDecimal;

/** Alert state of one series for one billing month: the newest figures seen and what is firing. */
public class MonthSeen {
    /** Version of the newest month update applied; older or equal versions are ignored. */
    public long version = Long.MIN_VALUE;
    public BigDecimal costUsd = BigDecimal.ZERO;
    public long unpricedCalls;
    /** Budget levels currently firing, comma-separated plain decimals ("50,80"). */
    public String firingLevels = "";
    public boolean unpricedFired;

    public MonthSeen() {}
}
