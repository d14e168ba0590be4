package io.bedrockspend.identity;

import io.bedrockspend.ingest.InvocationCallSerializer;
import io.bedrockspend.ingest.TrailEventSerializer;
import io.bedrockspend.serde.CompactSerializer;
import io.bedrockspend.serde.CompactTypeInfo;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/** Serializer of {@link IdentityInput}: a tag byte (call / event), then that one record. */
public final class IdentityInputSerializer extends CompactSerializer<IdentityInput> {
    public static final IdentityInputSerializer INSTANCE = new IdentityInputSerializer();
    private static final byte CALL = 0;
    private static final byte EVENT = 1;

    @Override public Class<IdentityInput> type() { return IdentityInput.class; }
    @Override public IdentityInput createInstance() { return new IdentityInput(); }
    /** Unused: {@link #copy(DataInputView, DataOutputView)} copies by the tag's layout. */
    @Override protected byte[] layout() { return new byte[0]; }

    @Override
    public void copy(DataInputView in, DataOutputView out) throws IOException {
        byte tag = in.readByte();
        out.writeByte(tag);
        if (tag == CALL) InvocationCallSerializer.INSTANCE.copy(in, out);
        else if (tag == EVENT) TrailEventSerializer.INSTANCE.copy(in, out);
        else throw new IOException("corrupt IdentityInput: tag " + tag);
    }

    @Override
    public IdentityInput copy(IdentityInput r) {
        IdentityInput c = new IdentityInput();
        c.call = r.call == null ? null : InvocationCallSerializer.INSTANCE.copy(r.call);
        c.event = r.event == null ? null : TrailEventSerializer.INSTANCE.copy(r.event);
        return c;
    }

    @Override
    public void serialize(IdentityInput r, DataOutputView out) throws IOException {
        if (r.call != null) {
            out.writeByte(CALL);
            InvocationCallSerializer.INSTANCE.serialize(r.call, out);
        } else {
            out.writeByte(EVENT);
            TrailEventSerializer.INSTANCE.serialize(r.event, out);
        }
    }

    @Override
    public IdentityInput deserialize(DataInputView in) throws IOException {
        byte tag = in.readByte();
        if (tag == CALL) return IdentityInput.of(InvocationCallSerializer.INSTANCE.deserialize(in));
        if (tag == EVENT) return IdentityInput.of(TrailEventSerializer.INSTANCE.deserialize(in));
        throw new IOException("corrupt IdentityInput: tag " + tag);
    }

    @Override
    public TypeSerializerSnapshot<IdentityInput> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer from checkpoints and savepoints. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<IdentityInput> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** Named by {@code @TypeInfo} on {@link IdentityInput}. */
    public static final class Factory extends CompactTypeInfo.Factory<IdentityInput> {
        public Factory() {
            super(INSTANCE);
        }
    }
}
