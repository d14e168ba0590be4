package io.bedrockspend.ingest;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Strict UTF-8 validation (RFC 3629): rejects what Jackson's decoder lets through, namely overlong forms
 * ({@code C0 AF}, {@code E0 80 AF}, ...), UTF-16 surrogates encoded as UTF-8 ({@code ED A0 80}) and
 * lead bytes {@code F5}..{@code F7}, as well as what it already rejects.
 */
final class Utf8 {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    private Utf8() {}

    /** Index of the first byte of the first invalid sequence in {@code b[from, to)}, or -1 if all valid. */
    static int firstInvalid(byte[] b, int from, int to) {
        int i = from;
        while (i < to) {
            // ASCII, 8 bytes at a time
            while (i + 8 <= to && ((long) LONGS.get(b, i) & 0x8080808080808080L) == 0) {
                i += 8;
            }
            if (i == to) {
                break;
            }
            if (b[i] >= 0) {
                i++;
                continue;
            }
            int next = sequenceEnd(b, i, to);
            if (next < 0) {
                return i;
            }
            i = next;
        }
        return -1;
    }

    /** The index after the multi-byte sequence whose lead byte is {@code b[i]} (non-ASCII), or -1 if invalid. */
    static int sequenceEnd(byte[] b, int i, int end) {
        int c = b[i] & 0xff;
        if (c < 0xC2) {
            return -1; // a continuation byte, or C0/C1 (always overlong)
        }
        if (c < 0xE0) {
            return i + 1 < end && isContinuation(b[i + 1]) ? i + 2 : -1;
        }
        if (c < 0xF0) {
            if (i + 2 >= end) {
                return -1;
            }
            int c1 = b[i + 1] & 0xff;
            if (c == 0xE0 && c1 < 0xA0 || c == 0xED && c1 > 0x9F) {
                return -1; // overlong, or a surrogate
            }
            return isContinuation(b[i + 1]) && isContinuation(b[i + 2]) ? i + 3 : -1;
        }
        if (c < 0xF5) {
            if (i + 3 >= end) {
                return -1;
            }
            int c1 = b[i + 1] & 0xff;
            if (c == 0xF0 && c1 < 0x90 || c == 0xF4 && c1 > 0x8F) {
                return -1; // overlong, or beyond U+10FFFF
            }
            return isContinuation(b[i + 1]) && isContinuation(b[i + 2]) && isContinuation(b[i + 3]) ? i + 4 : -1;
        }
        return -1; // F5..FF
    }

    private static boolean isContinuation(byte x) {
        return (x & 0xC0) == 0x80;
    }
}
