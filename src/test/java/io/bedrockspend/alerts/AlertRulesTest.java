package io.bedrockspend.alerts;

import io.bedrockspend.alerts.AlertRules.Transition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlertRulesTest {
    static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    @ParameterizedTest(name = "spent {0} of {1}, level {2} (h {3}), firing {4} -> {5}")
    @CsvSource({
            // below, at, above the level; exact to the cent
            "799.99, 1000, 80, 5, false, NONE",
            "800.00, 1000, 80, 5, false, FIRE",
            "800.01, 1000, 80, 5, false, FIRE",
            // firing: stays firing inside the hysteresis band, re-arms only below level - hysteresis
            "800.00, 1000, 80, 5, true,  NONE",
            "750.00, 1000, 80, 5, true,  NONE",
            "749.99, 1000, 80, 5, true,  RESOLVE",
            "0,      1000, 80, 5, true,  RESOLVE",
            // zero hysteresis re-arms just below the level
            "799.99, 1000, 80, 0, true,  RESOLVE",
            // over 100 %
            "1000,   1000, 100, 5, false, FIRE",
            "0.0049335, 0.0061668, 80, 5, false, FIRE",
            "0.0049335, 0.0061669, 80, 5, false, NONE",
    })
    void budgetLevel(String spent, String budget, String level, String h, boolean firing, Transition expected) {
        assertEquals(expected, AlertRules.level(d(spent), d(budget), d(level), d(h), firing));
    }

    @Test
    void thresholdsResolveLevelsNoLongerConfiguredOrWithoutBudget() {
        Map<BigDecimal, Transition> t = AlertRules.thresholds(d("850"), d("1000"), List.of(d("90")), d("5"), List.of(d("50"), d("80")));
        assertEquals(Map.of(d("50"), Transition.RESOLVE, d("80"), Transition.RESOLVE), t);
        assertEquals(Map.of(d("80"), Transition.RESOLVE), AlertRules.thresholds(d("850"), null, List.of(), d("5"), List.of(d("80"))));
        // a jump past several levels fires each of them once
        assertEquals(List.of(d("50"), d("80"), d("100")),
                List.copyOf(AlertRules.thresholds(d("1200"), d("1000"), Budgets.DEFAULT_LEVELS, d("5"), List.of()).keySet()));
    }

    @ParameterizedTest(name = "spent {0} of {1} at {2}/h from {3} -> {4}")
    @CsvSource({
            "500, 1000, 10,  2026-10-10T00:00:00Z, 2026-10-12T02:00:00Z",
            "500, 1000, 0.5, 2026-10-10T00:00:00Z, ",                       // 1000 h: after the month
            "500, 1000, 0,   2026-10-10T00:00:00Z, ",                       // no rate
            "1000, 1000, 10, 2026-10-10T00:00:00Z, ",                       // already spent: the budget rule speaks
            "999.99, 1000, 36, 2026-10-31T23:59:00Z, 2026-10-31T23:59:01Z", // one cent at 1 cent/s
    })
    void forecast(String spent, String budget, String rate, String now, String expected) {
        long t = Instant.parse(now).toEpochMilli();
        Long at = AlertRules.exhaustionTime(d(spent), d(budget), d(rate), t);
        boolean inMonth = AlertRules.exhaustsThisMonth(at, t);
        if (expected == null) {
            assertFalse(inMonth);
        } else {
            assertTrue(inMonth);
            assertEquals(Instant.parse(expected).toEpochMilli(), at);
        }
    }

    @ParameterizedTest(name = "rate {0} vs mean {1} (k 3, floor 5), firing {2} -> {3}")
    @CsvSource({
            "30, 2,   false, FIRE",
            "6,  2,   false, NONE",     // 3 x 2 = 6: not above
            "4,  0,   false, NONE",     // under the floor: a new small team is not an anomaly
            "5.01, 0, false, FIRE",     // above the floor with no baseline spend
            "5,  2,   true,  NONE",     // 6 x 0.8 = 4.8: still firing
            "4.7, 2,  true,  RESOLVE",
    })
    void anomaly(String rate, String mean, boolean firing, Transition expected) {
        assertEquals(expected, AlertRules.anomaly(d(rate), d(mean), d("3"), d("5"), d("0.8"), firing));
    }

    @ParameterizedTest(name = "unattributed {0} of {1} (5 %, h 1, min 10), firing {2} -> {3}")
    @CsvSource({
            "0.6, 10,  false, FIRE",
            "0.5, 10,  false, NONE",   // exactly 5 %: not above
            "1,   9,   false, NONE",   // total under the minimum
            "0.45, 10, true,  NONE",   // 4.5 %: inside the band
            "0.39, 10, true,  RESOLVE",
            "0,   0,   false, NONE",
    })
    void unattributedShare(String u, String total, boolean firing, Transition expected) {
        assertEquals(expected, AlertRules.unattributedShare(d(u), d(total), d("5"), d("1"), d("10"), firing));
    }

    @Test
    void staleAfterProcessingTimeWithoutAdvance() {
        assertFalse(AlertRules.stale(1_000, 900_999, 900_000));
        assertTrue(AlertRules.stale(1_000, 901_000, 900_000));
    }

    @Test
    void sentenceFormatting() {
        assertEquals("$1,000.00", AlertRules.usd(d("1000")));
        assertEquals("$812.40", AlertRules.usd(d("812.4")));
        assertEquals("$0.00", AlertRules.usd(d("0.0049")));
        assertEquals("99 %", AlertRules.wholePercent(d("999.99"), d("1000")));
        assertEquals("81.24", AlertRules.percent(d("812.40"), d("1000")).toPlainString());
        long t = Instant.parse("2026-10-14T09:30:00Z").toEpochMilli();
        assertEquals("2026-10", AlertRules.monthId(t));
        assertEquals("October", AlertRules.monthName(t));
        assertEquals("2026-10-14", AlertRules.dayId(t));
        assertEquals("2026-10-14T09", AlertRules.hourId(t));
        assertEquals("budget:team=search:2026-10:80", AlertRules.alertId("budget", "team", "search", "2026-10", "80"));
    }
}
