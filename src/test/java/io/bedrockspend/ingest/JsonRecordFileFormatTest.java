package io.bedrockspend.ingest;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static io.bedrockspend.ingest.Collected.gzip;
import static io.bedrockspend.ingest.Collected.resource;
import static io.bedrockspend.ingest.Collected.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JsonRecordFileFormatTest {
    @TempDir
    Path dir;

    private static List<RawRecord> frame(byte[] data, int max) throws IOException {
        List<RawRecord> out = new ArrayList<>();
        JsonRecordFileFormat.readStream(new ByteArrayInputStream(data), "mem", max, out::add);
        return out;
    }

    private static List<RawRecord> frame(String data) throws IOException {
        return frame(data.getBytes(StandardCharsets.UTF_8), DecodeLimits.DEFAULT_MAX_RECORD_BYTES);
    }

    private static Collected decodeAll(List<RawRecord> recs) {
        Collected c = new Collected();
        RecordDecoder d = new RecordDecoder();
        recs.forEach(r -> d.decode(r, c));
        return c;
    }

    private static String str(RawRecord r) {
        return new String(r.payload, StandardCharsets.UTF_8);
    }

    @Test
    void jsonLinesWithBlankLinesAndCrlf() throws IOException {
        String a = text("invocation-error.json");
        String b = text("cloudtrail-invokemodel.json");
        List<RawRecord> recs = frame("\n" + a + "\r\n  \r\n" + b + "\n\n" + a);
        assertEquals(3, recs.size());
        assertEquals("line 2", recs.get(0).position);
        assertEquals(a, str(recs.get(0)));
        assertEquals("line 4", recs.get(1).position);
        assertEquals("line 6", recs.get(2).position);
        Collected c = decodeAll(recs);
        assertEquals(2, c.calls.size());
        assertEquals(1, c.trails.size());
    }

    @Test
    void prettyPrintedDocumentsAreOneRecordEachAndDeliveriesAreStreamedByElement() throws IOException {
        String pretty = text("cloudtrail-s3-records-pretty.json");
        String inv = text("invocation-no-cache-fields.json");
        String prettyInv = new com.fasterxml.jackson.databind.ObjectMapper().readTree(inv).toPrettyString();
        List<RawRecord> recs = frame(inv + "\n" + pretty + "\n" + prettyInv + "\n" + inv + "\n");
        // the delivery's three events are records of their own, each a one-element delivery
        assertEquals(6, recs.size());
        for (int i = 0; i < 3; i++) {
            RawRecord e = recs.get(1 + i);
            assertEquals("line 2", e.position);
            assertEquals(i, e.recordsIndex);
            assertTrue(str(e).startsWith("{\"Records\":[{") && str(e).endsWith("}]}"), str(e));
        }
        int prettyInvLine = 2 + pretty.split("\n").length;
        assertEquals("line " + prettyInvLine, recs.get(4).position);
        assertEquals(prettyInv, str(recs.get(4)));
        assertEquals(-1, recs.get(4).recordsIndex);
        assertEquals("line " + (prettyInvLine + prettyInv.split("\n").length), recs.get(5).position);
        Collected c = decodeAll(recs);
        assertEquals(List.of(), c.dead);
        assertEquals(3, c.calls.size());
        assertEquals(2, c.trails.size());
        assertEquals("line 2/Records[1]", c.trails.get(1).position);
    }

    @Test
    void braceInsideStringDoesNotConfuseTheScanner() throws IOException {
        List<RawRecord> recs = frame("{\"a\":\"}{[\\\"\",\n\"b\":1}\n{\"c\":2}\n");
        assertEquals(2, recs.size());
        assertEquals("{\"a\":\"}{[\\\"\",\n\"b\":1}", str(recs.get(0)));
    }

    @Test
    void quotesBackslashesAndNewlinesAtEveryAlignmentOfLongStrings() throws IOException {
        // the in-string loop skips 8 bytes at a time: put each special byte at every offset within a word
        StringBuilder data = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int pad = 0; pad < 17; pad++) {
            String filler = "x".repeat(pad);
            String one = "{\"a\":\"" + filler + "\\\"}{" + filler + "\\\\\",\"b\":\"" + "y".repeat(20 - pad) + "\"}";
            String multi = "{\"a\":[\n\"" + filler + "\\\"\",\n1]}";
            data.append(one).append('\n').append(multi).append('\n');
            expected.add(one);
            expected.add(multi);
        }
        List<RawRecord> recs = frame(data.toString());
        List<String> got = new ArrayList<>();
        for (RawRecord r : recs) {
            got.add(new String(r.payload, StandardCharsets.UTF_8));
        }
        assertEquals(expected, got);
    }

    @Test
    void truncatedRecordFollowedByNewRecordAtColumnZero() throws IOException {
        String a = text("invocation-error.json");
        String b = text("invocation-no-cache-fields.json");
        List<RawRecord> recs = frame(a.substring(0, 120) + "\n" + b + "\n");
        assertEquals(2, recs.size());
        assertEquals("line 1", recs.get(0).position);
        assertEquals("line 2", recs.get(1).position);
        Collected c = decodeAll(recs);
        assertEquals(1, c.calls.size());
        assertEquals(1, c.dead.size());
        assertEquals("INVALID_JSON", c.dead.get(0).reason);
        assertEquals("line 1", c.dead.get(0).position);
        // truncated at end of file
        List<RawRecord> tail = frame(b + "\n" + a.substring(0, 50));
        assertEquals(2, tail.size());
        assertEquals("INVALID_JSON", decodeAll(tail).dead.get(0).reason);
    }

    @Test
    void oversizedRecordIsAFramingErrorAndFramingContinues() throws IOException {
        String big = text("invocation-cache-creation.json");
        String small = "{\"x\":1}";
        String prettyBig = text("cloudtrail-s3-records-pretty.json");
        List<RawRecord> recs = frame((small + "\n" + big + "\n" + prettyBig + "\n" + small + "\n").getBytes(StandardCharsets.UTF_8), 500);
        assertEquals(6, recs.size(), recs.toString());
        assertNull(recs.get(0).framingError);
        assertEquals("RECORD_TOO_LARGE", recs.get(1).framingError);
        assertEquals("line 2", recs.get(1).position);
        // a delivery's cap is per event: each of its three events is over 500 bytes
        for (int i = 0; i < 3; i++) {
            assertEquals("RECORD_TOO_LARGE", recs.get(2 + i).framingError);
            assertEquals("line 3/Records[" + i + "]", recs.get(2 + i).position);
        }
        assertEquals(small, str(recs.get(5)));
        assertEquals("RECORD_TOO_LARGE", decodeAll(recs.subList(1, 2)).dead.get(0).reason);
    }

    @Test
    void bedrockS3LogFileGzOnePerLine() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (String n : List.of("invocation-schematype-last.json", "invocation-no-cache-fields.json", "invocation-error.json",
                "invocation-s3-body-app-profile.json", "invocation-cache-creation.json", "invocation-converse-cachedetails.json",
                "invocation-streaming-array.json")) {
            sb.append(text(n)).append('\n');
        }
        Path f = dir.resolve("AWSLogs/210987654321/BedrockModelInvocationLogs/us-east-1/2025/09/05/10/batch-001.json.gz");
        Files.createDirectories(f.getParent());
        Files.write(f, gzip(sb.toString().getBytes(StandardCharsets.UTF_8)));
        List<RawRecord> recs = new ArrayList<>();
        JsonRecordFileFormat.readFile(f, recs::add);
        assertEquals(7, recs.size());
        assertEquals(f.toString(), recs.get(0).origin);
        assertEquals("line 7", recs.get(6).position);
        Collected c = decodeAll(recs);
        assertEquals(List.of(), c.dead);
        assertEquals(7, c.calls.size());
    }

    @Test
    void gzipDetectedByMagicBytesRegardlessOfName() throws IOException {
        Path f = dir.resolve("cloudtrail-delivery-no-extension");
        Files.write(f, gzip(resource("cloudtrail-s3-records-pretty.json")));
        List<RawRecord> recs = new ArrayList<>();
        JsonRecordFileFormat.readFile(f, recs::add);
        assertEquals(3, recs.size()); // one per event of the delivery
        assertEquals(2, decodeAll(recs).trails.size());
    }

    @Test
    void truncatedGzipEndsTheFileWithAFramingError() throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            sb.append(text("invocation-no-cache-fields.json").replace("0a9b8c7d-6e5f-4a3b-2c1d-0e9f8a7b6c5d", "req-" + i)).append('\n');
        }
        byte[] gz = gzip(sb.toString().getBytes(StandardCharsets.UTF_8));
        List<RawRecord> recs = frame(Arrays.copyOf(gz, gz.length * 2 / 3), DecodeLimits.DEFAULT_MAX_RECORD_BYTES);
        RawRecord last = recs.get(recs.size() - 1);
        assertEquals("TRUNCATED_GZIP", last.framingError);
        assertTrue(last.position.startsWith("line "));
        assertTrue(recs.size() > 1 && recs.size() < 201, "some complete records before the error: " + recs.size());
        Collected c = decodeAll(recs);
        assertEquals(recs.size() - 1, c.calls.size());
        assertEquals("TRUNCATED_GZIP", c.dead.get(0).reason);
    }

    /** Through Flink's own adapter: .gz names are gunzipped by Flink, others by magic bytes; origins come from the split. */
    @Test
    void flinkAdapterWithFileOrigins() throws IOException {
        String lines = text("invocation-error.json") + "\n" + text("cloudtrail-invokemodel.json") + "\n";
        byte[] gz = gzip((lines + lines + lines).getBytes(StandardCharsets.UTF_8));

        assertEquals(6, readWithFlink(write("ok.json.gz", gz)).size());
        assertEquals(6, readWithFlink(write("ok-unnamed", gz)).size());

        List<RawRecord> cut = readWithFlink(write("cut.json.gz", Arrays.copyOf(gz, gz.length - 12)));
        RawRecord last = cut.get(cut.size() - 1);
        assertEquals("TRUNCATED_GZIP", last.framingError);
        assertTrue(last.origin.endsWith("cut.json.gz"), last.origin);
        assertTrue(cut.get(0).origin.endsWith("cut.json.gz"));

        List<RawRecord> plain = readWithFlink(write("plain.jsonl", lines.getBytes(StandardCharsets.UTF_8)));
        assertEquals(2, plain.size());
        assertEquals("line 2", plain.get(1).position);
    }

    private Path write(String name, byte[] data) throws IOException {
        Path f = dir.resolve(name);
        Files.write(f, data);
        return f;
    }

    private static List<RawRecord> readWithFlink(Path f) throws IOException {
        long len = Files.size(f);
        FileSourceSplit split = new FileSourceSplit("0", new org.apache.flink.core.fs.Path(f.toUri()), 0, len, 0, len);
        BulkFormat<RawRecord, FileSourceSplit> format = new JsonRecordFileFormat().withFileOrigins();
        List<RawRecord> out = new ArrayList<>();
        try (BulkFormat.Reader<RawRecord> reader = format.createReader(new Configuration(), split)) {
            BulkFormat.RecordIterator<RawRecord> batch;
            while ((batch = reader.readBatch()) != null) {
                RecordAndPosition<RawRecord> rp;
                while ((rp = batch.next()) != null) {
                    out.add(rp.getRecord());
                }
                batch.releaseBatch();
            }
        }
        return out;
    }
}
