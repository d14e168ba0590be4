package io.bedrockspend.reconcile;

import java.math.BigDecimal;

/**
 * The billed figure for one ledger call: its share of each matched key's net billed cost (usage plus
 * credits and discounts), by token share. Written to {@code corrections.jsonl}; the ledger is never
 * rewritten. A Flink POJO.
 */
public class Correction {
    public String requestId;
    /** Sum of the call's estimates on matched keys; null when any part was unpriced. */
    public BigDecimal estimate;
    public boolean unpriced;
    public BigDecimal billed;
    /** True only when every matched key of the call is final (outside the CUR delay and restatement window). */
    public boolean reconciled;
    public int keys;

    public Correction() {}

    static Correction merge(Correction a, Correction b) {
        Correction c = new Correction();
        c.requestId = a.requestId;
        c.unpriced = a.unpriced || b.unpriced;
        c.estimate = c.unpriced ? null : a.estimate.add(b.estimate);
        c.billed = a.billed.add(b.billed);
        c.reconciled = a.reconciled && b.reconciled;
        c.keys = a.keys + b.keys;
        return c;
    }
}
