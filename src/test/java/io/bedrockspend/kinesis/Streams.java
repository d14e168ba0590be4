package io.bedrockspend.kinesis;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.kinesis.KinesisClient;
import software.amazon.awssdk.services.kinesis.model.GetRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.PutRecordsRequestEntry;
import software.amazon.awssdk.services.kinesis.model.PutRecordsResponse;
import software.amazon.awssdk.services.kinesis.model.Record;
import software.amazon.awssdk.services.kinesis.model.ResourceNotFoundException;
import software.amazon.awssdk.services.kinesis.model.Shard;
import software.amazon.awssdk.services.kinesis.model.ShardIteratorType;
import software.amazon.awssdk.services.kinesis.model.StreamStatus;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

/** Test-side Kinesis plumbing on the SDK v2 client: create streams, put payloads, read a stream back. */
public final class Streams {
    private Streams() {}

    public static KinesisClient client(String endpoint) {
        return KinesisClient.builder()
                .endpointOverride(URI.create(endpoint))
                .region(Region.of(KinesisLocal.REGION))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("fakeAccessKey", "fakeSecretKey")))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    /** Creates the stream, waits until ACTIVE, returns its ARN. */
    public static String create(KinesisClient kc, String name, int shards) throws InterruptedException {
        try {
            kc.describeStreamSummary(b -> b.streamName(name));
        } catch (ResourceNotFoundException e) {
            kc.createStream(b -> b.streamName(name).shardCount(shards));
        }
        for (int i = 0; i < 200; i++) {
            var s = kc.describeStreamSummary(b -> b.streamName(name)).streamDescriptionSummary();
            if (s.streamStatus() == StreamStatus.ACTIVE) return s.streamARN();
            Thread.sleep(50);
        }
        throw new IllegalStateException("stream not ACTIVE: " + name);
    }

    /** Puts payloads in order, up to 500 per request; partition keys spread them over the shards. */
    public static void put(KinesisClient kc, String name, List<byte[]> payloads, String keyPrefix) {
        List<PutRecordsRequestEntry> batch = new ArrayList<>();
        for (int i = 0; i < payloads.size(); i++) {
            batch.add(PutRecordsRequestEntry.builder().partitionKey(keyPrefix + i).data(SdkBytes.fromByteArray(payloads.get(i))).build());
            if (batch.size() == 500 || i == payloads.size() - 1) {
                List<PutRecordsRequestEntry> b = batch;
                PutRecordsResponse r = kc.putRecords(req -> req.streamName(name).records(b));
                if (r.failedRecordCount() != null && r.failedRecordCount() > 0) {
                    throw new IllegalStateException("PutRecords: " + r.failedRecordCount() + " failed");
                }
                batch = new ArrayList<>();
            }
        }
    }

    /** Every record currently in the stream, shard by shard from TRIM_HORIZON. */
    public static List<Record> readAll(KinesisClient kc, String name) {
        List<Record> out = new ArrayList<>();
        for (Shard sh : kc.listShards(b -> b.streamName(name)).shards()) {
            String it = kc.getShardIterator(b -> b.streamName(name).shardId(sh.shardId())
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON)).shardIterator();
            while (it != null) {
                String cur = it;
                GetRecordsResponse r = kc.getRecords(b -> b.shardIterator(cur).limit(10_000));
                out.addAll(r.records());
                if (r.records().isEmpty() && (r.millisBehindLatest() == null || r.millisBehindLatest() == 0)) break;
                it = r.nextShardIterator();
            }
        }
        return out;
    }
}
