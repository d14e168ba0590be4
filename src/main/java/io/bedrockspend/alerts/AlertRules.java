package io.bedrockspend.alerts;

import io.bedrockspend.spend.SpendPeriods;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.TextStyle;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The alert rules as small pure functions: no Flink, no state, no clock. The operators keep the
 * state (what is firing) and call these with exact figures; every comparison is on BigDecimal
 * without division, so 80 % of a budget is 80 % to the cent.
 */
public final class AlertRules {
    public static final String BUDGET = "budget";
    public static final String FORECAST = "burn-rate-forecast";
    public static final String ANOMALY = "spend-anomaly";
    public static final String UNPRICED = "unpriced-model";
    public static final String UNATTRIBUTED = "unattributed-share";
    public static final String STALE = "stale-input";
    public static final String BUDGETS_INVALID = "budgets-invalid";

    static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    static final long HOUR_MILLIS = 3_600_000L;
    private static final MathContext MC = MathContext.DECIMAL64;

    public enum Transition { NONE, FIRE, RESOLVE }

    private AlertRules() {}

    // ---- budget thresholds ----

    /**
     * One level of a budget: fires when spent reaches {@code level} % of the budget and it is not
     * already firing; resolves (re-arms) only when spent drops below {@code level − hysteresis} %.
     * Between the two nothing changes, so a figure hovering around a level alerts once.
     */
    public static Transition level(BigDecimal spent, BigDecimal budget, BigDecimal level, BigDecimal hysteresis, boolean firing) {
        BigDecimal spent100 = spent.multiply(HUNDRED);
        if (!firing) return spent100.compareTo(level.multiply(budget)) >= 0 ? Transition.FIRE : Transition.NONE;
        return spent100.compareTo(level.subtract(hysteresis).multiply(budget)) < 0 ? Transition.RESOLVE : Transition.NONE;
    }

    /**
     * All levels of a budget at once. Levels that are firing but no longer configured (the budgets
     * file changed, or the budget was removed: {@code budget == null}) resolve.
     */
    public static Map<BigDecimal, Transition> thresholds(BigDecimal spent, BigDecimal budget, List<BigDecimal> levels,
                                                         BigDecimal hysteresis, Collection<BigDecimal> firing) {
        Map<BigDecimal, Transition> out = new LinkedHashMap<>();
        for (BigDecimal f : firing) {
            if (budget == null || levels.stream().noneMatch(l -> l.compareTo(f) == 0)) out.put(f, Transition.RESOLVE);
        }
        if (budget == null) return out;
        for (BigDecimal l : levels) {
            boolean isFiring = firing.stream().anyMatch(f -> f.compareTo(l) == 0);
            Transition t = level(spent, budget, l, hysteresis, isFiring);
            if (t != Transition.NONE) out.put(l, t);
        }
        return out;
    }

    public static String severityOfLevel(BigDecimal level) {
        if (level.compareTo(HUNDRED) >= 0) return AlertEvent.CRITICAL;
        if (level.compareTo(BigDecimal.valueOf(80)) >= 0) return AlertEvent.WARNING;
        return AlertEvent.INFO;
    }

    /** spent / budget in percent, rounded to 2 places (a derived display figure; the inputs are exact). */
    public static BigDecimal percent(BigDecimal spent, BigDecimal budget) {
        return spent.multiply(HUNDRED).divide(budget, 2, RoundingMode.HALF_EVEN);
    }

    // ---- burn-rate forecast ----

    /**
     * When the budget runs out at {@code ratePerHour} from {@code now}, or null when it never does
     * (no spend rate) or already has (spent ≥ budget: the budget rule speaks for that).
     */
    public static Long exhaustionTime(BigDecimal spent, BigDecimal budget, BigDecimal ratePerHour, long now) {
        if (ratePerHour.signum() <= 0 || spent.compareTo(budget) >= 0) return null;
        BigDecimal hours = budget.subtract(spent).divide(ratePerHour, MC);
        BigDecimal millis = hours.multiply(BigDecimal.valueOf(HOUR_MILLIS)).setScale(0, RoundingMode.HALF_UP);
        if (millis.compareTo(BigDecimal.valueOf(Long.MAX_VALUE - now)) > 0) return Long.MAX_VALUE;
        return now + millis.longValueExact();
    }

    /** True when the forecast exhaustion falls inside the billing month of {@code now}. */
    public static boolean exhaustsThisMonth(Long exhaustion, long now) {
        return exhaustion != null && exhaustion < SpendPeriods.nextMonthStart(now);
    }

    /** Sum of minute costs with a start in [from, to): the spend over a trailing window. */
    public static BigDecimal sum(Map<Long, BigDecimal> minutes, long from, long to) {
        BigDecimal s = BigDecimal.ZERO;
        for (Map.Entry<Long, BigDecimal> e : minutes.entrySet()) {
            if (e.getKey() >= from && e.getKey() < to) s = s.add(e.getValue());
        }
        return s;
    }

    // ---- spend-rate anomaly ----

    /** The rate that counts as anomalous: {@code factor} × the baseline hourly mean, at least {@code floor}. */
    public static BigDecimal anomalyThreshold(BigDecimal baselineMeanPerHour, BigDecimal factor, BigDecimal floor) {
        return baselineMeanPerHour.multiply(factor).max(floor);
    }

    /** Fires above the threshold; resolves only below {@code resolveFraction} × the threshold. */
    public static Transition anomaly(BigDecimal ratePerHour, BigDecimal baselineMeanPerHour, BigDecimal factor, BigDecimal floor,
                                     BigDecimal resolveFraction, boolean firing) {
        BigDecimal threshold = anomalyThreshold(baselineMeanPerHour, factor, floor);
        if (!firing) return ratePerHour.compareTo(threshold) > 0 ? Transition.FIRE : Transition.NONE;
        return ratePerHour.compareTo(threshold.multiply(resolveFraction)) < 0 ? Transition.RESOLVE : Transition.NONE;
    }

    /** Mean spend per hour over {@code baselineMillis}. */
    public static BigDecimal hourlyMean(BigDecimal spend, long baselineMillis) {
        return spend.multiply(BigDecimal.valueOf(HOUR_MILLIS)).divide(BigDecimal.valueOf(baselineMillis), MC);
    }

    // ---- unattributed share ----

    /** Fires when unattributed / total > threshold % (and total ≥ minTotal); resolves below threshold − hysteresis. */
    public static Transition unattributedShare(BigDecimal unattributed, BigDecimal total, BigDecimal thresholdPercent,
                                               BigDecimal hysteresisPercent, BigDecimal minTotal, boolean firing) {
        BigDecimal u100 = unattributed.multiply(HUNDRED);
        if (!firing) {
            return total.signum() > 0 && total.compareTo(minTotal) >= 0 && u100.compareTo(thresholdPercent.multiply(total)) > 0
                    ? Transition.FIRE : Transition.NONE;
        }
        return u100.compareTo(thresholdPercent.subtract(hysteresisPercent).multiply(total)) < 0 ? Transition.RESOLVE : Transition.NONE;
    }

    // ---- stale input ----

    public static boolean stale(long lastAdvanceProcessingTime, long nowProcessingTime, long staleAfterMillis) {
        return nowProcessingTime - lastAdvanceProcessingTime >= staleAfterMillis;
    }

    // ---- formatting for sentences (figures themselves stay exact strings) ----

    /** "$1,000.00": a display amount for sentences, rounded half-even to the cent. */
    public static String usd(BigDecimal v) {
        return "$" + String.format(Locale.ROOT, "%,.2f", v.setScale(2, RoundingMode.HALF_EVEN));
    }

    /** Whole percent of spent/budget for sentences, rounded down from the exact ratio so 99.999 % never reads as 100 %. */
    public static String wholePercent(BigDecimal spent, BigDecimal budget) {
        return spent.multiply(HUNDRED).divide(budget, 0, RoundingMode.DOWN).toPlainString() + " %";
    }

    public static String plain(BigDecimal v) {
        return v.signum() == 0 ? "0" : v.stripTrailingZeros().toPlainString();
    }

    private static ZonedDateTime utc(long t) {
        return Instant.ofEpochMilli(t).atZone(ZoneOffset.UTC);
    }

    /** "2026-10" */
    public static String monthId(long t) {
        ZonedDateTime z = utc(t);
        return String.format(Locale.ROOT, "%04d-%02d", z.getYear(), z.getMonthValue());
    }

    /** "October" */
    public static String monthName(long t) {
        return utc(t).getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH);
    }

    /** "2026-10-14" */
    public static String dayId(long t) {
        return utc(t).toLocalDate().toString();
    }

    /** "2026-10-14T09" */
    public static String hourId(long t) {
        ZonedDateTime z = utc(t);
        return z.toLocalDate() + String.format(Locale.ROOT, "T%02d", z.getHour());
    }

    public static String alertId(String rule, String dimension, String key, String period, String level) {
        StringBuilder b = new StringBuilder(rule);
        if (key != null) b.append(':').append(dimension).append('=').append(key);
        if (period != null) b.append(':').append(period);
        if (level != null) b.append(':').append(level);
        return b.toString();
    }
}
