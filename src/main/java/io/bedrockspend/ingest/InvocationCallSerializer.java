package io.bedrockspend.ingest;

import io.bedrockspend.serde.CompactSerializer;
import io.bedrockspend.serde.CompactTypeInfo;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/** Field-by-field serializer of {@link InvocationCall} (see {@link CompactSerializer}); the field order is the wire format. */
public final class InvocationCallSerializer extends CompactSerializer<InvocationCall> {
    public static final InvocationCallSerializer INSTANCE = new InvocationCallSerializer();
    private static final byte[] LAYOUT = {
            STRING, LONG, STRING, STRING, STRING, STRING, STRING, LONG, LONG, LONG, LONG, BOOLEAN, LONG,
            STRING, STRING, STRING, STRING, STRING};

    @Override public Class<InvocationCall> type() { return InvocationCall.class; }
    @Override public InvocationCall createInstance() { return new InvocationCall(); }
    @Override protected byte[] layout() { return LAYOUT; }

    @Override
    public InvocationCall copy(InvocationCall r) {
        InvocationCall c = new InvocationCall();
        c.requestId = r.requestId;
        c.timestampMillis = r.timestampMillis;
        c.accountId = r.accountId;
        c.identityArn = r.identityArn;
        c.region = r.region;
        c.operation = r.operation;
        c.modelId = r.modelId;
        c.inputTokens = r.inputTokens;
        c.outputTokens = r.outputTokens;
        c.cacheReadTokens = r.cacheReadTokens;
        c.cacheWriteTokens = r.cacheWriteTokens;
        c.cacheSplitKnown = r.cacheSplitKnown;
        c.cacheWrite1hTokens = r.cacheWrite1hTokens;
        c.errorCode = r.errorCode;
        c.inferenceRegion = r.inferenceRegion;
        c.tier = r.tier;
        c.origin = r.origin;
        c.position = r.position;
        return c;
    }

    @Override
    public void serialize(InvocationCall r, DataOutputView out) throws IOException {
        writeString(r.requestId, out);
        out.writeLong(r.timestampMillis);
        writeString(r.accountId, out);
        writeString(r.identityArn, out);
        writeString(r.region, out);
        writeString(r.operation, out);
        writeString(r.modelId, out);
        out.writeLong(r.inputTokens);
        out.writeLong(r.outputTokens);
        out.writeLong(r.cacheReadTokens);
        out.writeLong(r.cacheWriteTokens);
        out.writeBoolean(r.cacheSplitKnown);
        out.writeLong(r.cacheWrite1hTokens);
        writeString(r.errorCode, out);
        writeString(r.inferenceRegion, out);
        writeString(r.tier, out);
        writeString(r.origin, out);
        writeString(r.position, out);
    }

    @Override
    public InvocationCall deserialize(DataInputView in) throws IOException {
        InvocationCall r = new InvocationCall();
        r.requestId = readString(in);
        r.timestampMillis = in.readLong();
        r.accountId = readString(in);
        r.identityArn = readString(in);
        r.region = readString(in);
        r.operation = readString(in);
        r.modelId = readString(in);
        r.inputTokens = in.readLong();
        r.outputTokens = in.readLong();
        r.cacheReadTokens = in.readLong();
        r.cacheWriteTokens = in.readLong();
        r.cacheSplitKnown = in.readBoolean();
        r.cacheWrite1hTokens = in.readLong();
        r.errorCode = readString(in);
        r.inferenceRegion = readString(in);
        r.tier = readString(in);
        r.origin = readString(in);
        r.position = readString(in);
        return r;
    }

    @Override
    public TypeSerializerSnapshot<InvocationCall> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer from checkpoints and savepoints. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<InvocationCall> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** Named by {@code @TypeInfo} on {@link InvocationCall}. */
    public static final class Factory extends CompactTypeInfo.Factory<InvocationCall> {
        public Factory() {
            super(INSTANCE);
        }
    }
}
