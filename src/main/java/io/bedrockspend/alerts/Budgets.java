package io.bedrockspend.alerts;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The budgets file (docs/alerts.md): monthly USD budgets per team and optionally per cost center,
 * alert levels in percent and a webhook channel per team. Parsed strictly: an unknown key, a
 * non-decimal amount or a URL where a channel name belongs is an error with the offending path, so a
 * typo never silently disables a budget. Immutable after parsing.
 */
public final class Budgets {
    public static final List<BigDecimal> DEFAULT_LEVELS = List.of(new BigDecimal("50"), new BigDecimal("80"), new BigDecimal("100"));
    public static final BigDecimal DEFAULT_HYSTERESIS = new BigDecimal("5");
    public static final Budgets NONE = new Budgets(DEFAULT_LEVELS, DEFAULT_HYSTERESIS, null, Map.of(), Map.of());

    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    /** YAML floats arrive as doubles: converted without the BigDecimal feature so they stay recognisable (and are refused). */
    private static final ObjectMapper YAML_TREE = new ObjectMapper();
    private static final Pattern CHANNEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final Set<String> TOP_KEYS = Set.of("levels", "hysteresisPercent", "defaultChannel", "teams", "costCenters");
    private static final Set<String> BUDGET_KEYS = Set.of("monthlyUsd", "levels", "channel");

    /** One budget: a monthly amount, the levels (percent, ascending) and an optional channel name. */
    public record Budget(BigDecimal monthlyUsd, List<BigDecimal> levels, String channel) {}

    public final List<BigDecimal> levels;
    public final BigDecimal hysteresisPercent;
    public final String defaultChannel;
    public final Map<String, Budget> teams;
    public final Map<String, Budget> costCenters;

    private Budgets(List<BigDecimal> levels, BigDecimal hysteresisPercent, String defaultChannel,
                    Map<String, Budget> teams, Map<String, Budget> costCenters) {
        this.levels = levels;
        this.hysteresisPercent = hysteresisPercent;
        this.defaultChannel = defaultChannel;
        this.teams = Collections.unmodifiableMap(teams);
        this.costCenters = Collections.unmodifiableMap(costCenters);
    }

    /** The budget of a team ({@code teamDimension}) or cost center series, or null. */
    public Budget lookup(AlertConfig cfg, String dimension, String key) {
        if (cfg.teamDimension.equals(dimension)) return teams.get(key);
        if (cfg.costCenterDimension.equals(dimension)) return costCenters.get(key);
        return null;
    }

    /** Thrown for an unreadable or invalid budgets file; the message names the file and the path inside it. */
    public static final class InvalidBudgetsException extends Exception {
        private static final long serialVersionUID = 1L;

        public InvalidBudgetsException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Parses JSON, or YAML when {@code origin} ends in .yaml/.yml. */
    public static Budgets parse(String text, String origin) throws InvalidBudgetsException {
        JsonNode root;
        try {
            String lower = origin == null ? "" : origin.toLowerCase(java.util.Locale.ROOT);
            if (lower.endsWith(".yaml") || lower.endsWith(".yml")) {
                Object doc = new Load(LoadSettings.builder().build()).loadFromString(text);
                root = YAML_TREE.valueToTree(doc);
            } else {
                root = JSON.readTree(text);
            }
        } catch (java.io.IOException | RuntimeException e) {
            // parser messages carry line/column, never more than a short excerpt of the file
            throw new InvalidBudgetsException(origin + ": not valid " + (origin != null && origin.matches("(?i).*\\.ya?ml") ? "YAML" : "JSON")
                    + ": " + firstLine(e.getMessage()), e);
        }
        try {
            return fromTree(root);
        } catch (IllegalArgumentException e) {
            throw new InvalidBudgetsException(origin + ": " + e.getMessage(), e);
        }
    }

    private static Budgets fromTree(JsonNode root) {
        if (root == null || !root.isObject()) throw new IllegalArgumentException("the top level must be an object");
        unknownKeys(root, TOP_KEYS, "");
        List<BigDecimal> levels = root.has("levels") ? levels(root.get("levels"), "levels") : DEFAULT_LEVELS;
        BigDecimal hysteresis = root.has("hysteresisPercent") ? decimal(root.get("hysteresisPercent"), "hysteresisPercent") : DEFAULT_HYSTERESIS;
        if (hysteresis.signum() < 0 || hysteresis.compareTo(new BigDecimal("50")) > 0) {
            throw new IllegalArgumentException("hysteresisPercent: must be between 0 and 50");
        }
        String defaultChannel = root.has("defaultChannel") ? channel(root.get("defaultChannel"), "defaultChannel") : null;
        Map<String, Budget> teams = budgets(root.get("teams"), "teams", levels);
        Map<String, Budget> costCenters = budgets(root.get("costCenters"), "costCenters", levels);
        return new Budgets(levels, hysteresis, defaultChannel, teams, costCenters);
    }

    private static Map<String, Budget> budgets(JsonNode node, String path, List<BigDecimal> defaultLevels) {
        Map<String, Budget> out = new TreeMap<>();
        if (node == null || node.isNull()) return out;
        if (!node.isObject()) throw new IllegalArgumentException(path + ": must be an object of name → budget");
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String p = path + "." + e.getKey();
            JsonNode b = e.getValue();
            if (e.getKey().isBlank()) throw new IllegalArgumentException(path + ": a name is blank");
            if (!b.isObject()) throw new IllegalArgumentException(p + ": must be an object with monthlyUsd");
            unknownKeys(b, BUDGET_KEYS, p + ".");
            if (!b.has("monthlyUsd")) throw new IllegalArgumentException(p + ".monthlyUsd: missing");
            BigDecimal amount = decimal(b.get("monthlyUsd"), p + ".monthlyUsd");
            if (amount.signum() <= 0) throw new IllegalArgumentException(p + ".monthlyUsd: must be greater than 0");
            List<BigDecimal> lv = b.has("levels") ? levels(b.get("levels"), p + ".levels") : defaultLevels;
            String channel = b.has("channel") ? channel(b.get("channel"), p + ".channel") : null;
            out.put(e.getKey(), new Budget(amount, lv, channel));
        }
        return out;
    }

    private static List<BigDecimal> levels(JsonNode node, String path) {
        if (!node.isArray() || node.isEmpty()) throw new IllegalArgumentException(path + ": must be a non-empty array of percentages");
        List<BigDecimal> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            BigDecimal v = decimal(node.get(i), path + "[" + i + "]");
            if (v.signum() <= 0 || v.compareTo(new BigDecimal("1000")) > 0) {
                throw new IllegalArgumentException(path + "[" + i + "]: a level is a percentage between 0 (exclusive) and 1000");
            }
            if (!out.isEmpty() && v.compareTo(out.get(out.size() - 1)) <= 0) {
                throw new IllegalArgumentException(path + ": levels must be strictly ascending");
            }
            out.add(v);
        }
        return List.copyOf(out);
    }

    /** A decimal string, or a JSON integer/decimal read exactly; YAML floats are refused (they went through double). */
    private static BigDecimal decimal(JsonNode n, String path) {
        try {
            if (n.isTextual()) return new BigDecimal(n.asText().trim());
            if (n.isIntegralNumber() || n.isBigDecimal()) return n.decimalValue();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(path + ": \"" + n.asText() + "\" is not a decimal number");
        }
        if (n.isNumber()) throw new IllegalArgumentException(path + ": write the amount as a string (\"812.40\") so it stays exact");
        throw new IllegalArgumentException(path + ": must be a decimal string such as \"1000.00\"");
    }

    private static String channel(JsonNode n, String path) {
        if (n.isNull()) return null;
        if (!n.isTextual()) throw new IllegalArgumentException(path + ": must be a channel name");
        String v = n.asText();
        // webhook URLs are secrets: they belong in the environment, never in a file that gets reviewed and logged
        if (v.contains("://") || v.contains("/")) {
            throw new IllegalArgumentException(path + ": is a URL; name a channel here and put its webhook URL in the environment "
                    + "(BEDROCK_SPEND_WEBHOOK_URL_<CHANNEL>)");
        }
        if (!CHANNEL.matcher(v).matches()) throw new IllegalArgumentException(path + ": channel names use letters, digits, '.', '_' and '-'");
        return v;
    }

    private static void unknownKeys(JsonNode obj, Set<String> known, String prefix) {
        for (Iterator<String> it = obj.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!known.contains(k)) throw new IllegalArgumentException(prefix + k + ": unknown key (known: " + new java.util.TreeSet<>(known) + ")");
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "unreadable";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
