package io.bedrockspend.ingest;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.bedrockspend.ingest.Collected.gzip;
import static io.bedrockspend.ingest.Collected.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Prompt and response bodies must never reach any output, including dead-letter details. */
class PrivacyTest {
    private static final String MARKER = "SECRET-PROMPT-MARKER";

    /** Every string reachable from the outputs (all public fields, map keys and values, toString). */
    private static List<String> strings(Collected c) throws IllegalAccessException {
        List<String> out = new ArrayList<>(c.skipped);
        List<Object> objects = new ArrayList<>();
        objects.addAll(c.calls);
        objects.addAll(c.trails);
        objects.addAll(c.dead);
        for (Object o : objects) {
            out.add(o.toString());
            for (Field f : o.getClass().getFields()) {
                Object v = f.get(o);
                if (v instanceof String) {
                    out.add((String) v);
                } else if (v instanceof Map) {
                    ((Map<?, ?>) v).forEach((k, val) -> out.add(k + "=" + val));
                }
            }
        }
        return out;
    }

    private static void assertClean(Collected c) throws IllegalAccessException {
        for (String s : strings(c)) {
            assertFalse(s.contains(MARKER), () -> "marker leaked: " + s);
        }
    }

    private static String withMarkerBodies() {
        // marker in body text, as a body key, in an escaped string, and inside the usage block's neighbours
        return text("invocation-cache-creation.json")
                .replace("Review clause 7", MARKER + " \\\"quoted\\\" " + MARKER)
                .replace("\"max_tokens\":512", "\"" + MARKER + "\":{\"" + MARKER + "\":[\"" + MARKER + "\"]},\"max_tokens\":512")
                .replace("Clause 7 limits liability.", MARKER);
    }

    @Test
    void wellFormedRecordsWithMarkerBodies() throws Exception {
        String rec = withMarkerBodies();
        Collected c = Collected.decode(rec);
        assertEquals(1, c.calls.size());
        assertClean(c);

        String streaming = text("invocation-streaming-array.json").replace("Autumn moon rises", MARKER).replace("Write a haiku", MARKER);
        Collected s = Collected.decode(gzip(streaming.getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, s.calls.size());
        assertClean(s);

        String cwl = "{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"id\":\"1\",\"timestamp\":1,\"message\":\""
                + rec.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}]}";
        Collected w = Collected.decode(gzip(cwl.getBytes(StandardCharsets.UTF_8)));
        assertEquals(1, w.calls.size());
        assertClean(w);
    }

    @Test
    void malformedRecordsWithMarkerBodiesProduceCleanDeadLetters() throws Exception {
        String rec = withMarkerBodies();
        int at = rec.indexOf(MARKER);
        List<String> broken = new ArrayList<>();
        // truncated at many points, including inside the marker
        for (int cut = at - 5; cut < rec.length(); cut += 37) {
            broken.add(rec.substring(0, cut));
        }
        // syntax errors right at/after the marker: Jackson's own messages would quote these tokens
        broken.add(rec.replace(MARKER + " \\\"quoted", MARKER + "\u0001 \\\"quoted"));
        broken.add(rec.replace("\"" + MARKER + "\":{", "\"" + MARKER + "\" {"));
        broken.add(rec.replace("[\"" + MARKER + "\"]", "[" + MARKER + "]"));
        broken.add(rec.replace("\"input_tokens\":14", "\"input_tokens\":" + MARKER));
        broken.add(rec.replace("Clause", "\\q" + MARKER));
        broken.add(rec + MARKER);
        broken.add(MARKER);
        broken.add("{\"" + MARKER + "\":" + MARKER + "}");
        broken.add(rec.replace("\"inputTokenCount\":14", "\"inputTokenCount\":\"" + MARKER + "\""));
        broken.add(rec.replace("\"timestamp\":\"2025-09-05T08:00:00+02:00\"", "\"timestamp\":\"" + MARKER + "\""));
        broken.add(rec.replace("\"requestId\":\"11111111-2222-4333-8444-555555555555\",", "\"requestId\":{\"" + MARKER + "\":1},"));
        broken.add("[".repeat(30) + "{\"inputBodyJson\":{\"" + MARKER + "\":" + "[".repeat(80) + "]".repeat(80) + "}}" + "]".repeat(30));

        int deadLetters = 0;
        for (String b : broken) {
            byte[] bytes = b.getBytes(StandardCharsets.UTF_8);
            for (byte[] payload : List.of(bytes, gzip(bytes))) {
                Collected c = Collected.decode(payload);
                assertClean(c);
                deadLetters += c.dead.size();
            }
            // also as a CloudWatch Logs message
            String cwl = "{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"id\":\"7\",\"timestamp\":1,\"message\":\""
                    + b.replace("\\", "\\\\").replace("\"", "\\\"").replace("\u0001", "\\u0001") + "\"}]}";
            Collected c = Collected.decode(cwl);
            assertClean(c);
        }
        assertTrue(deadLetters >= broken.size(), "malformed inputs were dead-lettered: " + deadLetters);

        // invalid UTF-8 inside the marker
        byte[] b = rec.getBytes(StandardCharsets.UTF_8);
        int pos = new String(b, StandardCharsets.ISO_8859_1).indexOf(MARKER) + 3;
        byte[] bad = Arrays.copyOf(b, b.length);
        bad[pos] = (byte) 0xFE;
        Collected c = Collected.decode(bad);
        assertClean(c);
    }

    @Test
    void framedFileWithMarkerBodies() throws Exception {
        String rec = withMarkerBodies();
        String file = rec + "\n" + rec.substring(0, rec.indexOf(MARKER) + 10) + "\n" + rec + "\n";
        List<RawRecord> recs = new ArrayList<>();
        JsonRecordFileFormat.readStream(new java.io.ByteArrayInputStream(file.getBytes(StandardCharsets.UTF_8)), "mem", 300, recs::add);
        Collected c = new Collected();
        RecordDecoder d = new RecordDecoder();
        for (RawRecord r : recs) {
            if (r.framingDetail != null) {
                assertFalse(r.framingDetail.contains(MARKER));
            }
            d.decode(r, c);
        }
        assertEquals(3, c.dead.size());
        assertClean(c);
    }
}
