package io.bedrockspend.pricing;

/**
 * Which SKU family a call is billed under. {@code global.} profiles use global SKUs; geo profiles
 * ({@code us.}, {@code eu.}, ...) and in-region ids use regional SKUs (1.1x global for the
 * 4.5-era Claude models and later).
 */
public enum RoutingClass {
    GLOBAL("global"),
    REGIONAL("regional");

    private final String wireName;

    RoutingClass(String wireName) {
        this.wireName = wireName;
    }

    /** The spelling used in snapshot files and {@link CallCost#routingClass}. */
    public String wireName() {
        return wireName;
    }

    /** Parses a snapshot value; null when unknown. */
    public static RoutingClass fromWire(String s) {
        for (RoutingClass r : values()) {
            if (r.wireName.equals(s)) {
                return r;
            }
        }
        return null;
    }
}
