package io.bedrockspend.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.bedrockspend.cli.ReconcileCommand;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * s3:// end to end: the generated Parquet export is served by an in-process S3Proxy on loopback and
 * read by Flink through the s3-fs-hadoop plugin (target/plugins, copied by the build).
 */
class ReconcileS3Test {

    @Test
    void readsAParquetExportFromS3(@TempDir Path dir) throws Exception {
        Path export = dir.resolve("local/bedrock-cost");
        List<CurGenerator.Call> calls = ReconcileJobTest.calls();
        CurGenerator.writeExport(export, "bedrock-cost", "2026-04", null, CurGenerator.bill(calls, ReconcileJobTest.drift()), true, 2, true);
        Path ledger = dir.resolve("ledger/calls.jsonl");
        CurGenerator.writeLedger(ledger, calls, true);

        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Files.createDirectories(dir.resolve("s3"));
        S3Proxy proxy = S3Proxy.builder().blobStore(new FilesystemNio2BlobStore(dir.resolve("s3").toString())).endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, "test-ak", "test-sk").build();
        proxy.start();
        try {
            while (!"STARTED".equals(proxy.getState())) Thread.sleep(10);
            // upload through the S3 API, as Data Exports delivers (objects get their ETags)
            try (S3Client s3 = S3Client.builder().endpointOverride(URI.create("http://127.0.0.1:" + port)).forcePathStyle(true)
                    .region(Region.US_EAST_1).httpClient(UrlConnectionHttpClient.create())
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test-ak", "test-sk"))).build();
                 Stream<Path> files = Files.walk(export)) {
                s3.createBucket(b -> b.bucket("cur-bucket"));
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    String key = "exports/bedrock-cost/" + export.relativize(f).toString().replace(java.io.File.separatorChar, '/');
                    s3.putObject(b -> b.bucket("cur-bucket").key(key), RequestBody.fromFile(f));
                }
            }
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            ByteArrayOutputStream e = new ByteArrayOutputStream();
            int code = ReconcileCommand.run(new String[] {"reconcile", "--cur", "s3://cur-bucket/exports/bedrock-cost",
                    "--ledger", dir.resolve("ledger").toString(), "--out", dir.resolve("out").toString(),
                    "--parallelism", "2", "--as-of", "2026-06-01T00:00:00Z",
                    "--plugins", Path.of("target/plugins").toAbsolutePath().toString(),
                    "--conf", "s3.endpoint=http://127.0.0.1:" + port, "--conf", "s3.path.style.access=true",
                    "--conf", "s3.access-key=test-ak", "--conf", "s3.secret-key=test-sk"},
                    new PrintStream(o, true, StandardCharsets.UTF_8), new PrintStream(e, true, StandardCharsets.UTF_8));
            assertEquals(ReconcileCommand.DRIFT, code, o.toString(StandardCharsets.UTF_8) + e.toString(StandardCharsets.UTF_8));
            JsonNode s = new com.fasterxml.jackson.databind.ObjectMapper().readTree(dir.resolve("out/summary.json").toFile());
            ReconcileJobTest.assertDec("0.6516", s.get("totals").get("differenceUsd"), "total difference over s3://");
            ReconcileJobTest.assertDec("0.4", s.get("differenceByClass").get("price_drift"), "price drift over s3://");
            assertEquals(true, s.get("periods").get(0).get("fromManifest").asBoolean());
        } finally {
            proxy.stop();
        }
    }
}
