package io.bedrockspend.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bedrockspend.PipelineConfig;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.IOException;
import java.io.Reader;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Settings of the production job ({@code run}) and of {@code backfill}, read from one flat key space.
 * The same keys come from a YAML, JSON or {@code .properties} file (nested YAML/JSON objects are
 * flattened with dots) or from Managed Service for Apache Flink runtime properties (see
 * {@link #fromManagedFlink}). Every key is documented in docs/deployment.md; unknown keys are an
 * error so a typo never silently falls back to a default.
 */
public final class JobConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Where Managed Service for Apache Flink mounts the application's runtime properties. */
    public static final Path MANAGED_FLINK_PROPERTIES = Path.of("/etc/flink/application_properties.json");
    /** The runtime-property group whose keys are used without a prefix. */
    public static final String MAIN_GROUP = "bedrock-spend";

    public enum InitialPosition { LATEST, TRIM_HORIZON, AT_TIMESTAMP }

    public enum StateBackend { ROCKSDB, HASHMAP }

    private static final Set<String> KEYS = Set.of(
            "job.name", "parallelism",
            "aws.region", "aws.endpoint", "aws.credentials.provider",
            "invocations.stream.arn", "cloudtrail.stream.arn",
            "source.initial-position", "source.initial-timestamp", "source.shard-discovery-interval",
            "source.idleness", "source.max-out-of-orderness",
            "ledger.path", "spend.stream.arn", "spend.max-buffer-time",
            "dead-letters.path", "dead-letters.stream.arn",
            "pricing.dir", "principal-tags.file", "inference-profiles.file",
            "pipeline.team-key", "pipeline.unattributed-team", "pipeline.dedupe-retention",
            "pipeline.max-out-of-orderness", "pipeline.source-idleness",
            "checkpoint.interval", "checkpoint.min-pause", "checkpoint.timeout", "checkpoint.dir",
            "checkpoint.unaligned", "checkpoint.aligned-timeout", "checkpoint.retain-on-cancel",
            "savepoint.dir", "state.backend", "state.backend.incremental");

    public String jobName = "bedrock-spend";
    public int parallelism = 0;

    // ---- AWS ----
    public String region;
    /** Endpoint override (kinesis-local, VPC endpoints); null = the region's public endpoint. */
    public String endpoint;
    /** AUTO (default provider chain), BASIC, ENV_VAR, SYS_PROP, PROFILE, ASSUME_ROLE, WEB_IDENTITY_TOKEN. */
    public String credentialsProvider = "AUTO";
    /** Every other {@code aws.*} key (credentials details, role ARN, ...), handed to the connector as is. */
    public Map<String, String> awsExtra = new TreeMap<>();

    // ---- sources ----
    public String invocationsStreamArn;
    /** Optional: without CloudTrail the job attributes calls from the principal-tag seed only. */
    public String cloudtrailStreamArn;
    public InitialPosition initialPosition = InitialPosition.LATEST;
    /** ISO-8601 instant, only with AT_TIMESTAMP. */
    public String initialTimestamp;
    public Duration shardDiscoveryInterval = Duration.ofSeconds(10);
    /** Per-shard watermarks on arrival time: a shard quiet for this long stops holding back event time. */
    public Duration sourceIdleness = Duration.ofMinutes(1);
    public Duration sourceMaxOutOfOrderness = Duration.ofSeconds(5);

    // ---- outputs ----
    /** Ledger root: {@code file:///...}, a plain local path, or {@code s3://bucket/prefix}. Required. */
    public String ledgerPath;
    /** Live spend updates (one JSON record per team-total update); null = not written. */
    public String spendStreamArn;
    /** Kinesis stream for alert events (optional). */
    public String alertsStreamArn;
    /** Post alerts to the Slack-compatible webhook in $BEDROCK_SPEND_WEBHOOK_URL. */
    public boolean alertsWebhook = true;
    /** Longest time a spend update waits in the Kinesis sink's buffer. Bounds end-to-end latency. */
    public Duration spendMaxBufferTime = Duration.ofMillis(200);
    public String deadLettersPath;
    public String deadLettersStreamArn;

    // ---- reference data ----
    public String pricingDir;
    public String principalTagsFile;
    public String inferenceProfilesFile;

    public final PipelineConfig pipeline = new PipelineConfig();

    // ---- checkpoints and state ----
    public Duration checkpointInterval = Duration.ofSeconds(60);
    public Duration checkpointMinPause = Duration.ofSeconds(10);
    public Duration checkpointTimeout = Duration.ofMinutes(10);
    public String checkpointDir;
    public String savepointDir;
    /** Unaligned checkpoints once an aligned one has waited {@link #checkpointAlignedTimeout} (back-pressure). */
    public boolean checkpointUnaligned = true;
    public Duration checkpointAlignedTimeout = Duration.ofSeconds(30);
    public boolean retainCheckpointsOnCancel = true;
    public StateBackend stateBackend = StateBackend.ROCKSDB;
    public boolean incrementalCheckpoints = true;
    /** {@code flink.*} keys with the prefix removed: any other Flink option (restart strategy, ...). */
    public Map<String, String> flinkExtra = new TreeMap<>();

    /** Which keys were given explicitly (Managed Flink owns checkpoint settings unless they are). */
    public final Set<String> explicitKeys = new TreeSet<>();

    public JobConfig() {}

    // =====================================================================================
    // Loading
    // =====================================================================================

    /** Reads {@code .yaml}/{@code .yml}, {@code .json} or {@code .properties} (chosen by extension). */
    public static JobConfig fromFile(Path file) throws ConfigException {
        if (!Files.isRegularFile(file)) throw new ConfigException("configuration file not found: " + file);
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        Map<String, String> flat = new TreeMap<>();
        try {
            if (name.endsWith(".properties")) {
                Properties p = new Properties();
                try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    p.load(r);
                }
                p.stringPropertyNames().forEach(k -> flat.put(k.trim(), p.getProperty(k).trim()));
            } else if (name.endsWith(".json")) {
                flattenJson("", new ObjectMapper().readTree(file.toFile()), flat, file);
            } else if (name.endsWith(".yaml") || name.endsWith(".yml")) {
                Object doc = new Load(LoadSettings.builder().build())
                        .loadFromString(Files.readString(file, StandardCharsets.UTF_8));
                flattenYaml("", doc, flat, file);
            } else {
                throw new ConfigException(file + ": use a .yaml, .yml, .json or .properties file");
            }
        } catch (IOException | RuntimeException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        return fromMap(flat, file.toString());
    }

    /**
     * Reads Managed Service for Apache Flink runtime properties: a JSON array of
     * {@code {"PropertyGroupId": G, "PropertyMap": {k: v}}} (the file the service mounts at
     * {@link #MANAGED_FLINK_PROPERTIES}). Keys of group {@value #MAIN_GROUP} are used as they are;
     * keys of any other group G become {@code G.k}, so groups may mirror the dotted prefixes.
     */
    public static JobConfig fromManagedFlink(Path file) throws ConfigException {
        if (!Files.isRegularFile(file)) throw new ConfigException("runtime properties not found: " + file);
        Map<String, String> flat = new TreeMap<>();
        try {
            JsonNode groups = new ObjectMapper().readTree(file.toFile());
            if (groups == null || !groups.isArray()) throw new ConfigException(file + ": expected a JSON array of property groups");
            for (JsonNode g : groups) {
                String id = g.path("PropertyGroupId").asText(null);
                JsonNode map = g.path("PropertyMap");
                if (id == null || !map.isObject()) throw new ConfigException(file + ": each group needs PropertyGroupId and PropertyMap");
                String prefix = MAIN_GROUP.equals(id) ? "" : id + ".";
                for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    flat.put(prefix + e.getKey(), e.getValue().asText());
                }
            }
        } catch (IOException e) {
            throw new ConfigException(file + ": cannot read: " + e.getMessage(), e);
        }
        return fromMap(flat, file.toString());
    }

    /** Builds a configuration from flat keys; {@code source} names where they came from, for messages. */
    public static JobConfig fromMap(Map<String, String> flat, String source) throws ConfigException {
        JobConfig c = new JobConfig();
        for (Map.Entry<String, String> e : new TreeMap<>(flat).entrySet()) {
            String k = e.getKey();
            String v = e.getValue() == null ? "" : e.getValue().trim();
            if (v.isEmpty()) continue; // empty = not set: lets templates leave optional keys blank
            try {
                c.set(k, v);
            } catch (IllegalArgumentException | java.time.format.DateTimeParseException ex) {
                throw new ConfigException(source + ": " + k + ": " + ex.getMessage(), ex);
            }
        }
        c.validate(source);
        return c;
    }

    private void set(String k, String v) throws ConfigException {
        if (!KEYS.contains(k)) {
            if (k.startsWith("flink.")) { flinkExtra.put(k.substring("flink.".length()), v); return; }
            if (k.startsWith("aws.")) { awsExtra.put(k, v); return; }
            throw new ConfigException("unknown key " + k + " (see docs/deployment.md)");
        }
        explicitKeys.add(k);
        switch (k) {
            case "job.name" -> jobName = v;
            case "parallelism" -> parallelism = Integer.parseInt(v);
            case "aws.region" -> region = v;
            case "aws.endpoint" -> endpoint = v;
            case "aws.credentials.provider" -> credentialsProvider = v.toUpperCase(Locale.ROOT);
            case "invocations.stream.arn" -> invocationsStreamArn = v;
            case "cloudtrail.stream.arn" -> cloudtrailStreamArn = v;
            case "source.initial-position" -> initialPosition = InitialPosition.valueOf(v.toUpperCase(Locale.ROOT));
            case "source.initial-timestamp" -> initialTimestamp = java.time.Instant.parse(v).toString();
            case "source.shard-discovery-interval" -> shardDiscoveryInterval = duration(v);
            case "source.idleness" -> sourceIdleness = duration(v);
            case "source.max-out-of-orderness" -> sourceMaxOutOfOrderness = duration(v);
            case "ledger.path" -> ledgerPath = v;
            case "spend.stream.arn" -> spendStreamArn = v;
            case "spend.max-buffer-time" -> spendMaxBufferTime = duration(v);
            case "dead-letters.path" -> deadLettersPath = v;
            case "dead-letters.stream.arn" -> deadLettersStreamArn = v;
            case "pricing.dir" -> pricingDir = v;
            case "pricing.reload-interval" -> pipeline.pricingPollInterval = duration(v);
            case "principal-tags.file" -> principalTagsFile = v;
            case "inference-profiles.file" -> inferenceProfilesFile = v;
            case "pipeline.team-key" -> pipeline.teamKey = v;
            case "pipeline.unattributed-team" -> pipeline.unattributedTeam = v;
            case "pipeline.dedupe-retention" -> pipeline.dedupeRetention = duration(v);
            case "pipeline.max-out-of-orderness" -> pipeline.maxOutOfOrderness = duration(v);
            case "pipeline.source-idleness" -> pipeline.sourceIdleness = duration(v);
            case "pipeline.per-principal-series" -> pipeline.perPrincipalSeries = bool(v);
            case "alerts.budgets.path" -> pipeline.alerts.budgetsPath = v;
            case "alerts.budgets.poll-interval" -> pipeline.alerts.budgetsPollInterval = duration(v);
            case "alerts.anomaly.factor" -> pipeline.alerts.anomalyFactor = new java.math.BigDecimal(v);
            case "alerts.anomaly.min-usd-per-hour" -> pipeline.alerts.anomalyMinUsdPerHour = new java.math.BigDecimal(v);
            case "alerts.anomaly.min-history" -> pipeline.alerts.anomalyMinHistory = duration(v);
            case "alerts.unattributed.share-percent" -> pipeline.alerts.unattributedSharePercent = new java.math.BigDecimal(v);
            case "alerts.unattributed.min-total-usd" -> pipeline.alerts.unattributedMinTotalUsd = new java.math.BigDecimal(v);
            case "alerts.stale-after" -> pipeline.alerts.staleAfter = duration(v);
            case "alerts.stream.arn" -> alertsStreamArn = v;
            case "alerts.webhook" -> alertsWebhook = bool(v);
            case "checkpoint.interval" -> checkpointInterval = duration(v);
            case "checkpoint.min-pause" -> checkpointMinPause = duration(v);
            case "checkpoint.timeout" -> checkpointTimeout = duration(v);
            case "checkpoint.dir" -> checkpointDir = v;
            case "checkpoint.unaligned" -> checkpointUnaligned = bool(v);
            case "checkpoint.aligned-timeout" -> checkpointAlignedTimeout = duration(v);
            case "checkpoint.retain-on-cancel" -> retainCheckpointsOnCancel = bool(v);
            case "savepoint.dir" -> savepointDir = v;
            case "state.backend" -> stateBackend = StateBackend.valueOf(v.toUpperCase(Locale.ROOT));
            case "state.backend.incremental" -> incrementalCheckpoints = bool(v);
            default -> throw new IllegalStateException("key listed but not handled: " + k);
        }
    }

    private void validate(String source) throws ConfigException {
        if (region == null) throw new ConfigException(source + ": aws.region is required");
        if (invocationsStreamArn == null) throw new ConfigException(source + ": invocations.stream.arn is required");
        for (String arn : new String[]{invocationsStreamArn, cloudtrailStreamArn, spendStreamArn, deadLettersStreamArn}) {
            if (arn != null && !arn.matches("arn:aws[a-z-]*:kinesis:[a-z0-9-]+:\\d{12}:stream/[A-Za-z0-9_.-]+")) {
                throw new ConfigException(source + ": not a Kinesis stream ARN: " + arn);
            }
        }
        if (ledgerPath == null) throw new ConfigException(source + ": ledger.path is required");
        if (deadLettersPath != null && deadLettersStreamArn != null) {
            throw new ConfigException(source + ": give dead-letters.path or dead-letters.stream.arn, not both");
        }
        if ((initialPosition == InitialPosition.AT_TIMESTAMP) != (initialTimestamp != null)) {
            throw new ConfigException(source + ": source.initial-timestamp goes with source.initial-position=AT_TIMESTAMP (and only with it)");
        }
        if (parallelism < 0) throw new ConfigException(source + ": parallelism must be >= 0");
        if (checkpointInterval.toMillis() < 10) throw new ConfigException(source + ": checkpoint.interval too small");
    }

    /** The AWS client settings (connector string keys) shared by the Kinesis sources and sinks. */
    public Map<String, String> awsClientProperties() {
        Map<String, String> m = new TreeMap<>(awsExtra);
        m.put("aws.region", region);
        if (endpoint != null) m.put("aws.endpoint", endpoint);
        m.put("aws.credentials.provider", credentialsProvider);
        return m;
    }

    /** Short stream name of an ARN ({@code arn:...:stream/NAME} → NAME). */
    public static String streamName(String arn) {
        int i = arn.lastIndexOf("stream/");
        return i < 0 ? arn : arn.substring(i + "stream/".length());
    }

    // =====================================================================================
    // Parsing helpers
    // =====================================================================================

    /** {@code 250ms}, {@code 30s}, {@code 5m}, {@code 2h}, {@code 1d}, or ISO-8601 ({@code PT30S}). */
    public static Duration duration(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.startsWith("p")) return Duration.parse(t.toUpperCase(Locale.ROOT));
        try {
            if (t.endsWith("ms")) return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            long n = Long.parseLong(t.substring(0, t.length() - 1));
            return switch (t.charAt(t.length() - 1)) {
                case 's' -> Duration.ofSeconds(n);
                case 'm' -> Duration.ofMinutes(n);
                case 'h' -> Duration.ofHours(n);
                case 'd' -> Duration.ofDays(n);
                default -> throw new IllegalArgumentException("bad duration " + s + " (use e.g. 250ms, 30s, 5m, 2h)");
            };
        } catch (NumberFormatException | StringIndexOutOfBoundsException e) {
            throw new IllegalArgumentException("bad duration " + s + " (use e.g. 250ms, 30s, 5m, 2h)");
        }
    }

    private static boolean bool(String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on" -> true;
            case "false", "no", "off" -> false;
            default -> throw new IllegalArgumentException("expected true or false, got " + v);
        };
    }

    private static void flattenJson(String prefix, JsonNode n, Map<String, String> out, Path file) throws ConfigException {
        if (n == null || !n.isObject()) throw new ConfigException(file + ": expected a JSON object");
        for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = prefix + e.getKey();
            if (e.getValue().isObject()) flattenJson(k + ".", e.getValue(), out, file);
            else if (e.getValue().isValueNode()) out.put(k, e.getValue().isNull() ? "" : e.getValue().asText());
            else throw new ConfigException(file + ": " + k + ": lists are not supported");
        }
    }

    private static void flattenYaml(String prefix, Object n, Map<String, String> out, Path file) throws ConfigException {
        if (!(n instanceof Map<?, ?> m)) throw new ConfigException(file + ": expected a YAML mapping");
        for (Map.Entry<?, ?> e : m.entrySet()) {
            String k = prefix + e.getKey();
            Object v = e.getValue();
            if (v instanceof Map<?, ?>) flattenYaml(k + ".", v, out, file);
            else if (v instanceof List<?>) throw new ConfigException(file + ": " + k + ": lists are not supported");
            else out.put(k, v == null ? "" : String.valueOf(v));
        }
    }
}
