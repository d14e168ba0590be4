package io.bedrockspend.serde;

import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Base of the hand-written record serializers: stateless singletons writing fields in a fixed order,
 * described by {@link #layout()} so that batch sorts and spills can copy a serialized record without
 * decoding it. An ASCII string (ids, ARNs: nearly all of them) is its bytes behind their count, an
 * array copy each way, where Flink's {@code StringValue} walks every char and looks up a thread-local
 * buffer per string; any other string is its UTF-16 chars behind {@code -2 - count}, so every string,
 * even one with an unpaired surrogate, comes back identical (keys are hashed again after a shuffle);
 * -1 is null. Maps of strings are a size (-1 = null) and pairs.
 * A record class's serializer must write every field: SerializationTest round-trips each one with
 * every field set.
 */
public abstract class CompactSerializer<T> extends TypeSerializerSingleton<T> {
    /** Field kinds of {@link #layout()}. */
    protected static final byte STRING = 0;
    protected static final byte LONG = 1;
    protected static final byte BOOLEAN = 2;
    protected static final byte STRING_MAP = 3;

    public abstract Class<T> type();

    /** The kinds of the fields as {@link #serialize} writes them, in order. */
    protected abstract byte[] layout();

    @Override public boolean isImmutableType() { return false; }
    @Override public int getLength() { return -1; }

    @Override
    public T copy(T from, T reuse) {
        return copy(from);
    }

    @Override
    public T deserialize(T reuse, DataInputView source) throws IOException {
        return deserialize(source);
    }

    @Override
    public void copy(DataInputView source, DataOutputView target) throws IOException {
        copyFields(layout(), source, target);
    }

    protected static void copyFields(byte[] layout, DataInputView in, DataOutputView out) throws IOException {
        for (byte kind : layout) {
            switch (kind) {
                case STRING -> copyString(in, out);
                case LONG -> out.writeLong(in.readLong());
                case BOOLEAN -> out.writeBoolean(in.readBoolean());
                case STRING_MAP -> {
                    int n = in.readInt();
                    out.writeInt(n);
                    for (int i = 0; i < 2 * n; i++) copyString(in, out);
                }
                default -> throw new IllegalStateException("unknown field kind " + kind);
            }
        }
    }

    private static void copyString(DataInputView in, DataOutputView out) throws IOException {
        int n = in.readInt();
        out.writeInt(n);
        int bytes = n >= 0 ? n : n == -1 ? 0 : 2 * (-2 - n);
        if (bytes == 0) return;
        // through an array: not every DataOutputView grows in write(DataInputView, int)
        byte[] b = new byte[bytes];
        in.readFully(b);
        out.write(b);
    }

    protected static void writeString(String s, DataOutputView out) throws IOException {
        if (s == null) {
            out.writeInt(-1);
            return;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length == s.length() && noQuestionMark(b)) {
            // as many bytes as chars: each char is ASCII or a lone surrogate, which the encoder
            // replaced by '?'; with no '?' in the bytes, all ASCII
            out.writeInt(b.length);
            out.write(b);
            return;
        }
        out.writeInt(-2 - s.length());
        for (int i = 0; i < s.length(); i++) out.writeChar(s.charAt(i));
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long QUESTION_MARKS = 0x3F3F3F3F3F3F3F3FL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    /**
     * No '?' in {@code b}, whose bytes are all below 0x80 (the caller's length check): 8 bytes at a time
     * (a byte of {@code w ^ '?'...} is zero exactly where {@code w} has a '?'; with every byte below
     * 0x80 the classic has-zero-byte test is exact), then the tail byte by byte.
     */
    static boolean noQuestionMark(byte[] b) {
        int i = 0;
        for (int end = b.length - 7; i < end; i += 8) {
            long v = (long) LONGS.get(b, i) ^ QUESTION_MARKS;
            if (((v - ONES) & ~v & HIGH_BITS) != 0) return false;
        }
        for (; i < b.length; i++) if (b[i] == '?') return false;
        return true;
    }

    protected static String readString(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n >= 0) {
            byte[] b = new byte[n];
            in.readFully(b);
            return new String(b, StandardCharsets.ISO_8859_1); // ASCII: the Latin-1 decoder is a plain copy
        }
        if (n == -1) return null;
        char[] c = new char[-2 - n];
        for (int i = 0; i < c.length; i++) c[i] = in.readChar();
        return new String(c);
    }

    protected static void writeMap(Map<String, String> m, DataOutputView out) throws IOException {
        if (m == null) {
            out.writeInt(-1);
            return;
        }
        out.writeInt(m.size());
        for (Map.Entry<String, String> e : m.entrySet()) {
            writeString(e.getKey(), out);
            writeString(e.getValue(), out);
        }
    }

    protected static Map<String, String> readMap(DataInputView in) throws IOException {
        int n = in.readInt();
        if (n < 0) return null;
        Map<String, String> m = new HashMap<>(Math.max(4, n * 2));
        for (int i = 0; i < n; i++) m.put(readString(in), readString(in));
        return m;
    }

    protected static Map<String, String> copyMap(Map<String, String> m) {
        return m == null ? null : new HashMap<>(m);
    }
}
