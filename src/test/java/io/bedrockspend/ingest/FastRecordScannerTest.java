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
    /** The field order learned from every record this test decoded so far: the fast path's guesses must never matter. */
    private final int[] learned = FastRecordScanner.newOrder();

    private void same(byte[] payload, String what) {
        // fresh decoders: Jackson's name table is per factory, and whether a name with a bad UTF-8 byte was
        // seen before changes which error Jackson reports first (its detail), whatever the fast path does
        List<String> j = outputs(new RecordDecoder(DecodeLimits.defaults(), false), payload);
        List<String> f = outputs(new RecordDecoder(DecodeLimits.defaults(), true), payload);
        assertEquals(j, f, () -> what + ": " + new String(payload, StandardCharsets.UTF_8));
        // and with the field order guessed from the records before (a fresh decoder sharing one warm table)
        List<String> g = outputs(new RecordDecoder(DecodeLimits.defaults(), true, learned), payload);
        assertEquals(j, g, () -> what + " (learned field order): " + new String(payload, StandardCharsets.UTF_8));
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

    /**
     * The word-at-a-time test for string bytes: for every pair of adjacent bytes at every offset of a word (the
     * rest plain or random), the lowest flag is the first '"', '\\', control or non-ASCII byte, none below it,
     * and no flag at all when there is none.
     */
    @Test
    void specialFlagsTheFirstNonPlainByteOfAWord() {
        Random rnd = new Random(3);
        for (int at = 0; at < 7; at++) {
            for (int c1 = 0; c1 < 256; c1++) {
                for (int c2 = 0; c2 < 256; c2++) {
                    long pair = ((long) c1 | (long) c2 << 8) << (8 * at);
                    long keep = ~(0xFFFFL << (8 * at));
                    for (long x : new long[] {0x6161616161616161L & keep | pair, rnd.nextLong() & keep | pair}) {
                        long expected = 0;
                        for (int k = 7; k >= 0; k--) {
                            int c = (int) (x >>> (8 * k)) & 0xff;
                            if (c == '"' || c == '\\' || c < 0x20 || c >= 0x80) {
                                expected = 0x80L << (8 * k);
                            }
                        }
                        long m = FastRecordScanner.special(x);
                        assertEquals(expected, Long.lowestOneBit(m), () -> Long.toHexString(x));
                    }
                }
            }
        }
    }

    /** The benchmark traffic (bodies off): its invocation records, then its CloudTrail events, one JSON text each. */
    private static List<String> benchLines(int calls, long seed) throws IOException {
        ByteArrayOutputStream invocations = new ByteArrayOutputStream();
        ByteArrayOutputStream trail = new ByteArrayOutputStream();
        new TrafficGenerator(seed, Instant.parse("2026-03-02T09:00:00Z"), 50, TrafficGenerator.Options.bench(Bodies.parse("none")))
                .writeJsonLines(calls, invocations, trail);
        List<String> out = new ArrayList<>();
        for (ByteArrayOutputStream o : List.of(invocations, trail)) {
            for (String line : o.toString(StandardCharsets.UTF_8).split("\n")) {
                if (!line.isBlank()) {
                    out.add(line);
                }
            }
        }
        return out;
    }

    /**
     * Names that look like the one the learned field order expects, but are not: a byte more or less, another
     * last byte, whitespace or another byte before the ':', an escape, the record ending inside or right after
     * the name. Each record of the benchmark traffic is decoded first (so its order is learned), then its variants.
     */
    @Test
    void namesNearTheLearnedOrderDecodeTheSame() throws IOException {
        int n = 0;
        for (String line : benchLines(40, 5)) {
            same(line.getBytes(StandardCharsets.UTF_8), "bench record");
            same(line.getBytes(StandardCharsets.UTF_8), "bench record again");
            Matcher m = NAME.matcher(line);
            while (m.find()) {
                String head = line.substring(0, m.start(1));
                String name = m.group(1);
                String tail = line.substring(m.end(1)); // starts with '":'
                String[] variants = {
                    head + name + "x" + tail,
                    head + name.substring(0, name.length() - 1) + tail,
                    head + name.substring(0, name.length() - 1) + (char) (name.charAt(name.length() - 1) ^ 1) + tail,
                    head + name + "\" :" + tail.substring(2),
                    head + name + "\"\t:" + tail.substring(2),
                    head + name + "\"," + tail.substring(2),
                    head + name + "\"" + tail.substring(2),
                    head + name.substring(0, name.length() - 1) + "\\u00" + Integer.toHexString(name.charAt(name.length() - 1)) + tail,
                    head + name + "\u00e9" + tail,
                    head + name,
                    head + name + "\"",
                    head + name + "\":",
                };
                for (String v : variants) {
                    same(v.getBytes(StandardCharsets.UTF_8), "name " + name + " changed");
                    n++;
                }
            }
        }
        assertTrue(n > 2000, "variants: " + n);
        assertTrue(java.util.Arrays.stream(learned).anyMatch(x -> x != 0), "some field order was learned");
    }

    /** The benchmark's traffic (bodies off, long names, every event kind) is decided by the fast path itself, never handed back. */
    @Test
    void benchTrafficNeverGivesUp() throws IOException {
        int records = 0;
        for (String line : benchLines(300, 7)) {
            byte[] b = line.getBytes(StandardCharsets.UTF_8);
            for (int[] order : new int[][] {null, learned}) {
                RecordDecoder.Root r = new RecordDecoder.Root();
                int outcome = FastRecordScanner.scan(b, r, new RecordDecoder.Where("t", "line", null), DecodeLimits.defaults(), order);
                assertTrue(outcome == FastRecordScanner.DONE || outcome == FastRecordScanner.IRRELEVANT, line);
            }
            records++;
        }
        assertTrue(records > 600, "records: " + records);
    }

    // ------------------------------------------------------------------------------------------
    // CloudTrail S3 delivery documents: {"Records":[...]}

    /** Raw CloudTrail events of the benchmark traffic (STS sessions and runtime calls), one JSON text each. */
    private static List<String> benchTrailEvents(int calls, long seed, TrafficGenerator.Options options) {
        ByteArrayOutputStream invocations = new ByteArrayOutputStream();
        ByteArrayOutputStream trail = new ByteArrayOutputStream();
        try {
            new TrafficGenerator(seed, Instant.parse("2026-03-02T09:00:00Z"), 50, options).writeJsonLines(calls, invocations, trail);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> out = new ArrayList<>();
        for (String line : trail.toString(StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank()) {
                out.add(line);
            }
        }
        return out;
    }

    /** Events the element reader must handle besides the generated ones: unused, incomplete, odd but valid. */
    private static final String[] ODD_EVENTS = {
        "{\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\",\"eventTime\":\"2026-03-02T09:00:00Z\",\"eventID\":\"s3-1\"}",
        // unused event: everything after eventName is skipped unread, so eventTime is missing
        "{\"eventName\":\"GetObject\",\"eventSource\":\"s3.amazonaws.com\",\"eventTime\":\"2026-03-02T09:00:00Z\",\"readOnly\":5}",
        "{\"eventSource\":\"bedrock.amazonaws.com\",\"eventName\":\"InvokeModel\",\"eventID\":\"no-time\"}",
        "{\"eventSource\":\"bedrock.amazonaws.com\",\"eventName\":\"Converse\",\"eventTime\":\"yesterday\",\"eventID\":\"bad-time\"}",
        "{}",
        "{\"eventSource\":\"bedrock.amazonaws.com\",\"eventName\":\"InvokeModel\",\"eventTime\":\"2026-03-02T09:00:00Z\","
                + "\"schemaType\":\"ModelInvocationLog\",\"requestId\":\"inv-field\",\"input\":{\"inputTokenCount\":-1},"
                + "\"readOnly\":\"true\",\"additionalEventData\":[1],\"userIdentity\":null,\"errorCode\":\"Throttling\"}",
        "{ \"eventSource\" : \"bedrock.amazonaws.com\" ,\n\t\"eventName\":\"ConverseStream\",\"eventTime\":\"2026-03-02T09:00:00.5+01:00\","
                + "\"additionalEventData\":{\"inferenceRegion\":\"us-west-2\"},\"requestParameters\":{\"modelId\":\"m\u00e9\"} }",
    };

    /** Elements the fast path gives up on (or that are not objects): the Jackson path decides from there on. */
    private static final String[] REJECTED_ELEMENTS = {"1", "\"x\"", "null", "[]", "[{}]", "true",
        "{\"eventSource\":\"bedrock.amazonaws.com\",\"eventName\":\"InvokeModel\",\"eventTime\":\"2026\\u002d03-02T09:00:00Z\"}",
        "{\"eventSource\":\"bedrock.amazonaws.com\",\"eventName\":\"InvokeModel\",\"eventTime\":20260302,\"eventID\":\"num\"}",
        "{\"eventSource\":\"bedrock.amazonaws.com\",\"eventName\":\"InvokeModel\",\"eventTime\":\"2026-03-02T09:00:00Z\",\"readOnly\":5}",
        "{\"eventSource\":\"sts.amazonaws.com\",\"eventName\":\"AssumeRole\",\"eventTime\":\"2026-03-02T09:00:00Z\","
                + "\"requestParameters\":{\"tags\":[\"x\"]}}",
        "{\"eventSource\":\"bedrock.amazonaws.com\",\"eventName\":\"InvokeModel\",\"userIdentity\":\"root\"}",
        "{\"ev\\u0065ntSource\":\"bedrock.amazonaws.com\"}",
    };

    private static String recordsDocument(List<String> events) {
        return "{\"Records\":[" + String.join(",", events) + "]}";
    }

    private List<String> sample(List<String> events, Random rnd, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(rnd.nextInt(6) == 0 ? ODD_EVENTS[rnd.nextInt(ODD_EVENTS.length)] : events.get(rnd.nextInt(events.size())));
        }
        return out;
    }

    private void sameText(String doc, String what) {
        same(doc.getBytes(StandardCharsets.UTF_8), what);
    }

    /** The fast path's own outcome for a Records document: how many elements it decides before giving up (-1: all). */
    private static int fastRecords(String doc) {
        FastRecordScanner s = FastRecordScanner.records(doc.getBytes(StandardCharsets.UTF_8), DecodeLimits.defaults());
        if (s == null) {
            return 0;
        }
        for (int i = 0; ; i++) {
            int o = s.nextRecord(new RecordDecoder.Trail());
            if (o == FastRecordScanner.BAIL) {
                return i;
            }
            if (o == FastRecordScanner.DONE) {
                return -1;
            }
        }
    }

    @Test
    void benchRecordsDocumentsAreDecidedByTheFastPathAlone() {
        List<String> events = benchTrailEvents(400, 7, TrafficGenerator.Options.bench(Bodies.parse("none")));
        assertTrue(events.size() > 400, "events: " + events.size());
        String doc = recordsDocument(events);
        assertEquals(-1, fastRecords(doc));
        sameText(doc, "bench Records document");
        Collected c = Collected.decode(fast, doc.getBytes(StandardCharsets.UTF_8));
        assertEquals(events.size(), c.total(), "one output per element");
        assertTrue(c.dead.isEmpty(), () -> "dead letters: " + c.dead);
        assertEquals("line 1/Records[" + (events.size() - 1) + "]", lastPosition(fast, doc));
    }

    private static String lastPosition(RecordDecoder d, String doc) {
        List<String> positions = new ArrayList<>();
        d.decode(new RawRecord("t", "line 1", doc.getBytes(StandardCharsets.UTF_8)), new DecodeSink() {
            @Override public void call(InvocationCall c) { positions.add(c.position); }
            @Override public void trail(TrailEvent e) { positions.add(e.position); }
            @Override public void deadLetter(DeadLetter x) { positions.add(x.position); }
            @Override public void skipped(String what) { positions.add("skipped"); }
        });
        return positions.get(positions.size() - 1);
    }

    @Test
    void recordsDocumentsOfEveryEventKindDecodeTheSame() {
        Random rnd = new Random(5);
        List<String> events = benchTrailEvents(300, 9, TrafficGenerator.Options.demo());
        for (int round = 0; round < 200; round++) {
            List<String> doc = sample(events, rnd, rnd.nextInt(12));
            sameText(recordsDocument(doc), "document");
            if (!doc.isEmpty()) {
                // an element the fast path hands over, in the middle: the elements before it come from the fast path
                int at = rnd.nextInt(doc.size() + 1);
                doc.add(at, REJECTED_ELEMENTS[rnd.nextInt(REJECTED_ELEMENTS.length)]);
                String text = recordsDocument(doc);
                sameText(text, "rejected element at " + at);
                int decided = fastRecords(text);
                assertEquals(at, decided, () -> "elements decided by the fast path in " + text);
            }
        }
    }

    @Test
    void recordsDocumentTopLevelVariantsDecodeTheSame() {
        Random rnd = new Random(6);
        List<String> events = benchTrailEvents(40, 10, TrafficGenerator.Options.demo());
        String two = String.join(",", sample(events, rnd, 2));
        String ev = sample(events, rnd, 1).get(0);
        String[] docs = {
            "{\"Records\":[]}", " {\n \"Records\" :\t[ ] }\r\n", "{\"Records\":[" + two + "]}",
            "\t{ \"Records\" : [ " + two.replace(",{", " ,\n {") + " ]\n}\n",
            "{\"Records\":[" + two + "]} x", "{\"Records\":[" + two + "]}}", "{\"Records\":[" + two + "]},{}",
            "{\"Records\":[" + two + "]} {\"Records\":[]}", "{\"Records\":[" + two + ",]}", "{\"Records\":[" + two + "}",
            "{\"Records\":[" + two + "]", "{\"Records\":[" + two, "{\"Records\":[" + two + ",", "{\"Records\":[,]}",
            "{\"Records\":[" + two + "],\"x\":1}", "{\"x\":1,\"Records\":[" + two + "]}",
            "{\"Records\":[" + two + "],\"Records\":[" + ev + "]}", "{\"Records\":[" + two + "],\"Records\":5}",
            "{\"Records\":[" + two + "],\"eventSource\":\"s3.amazonaws.com\",\"eventName\":\"GetObject\"}",
            "{\"Records\":[" + two + "],\"messageType\":\"DATA_MESSAGE\"}",
            "{\"Records\":[" + two + "],\"detail\":" + ev + "}",
            "{\"Records\":{}}", "{\"Records\":null}", "{\"Records\":\"x\"}", "{\"Records\":1}",
            "{\"Rec\\u006frds\":[" + two + "]}", "[{\"Records\":[" + two + "]}]", "\uFEFF{\"Records\":[" + two + "]}",
            "{\"Records\":[" + two + "]}\u0000", "{\"Records\":[" + two + ",1," + ev + "]}",
            "{\"Records\":[" + two + ",{\"eventSource\":\"bedrock.amazonaws.com\"}]}",
        };
        for (String d : docs) {
            sameText(d, "variant");
            byte[] gz = Collected.gzip(d.getBytes(StandardCharsets.UTF_8));
            same(gz, "gzipped variant");
            // the same document as a CloudWatch Logs message (decoded from text)
            String cwl = "{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":[{\"id\":\"e1\",\"message\":" + json(d) + "}]}";
            sameText(cwl, "variant in CloudWatch Logs");
        }
        // invalid UTF-8 after some elements
        byte[] head = ("{\"Records\":[" + two + ",{\"eventSource\":\"bedrock.amazonaws.com\",\"x\":\"").getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\"}]}".getBytes(StandardCharsets.UTF_8);
        for (byte bad : new byte[] {(byte) 0xc0, (byte) 0xff, (byte) 0x80}) {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            o.write(head, 0, head.length);
            o.write(bad);
            o.write(tail, 0, tail.length);
            same(o.toByteArray(), "invalid UTF-8 in an element");
        }
    }

    @Test
    void mutatedAndTruncatedRecordsDocumentsDecodeTheSame() {
        Random rnd = new Random(8);
        List<String> events = benchTrailEvents(200, 12, TrafficGenerator.Options.demo());
        List<byte[]> seeds = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            seeds.add(recordsDocument(sample(events, rnd, 1 + rnd.nextInt(6))).getBytes(StandardCharsets.UTF_8));
        }
        int n = 0;
        for (int round = 0; round < 60; round++) {
            for (byte[] s : seeds) {
                byte[] m = mutate(s, rnd);
                if (rnd.nextInt(3) == 0) {
                    m = mutate(m, rnd);
                }
                same(m, "mutated Records document");
                n++;
            }
        }
        // truncated at every byte, and one byte changed at every position, of a small document
        byte[] small = recordsDocument(sample(events, rnd, 3)).getBytes(StandardCharsets.UTF_8);
        for (int at = 0; at <= small.length; at++) {
            same(java.util.Arrays.copyOf(small, at), "truncated at " + at);
            if (at < small.length) {
                byte[] c = small.clone();
                c[at] = HOSTILE[at % HOSTILE.length];
                same(c, "byte " + at + " changed");
            }
            n++;
        }
        assertTrue(n > 2400);
    }
}
