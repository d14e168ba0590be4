package io.bedrockspend.serde;

import org.apache.flink.api.common.typeutils.base.TypeSerializerSingleton;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;
import org.apache.flink.types.StringValue;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Base of the hand-written record serializers: stateless singletons writing fields in a fixed order.
 * Strings may be null ({@link StringValue} encodes it); maps of strings are written as a size
 * (-1 = null) and pairs. A record class's serializer must write every field: SerializationTest
 * round-trips each one with every field set.
 */
public abstract class CompactSerializer<T> extends TypeSerializerSingleton<T> {
    public abstract Class<T> type();

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
        serialize(deserialize(source), target);
    }

    protected static void writeString(String s, DataOutputView out) throws IOException {
        StringValue.writeString(s, out);
    }

    protected static String readString(DataInputView in) throws IOException {
        return StringValue.readString(in);
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
