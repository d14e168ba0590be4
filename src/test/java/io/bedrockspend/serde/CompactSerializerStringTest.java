package io.bedrockspend.serde;

import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The string form of the compact serializers: ASCII as bytes, anything else as chars, every string back identical. */
class CompactSerializerStringTest {

    /** The plain definition the word-at-a-time check must agree with. */
    private static boolean noQuestionMarkByteByByte(byte[] b) {
        for (byte x : b) if (x == '?') return false;
        return true;
    }

    @Test
    void questionMarkFoundAtEveryPositionOfEveryLength() {
        for (int len = 0; len <= 40; len++) {
            byte[] clean = new byte[len];
            for (int i = 0; i < len; i++) clean[i] = (byte) (0x20 + (i * 7) % 0x5F); // printable ASCII ...
            for (int i = 0; i < len; i++) if (clean[i] == '?') clean[i] = '>';      // ... without '?'
            assertEquals(true, CompactSerializer.noQuestionMark(clean), "len " + len);
            for (int at = 0; at < len; at++) {
                byte[] b = clean.clone();
                b[at] = '?';
                assertEquals(false, CompactSerializer.noQuestionMark(b), "len " + len + " at " + at);
            }
        }
        // every ASCII byte value next to '?' - 1 and '?' + 1 (borrows across bytes must not fake a match)
        for (int v = 0; v < 0x80; v++) {
            byte[] b = new byte[16];
            java.util.Arrays.fill(b, (byte) v);
            assertEquals(noQuestionMarkByteByByte(b), CompactSerializer.noQuestionMark(b), "byte " + v);
            b[5] = (byte) 0x40;
            b[6] = (byte) 0x3E;
            assertEquals(noQuestionMarkByteByByte(b), CompactSerializer.noQuestionMark(b), "byte " + v + " mixed");
        }
    }

    @Test
    void everyStringRoundTrips() throws Exception {
        String[] samples = {null, "", "a", "arn:aws:iam::111122223333:role/x", "what?", "?", "0123456789abcde?",
                "\uD800", "x\uD800y0123456789", "\uDC00\uD800", "é", "naïve-0123456789", "€", "\uD83D\uDE00",
                "0123456789abcdef\uD83D\uDE00", "??\uD800??", "long ascii string with no question mark in it at all"};
        for (String s : samples) {
            DataOutputSerializer out = new DataOutputSerializer(64);
            CompactSerializer.writeString(s, out);
            byte[] bytes = out.getCopyOfBuffer();
            String back = CompactSerializer.readString(new DataInputDeserializer(bytes));
            assertEquals(s, back, String.valueOf(s));
            if (s != null) {
                boolean ascii = s.chars().allMatch(c -> c < 0x80 && c != '?');
                // ASCII without '?': count then the bytes; otherwise -2 - count then chars
                assertEquals(ascii ? 4 + s.length() : 4 + 2 * s.length(), bytes.length, s);
                if (ascii) assertEquals(s, new String(bytes, 4, bytes.length - 4, StandardCharsets.US_ASCII));
            }
        }
    }
}
