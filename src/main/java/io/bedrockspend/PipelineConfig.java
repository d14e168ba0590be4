package io.bedrockspend;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Typed configuration of the spend pipeline, with the defaults a new deployment gets. Every knob
 * the topology reads lives here; operators receive the values they need, not the whole file.
 */
public final class PipelineConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Tag key that names the team a call is charged to. */
    public String teamKey = "team";
    /** Tag keys reported as spend dimensions. */
    public List<String> dimensionKeys = List.of("team", "costCenter", "env", "application");
    /**
     * Whether to compute the live spend series (minute and month-to-date per dimension), their
     * metrics and alerts. A replay without budgets has no use for them and skips their cost.
     */
    public boolean spendSeries = true;
    /** Spend series aggregated per minute and month: team, principal, model, routingClass, tokenKind or any tag key. */
    public List<String> aggregateDimensions = List.of("team", "costCenter", "model", "routingClass", "tokenKind");
    /** Adds per-principal series (off by default: one series per role/user can be many). */
    public boolean perPrincipalSeries = false;
    /** Minute buckets are kept (and corrected by late calls) this long after they close. */
    public Duration minuteRetention = Duration.ofHours(2);
    /** Month-to-date is pushed at least this often while calls arrive (0 = only when minutes close). */
    public Duration liveUpdateInterval = Duration.ofSeconds(1);
    /** Billing months kept per series, so calls that arrive late still correct their month. */
    public int monthsRetained = 13;
    /** Bucket for calls whose team is unknown: visible, never dropped. */
    public String unattributedTeam = "unattributed";
    /** How long a requestId is remembered for de-duplication (Kinesis retention is 24 h by default). */
    public Duration dedupeRetention = Duration.ofHours(48);
    /** Events may arrive this much out of order before watermarks pass them. */
    public Duration maxOutOfOrderness = Duration.ofMinutes(5);
    /** A source with no data for this long stops holding back event time. */
    public Duration sourceIdleness = Duration.ofMinutes(1);
    /** A call whose session context (the STS event) is unknown waits this long in event time, then leaves partial. */
    public Duration identityWait = Duration.ofMinutes(5);
    /** ...and at most this long in processing time, so an idle stream still flushes waiting calls. */
    public Duration identityWaitProcessingCap = Duration.ofMinutes(10);
    /** A call may carry a timestamp this much before its session's STS event (clocks of two services). */
    public Duration sessionClockSkew = Duration.ofSeconds(5);
    /** Sessions kept per session ARN (session names are reused); the newest win. */
    public int maxSessionsPerArn = 8;
    /** A session is forgotten this long after its credentials expire. */
    public Duration sessionGrace = Duration.ofMinutes(15);
    /** After a wait for a session's STS event expired, later calls of that ARN within this span leave at once, partial. */
    public Duration noSessionMemory = Duration.ofHours(1);
    /** IAM tag changes kept per principal before the oldest are folded together. */
    public int maxTagChangesPerPrincipal = 64;
    /** Application-inference-profile ARN → model id (or system profile id) it routes to. */
    public Map<String, String> applicationProfiles = new TreeMap<>();
    /** Pricing folder (local or s3://) polled for new snapshots while a streaming job runs; null = prices fixed at start. */
    public String pricingFolder;
    /** How often the pricing folder is polled. */
    public Duration pricingPollInterval = Duration.ofMinutes(1);
    /** Alert rules, budgets file and thresholds (docs/alerts.md). */
    public io.bedrockspend.alerts.AlertConfig alerts = new io.bedrockspend.alerts.AlertConfig();
    /** Parallelism of the job (0 = Flink's default). */
    public int parallelism = 0;

    public PipelineConfig() {}
}
