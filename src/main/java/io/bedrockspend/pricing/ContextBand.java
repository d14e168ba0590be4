package io.bedrockspend.pricing;

/**
 * Long-context band: when a request's prompt (input + cache read + cache write) exceeds the long
 * entry's threshold, the whole request is billed at the long rates.
 */
public enum ContextBand {
    STANDARD("standard"),
    LONG("long");

    /** Threshold used when a long entry does not give one (Claude's 200K tier). */
    public static final long DEFAULT_LONG_THRESHOLD_TOKENS = 200_000L;

    private final String wireName;

    ContextBand(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static ContextBand fromWire(String s) {
        for (ContextBand b : values()) {
            if (b.wireName.equals(s)) {
                return b;
            }
        }
        return null;
    }
}
