package io.bedrockspend.spend;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;

/** Pure period arithmetic in UTC, as CUR uses it. */
public final class SpendPeriods {
    public static final long MINUTE_MILLIS = 60_000L;

    private SpendPeriods() {}

    public static long minuteStart(long t) {
        return Math.floorDiv(t, MINUTE_MILLIS) * MINUTE_MILLIS;
    }

    /** First instant of the UTC calendar month containing {@code t}. */
    public static long monthStart(long t) {
        ZonedDateTime z = Instant.ofEpochMilli(t).atZone(ZoneOffset.UTC);
        return z.withDayOfMonth(1).toLocalDate().atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
    }

    /** First instant of the month after the one containing {@code t}. */
    public static long nextMonthStart(long t) {
        ZonedDateTime z = Instant.ofEpochMilli(monthStart(t)).atZone(ZoneOffset.UTC);
        return z.plusMonths(1).toInstant().toEpochMilli();
    }
}
