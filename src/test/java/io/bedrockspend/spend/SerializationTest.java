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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

/** Records that cross operators must be Flink POJOs with no Kryo-serialized field (speed, schema evolution). */
class SerializationTest {
    @ParameterizedTest
    @ValueSource(classes = {RawRecord.class, InvocationCall.class, TrailEvent.class, DeadLetter.class, PricedCall.class, TeamTotal.class})
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

    private static void assertGenericFree(TypeInformation<?> ti, String where) {
        assertFalse(ti instanceof GenericTypeInfo, where + " would be serialized with Kryo");
        if (ti instanceof PojoTypeInfo<?> p) {
            for (int i = 0; i < p.getArity(); i++) assertGenericFree(p.getPojoFieldAt(i).getTypeInformation(), where + "." + p.getPojoFieldAt(i).getField().getName());
        }
    }
}
