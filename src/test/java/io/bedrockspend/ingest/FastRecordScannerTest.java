package io.bedrockspend.ingest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bedrockspend.demo.TrafficGenerator;
import io.bedrockspend.demo.TrafficGenerator.Bodies;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The byte-level fast path must decide exactly as the Jackson path: same outputs, same dead-letter
 * reasons and details, for generated traffic (every shape and fault) and for many thousands of
 * mutated records (byte flips, truncations, hostile bytes, values of the wrong type).
 */
class FastRecordScannerTest {
    private static final ObjectMapper OM = new ObjectMapper();
    private final RecordDecoder fast = new RecordDecoder(DecodeLimits.defaults(), true);
    private final RecordDecoder jackson = new RecordDecoder(DecodeLimits.defaults(), false);

    /** Everything a decoder emitted for one record, as comparable text. */
    private static List<String> outputs(RecordDecoder d, byte[] payload) {
        List<String> out = new ArrayList<>();
        d.decode(new RawRecord("t", "line 1", payload), new DecodeSink() {
            @Override public void call(InvocationCall c) { out.add("call " + json(c)); }
            @Override public void trail(TrailEvent e) { out.add("trail " + json(e)); }
            @Override public void deadLetter(DeadLetter x) { out.add("dead " + json(x)); }
            @Override public void skipped(String what) { out.add("skipped " + what); }
        });
        return out;
    }

    private static String json(Object o) {
        try {
            return OM.writeValueAsString(o);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    private int fastHandled;

    private void same(byte[] payload, String what) {
        List<String> j = outputs(jackson, payload);
        List<String> f = outputs(fast, payload);
        assertEquals(j, f, () -> what + ": " + new String(payload, StandardCharsets.UTF_8));
        if (!f.isEmpty() && !f.get(0).startsWith("dead")) {
            fastHandled++;
        }
    }

    private static List<byte[]> generated(Bodies bodies, int calls, long seed) {
        TrafficGenerator g = new TrafficGenerator(seed, Instant.parse("2026-03-02T09:00:00Z"), 50,
                TrafficGenerator.Options.demo().withBodies(bodies));
        List<byte[]> out = new ArrayList<>();
        for (RawRecord r : g.generate(calls)) {
            if (r.payload != null) {
                out.add(r.payload);
            }
        }
        return out;
    }

    private static byte[] gunzipIfNeeded(byte[] b) {
        if (!RecordDecoder.isGzip(b)) {
            return b;
        }
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(b))) {
            return in.readAllBytes();
        } catch (IOException e) {
            return b;
        }
    }

    @Test
    void generatedTrafficOfEveryShapeDecodesTheSame() {
        List<byte[]> all = new ArrayList<>(generated(Bodies.LOGGED, 3000, 7));
        all.addAll(generated(Bodies.NONE, 1000, 8));
        for (byte[] b : all) {
            same(b, "generated");
        }
        assertTrue(fastHandled > all.size() / 2, "most generated records decode to calls/trail events: " + fastHandled);
    }

    private static final byte[] HOSTILE = {'"', '\\', '{', '}', '[', ']', ',', ':', '-', '+', '0', '1', '9', '.', 'e', 'E',
            'n', 't', 'f', 'u', ' ', '\n', 0, 0x1f, 0x7f, (byte) 0x80, (byte) 0xbf, (byte) 0xc0, (byte) 0xc1, (byte) 0xc3,
            (byte) 0xe0, (byte) 0xed, (byte) 0xef, (byte) 0xf0, (byte) 0xf4, (byte) 0xf5, (byte) 0xf8, (byte) 0xff};
    private static final String[] VALUES = {"1", "0", "-0", "-5", "01", "1.5", "1e3", "12345678901234567890",
            "99999999999999999999999", "\"12\"", "\"-3\"", "\"x\"", "\"\"", "\"a\\\"b\"", "\"\\u0041\"", "\"\\ud800\"", "true",
            "false", "null", "[]", "{}", "[1,2]", "{\"a\":1}", "{\"arn\":\"x\"}", "\"2026-03-02T09:00:00.5+01:00\"",
            "\"InvokeModel\"", "\"GetObject\"", "\"bedrock.amazonaws.com\"", "\"s3.amazonaws.com\"", "\"\u00e9\u4e2d\ud83d\ude00\"",
            "[{\"key\":\"a\",\"value\":1}]", "[{\"Key\":\"a\",\"Value\":\"b\"},{\"key\":null}]", "{\"a\":\"b\",\"c\":null}",
            "[\"a\",null,\"b\"]", "{\"type\":\"priority\"}", "{\"latency\":\"optimized\"}", "100000001"};
    private static final Pattern VALUE = Pattern.compile("\":(\"(?:[^\"\\\\]++|\\\\.)*+\"|-?[0-9][-+0-9.eE]*|true|false|null|\\{\\}|\\[\\])");
    private static final Pattern NAME = Pattern.compile("\"([A-Za-z_-]+)\":");

    @Test
    void mutatedRecordsDecodeTheSame() {
        Random rnd = new Random(42);
        List<byte[]> seeds = new ArrayList<>();
        for (byte[] b : generated(Bodies.LOGGED, 400, 11)) {
            seeds.add(gunzipIfNeeded(b));
        }
        int n = 0;
        for (int round = 0; round < 15; round++) {
            for (byte[] s : seeds) {
                byte[] m = mutate(s, rnd);
                if (rnd.nextInt(4) == 0) {
                    m = mutate(m, rnd);
                }
                same(m, "mutant");
                n++;
            }
        }
        assertTrue(n > 5000);
    }

    private static byte[] mutate(byte[] s, Random rnd) {
        int len = s.length;
        int at = rnd.nextInt(len);
        ByteArrayOutputStream o = new ByteArrayOutputStream(len + 64);
        switch (rnd.nextInt(8)) {
            case 0: { // replace one byte
                byte[] c = s.clone();
                c[at] = HOSTILE[rnd.nextInt(HOSTILE.length)];
                return c;
            }
            case 1: // delete one byte
                o.write(s, 0, at);
                o.write(s, at + 1, len - at - 1);
                return o.toByteArray();
            case 2: // insert one byte
                o.write(s, 0, at);
                o.write(HOSTILE[rnd.nextInt(HOSTILE.length)]);
                o.write(s, at, len - at);
                return o.toByteArray();
            case 3: // truncate
                return java.util.Arrays.copyOf(s, at);
            case 4:
            case 5: { // one value replaced by a value of another type or shape
                String text = new String(s, StandardCharsets.ISO_8859_1);
                int[] sp = randomGroup(VALUE, text, rnd);
                if (sp == null) {
                    return s;
                }
                String v = VALUES[rnd.nextInt(VALUES.length)];
                return (text.substring(0, sp[0]) + new String(v.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1)
                        + text.substring(sp[1])).getBytes(StandardCharsets.ISO_8859_1);
            }
            case 6: { // a field name changed: escaped, duplicated key, envelope key, unknown
                String text = new String(s, StandardCharsets.ISO_8859_1);
                int[] sp = randomGroup(NAME, text, rnd);
                if (sp == null) {
                    return s;
                }
                String name = text.substring(sp[0], sp[1]);
                String[] repl = {name.substring(0, 1) + "\\u00" + Integer.toHexString(name.charAt(1)) + name.substring(2),
                        "detail", "Records", "logEvents", "messageType", "detail-type", "eventName", "schemaType", "x", "",
                        name + "\",\"" + name};
                return (text.substring(0, sp[0]) + repl[rnd.nextInt(repl.length)] + text.substring(sp[1]))
                        .getBytes(StandardCharsets.ISO_8859_1);
            }
            default: { // whitespace and a BOM
                String[] pre = {" ", "\n", "\t\r\n ", "\u00ef\u00bb\u00bf"};
                byte[] p = pre[rnd.nextInt(pre.length)].getBytes(StandardCharsets.ISO_8859_1);
                o.write(p, 0, p.length);
                o.write(s, 0, len);
                if (rnd.nextBoolean()) {
                    o.write(' ');
                }
                return o.toByteArray();
            }
        }
    }

    /** The span of group 1 of a random match of {@code p} in {@code text}, or null if none. */
    private static int[] randomGroup(Pattern p, String text, Random rnd) {
        Matcher m = p.matcher(text);
        List<int[]> spans = new ArrayList<>();
        while (m.find()) {
            spans.add(new int[] {m.start(1), m.end(1)});
        }
        return spans.isEmpty() ? null : spans.get(rnd.nextInt(spans.size()));
    }

    @Test
    void specialBytesAtEveryAlignmentOfNamesAndValues() {
        // strings are scanned 8 bytes at a time: put each kind of special byte at every offset within a word
        String[] specials = {"\\\"", "\\n", "\\u00e9", "\u00e9", "\u4e2d", "\ud83d\ude00", "\u0001", "\\x"};
        for (int pad = 0; pad < 17; pad++) {
            for (String sp : specials) {
                String filler = "a".repeat(pad);
                for (String rec : new String[] {
                        "{\"schemaType\":\"ModelInvocationLog\",\"timestamp\":\"2026-03-02T09:00:00Z\",\"requestId\":\"r" + filler + sp
                                + "\",\"modelId\":\"m\",\"input\":{\"inputTokenCount\":1,\"inputBodyJson\":{\"t\":\"" + filler + sp + "z\"}}}",
                        "{\"eventSource\":\"bedrock.amazonaws.com\",\"eventName\":\"InvokeModel\",\"eventTime\":\"2026-03-02T09:00:00Z\","
                                + "\"" + filler + sp + "\":1,\"userAgent\":\"" + filler + sp + "\",\"awsRegion\":\"" + filler + sp + "\"}"}) {
                    same(rec.getBytes(StandardCharsets.UTF_8), "pad " + pad);
                }
            }
        }
    }

    @Test
    void invalidUtf8InsideAStringIsRejectedOnBothPaths() {
        String rec = "{\"schemaType\":\"ModelInvocationLog\",\"schemaVersion\":\"1.0\",\"timestamp\":\"2026-03-02T09:00:00Z\","
                + "\"requestId\":\"r1\",\"modelId\":\"amazon.nova-micro-v1:0XX\",\"input\":{\"inputTokenCount\":1},"
                + "\"output\":{\"outputTokenCount\":1}}";
        byte[][] bad = {{(byte) 0xc0, (byte) 0xaf}, {(byte) 0xc1, (byte) 0xbf}, {(byte) 0xe0, (byte) 0x80, (byte) 0xaf},
                {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, {(byte) 0xf0, (byte) 0x80, (byte) 0x80, (byte) 0xaf},
                {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xf5, (byte) 0x80, (byte) 0x80, (byte) 0x80},
                {(byte) 0xff}};
        for (byte[] seq : bad) {
            byte[] b = replace(rec, "XX", seq);
            for (RecordDecoder d : new RecordDecoder[] {fast, jackson}) {
                Collected c = Collected.decode(d, b);
                assertEquals(1, c.dead.size(), () -> "sequence " + java.util.HexFormat.of().formatHex(seq));
                assertEquals(DeadLetterReason.INVALID_UTF8.name(), c.dead.get(0).reason);
                assertEquals("r1", c.dead.get(0).recordId);
            }
        }
        // valid multi-byte text still decodes, byte for byte
        byte[] ok = replace(rec, "XX", "\u00e9\u4e2d\ud83d\ude00".getBytes(StandardCharsets.UTF_8));
        assertEquals("amazon.nova-micro-v1:0\u00e9\u4e2d\ud83d\ude00", Collected.decode(fast, ok).calls.get(0).modelId);
        same(ok, "valid multi-byte");
    }

    private static byte[] replace(String s, String marker, byte[] with) {
        int i = s.indexOf(marker);
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        byte[] head = s.substring(0, i).getBytes(StandardCharsets.UTF_8);
        byte[] tail = s.substring(i + marker.length()).getBytes(StandardCharsets.UTF_8);
        o.write(head, 0, head.length);
        o.write(with, 0, with.length);
        o.write(tail, 0, tail.length);
        return o.toByteArray();
    }

    /** The benchmark's traffic (bodies off, long names, every event kind) is decided by the fast path itself, never handed back. */
    @Test
    void benchTrafficNeverGivesUp() throws IOException {
        ByteArrayOutputStream invocations = new ByteArrayOutputStream();
        ByteArrayOutputStream trail = new ByteArrayOutputStream();
        new TrafficGenerator(7, Instant.parse("2026-03-02T09:00:00Z"), 50, TrafficGenerator.Options.bench(Bodies.parse("none")))
                .writeJsonLines(300, invocations, trail);
        int records = 0;
        for (ByteArrayOutputStream o : List.of(invocations, trail)) {
            for (String line : o.toString(StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                byte[] b = line.getBytes(StandardCharsets.UTF_8);
                RecordDecoder.Root r = new RecordDecoder.Root();
                int outcome = FastRecordScanner.scan(b, r, new RecordDecoder.Where("t", "line", null), DecodeLimits.defaults());
                assertTrue(outcome == FastRecordScanner.DONE || outcome == FastRecordScanner.IRRELEVANT, line);
                records++;
            }
        }
        assertTrue(records > 600, "records: " + records);
    }
}
