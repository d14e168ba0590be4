package io.bedrockspend.ingest;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The allocation-free paths of TimeParsing agree with java.time. */
class TimeParsingTest {
    @Test
    void epochDayMatchesLocalDate() {
        for (LocalDate d = LocalDate.of(1899, 1, 1); d.getYear() < 2201; d = d.plusDays(1)) {
            assertEquals(d.toEpochDay(), TimeParsing.epochDay(d.getYear(), d.getMonthValue(), d.getDayOfMonth()), d::toString);
        }
    }

    @Test
    void isoSecondsMatchJavaTimeIncludingInvalidDays() {
        for (int y : new int[] {2020, 2023, 2024, 2100}) {
            for (int m = 1; m <= 12; m++) {
                for (int d = 28; d <= 31; d++) {
                    String s = String.format("%04d-%02d-%02dT23:59:58Z", y, m, d);
                    long expected;
                    try {
                        expected = OffsetDateTime.parse(s).toInstant().toEpochMilli();
                    } catch (java.time.DateTimeException e) {
                        expected = TimeParsing.INVALID;
                    }
                    assertEquals(expected, TimeParsing.isoToMillis(s), s);
                }
            }
        }
        assertEquals(TimeParsing.INVALID, TimeParsing.isoToMillis("Mar 2, 2026, 9:59:50 AM"));
        assertEquals(OffsetDateTime.parse("2026-03-02T09:00:00.250+01:00").toInstant().toEpochMilli(),
                TimeParsing.isoToMillis("2026-03-02T09:00:00.250+01:00"));
    }

    @Test
    void stsExpirationFormats() {
        long expected = LocalDateTime.of(2026, 3, 2, 9, 59, 50).toInstant(ZoneOffset.UTC).toEpochMilli();
        assertEquals(expected, TimeParsing.expirationToMillis("Mar 2, 2026, 9:59:50 AM"));
        assertEquals(expected, TimeParsing.expirationToMillis("Mar 2, 2026 9:59:50 AM"));
        assertEquals(expected, TimeParsing.expirationToMillis("mar 2, 2026 9:59:50\u202fam"));
        assertEquals(expected, TimeParsing.expirationToMillis("March 2, 2026, 9:59:50 AM"));
        assertEquals(expected, TimeParsing.expirationToMillis("Mar 2, 2026, 9:59:50"));
        assertEquals(expected, TimeParsing.expirationToMillis("2026-03-02T09:59:50Z"));
        assertEquals(TimeParsing.INVALID, TimeParsing.expirationToMillis("Mar 2, 2026, 9:59:50 AM trailing"));
        assertEquals(TimeParsing.INVALID, TimeParsing.expirationToMillis("soon"));
    }

    /** The STS expiration fast path returns what the locale formats return, or leaves the string to them. */
    @Test
    void expirationFastPathAgreesWithTheFormats() {
        String[] months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "mar", "MAR", "Mai", "anF"};
        String[] days = {"0", "1", "2", "9", "10", "28", "29", "30", "31", "32", "02", "1x"};
        String[] years = {"2024", "2026", "0999", "20x6"};
        String[] hours = {"0", "1", "9", "11", "12", "13", "00", "09", "23"};
        String[] minSec = {"00:00", "59:59", "05:60"};
        String[] suffixes = {" AM", " PM", " am", "", "\u202fPM"};
        int checked = 0;
        int fast = 0;
        for (String mo : months) {
            for (String d : days) {
                for (String y : years) {
                    for (String sep : new String[] {", ", " ", ",  "}) {
                        for (String h : hours) {
                            for (String ms : minSec) {
                                for (String suffix : suffixes) {
                                    String s = mo + " " + d + ", " + y + sep + h + ":" + ms + suffix;
                                    long f = TimeParsing.fastExpiration(s);
                                    long reference = TimeParsing.expirationByFormats(s);
                                    if (f != TimeParsing.INVALID) {
                                        fast++;
                                        assertEquals(reference, f, s);
                                    }
                                    assertEquals(reference, TimeParsing.expirationToMillis(s), s); // none of these is ISO
                                    checked++;
                                }
                            }
                        }
                    }
                }
            }
        }
        assertEquals(16 * 12 * 4 * 3 * 9 * 3 * 5, checked);
        org.junit.jupiter.api.Assertions.assertTrue(fast > 1_000, "the fast path took " + fast);
    }
}
