package io.bedrockspend.demo;

/**
 * Harmless filler for prompt and response bodies: pseudo-sentences from a fixed word list, built once.
 * Bodies are slices of it, so generating 100 kB bodies costs a substring, not a text generator.
 */
final class SyntheticText {
    private static final String[] WORDS = {
            "synthetic", "prompt", "for", "the", "bedrock", "spend", "demo", "lorem", "ipsum", "dolor", "sit",
            "amet", "placeholder", "text", "with", "no", "meaning", "sample", "order", "status", "summary",
            "please", "describe", "catalog", "item", "weather", "report", "draft", "reply", "customer",
            "question", "about", "shipping", "a", "an", "of", "to", "and", "is", "in", "this", "test"};
    private static final String TEXT = build(256 * 1024);

    private SyntheticText() {}

    private static String build(int length) {
        StringBuilder sb = new StringBuilder(length + 32);
        long x = 42;
        int inSentence = 0;
        while (sb.length() < length) {
            x = Rng.mix(x + 1);
            String w = WORDS[(int) ((x >>> 1) % WORDS.length)];
            if (inSentence == 0) {
                sb.append(Character.toUpperCase(w.charAt(0))).append(w, 1, w.length());
            } else {
                sb.append(w);
            }
            inSentence++;
            if (inSentence > 6 && (x & 7) == 0) {
                sb.append(". ");
                inSentence = 0;
            } else {
                sb.append(' ');
            }
        }
        return sb.substring(0, length);
    }

    static int length() {
        return TEXT.length();
    }

    static String slice(int offset, int length) {
        return TEXT.substring(offset, offset + length);
    }
}
