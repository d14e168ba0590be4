package io.bedrockspend.serde;

import org.apache.flink.api.common.ExecutionConfig;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

import java.lang.reflect.Type;
import java.util.Map;

/**
 * Type information for a record class with a hand-written {@link CompactSerializer}: records that
 * cross every shuffle (and, in batch runs, every sort) are written field by field without the
 * reflection of Flink's POJO serializer.
 */
public final class CompactTypeInfo<T> extends TypeInformation<T> {
    private final CompactSerializer<T> serializer;

    public CompactTypeInfo(CompactSerializer<T> serializer) {
        this.serializer = serializer;
    }

    @Override public boolean isBasicType() { return false; }
    @Override public boolean isTupleType() { return false; }
    @Override public int getArity() { return 1; }
    @Override public int getTotalFields() { return 1; }
    @Override public Class<T> getTypeClass() { return serializer.type(); }
    @Override public boolean isKeyType() { return false; }
    @Override public TypeSerializer<T> createSerializer(SerializerConfig config) { return serializer; }

    @Override
    @Deprecated
    public TypeSerializer<T> createSerializer(ExecutionConfig config) { return serializer; }

    @Override public String toString() { return "Compact<" + serializer.type().getSimpleName() + ">"; }
    @Override public boolean equals(Object o) { return o instanceof CompactTypeInfo<?> c && c.serializer.type() == serializer.type(); }
    @Override public int hashCode() { return serializer.type().hashCode(); }
    @Override public boolean canEqual(Object o) { return o instanceof CompactTypeInfo; }

    /** Base of the factories that {@code @TypeInfo} names on the record classes. */
    public abstract static class Factory<T> extends TypeInfoFactory<T> {
        private final CompactSerializer<T> serializer;

        protected Factory(CompactSerializer<T> serializer) {
            this.serializer = serializer;
        }

        @Override
        public TypeInformation<T> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
            return new CompactTypeInfo<>(serializer);
        }
    }
}
