package io.bedrockspend.pricing.pricelist;

import io.bedrockspend.pricing.RoutingClass;
import io.bedrockspend.pricing.Tier;
import io.bedrockspend.pricing.TokenKind;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Classifies a Bedrock Price List row by its {@code usagetype} (plus {@code feature}), never by
 * {@code inferenceType}: batch SKUs say "Input tokens" there and cache rows may have none. Grammars
 * (shared/reference/pricing.md §7.3, §7.4):
 * <ul>
 *   <li>Marketplace: {@code REG-MP:REG_<Component>[_Qualifier…]-Units}, CamelCase ({@code
 *       InputTokenCount_Global_Batch}) or snake_case ({@code input_tokens_global_standard});
 *   <li>mantle: {@code REG-<modelId>-mantle-<kind>-tokens[-ttl][-long-ctx]-<tier>};
 *   <li>legacy dash: {@code REG-<ModelToken>-<kind>-tokens[-qualifiers]}.
 * </ul>
 * Components are matched exactly, never by suffix ({@code CacheWrite1hInputTokenCount} also ends
 * in {@code InputTokenCount}). Any token we do not know makes the row unclassified.
 */
public final class UsageTypeClassifier {
    private static final Pattern BILLING_PREFIX = Pattern.compile("^([A-Z]{2,4}[0-9])-(.+)$");
    private static final Pattern MARKETPLACE = Pattern.compile("^MP:([A-Z]{2,4}[0-9])_(.+)-Units$");
    private static final Pattern LEGACY = Pattern.compile(
            "^(.+?)-(input|output|cache-read|cache-write)(?:-(image|audio|video|speech))?(?:-input)?"
                    + "-(?:tokens|token-count|token)(?:-(.+))?$");

    private static final Map<String, TokenKind> CAMEL_COMPONENTS = Map.of(
            "InputTokenCount", TokenKind.INPUT,
            "OutputTokenCount", TokenKind.OUTPUT,
            "CacheReadInputTokenCount", TokenKind.CACHE_READ,
            "CacheWriteInputTokenCount", TokenKind.CACHE_WRITE_5M,
            "CacheWrite1hInputTokenCount", TokenKind.CACHE_WRITE_1H,
            "MillionBatchInputTokens", TokenKind.INPUT,
            "MillionBatchOutputTokens", TokenKind.OUTPUT);

    private static final Map<String, Q> CAMEL_QUALIFIERS = Map.of(
            "Global", Q.GLOBAL,
            "Regional", Q.REGIONAL,
            "Batch", Q.BATCH,
            "Standard", Q.STANDARD,
            "Flex", Q.FLEX,
            "Priority", Q.PRIORITY,
            "LatencyOptimized", Q.LATENCY_OPTIMIZED,
            "LongContext", Q.LONG);

    /** Lower-case qualifier token sequences for the snake, mantle and legacy grammars. */
    private static final List<Map.Entry<List<String>, Q>> WORD_QUALIFIERS = List.of(
            Map.entry(List.of("cross", "region", "global"), Q.GLOBAL),
            Map.entry(List.of("cross", "region", "geo"), Q.REGIONAL),
            Map.entry(List.of("latency", "optimized"), Q.LATENCY_OPTIMIZED),
            Map.entry(List.of("long", "context"), Q.LONG),
            Map.entry(List.of("long", "ctx"), Q.LONG),
            Map.entry(List.of("custom", "model"), Q.CUSTOM_MODEL),
            Map.entry(List.of("global"), Q.GLOBAL),
            Map.entry(List.of("regional"), Q.REGIONAL),
            Map.entry(List.of("geo"), Q.REGIONAL),
            Map.entry(List.of("standard"), Q.STANDARD),
            Map.entry(List.of("batch"), Q.BATCH),
            Map.entry(List.of("flex"), Q.FLEX),
            Map.entry(List.of("priority"), Q.PRIORITY),
            Map.entry(List.of("reserved"), Q.RESERVED),
            Map.entry(List.of("5m"), Q.TTL_5M),
            Map.entry(List.of("1h"), Q.TTL_1H),
            Map.entry(List.of("30m"), Q.TTL_30M));

    private enum Q {
        GLOBAL, REGIONAL, STANDARD, BATCH, FLEX, PRIORITY, LATENCY_OPTIMIZED, LONG, TTL_5M, TTL_1H, TTL_30M,
        CUSTOM_MODEL, RESERVED
    }

    private UsageTypeClassifier() {}

    public static UsageClass classify(String usageType, String feature) {
        if (usageType == null || usageType.isBlank()) {
            return UsageClass.unclassified(null, null, "no usagetype");
        }
        Matcher m = BILLING_PREFIX.matcher(usageType.trim());
        if (!m.matches()) {
            return UsageClass.unclassified(null, null, "usagetype has no billing region prefix");
        }
        String reg = m.group(1);
        String rest = m.group(2);
        UsageClass c;
        if (rest.startsWith("MP:")) {
            c = marketplace(reg, rest);
        } else if (rest.contains("-mantle-")) {
            c = mantle(reg, rest);
        } else {
            c = legacy(reg, rest);
        }
        return withFeature(c, feature);
    }

    /** {@code feature} can exclude a row or contradict its usage type; it never adds a kind. */
    private static UsageClass withFeature(UsageClass c, String feature) {
        if (feature == null || feature.isBlank() || c.status() == UsageClass.Status.EXCLUDED) {
            return c;
        }
        String f = feature.toLowerCase(Locale.ROOT);
        if (f.contains("customization")) {
            return UsageClass.excluded(c.billingCode(), c.grammar(), "model customization (feature '" + feature + "')");
        }
        if (f.contains("provisioned") || f.contains("reserved")) {
            return UsageClass.excluded(c.billingCode(), c.grammar(), "reserved/provisioned (feature '" + feature + "')");
        }
        if (!c.isToken()) {
            return c;
        }
        boolean featureBatch = f.contains("batch");
        boolean usageBatch = c.tier() == Tier.BATCH;
        if (featureBatch != usageBatch && (featureBatch || f.contains("on-demand"))) {
            return UsageClass.unclassified(c.billingCode(), c.grammar(), "feature '" + feature
                    + "' contradicts the usage type's tier " + c.tier().wireName());
        }
        return c;
    }

    private static UsageClass marketplace(String reg, String rest) {
        String grammar = "marketplace";
        Matcher m = MARKETPLACE.matcher(rest);
        if (!m.matches()) {
            return UsageClass.unclassified(reg, grammar, "Marketplace usage type not of the form REG-MP:REG_<component>-Units");
        }
        if (!m.group(1).equals(reg)) {
            return UsageClass.unclassified(reg, grammar, "billing codes differ: " + reg + " vs " + m.group(1));
        }
        String body = m.group(2);
        String lower = body.toLowerCase(Locale.ROOT);
        if (lower.startsWith("reserved") || lower.startsWith("provisioned")) {
            return UsageClass.excluded(reg, grammar, "reserved/provisioned throughput (billed per TPM or model unit, not per token)");
        }
        if (lower.contains("image") || lower.contains("video") || lower.contains("audio")) {
            return UsageClass.excluded(reg, grammar, "media usage (not a text token kind)");
        }
        List<String> parts = Arrays.asList(body.split("_", -1));
        if (Character.isUpperCase(body.charAt(0))) {
            return camel(reg, parts);
        }
        return snake(reg, parts);
    }

    private static UsageClass camel(String reg, List<String> parts) {
        String grammar = "marketplace-camel";
        TokenKind kind = CAMEL_COMPONENTS.get(parts.get(0));
        if (kind == null) {
            return UsageClass.unclassified(reg, grammar, "unknown component '" + parts.get(0) + "'");
        }
        List<Q> qs = new ArrayList<>();
        if (parts.get(0).startsWith("MillionBatch")) {
            qs.add(Q.BATCH);
        }
        for (String p : parts.subList(1, parts.size())) {
            Q q = CAMEL_QUALIFIERS.get(p);
            if (q == null) {
                return UsageClass.unclassified(reg, grammar, "unknown qualifier '" + p + "'");
            }
            qs.add(q);
        }
        return build(reg, grammar, kind, qs, null);
    }

    private static UsageClass snake(String reg, List<String> parts) {
        String grammar = "marketplace-snake";
        int n;
        TokenKind kind;
        if (startsWith(parts, "input", "tokens")) {
            kind = TokenKind.INPUT;
            n = 2;
        } else if (startsWith(parts, "output", "tokens")) {
            kind = TokenKind.OUTPUT;
            n = 2;
        } else if (startsWith(parts, "cache", "read", "tokens")) {
            kind = TokenKind.CACHE_READ;
            n = 3;
        } else if (startsWith(parts, "cache", "write", "tokens")) {
            kind = TokenKind.CACHE_WRITE_5M;
            n = 3;
        } else {
            return UsageClass.unclassified(reg, grammar, "unknown component '" + String.join("_", parts) + "'");
        }
        return words(reg, grammar, kind, parts.subList(n, parts.size()), null);
    }

    private static UsageClass mantle(String reg, String rest) {
        String grammar = "mantle";
        int at = rest.indexOf("-mantle-");
        String modelId = rest.substring(0, at);
        List<String> parts = Arrays.asList(rest.substring(at + "-mantle-".length()).split("-", -1));
        if (modelId.isEmpty()) {
            return UsageClass.unclassified(reg, grammar, "no model id before -mantle-");
        }
        int n;
        TokenKind kind;
        if (startsWith(parts, "input", "tokens")) {
            kind = TokenKind.INPUT;
            n = 2;
        } else if (startsWith(parts, "output", "tokens")) {
            kind = TokenKind.OUTPUT;
            n = 2;
        } else if (startsWith(parts, "cache", "read", "tokens")) {
            kind = TokenKind.CACHE_READ;
            n = 3;
        } else if (startsWith(parts, "cache", "write", "tokens")) {
            kind = TokenKind.CACHE_WRITE_5M;
            n = 3;
        } else if (parts.size() > 1 && (parts.contains("image") || parts.contains("audio") || parts.contains("video"))) {
            return UsageClass.excluded(reg, grammar, "media usage (not a text token kind)");
        } else {
            return UsageClass.unclassified(reg, grammar, "unknown mantle component '" + String.join("-", parts) + "'");
        }
        return words(reg, grammar, kind, parts.subList(n, parts.size()), modelId);
    }

    private static UsageClass legacy(String reg, String rest) {
        String grammar = "legacy";
        Matcher m = LEGACY.matcher(rest);
        if (!m.matches()) {
            return UsageClass.unclassified(reg, grammar, "usage type matches no known grammar");
        }
        String modelToken = m.group(1);
        if (modelToken.contains("Model-Customization") || modelToken.contains("Customization")) {
            return UsageClass.excluded(reg, grammar, "model customization");
        }
        if (m.group(3) != null) {
            return UsageClass.excluded(reg, grammar, "media tokens (" + m.group(3) + ") are not a priced token kind");
        }
        TokenKind kind = switch (m.group(2)) {
            case "input" -> TokenKind.INPUT;
            case "output" -> TokenKind.OUTPUT;
            case "cache-read" -> TokenKind.CACHE_READ;
            default -> TokenKind.CACHE_WRITE_5M;
        };
        List<String> quals = m.group(4) == null ? List.of() : Arrays.asList(m.group(4).split("-", -1));
        return words(reg, grammar, kind, quals, null);
    }

    /** Parses lower-case qualifier words greedily against {@link #WORD_QUALIFIERS}. */
    private static UsageClass words(String reg, String grammar, TokenKind kind, List<String> words, String modelId) {
        List<Q> qs = new ArrayList<>();
        int i = 0;
        outer:
        while (i < words.size()) {
            for (Map.Entry<List<String>, Q> e : WORD_QUALIFIERS) {
                List<String> seq = e.getKey();
                if (i + seq.size() <= words.size() && words.subList(i, i + seq.size()).equals(seq)) {
                    qs.add(e.getValue());
                    i += seq.size();
                    continue outer;
                }
            }
            return UsageClass.unclassified(reg, grammar, "unknown qualifier '" + words.get(i) + "'");
        }
        return build(reg, grammar, kind, qs, modelId);
    }

    private static UsageClass build(String reg, String grammar, TokenKind kind, List<Q> qs, String modelId) {
        RoutingClass routing = null;
        Tier tier = null;
        boolean longCtx = false;
        String ttl = null;
        for (Q q : qs) {
            switch (q) {
                case RESERVED:
                    return UsageClass.excluded(reg, grammar, "reserved tier (billed per TPM, not per token)");
                case CUSTOM_MODEL:
                    return UsageClass.excluded(reg, grammar, "custom model");
                case GLOBAL:
                case REGIONAL:
                    RoutingClass r = q == Q.GLOBAL ? RoutingClass.GLOBAL : RoutingClass.REGIONAL;
                    if (routing != null) {
                        return UsageClass.unclassified(reg, grammar, "routing given twice");
                    }
                    routing = r;
                    break;
                case LONG:
                    if (longCtx) {
                        return UsageClass.unclassified(reg, grammar, "long-context marker given twice");
                    }
                    longCtx = true;
                    break;
                case TTL_5M:
                case TTL_1H:
                case TTL_30M:
                    if (ttl != null) {
                        return UsageClass.unclassified(reg, grammar, "cache TTL given twice");
                    }
                    ttl = q == Q.TTL_5M ? "5m" : q == Q.TTL_1H ? "1h" : "30m";
                    break;
                default:
                    Tier t = switch (q) {
                        case BATCH -> Tier.BATCH;
                        case FLEX -> Tier.FLEX;
                        case PRIORITY -> Tier.PRIORITY;
                        case LATENCY_OPTIMIZED -> Tier.LATENCY_OPTIMIZED;
                        default -> Tier.STANDARD;
                    };
                    if (tier != null) {
                        return UsageClass.unclassified(reg, grammar, "two tiers: " + tier.wireName() + " and " + t.wireName());
                    }
                    tier = t;
            }
        }
        if (ttl != null) {
            if (kind != TokenKind.CACHE_WRITE_5M) {
                return UsageClass.unclassified(reg, grammar, "cache TTL on a " + kind.wireName() + " usage type");
            }
            if (ttl.equals("30m")) {
                // GPT-5.x caches for 30 minutes; the snapshot format has no such kind, so do not fold it into 5m.
                return UsageClass.unclassified(reg, grammar, "30-minute cache write has no token kind in the snapshot format");
            }
            if (ttl.equals("1h")) {
                kind = TokenKind.CACHE_WRITE_1H;
            }
        }
        return new UsageClass(UsageClass.Status.TOKEN, null, reg, grammar, kind,
                routing == null ? RoutingClass.REGIONAL : routing, tier == null ? Tier.STANDARD : tier, longCtx, modelId);
    }

    private static boolean startsWith(List<String> parts, String... prefix) {
        if (parts.size() < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (!parts.get(i).equals(prefix[i])) {
                return false;
            }
        }
        return true;
    }
}
