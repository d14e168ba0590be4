package io.bedrockspend.reconcile;

import java.io.Serializable;
import java.time.YearMonth;
import java.time.ZoneOffset;

/**
 * When billed figures are final. CUR lags usage by up to 24–48 h (longer for Marketplace models), and
 * AWS may restate a closed month during the first two weeks after it ends (formats.md §6.1). A bucket
 * inside the delay is "not final" and never fails the tolerance; a bucket of a month that can still be
 * restated is reconciled and counted, but its corrections carry {@code reconciled=false}.
 */
public record Finality(long asOfMillis, long curDelayMillis, int restatementDays, boolean daily) implements Serializable {

    public long bucketMillis() {
        return daily ? 86_400_000L : 3_600_000L;
    }

    /** The bucket ends after as-of minus the CUR delay: its billed rows may not have arrived yet. */
    public boolean insideDelay(long bucket) {
        return bucket + bucketMillis() > asOfMillis - curDelayMillis;
    }

    /** The billing period is open, or closed less than the restatement window ago. */
    public boolean restatable(String period) {
        if (period == null || !period.matches("\\d{4}-\\d{2}")) return true;
        long close = YearMonth.parse(period).plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        return asOfMillis < close + restatementDays * 86_400_000L;
    }

    public boolean isFinal(long bucket, String period) {
        return !insideDelay(bucket) && !restatable(period);
    }
}
