package io.bedrockspend.ingest;

import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.text.ParsePosition;
import java.util.Locale;

/** Timestamp parsing for log records and CloudTrail events. Pure functions, thread-safe. */
public final class TimeParsing {
    /** Returned when a text is not a timestamp. */
    public static final long INVALID = Long.MIN_VALUE;
    /** Bedrock launched in 2023; anything outside this window is a producer bug, not a call to price. */
    public static final java.time.Instant PLAUSIBLE_FROM = java.time.Instant.parse("2020-01-01T00:00:00Z");
    public static final java.time.Instant PLAUSIBLE_UNTIL = java.time.Instant.parse("2100-01-01T00:00:00Z");

    /** Whether an event time is inside the window the job accepts. */
    public static boolean plausible(long epochMillis) {
        return epochMillis >= PLAUSIBLE_FROM.toEpochMilli() && epochMillis < PLAUSIBLE_UNTIL.toEpochMilli();
    }

    // STS writes credentials.expiration in a Java locale format, which varies with the JDK that produced it.
    private static final DateTimeFormatter[] EXPIRATION_FORMATS = {
        english("MMM d, yyyy h:mm:ss a"),
        english("MMM d, yyyy, h:mm:ss a"),
        english("MMM d, yyyy H:mm:ss"),
        english("MMM d, yyyy, H:mm:ss"),
        english("MMMM d, yyyy h:mm:ss a"),
        english("MMMM d, yyyy, h:mm:ss a"),
    };

    private TimeParsing() {}

    private static DateTimeFormatter english(String pattern) {
        return new DateTimeFormatterBuilder().parseCaseInsensitive().appendPattern(pattern).toFormatter(Locale.ENGLISH);
    }

    /**
     * ISO-8601 date-time with {@code Z} or an offset, second or fractional precision, to epoch ms.
     * A time without zone is rejected: guessing a zone would shift every charge by hours.
     */
    public static long isoToMillis(String s) {
        if (s == null) {
            return INVALID;
        }
        long fast = fastIsoSecondsZ(s);
        if (fast != INVALID) {
            return fast;
        }
        if (s.isEmpty() || Character.isLetter(s.charAt(0))) {
            return INVALID; // e.g. an STS expiration "Mar 2, 2026, ...": no ISO date starts with a letter; spare the exception
        }
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
        } catch (DateTimeException e) {
            return INVALID;
        }
    }

    /** The common shape {@code 2025-08-18T16:57:13Z} without the java.time parser. */
    private static long fastIsoSecondsZ(String s) {
        if (s.length() != 20 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':' || s.charAt(19) != 'Z') {
            return INVALID;
        }
        int y = digits(s, 0, 4), mo = digits(s, 5, 7), d = digits(s, 8, 10);
        int h = digits(s, 11, 13), mi = digits(s, 14, 16), se = digits(s, 17, 19);
        if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > 31 || h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 59) {
            return INVALID;
        }
        if (d > daysInMonth(y, mo)) {
            return INVALID; // e.g. Feb 30
        }
        long day = epochDay(y, mo, d);
        return ((day * 24 + h) * 60 + mi) * 60_000L + se * 1000L;
    }

    private static int daysInMonth(int y, int m) {
        if (m == 2) {
            return (y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)) ? 29 : 28;
        }
        return m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31;
    }

    /** Days since 1970-01-01 of a valid proleptic Gregorian date (as {@code LocalDate.toEpochDay}, without the object). */
    static long epochDay(int y, int m, int d) {
        long yy = m <= 2 ? y - 1 : y;
        long era = Math.floorDiv(yy, 400);
        long yoe = yy - era * 400;
        long doy = (153L * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
        long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        return era * 146097 + doe - 719468;
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /**
     * STS {@code credentials.expiration}: a locale string such as {@code "Oct 2, 2019 11:12:29 PM"} or
     * {@code "Oct 25, 2023, 2:21:21 AM"} (UTC), or ISO-8601. {@link #INVALID} when no pattern fits.
     */
    public static long expirationToMillis(String s) {
        if (s == null || s.isEmpty()) {
            return INVALID;
        }
        long fast = fastExpiration(s);
        if (fast != INVALID) {
            return fast;
        }
        long iso = isoToMillis(s);
        if (iso != INVALID) {
            return iso;
        }
        return expirationByFormats(s);
    }

    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";

    /**
     * The shape STS writes today, {@code "Mar 2, 2026, 9:59:50 AM"} (also without the comma after the year),
     * with ASCII spaces, a capitalised short month, {@code AM}/{@code PM} and a valid date, without the
     * java.time parser; {@link #INVALID} for anything else, which the formatters then decide (they accept
     * more: other cases, long month names, 24-hour times, other spaces).
     */
    static long fastExpiration(String s) {
        int n = s.length();
        if (n < 22 || n > 25 || s.charAt(3) != ' ') {
            return INVALID;
        }
        int month = MONTHS.indexOf(s.substring(0, 3));
        if (month < 0 || month % 3 != 0) {
            return INVALID;
        }
        month = month / 3 + 1;
        int i = 4;
        int d = oneOrTwoDigits(s, i);
        if (d < 0) {
            return INVALID;
        }
        i += d >= 10 ? 2 : 1;
        if (s.charAt(i) != ',' || s.charAt(i + 1) != ' ') {
            return INVALID;
        }
        i += 2;
        int y = digits(s, i, i + 4);
        if (y < 1000) {
            return INVALID;
        }
        i += 4;
        if (s.charAt(i) == ',') {
            i++;
        }
        if (s.charAt(i) != ' ') {
            return INVALID;
        }
        i++;
        int h = oneOrTwoDigits(s, i);
        if (h < 1 || h > 12) {
            return INVALID;
        }
        i += h >= 10 ? 2 : 1;
        if (n != i + 9 || s.charAt(i) != ':' || s.charAt(i + 3) != ':' || s.charAt(i + 6) != ' ' || s.charAt(i + 8) != 'M') {
            return INVALID;
        }
        int mi = digits(s, i + 1, i + 3);
        int se = digits(s, i + 4, i + 6);
        char ampm = s.charAt(i + 7);
        if (mi < 0 || mi > 59 || se < 0 || se > 59 || ampm != 'A' && ampm != 'P' || d < 1 || d > daysInMonth(y, month)) {
            return INVALID;
        }
        int hour = h % 12 + (ampm == 'P' ? 12 : 0);
        return ((epochDay(y, month, d) * 24 + hour) * 60 + mi) * 60_000L + se * 1000L;
    }

    /** "7" or "12" (no leading zero) at i, followed by a non-digit; -1 otherwise. */
    private static int oneOrTwoDigits(String s, int i) {
        char c = s.charAt(i);
        if (c < '1' || c > '9') {
            return -1;
        }
        char c2 = s.charAt(i + 1);
        if (c2 < '0' || c2 > '9') {
            return c - '0';
        }
        char c3 = s.charAt(i + 2);
        if (c3 >= '0' && c3 <= '9') {
            return -1;
        }
        return (c - '0') * 10 + (c2 - '0');
    }

    /** The locale formats only (no fast path, no ISO): the reference {@link #fastExpiration} must agree with. */
    static long expirationByFormats(String s) {
        // newer JDKs put a narrow no-break space before AM/PM
        String t = s.replace('\u202f', ' ').replace('\u00a0', ' ').trim();
        for (DateTimeFormatter f : EXPIRATION_FORMATS) {
            // a cheap syntactic match first: a failed parse throws, and most patterns do not fit
            ParsePosition pos = new ParsePosition(0);
            if (f.parseUnresolved(t, pos) == null || pos.getErrorIndex() >= 0 || pos.getIndex() != t.length()) {
                continue;
            }
            try {
                return LocalDateTime.parse(t, f).toInstant(ZoneOffset.UTC).toEpochMilli();
            } catch (DateTimeException e) {
                // fits the pattern but is not a date (e.g. Feb 30): try the next pattern
            }
        }
        return INVALID;
    }
}
