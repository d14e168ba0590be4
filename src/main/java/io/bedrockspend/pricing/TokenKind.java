package io.bedrockspend.pricing;

/** A priced kind of token. The wire name is the key in {@code ratesPerMillionTokens}. */
public enum TokenKind {
    INPUT("input"),
    OUTPUT("output"),
    CACHE_READ("cacheRead"),
    CACHE_WRITE_5M("cacheWrite5m"),
    CACHE_WRITE_1H("cacheWrite1h");

    private final String wireName;

    TokenKind(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    public static TokenKind fromWire(String s) {
        for (TokenKind k : values()) {
            if (k.wireName.equals(s)) {
                return k;
            }
        }
        return null;
    }
}
