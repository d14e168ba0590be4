package io.bedrockspend.ingest.kinesis;

import io.bedrockspend.ingest.RawRecord;
import io.bedrockspend.run.JobConfig;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.kinesis.source.serialization.KinesisDeserializationSchema;
import org.apache.flink.kinesis.shaded.software.amazon.awssdk.services.kinesis.model.Record;
import org.apache.flink.util.Collector;

/**
 * One Kinesis record → one {@link RawRecord}, bytes untouched: the decoder recognises gzip
 * CloudWatch Logs payloads and plain EventBridge envelopes by content. Origin is
 * {@code <stream name>/<shard id>} and position the sequence number, so a dead letter points at
 * the exact record to fetch again.
 */
public class RawRecordDeserializer implements KinesisDeserializationSchema<RawRecord> {
    private static final long serialVersionUID = 1L;

    @Override
    public void deserialize(Record record, String stream, String shardId, Collector<RawRecord> out) {
        out.collect(new RawRecord(JobConfig.streamName(stream) + "/" + shardId, record.sequenceNumber(),
                record.data().asByteArray()));
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return TypeInformation.of(RawRecord.class);
    }
}
