package io.bedrockspend.reconcile;

import java.math.BigDecimal;

/** Both sides of one reconciliation key, summed. A Flink POJO; classified in the job by {@link Classifier}. */
public class KeyResult {
    public long bucket;
    public String account;
    public String principal;
    public String usageType;
    public String period;

    public BigDecimal billedUsage = BigDecimal.ZERO;
    public BigDecimal adjustments = BigDecimal.ZERO;
    public BigDecimal tax = BigDecimal.ZERO;
    public BigDecimal billedTokens = BigDecimal.ZERO;
    public long curRows;
    /** Distinct line-item types, sorted, joined by '+'. */
    public String lineItemTypes = "";
    public String curPrincipalArn;
    public String curTeam;
    public boolean assumedUnit;

    public BigDecimal estimate = BigDecimal.ZERO;
    public long estTokens;
    public long unpricedTokens;
    public long calls;
    public long unpricedCalls;
    public long partialCalls;
    public long unattributedCalls;
    public String ledgerTeam;
    public String model;
    public String snapshotId;
    public String ledgerRegion;
    public boolean derivedUsageType;

    public KeyResult() {}

    public boolean hasCur() {
        return curRows > 0;
    }

    public boolean hasLedger() {
        return calls > 0;
    }
}
