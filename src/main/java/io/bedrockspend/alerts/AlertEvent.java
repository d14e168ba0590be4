package io.bedrockspend.alerts;

import io.bedrockspend.StringMapTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfo;

import java.util.Map;
import java.util.TreeMap;

/**
 * One alert transition computed by the job: a rule started firing for a key and period, or stopped.
 * {@link #alertId} is stable per (rule, key, period, level), so a receiver can de-duplicate and pair
 * a {@code resolved} with its {@code firing}. Figures are exact decimal strings (money via
 * {@link io.bedrockspend.spend.Money#format}), never binary floating point.
 */
public class AlertEvent {
    public static final String FIRING = "firing";
    public static final String RESOLVED = "resolved";

    public static final String INFO = "info";
    public static final String WARNING = "warning";
    public static final String CRITICAL = "critical";

    /** e.g. {@code budget:team=search:2026-10:80}. */
    public String alertId;
    /** {@link AlertRules} rule name: budget, burn-rate-forecast, spend-anomaly, unpriced-model, unattributed-share, stale-input, budgets-invalid. */
    public String rule;
    public String severity;
    /** Spend dimension of {@link #key}: team, costCenter, model; null for job-wide rules. */
    public String dimension;
    /** The team, cost center or model; null for job-wide rules. */
    public String key;
    /** The period the alert is about: a month {@code 2026-10}, a day {@code 2026-10-14} or an hour {@code 2026-10-14T09}. */
    public String period;
    /** {@link #FIRING} or {@link #RESOLVED}. */
    public String state;
    /** Event time (input complete up to) at which the transition happened; processing time for stale-input. */
    public long firedAtEventTime;
    /** Named figures as exact decimal strings or ISO dates: spentUsd, budgetUsd, percent, level, rateUsdPerHour, forecastDate, ... */
    @TypeInfo(StringMapTypeInfo.class)
    public Map<String, String> figures = new TreeMap<>();
    /** Webhook channel from the budgets file (team's channel), or null for the default webhook. */
    public String channel;
    /** One human sentence. */
    public String message;

    public AlertEvent() {}

    public boolean firing() {
        return FIRING.equals(state);
    }

    @Override
    public String toString() {
        return state + " " + severity + " " + alertId + ": " + message;
    }
}
