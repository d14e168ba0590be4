package io.bedrockspend.pricing;

import java.util.Locale;

/** Bedrock service tier / inference mode that selects a separate rate card. */
public enum Tier {
    STANDARD("standard"),
    BATCH("batch"),
    FLEX("flex"),
    PRIORITY("priority"),
    LATENCY_OPTIMIZED("latency-optimized");

    private final String wireName;

    Tier(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Parses a snapshot value (exact wire name); null when unknown. */
    public static Tier fromWire(String s) {
        for (Tier t : values()) {
            if (t.wireName.equals(s)) {
                return t;
            }
        }
        return null;
    }

    /**
     * Parses the tier as logged on a call. Absent and the API's {@code default} mean standard;
     * {@code optimized} is the {@code performanceConfig.latency} spelling. Null when unknown
     * (e.g. {@code reserved}, which is billed per TPM, not per token).
     */
    public static Tier fromCall(String logged) {
        if (logged == null || logged.isEmpty()) {
            return STANDARD;
        }
        String s = logged.trim().toLowerCase(Locale.ROOT);
        switch (s) {
            case "standard":
            case "default":
            case "on-demand":
            case "on_demand":
                return STANDARD;
            case "optimized":
            case "latency-optimized":
            case "latency_optimized":
            case "latencyoptimized":
                return LATENCY_OPTIMIZED;
            default:
                return fromWire(s);
        }
    }
}
