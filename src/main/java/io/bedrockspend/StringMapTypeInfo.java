package io.bedrockspend;

import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

import java.lang.reflect.Type;
import java.util.Map;

/** Lets POJO fields of type {@code Map<String,String>} use Flink's MapSerializer instead of Kryo. */
public final class StringMapTypeInfo extends TypeInfoFactory<Map<String, String>> {
    @Override
    public TypeInformation<Map<String, String>> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
        return Types.MAP(Types.STRING, Types.STRING);
    }
}
