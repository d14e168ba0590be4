package io.bedrockspend.alerts;

import java.io.Serializable;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * Settings of the job's alert rules. Budgets themselves live in the hot-reloaded budgets file
 * ({@link Budgets}); these are the rule knobs that change with a deployment, not with a budget.
 */
public final class AlertConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Budgets file, or a folder whose newest budgets file wins; null = no budgets (no budget/forecast alerts). */
    public String budgetsPath;
    /** How often the budgets path is checked for a new or replaced file. */
    public Duration budgetsPollInterval = Duration.ofSeconds(30);

    /** The team dimension of the spend stream ({@code SpendDeltas.TEAM}). */
    public String teamDimension = "team";
    /** The cost-center dimension (a tag key in {@code aggregateDimensions}). */
    public String costCenterDimension = "costCenter";
    /** The model dimension ({@code SpendDeltas.MODEL}). */
    public String modelDimension = "model";
    /** Team bucket of calls without a team tag ({@code PipelineConfig.unattributedTeam}). */
    public String unattributedTeam = "unattributed";

    /** Burn-rate forecast: trailing window the rate is taken over. */
    public Duration burnRateWindow = Duration.ofHours(1);

    /** Spend-rate anomaly: last hour's rate above {@code anomalyFactor} × the trailing hourly mean... */
    public BigDecimal anomalyFactor = new BigDecimal("3");
    /** ...and at least this many USD per hour (small teams do not page for cents). */
    public BigDecimal anomalyMinUsdPerHour = new BigDecimal("5");
    /** Baseline: hourly mean over this span before the last hour. */
    public Duration anomalyBaseline = Duration.ofHours(24);
    /** No anomaly verdict before the team has this much history before the last hour. */
    public Duration anomalyMinHistory = Duration.ofHours(6);
    /** Resolves when the rate falls below this fraction of the firing threshold (hysteresis). */
    public BigDecimal anomalyResolveFraction = new BigDecimal("0.8");

    /** Unattributed share of month-to-date spend that fires, in percent. */
    public BigDecimal unattributedSharePercent = new BigDecimal("5");
    /** ...resolves below share − this many percentage points. */
    public BigDecimal unattributedHysteresisPercent = new BigDecimal("1");
    /** ...and only once the month's total spend is at least this much (1 cent of 2 cents is not news). */
    public BigDecimal unattributedMinTotalUsd = new BigDecimal("10");

    /** Stale input: no spend update advancing the watermark for this long (processing time). */
    public Duration staleAfter = Duration.ofMinutes(15);
    /** How often staleness is checked. */
    public Duration staleCheckInterval = Duration.ofMinutes(1);

    /** Parallelism of the per-series alert operator (0 = the job's default). */
    public int parallelism = 0;

    public AlertConfig() {}
}
