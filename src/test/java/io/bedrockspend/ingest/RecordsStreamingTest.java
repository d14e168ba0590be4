package io.bedrockspend.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static io.bedrockspend.ingest.Collected.gzip;
import static io.bedrockspend.ingest.Collected.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * CloudTrail delivery documents ({@code {"Records":[...]}}) are framed element by element: what comes out
 * must be exactly what decoding the whole document as one record gives, whatever the buffer boundaries;
 * a delivery larger than the record cap is read whole; grammar faults are reported, not swallowed.
 */
class RecordsStreamingTest {
    private static final ObjectMapper OM = new ObjectMapper();

    /** N events taken round-robin from the sample delivery, each with its own eventID and request id. */
    private static ArrayNode events(int n) throws IOException {
        JsonNode sample = OM.readTree(text("cloudtrail-s3-records-pretty.json")).get("Records");
        ArrayNode out = OM.createArrayNode();
        for (int i = 0; i < n; i++) {
            ObjectNode e = sample.get(i % sample.size()).deepCopy();
            e.put("eventID", String.format("6f1c2b3a-0000-4000-8000-%012d", i));
            if (e.has("requestID")) {
                e.put("requestID", String.format("0a9b8c7d-0000-4000-8000-%012d", i));
            }
            out.add(e);
        }
        return out;
    }

    private static String delivery(ArrayNode records, boolean pretty) {
        ObjectNode doc = OM.createObjectNode();
        doc.set("Records", records);
        return pretty ? doc.toPrettyString() : doc.toString();
    }

    /** Frames through an input stream that returns at most {@code chunk} bytes per read (0: as much as asked). */
    private static List<RawRecord> frame(byte[] data, int chunk, int max) throws IOException {
        InputStream in = new ByteArrayInputStream(data);
        InputStream trickle = chunk == 0 ? in : new InputStream() {
            @Override public int read() throws IOException { return in.read(); }
            @Override public int read(byte[] b, int off, int len) throws IOException { return in.read(b, off, Math.min(len, chunk)); }
        };
        List<RawRecord> out = new ArrayList<>();
        try (JsonRecordFramer f = new JsonRecordFramer(trickle, "mem", max)) {
            for (RawRecord r; (r = f.next()) != null; ) {
                out.add(r);
            }
        }
        return out;
    }

    private static Collected decode(List<RawRecord> recs) {
        Collected c = new Collected();
        RecordDecoder d = new RecordDecoder();
        recs.forEach(r -> d.decode(r, c));
        return c;
    }

    /** Everything a decode produced, as comparable text (outputs, positions, dead letters, skips, in order). */
    private static List<String> outcome(Collected c) {
        List<String> out = new ArrayList<>();
        c.calls.forEach(x -> out.add("call " + x.requestId + " " + x.origin + " " + x.position + " " + x.inputTokens));
        c.trails.forEach(x -> out.add("trail " + x.eventId + " " + x.kind + " " + x.eventName + " " + x.origin + " " + x.position));
        c.dead.forEach(x -> out.add("dead " + x.reason + " " + x.origin + " " + x.position + " " + x.detail));
        c.skipped.forEach(x -> out.add("skipped " + x));
        return out;
    }

    /** The whole document decoded as one record, as the framer produced before deliveries were streamed. */
    private static List<String> whole(String doc) {
        Collected c = new Collected();
        new RecordDecoder().decode(new RawRecord("mem", "line 1", doc.getBytes(StandardCharsets.UTF_8)), c);
        return outcome(c);
    }

    @Test
    void streamedElementsDecodeExactlyAsTheWholeDocumentAtEveryReadSize() throws IOException {
        for (boolean pretty : new boolean[] {false, true}) {
            ArrayNode records = events(40);
            // valid but odd elements: they must come out as the whole-document decode reports them
            records.insert(3, 7);
            records.insert(5, "a \"quoted\" ] } string");
            records.insert(9, OM.createArrayNode().add(1).add(OM.createObjectNode().put("k", "]")));
            records.insert(11, (String) null);
            records.insert(12, true);
            records.insert(13, -1.5e3);
            records.add(OM.createObjectNode().put("eventVersion", "1.10").put("note", "brackets } ] { [ and \\\\ escapes \u00e9 \ud83d\ude00"));
            String doc = delivery(records, pretty);
            List<String> expected = whole(doc);
            assertTrue(expected.stream().filter(s -> s.startsWith("trail ")).count() >= 20, expected.toString());
            for (int chunk : new int[] {0, 1, 2, 3, 7, 8, 13, 64, 255, 256, 257, 4096}) {
                List<RawRecord> recs = frame(doc.getBytes(StandardCharsets.UTF_8), chunk, DecodeLimits.DEFAULT_MAX_RECORD_BYTES);
                assertEquals(records.size(), recs.size(), "one record per element, read size " + chunk);
                assertEquals(expected, outcome(decode(recs)), "pretty " + pretty + ", read size " + chunk);
            }
        }
    }

    @Test
    void aDeliveryLargerThanTheRecordCapIsReadWhole() throws IOException {
        ArrayNode records = events(12_000);
        byte[] doc = delivery(records, false).getBytes(StandardCharsets.UTF_8);
        int cap = 64 * 1024;
        assertTrue(doc.length > 100 * cap, "the delivery is " + doc.length + " bytes");
        List<RawRecord> recs = frame(gzip(doc), 0, cap);
        assertEquals(12_000, recs.size());
        recs.forEach(r -> assertNull(r.framingError));
        Collected c = decode(recs);
        assertEquals(List.of(), c.dead);
        assertEquals(12_000, c.trails.size() + c.skipped.size());
        // every event named by its own index in the delivery, up to the last ones
        java.util.Set<String> positions = new java.util.HashSet<>();
        c.trails.forEach(t -> positions.add(t.position));
        assertEquals(c.trails.size(), positions.size());
        assertTrue(positions.contains("line 1/Records[0]") && (positions.contains("line 1/Records[11999]")
                || positions.contains("line 1/Records[11998]") || positions.contains("line 1/Records[11997]")), positions.size() + "");
    }

    @Test
    void anOversizedEventIsCappedAloneAndItsNeighboursAreRead() throws IOException {
        ArrayNode records = events(3);
        ((ObjectNode) records.get(1)).put("padding", "x".repeat(10_000));
        List<RawRecord> recs = frame(delivery(records, false).getBytes(StandardCharsets.UTF_8), 0, 5_000);
        assertEquals(3, recs.size());
        assertNull(recs.get(0).framingError);
        assertEquals("RECORD_TOO_LARGE", recs.get(1).framingError);
        assertEquals("line 1/Records[1]", recs.get(1).position);
        assertNull(recs.get(2).framingError);
        Collected c = decode(recs);
        assertEquals(1, c.dead.size());
        assertEquals("line 1/Records[1]", c.dead.get(0).position);
    }

    @Test
    void grammarFaultsBetweenElementsAreReportedOnceAndTheEventsStillRead() throws IOException {
        String a = events(2).get(0).toString();
        String b = events(2).get(1).toString().replace("000000000001", "000000000002");
        String next = text("invocation-no-cache-fields.json");
        for (String[] fault : new String[][] {
                {"{\"Records\":[" + a + b + "]}", "',' missing between elements"},
                {"{\"Records\":[" + a + "," + b + ",]}", "',' before ']'"},
                {"{\"Records\":[," + a + "," + b + "]}", "',' where an element belongs"},
                {"{\"Records\":[" + a + ",," + b + "]}", "',' where an element belongs"},
                {"{\"Records\":[" + a + ":," + b + "]}", "':' where an element belongs"}}) {
            List<RawRecord> recs = frame((fault[0] + "\n" + next + "\n").getBytes(StandardCharsets.UTF_8), 0, DecodeLimits.DEFAULT_MAX_RECORD_BYTES);
            assertEquals(4, recs.size(), fault[0]);
            assertEquals("INVALID_JSON", recs.get(2).framingError, fault[0]);
            assertEquals("line 1", recs.get(2).position);
            assertTrue(recs.get(2).framingDetail.contains(fault[1]), recs.get(2).framingDetail);
            Collected c = decode(recs);
            assertEquals(1, c.dead.size(), fault[0]);
            assertEquals(1, c.calls.size(), "framing goes on after the document: " + fault[0]);
            assertEquals(2, c.trails.size() + c.skipped.size(), fault[0]);
        }
    }

    @Test
    void aDocumentClosedWithoutItsArrayEndsThere() throws IOException {
        String a = events(1).get(0).toString();
        String next = text("invocation-no-cache-fields.json");
        List<RawRecord> recs = frame(("{\"Records\":[" + a + "}\n" + next + "\n").getBytes(StandardCharsets.UTF_8), 0,
                DecodeLimits.DEFAULT_MAX_RECORD_BYTES);
        assertEquals(3, recs.size());
        assertEquals(0, recs.get(0).recordsIndex);
        assertEquals("INVALID_JSON", recs.get(1).framingError);
        assertTrue(recs.get(1).framingDetail.contains("']' missing before '}'"), recs.get(1).framingDetail);
        Collected c = decode(recs);
        assertEquals(1, c.calls.size());
        assertEquals(1, c.dead.size());
    }

    /** As for any open value, a line that starts with '{' is a new record: the delivery before it was cut short. */
    @Test
    void aNewRecordAtColumnZeroEndsADeliveryCutShort() throws IOException {
        String doc = delivery(events(3), false);
        String next = text("invocation-no-cache-fields.json");
        int secondEvent = doc.indexOf("},{") + 2;
        for (String cut : List.of(doc.substring(0, secondEvent), // between events, after a comma
                doc.substring(0, secondEvent + 40),              // inside an event, inside a string or not
                doc.substring(0, secondEvent + 41),
                doc.substring(0, secondEvent - 1),               // right after an event
                doc.substring(0, doc.length() - 1))) {           // after the array, before the closing brace
            List<RawRecord> recs = frame((cut + "\n" + next + "\n" + next.replace("0a9b8c7d", "1a9b8c7d") + "\n")
                    .getBytes(StandardCharsets.UTF_8), 3, DecodeLimits.DEFAULT_MAX_RECORD_BYTES);
            Collected c = decode(recs);
            assertEquals(2, c.calls.size(), "the records after the cut are read: " + cut.length());
            assertTrue(c.dead.stream().anyMatch(d -> d.reason.equals("INVALID_JSON") && d.detail.contains("cut short")), c.dead.toString());
            int events = c.trails.size() + c.skipped.size();
            assertTrue(events >= 1 && events <= 3, events + " events");
            long cutEvents = c.dead.stream().filter(d -> d.position.contains("/Records[")).count();
            assertTrue(cutEvents <= 1, c.dead.toString());
        }
    }

    @Test
    void contentAfterTheRecordsArrayIsReportedAndSkipped() throws IOException {
        String a = events(1).get(0).toString();
        String next = text("invocation-no-cache-fields.json");
        String doc = "{\"Records\":[" + a + "],\"extra\":{\"x\":[1,\"}\"]}}";
        List<RawRecord> recs = frame((doc + "\n" + next + "\n").getBytes(StandardCharsets.UTF_8), 0, DecodeLimits.DEFAULT_MAX_RECORD_BYTES);
        assertEquals(3, recs.size());
        assertEquals(0, recs.get(0).recordsIndex);
        assertEquals("UNKNOWN_SHAPE", recs.get(1).framingError);
        assertTrue(recs.get(1).framingDetail.contains("content after its Records array"), recs.get(1).framingDetail);
        assertEquals("line 2", recs.get(2).position);
        assertEquals(1, decode(recs).calls.size());
    }

    @Test
    void aDeliveryCutShortReportsTheCutEventAndTheDocument() throws IOException {
        String doc = delivery(events(3), false);
        String cut = doc.substring(0, doc.length() - 200);
        List<RawRecord> recs = frame(cut.getBytes(StandardCharsets.UTF_8), 0, DecodeLimits.DEFAULT_MAX_RECORD_BYTES);
        assertEquals(4, recs.size());
        Collected c = decode(recs);
        assertEquals(2, c.trails.size() + c.skipped.size());
        assertEquals(2, c.dead.size(), c.dead.toString());
        assertEquals("line 1/Records[2]", c.dead.get(0).position);
        assertEquals("INVALID_JSON", c.dead.get(1).reason);
        assertTrue(c.dead.get(1).detail.contains("the input ends inside it"), c.dead.get(1).detail);
    }

    @Test
    void onlyTheCanonicalOpeningIsStreamed() throws IOException {
        // escaped key, other first key, Records not an array: framed as one record, decoded as before
        for (String doc : List.of("{\"Rec\\u006frds\":[{\"eventVersion\":\"1.10\"}]}",
                "{\"x\":1,\"Records\":[{\"eventVersion\":\"1.10\"}]}",
                "{\"Records\":5}",
                "{ \n \"Records\" \n : \t [ ]}")) {
            List<RawRecord> recs = frame((doc + "\n").getBytes(StandardCharsets.UTF_8), 0, DecodeLimits.DEFAULT_MAX_RECORD_BYTES);
            boolean streamed = doc.startsWith("{ ");
            assertEquals(streamed ? 0 : 1, recs.size(), doc);
            if (!streamed) {
                assertEquals(-1, recs.get(0).recordsIndex);
                assertEquals(whole(doc), outcome(decode(recs)), doc);
            }
        }
    }
}
