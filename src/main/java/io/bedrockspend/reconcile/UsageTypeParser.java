package io.bedrockspend.reconcile;

import io.bedrockspend.pricing.BillingRegions;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses Bedrock token usage types in the three shapes CUR writes (pricing.md §7.3–7.4):
 * legacy dash ({@code USE1-Claude4.6Sonnet-cache-read-input-token-count-batch}), Marketplace
 * ({@code USE1-MP:USE1_CacheWrite1hInputTokenCount_Global-Units}, camel or snake components) and
 * mantle ({@code USE1-openai.gpt-5.6-luna-mantle-cache-write-tokens-5m-long-ctx-flex}).
 *
 * <p>Anything else (reserved TPM, provisioned throughput, images, model customization, custom
 * models, unknown qualifiers) returns null: callers skip and report such rows, never guess.
 * Components are matched exactly, never by suffix ({@code CacheWrite1hInputTokenCount} also ends in
 * {@code InputTokenCount}).
 */
public final class UsageTypeParser {
    private static final Pattern REGION_PREFIX = Pattern.compile("^([A-Z]{2,4}[0-9])-(.+)$");
    private static final Pattern MARKETPLACE = Pattern.compile("^MP:([A-Z]{2,4}[0-9])_(.+)-Units$");
    private static final Pattern MANTLE = Pattern.compile(
            "^(.+)-mantle-(input|output|cache-read|cache-write)-tokens(?:-(.*))?$");
    private static final Pattern LEGACY = Pattern.compile(
            "^(.+?)-(input|output|cache-read|cache-write)(?:-(1h|5m))?-(?:input-)?token(?:s|-count)(?:-(.*))?$");

    private static final Map<String, String[]> CAMEL = Map.of(
            "InputTokenCount", new String[] {"input", null},
            "OutputTokenCount", new String[] {"output", null},
            "CacheReadInputTokenCount", new String[] {"cacheRead", null},
            "CacheWriteInputTokenCount", new String[] {"cacheWrite5m", null},
            "CacheWrite1hInputTokenCount", new String[] {"cacheWrite1h", null},
            "MillionBatchInputTokens", new String[] {"input", "batch"},
            "MillionBatchOutputTokens", new String[] {"output", "batch"});

    /** Dash qualifiers, longest first so "latency-optimized" wins over a bare word. */
    private static final List<String> DASH_QUALIFIERS = List.of("cross-region-global", "cross-region-geo",
            "latency-optimized", "long-context", "long-ctx", "standard", "batch", "flex", "priority", "global",
            "regional", "geo", "1h", "5m", "30m");

    private UsageTypeParser() {}

    /** The parsed usage type, or null when it is not a Bedrock per-token usage type this parser knows. */
    public static UsageType parse(String raw) {
        if (raw == null) return null;
        Matcher rm = REGION_PREFIX.matcher(raw.trim());
        if (!rm.matches()) return null;
        String code = rm.group(1);
        String rest = rm.group(2);
        Mods m = new Mods();
        if (rest.startsWith("MP:")) {
            Matcher mp = MARKETPLACE.matcher(rest);
            if (!mp.matches()) return null;
            String comp = mp.group(2);
            String[] parts = comp.split("_");
            boolean camel = Character.isUpperCase(parts[0].charAt(0));
            if (!(camel ? marketplaceCamel(parts, m) : marketplaceSnake(parts, m))) return null;
            return m.build(raw, code, "marketplace", null);
        }
        Matcher mm = MANTLE.matcher(rest);
        if (mm.matches()) {
            m.kind = dashKind(mm.group(2), null);
            if (!dashQualifiers(mm.group(3), m)) return null;
            return m.build(raw, code, "mantle", mm.group(1));
        }
        Matcher lm = LEGACY.matcher(rest);
        if (lm.matches()) {
            String model = lm.group(1);
            // multimodal (input-image/audio/video) and customization rows are not token-priced calls
            if (model.contains("Model-Customization") || model.endsWith("-input") || model.endsWith("-output")) return null;
            m.kind = dashKind(lm.group(2), lm.group(3));
            if (!dashQualifiers(lm.group(4), m)) return null;
            return m.build(raw, code, "legacy", model);
        }
        return null;
    }

    private static boolean marketplaceCamel(String[] parts, Mods m) {
        String[] k = CAMEL.get(parts[0]);
        if (k == null) return false;
        m.kind = k[0];
        if (k[1] != null) m.tier = k[1];
        for (int i = 1; i < parts.length; i++) {
            switch (parts[i]) {
                case "Global" -> m.routing = "global";
                case "Geo", "Regional" -> m.routing = "regional";
                case "Batch" -> m.tier = "batch";
                case "Flex" -> m.tier = "flex";
                case "Priority" -> m.tier = "priority";
                case "Standard" -> m.tier = "standard";
                case "LatencyOptimized" -> m.tier = "latency-optimized";
                case "LongContext" -> m.longContext = true;
                default -> { return false; }
            }
        }
        return true;
    }

    private static boolean marketplaceSnake(String[] parts, Mods m) {
        int i;
        if (parts.length >= 2 && parts[0].equals("input") && parts[1].equals("tokens")) { m.kind = "input"; i = 2; }
        else if (parts.length >= 2 && parts[0].equals("output") && parts[1].equals("tokens")) { m.kind = "output"; i = 2; }
        else if (parts.length >= 3 && parts[0].equals("cache") && parts[2].equals("tokens")
                && (parts[1].equals("read") || parts[1].equals("write"))) {
            m.kind = parts[1].equals("read") ? "cacheRead" : "cacheWrite5m";
            i = 3;
        } else {
            return false;
        }
        for (; i < parts.length; i++) {
            String p = parts[i];
            switch (p) {
                case "1h", "5m", "30m" -> { if (!ttl(m, p)) return false; }
                case "long" -> {
                    if (i + 1 < parts.length && parts[i + 1].equals("ctx")) i++;
                    m.longContext = true;
                }
                case "global" -> m.routing = "global";
                case "geo", "regional" -> m.routing = "regional";
                case "standard", "flex", "priority", "batch" -> m.tier = p;
                case "latency" -> {
                    if (i + 1 < parts.length && parts[i + 1].equals("optimized")) i++;
                    m.tier = "latency-optimized";
                }
                default -> { return false; }
            }
        }
        return true;
    }

    private static String dashKind(String k, String ttl) {
        return switch (k) {
            case "input" -> "input";
            case "output" -> "output";
            case "cache-read" -> "cacheRead";
            default -> "1h".equals(ttl) ? "cacheWrite1h" : "cacheWrite5m";
        };
    }

    private static boolean ttl(Mods m, String t) {
        if (!m.kind.startsWith("cacheWrite")) return false;
        m.kind = switch (t) {
            case "1h" -> "cacheWrite1h";
            case "5m" -> "cacheWrite5m";
            default -> "cacheWrite30m"; // no ledger kind: such rows reconcile as usage the live side never priced
        };
        return true;
    }

    private static boolean dashQualifiers(String s, Mods m) {
        if (s == null || s.isEmpty()) return true;
        String rest = s;
        while (!rest.isEmpty()) {
            String hit = null;
            for (String q : DASH_QUALIFIERS) {
                if (rest.equals(q) || rest.startsWith(q + "-")) { hit = q; break; }
            }
            if (hit == null) return false; // custom-model, unknown qualifier: skip and report
            switch (hit) {
                case "cross-region-global", "global" -> m.routing = "global";
                case "cross-region-geo", "regional", "geo" -> m.routing = "regional";
                case "long-context", "long-ctx" -> m.longContext = true;
                case "1h", "5m", "30m" -> { if (!ttl(m, hit)) return false; }
                default -> m.tier = hit;
            }
            rest = rest.length() == hit.length() ? "" : rest.substring(hit.length() + 1);
        }
        return true;
    }

    private static final class Mods {
        String kind;
        String routing = "regional";
        String tier = "standard";
        boolean longContext;

        UsageType build(String raw, String code, String shape, String model) {
            return new UsageType(raw, code, BillingRegions.region(code), shape, model, kind, routing, tier, longContext);
        }
    }
}
