package io.bedrockspend.ingest;

import io.bedrockspend.serde.CompactSerializer;
import io.bedrockspend.serde.CompactTypeInfo;
import org.apache.flink.api.common.typeutils.SimpleTypeSerializerSnapshot;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

import java.io.IOException;

/** Field-by-field serializer of {@link TrailEvent} (see {@link CompactSerializer}); the field order is the wire format. */
public final class TrailEventSerializer extends CompactSerializer<TrailEvent> {
    public static final TrailEventSerializer INSTANCE = new TrailEventSerializer();
    private static final byte[] LAYOUT = {
            STRING, STRING, STRING, STRING, LONG, STRING, STRING, STRING, STRING, STRING, STRING, STRING,
            STRING, STRING, STRING, STRING, STRING, STRING, STRING, STRING, LONG, STRING_MAP, STRING, STRING,
            STRING, STRING_MAP, STRING, STRING, STRING};

    @Override public Class<TrailEvent> type() { return TrailEvent.class; }
    @Override public TrailEvent createInstance() { return new TrailEvent(); }
    @Override protected byte[] layout() { return LAYOUT; }

    @Override
    public TrailEvent copy(TrailEvent r) {
        TrailEvent c = new TrailEvent();
        c.kind = r.kind;
        c.eventId = r.eventId;
        c.eventSource = r.eventSource;
        c.eventName = r.eventName;
        c.eventTimeMillis = r.eventTimeMillis;
        c.requestId = r.requestId;
        c.awsRegion = r.awsRegion;
        c.accountId = r.accountId;
        c.errorCode = r.errorCode;
        c.userIdentityType = r.userIdentityType;
        c.userIdentityArn = r.userIdentityArn;
        c.sessionIssuerArn = r.sessionIssuerArn;
        c.accessKeyId = r.accessKeyId;
        c.sourceIdentity = r.sourceIdentity;
        c.onBehalfOfUserId = r.onBehalfOfUserId;
        c.modelId = r.modelId;
        c.inferenceRegion = r.inferenceRegion;
        c.sessionArn = r.sessionArn;
        c.roleArn = r.roleArn;
        c.sessionAccessKeyId = r.sessionAccessKeyId;
        c.sessionExpiresMillis = r.sessionExpiresMillis;
        c.sessionTags = copyMap(r.sessionTags);
        c.transitiveTagKeys = r.transitiveTagKeys;
        c.targetName = r.targetName;
        c.targetType = r.targetType;
        c.tagsSet = copyMap(r.tagsSet);
        c.tagKeysRemoved = r.tagKeysRemoved;
        c.origin = r.origin;
        c.position = r.position;
        return c;
    }

    @Override
    public void serialize(TrailEvent r, DataOutputView out) throws IOException {
        writeString(r.kind, out);
        writeString(r.eventId, out);
        writeString(r.eventSource, out);
        writeString(r.eventName, out);
        out.writeLong(r.eventTimeMillis);
        writeString(r.requestId, out);
        writeString(r.awsRegion, out);
        writeString(r.accountId, out);
        writeString(r.errorCode, out);
        writeString(r.userIdentityType, out);
        writeString(r.userIdentityArn, out);
        writeString(r.sessionIssuerArn, out);
        writeString(r.accessKeyId, out);
        writeString(r.sourceIdentity, out);
        writeString(r.onBehalfOfUserId, out);
        writeString(r.modelId, out);
        writeString(r.inferenceRegion, out);
        writeString(r.sessionArn, out);
        writeString(r.roleArn, out);
        writeString(r.sessionAccessKeyId, out);
        out.writeLong(r.sessionExpiresMillis);
        writeMap(r.sessionTags, out);
        writeString(r.transitiveTagKeys, out);
        writeString(r.targetName, out);
        writeString(r.targetType, out);
        writeMap(r.tagsSet, out);
        writeString(r.tagKeysRemoved, out);
        writeString(r.origin, out);
        writeString(r.position, out);
    }

    @Override
    public TrailEvent deserialize(DataInputView in) throws IOException {
        TrailEvent r = new TrailEvent();
        r.kind = readString(in);
        r.eventId = readString(in);
        r.eventSource = readString(in);
        r.eventName = readString(in);
        r.eventTimeMillis = in.readLong();
        r.requestId = readString(in);
        r.awsRegion = readString(in);
        r.accountId = readString(in);
        r.errorCode = readString(in);
        r.userIdentityType = readString(in);
        r.userIdentityArn = readString(in);
        r.sessionIssuerArn = readString(in);
        r.accessKeyId = readString(in);
        r.sourceIdentity = readString(in);
        r.onBehalfOfUserId = readString(in);
        r.modelId = readString(in);
        r.inferenceRegion = readString(in);
        r.sessionArn = readString(in);
        r.roleArn = readString(in);
        r.sessionAccessKeyId = readString(in);
        r.sessionExpiresMillis = in.readLong();
        r.sessionTags = readMap(in);
        r.transitiveTagKeys = readString(in);
        r.targetName = readString(in);
        r.targetType = readString(in);
        r.tagsSet = readMap(in);
        r.tagKeysRemoved = readString(in);
        r.origin = readString(in);
        r.position = readString(in);
        return r;
    }

    @Override
    public TypeSerializerSnapshot<TrailEvent> snapshotConfiguration() {
        return new Snapshot();
    }

    /** Restores the serializer from checkpoints and savepoints. */
    public static final class Snapshot extends SimpleTypeSerializerSnapshot<TrailEvent> {
        public Snapshot() {
            super(() -> INSTANCE);
        }
    }

    /** Named by {@code @TypeInfo} on {@link TrailEvent}. */
    public static final class Factory extends CompactTypeInfo.Factory<TrailEvent> {
        public Factory() {
            super(INSTANCE);
        }
    }
}
