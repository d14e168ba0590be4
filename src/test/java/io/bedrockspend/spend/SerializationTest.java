package io.bedrockspend.spend;

import io.bedrockspend.ingest.DeadLetter;
import io.bedrockspend.ingest.InvocationCall;
import io.bedrockspend.ingest.RawRecord;
import io.bedrockspend.ingest.TrailEvent;
import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.GenericTypeInfo;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import io.bedrockspend.identity.IdentityInput;
import io.bedrockspend.serde.CompactTypeInfo;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/**
 * Records that cross operators must be Flink POJOs with no Kryo-serialized field (speed, schema
 * evolution), or, for the records every shuffle carries, have a hand-written serializer that writes
 * every field.
 */
class SerializationTest {
    @ParameterizedTest
    @ValueSource(classes = {RawRecord.class, DeadLetter.class, PricedCall.class, TeamTotal.class})
    void isPojoWithoutGenericFields(Class<?> type) {
        TypeInformation<?> ti = TypeInformation.of(type);
        PojoTypeInfo<?> pojo = assertInstanceOf(PojoTypeInfo.class, ti, type + " is not a Flink POJO");
        for (int i = 0; i < pojo.getArity(); i++) {
            assertGenericFree(pojo.getPojoFieldAt(i).getTypeInformation(), type.getSimpleName() + "." + pojo.getPojoFieldAt(i).getField().getName());
        }
        SerializerConfigImpl cfg = new SerializerConfigImpl();
        cfg.setGenericTypes(false);
        ti.createSerializer(cfg); // throws if any nested type would need Kryo
    }

    @ParameterizedTest
    @ValueSource(classes = {InvocationCall.class, TrailEvent.class})
    void compactSerializerRoundTripsEveryField(Class<?> type) throws Exception {
        TypeInformation<?> ti = TypeInformation.of(type);
        assertInstanceOf(CompactTypeInfo.class, ti, type + " should use its compact serializer");
        @SuppressWarnings("unchecked")
        TypeSerializer<Object> ser = (TypeSerializer<Object>) ti.createSerializer(new SerializerConfigImpl());
        Object full = filled(type, 1);
        assertFieldsEqual(full, roundTrip(ser, full));
        assertFieldsEqual(full, ser.copy(full));
        Object empty = type.getDeclaredConstructor().newInstance(); // nulls and zeros survive too
        assertFieldsEqual(empty, roundTrip(ser, empty));
        // a restored snapshot gives back a serializer that reads what this one wrote
        TypeSerializer<Object> restored = ser.snapshotConfiguration().restoreSerializer();
        assertFieldsEqual(full, roundTrip(restored, full));
    }

    @Test
    void identityInputRoundTripsBothKinds() throws Exception {
        TypeInformation<IdentityInput> ti = TypeInformation.of(IdentityInput.class);
        assertInstanceOf(CompactTypeInfo.class, ti);
        TypeSerializer<IdentityInput> ser = ti.createSerializer(new SerializerConfigImpl());
        IdentityInput c = roundTrip(ser, IdentityInput.of((InvocationCall) filled(InvocationCall.class, 2)));
        assertNull(c.event);
        assertFieldsEqual(filled(InvocationCall.class, 2), c.call);
        IdentityInput e = roundTrip(ser, IdentityInput.of((TrailEvent) filled(TrailEvent.class, 3)));
        assertNull(e.call);
        assertFieldsEqual(filled(TrailEvent.class, 3), e.event);
    }

    /** Every public field set to a distinct non-default value. */
    private static Object filled(Class<?> type, int seed) throws Exception {
        Object o = type.getDeclaredConstructor().newInstance();
        int i = seed * 100;
        for (Field f : type.getFields()) {
            if (Modifier.isStatic(f.getModifiers())) continue;
            i++;
            Class<?> t = f.getType();
            if (t == String.class) f.set(o, "v" + i + (i % 3 == 0 ? "-é€\uD83D\uDE00" : i % 3 == 1 ? "\uD800x" : "")); // non-ASCII and a lone surrogate survive
            else if (t == long.class) f.setLong(o, 1_000_000_000_000L + i);
            else if (t == boolean.class) f.setBoolean(o, true);
            else if (t == Map.class) f.set(o, new HashMap<>(Map.of("k" + i, "v" + i, "team", "t" + i)));
            else throw new AssertionError("no test value for " + type.getSimpleName() + "." + f.getName() + " of " + t);
        }
        return o;
    }

    private static void assertFieldsEqual(Object expected, Object actual) throws Exception {
        for (Field f : expected.getClass().getFields()) {
            if (Modifier.isStatic(f.getModifiers())) continue;
            assertEquals(f.get(expected), f.get(actual), expected.getClass().getSimpleName() + "." + f.getName());
        }
    }

    private static <T> T roundTrip(TypeSerializer<T> ser, T value) throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(256);
        ser.serialize(value, out);
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        T back = ser.deserialize(in);
        assertEquals(0, in.available(), "bytes left after deserializing");
        // batch sorts and spills copy serialized records without decoding them: same bytes
        DataOutputSerializer copied = new DataOutputSerializer(256);
        DataInputDeserializer again = new DataInputDeserializer(out.getCopyOfBuffer());
        ser.copy(again, copied);
        assertEquals(0, again.available(), "bytes left after copying");
        assertArrayEquals(out.getCopyOfBuffer(), copied.getCopyOfBuffer());
        return back;
    }

    private static void assertGenericFree(TypeInformation<?> ti, String where) {
        assertFalse(ti instanceof GenericTypeInfo, where + " would be serialized with Kryo");
        if (ti instanceof PojoTypeInfo<?> p) {
            for (int i = 0; i < p.getArity(); i++) assertGenericFree(p.getPojoFieldAt(i).getTypeInformation(), where + "." + p.getPojoFieldAt(i).getField().getName());
        }
    }
}
