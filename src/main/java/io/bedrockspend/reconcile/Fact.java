package io.bedrockspend.reconcile;

import java.math.BigDecimal;

/**
 * One contribution to a reconciliation key (bucket, account, canonical principal, usage type): a
 * CUR line item or one token kind of one ledger call. A Flink POJO.
 */
public class Fact {
    public long bucket;
    public String account;
    public String principal;
    public String usageType;
    public boolean cur;
    public String period;

    // CUR side
    public BigDecimal usageCost;
    public BigDecimal adjustmentCost;
    public BigDecimal taxCost;
    public BigDecimal billedTokens;
    public String lineItemType;
    public String rawPrincipal;
    public String curTeam;
    public boolean assumedUnit;

    // ledger side
    public String requestId;
    /** The kind's cost; null when the call is unpriced. */
    public BigDecimal estimate;
    public long tokens;
    public String attribution;
    public String team;
    public String region;
    public String model;
    public String snapshotId;
    public boolean derivedUsageType;

    public Fact() {}

    /** keyBy key; '\u0001' never occurs in ARNs or usage types. */
    public String key() {
        return bucket + "\u0001" + account + "\u0001" + principal + "\u0001" + usageType;
    }
}
