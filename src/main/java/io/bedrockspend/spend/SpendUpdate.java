package io.bedrockspend.spend;

/**
 * The current value of one series for one period, versioned: the live spend stream. A consumer
 * keeps the highest version per (dimension, key, period, periodStart). {@code late} marks an update
 * caused by calls that arrived after their minute had already been reported.
 */
public class SpendUpdate {
    public static final String MINUTE = "minute";
    public static final String MONTH = "month";

    public String dimension;
    public String key;
    /** {@link #MINUTE} or {@link #MONTH} (UTC calendar month, as CUR bills). */
    public String period;
    public long periodStartMillis;
    public SpendTotals totals;
    /** Increases with every update of this series (all periods). */
    public long version;
    public boolean late;
    /** Event time up to which input is complete (the operator's watermark) when this was emitted. */
    public long completeUpToMillis;

    public SpendUpdate() {}
}
