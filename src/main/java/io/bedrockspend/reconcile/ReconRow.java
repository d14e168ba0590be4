package io.bedrockspend.reconcile;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/** One classified key: both sides, the difference, what explains it and whether it breaks tolerance. */
public final class ReconRow {
    public final KeyResult k;
    public final UsageType parsed;
    /** billed usage + adjustments − estimate. */
    public BigDecimal difference;
    /** billed usage − estimate (adjustments excluded). */
    public BigDecimal usageDifference;
    /** The difference split by class; the parts add up to {@link #difference} exactly. */
    public final Map<String, BigDecimal> components = new LinkedHashMap<>();
    public String cls = Classifier.MATCH;
    public String reason = "";
    public boolean isFinal;
    public boolean insideDelay;
    public boolean breach;
    public String team;
    /** Estimated and billed rates per 1M tokens when both sides have tokens (null otherwise). */
    public BigDecimal estimatedRatePerM;
    public BigDecimal billedRatePerM;

    ReconRow(KeyResult k) {
        this.k = k;
        this.parsed = UsageTypeParser.parse(k.usageType);
    }

    void add(String cls, BigDecimal amount) {
        if (amount.signum() == 0) return;
        components.merge(cls, amount, BigDecimal::add);
    }
}
