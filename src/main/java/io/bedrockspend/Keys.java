package io.bedrockspend;

/**
 * 64-bit partitioning keys for long string ids (request ids, ARNs). Batch runs sort every keyed
 * input, and Flink sorts fixed-length keys far faster than variable-length strings; operators keyed
 * this way keep the full string inside their state, so a hash collision never merges two ids.
 */
public final class Keys {
    private Keys() {}

    /** FNV-1a over the UTF-16 chars, finished with the MurmurHash3 64-bit mixer. */
    public static long hash64(String s) {
        if (s == null) return 0L;
        long h = 0xcbf29ce484222325L;
        for (int i = 0; i < s.length(); i++) {
            h ^= s.charAt(i);
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }
}
