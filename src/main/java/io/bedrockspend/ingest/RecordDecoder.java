package io.bedrockspend.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;
import com.fasterxml.jackson.core.util.JsonParserDelegate;

import java.io.ByteArrayInputStream;
import java.io.CharConversionException;
import java.io.EOFException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Decodes one {@link RawRecord} into invocation calls, CloudTrail events, skips and dead letters.
 *
 * <p>The shape is detected per record from the bytes, never from a file name: gzip (possibly nested),
 * then one streaming JSON pass that collects the fields of every candidate shape (invocation record,
 * CloudWatch Logs subscription payload, CloudTrail event, EventBridge envelope, CloudTrail S3
 * {@code Records} file) and decides at the end of the object, so key order and unknown fields do not
 * matter. Prompt and response bodies are skipped token by token and never copied anywhere; only the
 * usage block of {@code outputBodyJson} is read, for the 5-minute / 1-hour cache-write split.
 *
 * <p>Raw invocation records and CloudTrail events are first tried by {@link FastRecordScanner}, a
 * byte-level scanner that fills the same fields and gives up on anything unusual; this Jackson path
 * decodes what it gives up on. Bytes that are not strict UTF-8 make the record {@code INVALID_UTF8}
 * on both paths.
 *
 * <p>Numeric strings for token counts (e.g. {@code "12"}) are accepted: some re-serialising
 * pipelines (Athena/Glue SerDes, log shippers) stringify numbers, and the value is unambiguous.
 * Booleans, floats, objects and arrays are {@code WRONG_TYPE}.
 *
 * <p>Thread-safe and serializable; the Jackson factory is rebuilt after deserialization.
 */
public final class RecordDecoder implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Nested gzip layers accepted before calling it a bomb. */
    private static final int MAX_GZIP_LAYERS = 3;
    /** CloudWatch Logs messages may hold JSON payloads; deeper recursion than this is not a real shape. */
    private static final int MAX_ENVELOPE_LEVELS = 3;
    private static final long ONE_HOUR_MS = 3_600_000L;

    private final DecodeLimits limits;
    /** Off only in tests that compare the fast path with the Jackson path. */
    private final boolean fastPath;
    private transient volatile JsonFactory factory;
    /**
     * The field order the fast path learned ({@link FastRecordScanner#newOrder()}): guesses only, checked byte
     * by byte before use, so concurrent decodes through one decoder may race on it without changing any result.
     */
    private transient int[] order;

    public RecordDecoder() {
        this(DecodeLimits.defaults());
    }

    public RecordDecoder(DecodeLimits limits) {
        this(limits, true);
    }

    RecordDecoder(DecodeLimits limits, boolean fastPath) {
        this(limits, fastPath, null);
    }

    /** With a given learned field order (tests: fresh decoders that share one warm table). */
    RecordDecoder(DecodeLimits limits, boolean fastPath, int[] order) {
        this.limits = limits;
        this.fastPath = fastPath;
        this.order = order;
    }

    public DecodeLimits limits() {
        return limits;
    }

    private int[] order() {
        int[] o = order;
        if (o == null) {
            o = FastRecordScanner.newOrder();
            order = o;
        }
        return o;
    }

    private JsonFactory factory() {
        JsonFactory f = factory;
        if (f == null) {
            f = JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(limits.maxNestingDepth)
                            .maxStringLength(Math.max(limits.maxRecordBytes, 1024))
                            .build())
                    .build();
            factory = f;
        }
        return f;
    }

    // ------------------------------------------------------------------------------------------
    // entry points

    /** Decodes one framed record. Never throws for bad input: bad input becomes a dead letter. */
    public void decode(RawRecord rec, DecodeSink out) {
        if (rec.framingError != null) {
            out.deadLetter(decodeFramingError(rec));
            return;
        }
        Where w = Where.of(rec);
        byte[] bytes = rec.payload;
        if (bytes == null || bytes.length == 0) {
            out.deadLetter(w.dead(DeadLetterReason.INVALID_JSON, "empty payload"));
            return;
        }
        if (bytes.length > limits.maxRecordBytes) {
            out.deadLetter(w.dead(DeadLetterReason.RECORD_TOO_LARGE,
                    "record is " + bytes.length + " bytes, cap " + limits.maxRecordBytes));
            return;
        }
        for (int layer = 0; isGzip(bytes); layer++) {
            if (layer == MAX_GZIP_LAYERS) {
                out.deadLetter(w.dead(DeadLetterReason.DECOMPRESSED_TOO_LARGE, "more than " + MAX_GZIP_LAYERS + " nested gzip layers"));
                return;
            }
            try {
                bytes = gunzip(bytes, limits.maxDecompressedBytes);
            } catch (CapExceeded e) {
                out.deadLetter(w.dead(DeadLetterReason.DECOMPRESSED_TOO_LARGE,
                        "gzip payload decompresses to more than " + limits.maxDecompressedBytes + " bytes"));
                return;
            } catch (EOFException | ZipException e) {
                out.deadLetter(w.dead(DeadLetterReason.TRUNCATED_GZIP, e.getClass().getSimpleName() + " in gzip layer " + (layer + 1)));
                return;
            } catch (IOException e) {
                // in-memory streams do no real I/O; anything else here is still a broken gzip stream
                out.deadLetter(w.dead(DeadLetterReason.TRUNCATED_GZIP, e.getClass().getSimpleName() + " in gzip layer " + (layer + 1)));
                return;
            }
        }
        int recordsFrom = decodeFast(bytes, w, out, 0);
        if (recordsFrom == FAST_DONE) {
            return;
        }
        w = Where.of(rec); // the fast path may have noted an id before giving up
        JsonParser p;
        try {
            p = factory().createParser(bytes);
        } catch (IOException e) {
            out.deadLetter(w.dead(DeadLetterReason.INVALID_JSON, e.getClass().getSimpleName() + " creating parser"));
            return;
        }
        if (p instanceof UTF8StreamJsonParser) {
            int bad = Utf8.firstInvalid(bytes, 0, bytes.length);
            if (bad >= 0) {
                p = new StopAtInvalidUtf8(p, bad);
            }
        }
        parseAndDecode(p, w, out, 0, recordsFrom);
    }

    /**
     * Jackson decodes overlong forms, UTF-8-encoded surrogates and F5..F7 lead bytes into garbled text.
     * This parser fails with {@code INVALID_UTF8} as soon as Jackson has read past the first such byte,
     * so the record is rejected exactly where Jackson rejects the sequences it does catch (what was read
     * before, such as the record id, is kept; an irrelevant CloudTrail event that stops early is still skipped).
     */
    private static final class StopAtInvalidUtf8 extends JsonParserDelegate {
        private final long firstInvalid;

        StopAtInvalidUtf8(JsonParser p, long firstInvalid) {
            super(p);
            this.firstInvalid = firstInvalid;
        }

        private void check() throws CharConversionException {
            if (delegate.currentLocation().getByteOffset() > firstInvalid) {
                throw new CharConversionException("invalid UTF-8 sequence at byte " + firstInvalid);
            }
        }

        @Override
        public JsonToken nextToken() throws IOException {
            JsonToken t = super.nextToken();
            check();
            return t;
        }

        @Override
        public String nextFieldName() throws IOException {
            String n = super.nextFieldName();
            check();
            return n;
        }

        @Override
        public String getText() throws IOException {
            String t = super.getText();
            check();
            return t;
        }

        @Override
        public JsonParser skipChildren() throws IOException {
            super.skipChildren();
            check();
            return this;
        }
    }

    /** {@link #decodeFast} decoded the whole record. */
    private static final int FAST_DONE = -1;

    /**
     * The byte-level fast path ({@link FastRecordScanner}): {@link #FAST_DONE}, or the number of leading
     * {@code Records} elements it emitted before giving up (0: nothing was emitted). The Jackson path then
     * decodes the record, skipping that many {@code Records} elements, so what follows them (an element the
     * fast path could not decide, malformed bytes, other keys, trailing content) comes out exactly as if the
     * Jackson path had decoded the whole record, error locations included.
     */
    private int decodeFast(byte[] bytes, Where w, DecodeSink out, int level) {
        if (!fastPath) {
            return 0;
        }
        if (w.streamedElement) {
            return decodeFastRecords(bytes, w, out); // {"Records":[e]}: scan would give up at its first key
        }
        Root r = new Root();
        int outcome = FastRecordScanner.scan(bytes, r, w, limits, order());
        if (outcome == FastRecordScanner.BAIL) {
            return decodeFastRecords(bytes, w, out);
        }
        if (outcome == FastRecordScanner.IRRELEVANT) {
            out.skipped("cloudtrail:" + r.trail.eventSource + ":" + r.trail.eventName);
        } else {
            decide(r, w, out, level);
        }
        return FAST_DONE;
    }

    /** A CloudTrail S3 delivery document {@code {"Records":[...]}}: its elements in order, as readObject emits them. */
    private int decodeFastRecords(byte[] bytes, Where w, DecodeSink out) {
        FastRecordScanner s = FastRecordScanner.records(bytes, limits, order());
        if (s == null) {
            return 0;
        }
        for (int i = 0; ; i++) {
            Trail t = new Trail();
            int outcome = s.nextRecord(t);
            if (outcome == FastRecordScanner.BAIL) {
                return i;
            }
            if (outcome == FastRecordScanner.DONE) {
                return FAST_DONE;
            }
            finishTrail(t, recordsElement(w, i), out);
        }
    }

    /** Where element {@code i} of a {@code Records} array comes from. */
    private static Where recordsElement(Where w, int i) {
        // a streamed element (one-element delivery) already carries its own index in its position
        return w.streamedElement ? new Where(w.origin, w.position, null) : w.child("Records[" + i + "]", null);
    }


    /** The dead letter for a record whose framing failed (truncated gzip file, oversized record). */
    public static DeadLetter decodeFramingError(RawRecord rec) {
        DeadLetterReason reason;
        try {
            reason = DeadLetterReason.valueOf(rec.framingError);
        } catch (IllegalArgumentException e) {
            reason = DeadLetterReason.INVALID_JSON; // unknown code from a newer reader: still a dead letter
        }
        return new DeadLetter(reason, rec.framingDetail, rec.origin, rec.position, null);
    }

    // ------------------------------------------------------------------------------------------
    // gzip

    static boolean isGzip(byte[] b) {
        return b.length >= 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b;
    }

    private static final class CapExceeded extends IOException {
        CapExceeded() {
            super("decompressed size cap exceeded", null);
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }

    /** Gunzips with a hard cap on the output size (gzip bombs). */
    static byte[] gunzip(byte[] in, long cap) throws IOException {
        try (GZIPInputStream gz = new GZIPInputStream(new ByteArrayInputStream(in), 16 * 1024)) {
            byte[] buf = new byte[(int) Math.min(cap + 1, Math.max(1024L, Math.min(in.length * 8L, 1L << 20)))];
            int n = 0;
            while (true) {
                if (n == buf.length) {
                    if (n > cap) {
                        throw new CapExceeded();
                    }
                    buf = java.util.Arrays.copyOf(buf, (int) Math.min(cap + 1, Math.min((long) n * 2, Integer.MAX_VALUE - 8)));
                }
                int r = gz.read(buf, n, buf.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
                if (n > cap) {
                    throw new CapExceeded();
                }
            }
            return n == buf.length ? buf : java.util.Arrays.copyOf(buf, n);
        }
    }

    // ------------------------------------------------------------------------------------------
    // JSON: one pass over the root, then decide

    /** Where a (sub)record came from; carries the best id seen so far for dead letters. */
    static final class Where {
        final String origin;
        final String position;
        final String fallbackId;
        String seenId;
        /** The record is one element of a streamed delivery (see {@link RawRecord#recordsIndex}); its position names it. */
        boolean streamedElement;

        Where(String origin, String position, String fallbackId) {
            this.origin = origin;
            this.position = position;
            this.fallbackId = fallbackId;
        }

        static Where of(RawRecord rec) {
            if (rec.recordsIndex < 0) {
                return new Where(rec.origin, rec.position, null);
            }
            Where w = new Where(rec.origin, rec.position + "/Records[" + rec.recordsIndex + "]", null);
            w.streamedElement = true;
            return w;
        }

        Where child(String suffix, String id) {
            return new Where(origin, position == null ? suffix : position + "/" + suffix, id);
        }

        String id() {
            return seenId != null ? seenId : fallbackId;
        }

        DeadLetter dead(DeadLetterReason reason, String detail) {
            return new DeadLetter(reason, detail, origin, position, id());
        }
    }

    /** {@code recordsFrom}: leading {@code Records} elements already emitted by the fast path, skipped here. */
    private void parseAndDecode(JsonParser p, Where w, DecodeSink out, int level, int recordsFrom) {
        try (p) {
            decodeRoot(p, w, out, level, recordsFrom);
        } catch (StreamConstraintsException e) {
            boolean depth = e.getMessage() != null && e.getMessage().contains("nesting depth");
            out.deadLetter(w.dead(depth ? DeadLetterReason.TOO_DEEPLY_NESTED : DeadLetterReason.INVALID_JSON, describe(e, p)));
        } catch (CharConversionException e) {
            out.deadLetter(w.dead(DeadLetterReason.INVALID_UTF8, describe(e, p)));
        } catch (JsonProcessingException e) {
            // the message is only classified, never copied: Jackson may quote input there
            String m = e.getOriginalMessage();
            boolean utf8 = m != null && (m.contains("Invalid UTF-8") || m.contains("Invalid UTF8"));
            out.deadLetter(w.dead(utf8 ? DeadLetterReason.INVALID_UTF8 : DeadLetterReason.INVALID_JSON, describe(e, p)));
        } catch (IOException e) {
            // parsers over in-memory input do no real I/O: any other IOException is malformed input
            out.deadLetter(w.dead(DeadLetterReason.INVALID_JSON, describe(e, p)));
        }
    }

    /** Exception class + line/column + a field path made only of field names this decoder knows. */
    static String describe(IOException e, JsonParser p) {
        StringBuilder sb = new StringBuilder(e.getClass().getSimpleName());
        JsonLocation loc = e instanceof JsonProcessingException ? ((JsonProcessingException) e).getLocation() : null;
        if (loc == null) {
            loc = p.currentLocation();
        }
        if (loc != null) {
            sb.append(" at line ").append(loc.getLineNr()).append(" column ").append(loc.getColumnNr());
        }
        sb.append(" in ").append(safePath(p.getParsingContext()));
        return sb.toString();
    }

    static String safePath(JsonStreamContext ctx) {
        List<String> parts = new ArrayList<>();
        for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
            if (c.inArray()) {
                parts.add("[" + Math.max(0, c.getCurrentIndex()) + "]");
            } else if (c.inObject()) {
                String n = c.getCurrentName();
                parts.add(n == null ? "" : "." + (KNOWN_NAMES.contains(n) ? n : "*"));
            }
        }
        StringBuilder sb = new StringBuilder("$");
        for (int i = parts.size() - 1; i >= 0; i--) {
            sb.append(parts.get(i));
        }
        return sb.toString();
    }

    /** Field names that may appear in detail strings; anything else (body keys, metadata keys) shows as {@code *}. */
    private static final Set<String> KNOWN_NAMES = Set.of(
            "schemaType", "schemaVersion", "timestamp", "accountId", "identity", "arn", "region", "requestId",
            "operation", "modelId", "input", "output", "inputBodyJson", "outputBodyJson", "inputTokenCount",
            "outputTokenCount", "cacheReadInputTokenCount", "cacheWriteInputTokenCount", "errorCode",
            "inferenceRegion", "performanceConfig", "latency", "serviceTier", "service_tier", "requestMetadata",
            "messageType", "owner", "logGroup", "logStream", "subscriptionFilters", "logEvents", "id", "message",
            "detail-type", "detail", "source", "account", "time", "resources", "version", "Records",
            "eventVersion", "userIdentity", "eventTime", "eventSource", "eventName", "awsRegion",
            "requestParameters", "responseElements", "additionalEventData", "requestID", "eventID", "readOnly",
            "recipientAccountId", "sessionContext", "sessionIssuer", "onBehalfOf", "userId", "sourceIdentity",
            "accessKeyId", "type", "tags", "key", "value", "incomingTransitiveTags", "transitiveTagKeys",
            "principalTags", "roleArn", "durationSeconds", "roleName", "userName", "tagKeys", "credentials",
            "expiration", "assumedRoleUser", "federatedUser", "usage", "cache_creation", "cacheDetails");

    /** Fields of every candidate root shape, filled in one pass. */
    static final class Root {
        final Inv inv = new Inv();
        final Trail trail = new Trail();
        // CloudWatch Logs subscription payload
        String messageType;
        boolean sawLogEvents;
        List<String> logEventIds;
        List<String> logEventMessages;
        // EventBridge envelope
        String detailType;
        boolean sawDetail;
        Trail detail;
        // CloudTrail S3 delivery file
        boolean sawRecords;
        // first field-level problem
        Problem problem = new Problem();
    }

    /** The first validation problem of a record; later ones are usually consequences. */
    static final class Problem {
        DeadLetterReason reason;
        String detail;

        void set(DeadLetterReason r, String d) {
            if (reason == null) {
                reason = r;
                detail = d;
            }
        }
    }

    private void decodeRoot(JsonParser p, Where w, DecodeSink out, int level, int recordsFrom) throws IOException {
        JsonToken t = p.nextToken();
        if (t == null) {
            out.deadLetter(w.dead(DeadLetterReason.INVALID_JSON, "no JSON value"));
            return;
        }
        if (t == JsonToken.START_ARRAY) {
            // a file that is one JSON array of records: each element is a root object of its own
            int i = 0;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    throw new EOFException("unexpected end of array");
                }
                Where ew = w.child("[" + i + "]", null);
                if (t == JsonToken.START_OBJECT) {
                    decide(readObject(p, ew, out, false, 0), ew, out, level);
                } else {
                    p.skipChildren();
                    out.deadLetter(ew.dead(DeadLetterReason.UNKNOWN_SHAPE, "array element is " + t));
                }
                i++;
            }
            requireEnd(p);
            return;
        }
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            requireEnd(p);
            out.deadLetter(w.dead(DeadLetterReason.UNKNOWN_SHAPE, "root is " + t + ", not an object"));
            return;
        }
        Root r = readObject(p, w, out, true, recordsFrom);
        if (r != null) {
            requireEnd(p); // before emitting anything: "{...} garbage" is one bad record
            decide(r, w, out, level);
        }
    }

    private static void requireEnd(JsonParser p) throws IOException {
        if (p.nextToken() != null) {
            throw new com.fasterxml.jackson.core.JsonParseException(p, "trailing content after the JSON value");
        }
    }

    /**
     * Reads one root object (current token START_OBJECT) collecting every candidate shape's fields.
     * Returns null when {@code mayStopEarly} and it stopped at an irrelevant CloudTrail event (already
     * reported as skipped; the rest of the input is not read). CloudTrail {@code Records} are decoded
     * and emitted as they stream by, except the first {@code recordsFrom} (emitted by the fast path: skipped).
     */
    private Root readObject(JsonParser p, Where w, DecodeSink out, boolean mayStopEarly, int recordsFrom) throws IOException {
        Root r = new Root();
        Inv inv = r.inv;
        Trail tr = r.trail;
        int recordsIndex = 0;
        String f;
        while ((f = p.nextFieldName()) != null) {
            JsonToken v = p.nextToken();
            switch (f) {
                // --- invocation record
                case "schemaType": inv.schemaType = str(p, v, "schemaType", r.problem); break;
                case "schemaVersion": inv.schemaVersion = scalarText(p, v, "schemaVersion", r.problem); break;
                case "timestamp": inv.timestamp = str(p, v, "timestamp", r.problem); break;
                case "accountId": inv.accountId = str(p, v, "accountId", r.problem); break;
                case "identity": inv.identityArn = readIdentity(p, v, r.problem); break;
                case "region": inv.region = str(p, v, "region", r.problem); break;
                case "requestId":
                    inv.requestId = str(p, v, "requestId", r.problem);
                    if (inv.requestId != null) {
                        w.seenId = inv.requestId;
                    }
                    break;
                case "operation": inv.operation = str(p, v, "operation", r.problem); break;
                case "modelId": inv.modelId = str(p, v, "modelId", r.problem); break;
                case "input": inv.sawIo = true; readInput(p, v, inv, r.problem); break;
                case "output": inv.sawIo = true; readOutput(p, v, inv, r.problem); break;
                case "inferenceRegion": inv.inferenceRegion = str(p, v, "inferenceRegion", r.problem); break;
                case "performanceConfig": readPerformanceConfig(p, v, inv, r.problem); break;
                case "serviceTier":
                case "service_tier": inv.serviceTier = readServiceTier(p, v, r.problem); break;
                case "errorCode": // invocation record and CloudTrail both use it
                    inv.errorCode = str(p, v, "errorCode", r.problem);
                    tr.errorCode = inv.errorCode;
                    break;
                // --- CloudWatch Logs subscription payload
                case "messageType": r.messageType = str(p, v, "messageType", r.problem); break;
                case "logEvents": r.sawLogEvents = true; readLogEvents(p, v, r); break;
                // --- EventBridge envelope
                case "detail-type": r.detailType = str(p, v, "detail-type", r.problem); break;
                case "detail":
                    r.sawDetail = true;
                    if (v == JsonToken.START_OBJECT) {
                        r.detail = new Trail();
                        readTrailObject(p, r.detail);
                    } else {
                        p.skipChildren();
                    }
                    break;
                // --- CloudTrail S3 delivery file: decode each event as it streams by
                case "Records":
                    r.sawRecords = true;
                    if (v != JsonToken.START_ARRAY) {
                        p.skipChildren();
                        r.problem.set(DeadLetterReason.WRONG_TYPE, "Records is " + v + ", not an array");
                        break;
                    }
                    while ((v = p.nextToken()) != JsonToken.END_ARRAY) {
                        if (v == null) {
                            throw new EOFException("unexpected end of Records");
                        }
                        if (recordsIndex < recordsFrom) {
                            recordsIndex++;
                            p.skipChildren(); // an object the fast path already decoded and emitted
                            continue;
                        }
                        Where ew = recordsElement(w, recordsIndex);
                        recordsIndex++;
                        if (v != JsonToken.START_OBJECT) {
                            p.skipChildren();
                            out.deadLetter(ew.dead(DeadLetterReason.UNKNOWN_SHAPE, "Records element is " + v));
                            continue;
                        }
                        Trail et = new Trail();
                        readTrailObject(p, et);
                        finishTrail(et, ew, out);
                    }
                    break;
                default:
                    if (!trailField(f, v, p, tr)) {
                        p.skipChildren();
                    } else if (tr.eventId != null && w.seenId == null) {
                        w.seenId = tr.eventId;
                    }
            }
            if (mayStopEarly && tr.knownIrrelevant() && inv.schemaType == null && r.messageType == null && !r.sawLogEvents
                    && r.detailType == null && !r.sawDetail && !r.sawRecords) {
                // a plain CloudTrail event we do not use: stop reading it here
                out.skipped("cloudtrail:" + tr.eventSource + ":" + tr.eventName);
                return null;
            }
        }
        if (tr.eventId != null && w.seenId == null) {
            w.seenId = tr.eventId;
        }
        return r;
    }

    void decide(Root r, Where w, DecodeSink out, int level) {
        if (r == null) {
            return; // skipped while reading
        }
        if (r.messageType != null || r.sawLogEvents) {
            finishLogsPayload(r, w, out, level);
        } else if (r.detailType != null || r.sawDetail) {
            finishEventBridge(r, w, out);
        } else if (r.sawRecords) {
            if (r.problem.reason != null) {
                out.deadLetter(w.dead(r.problem.reason, r.problem.detail));
            }
            // the events were decoded as they streamed by
        } else if (r.inv.looksLikeInvocation()) {
            finishInvocation(r.inv, r.problem, w, out);
        } else if (r.trail.looksLikeTrail()) {
            if (r.problem.reason != null && r.trail.problem.reason == null) {
                r.trail.problem.set(r.problem.reason, r.problem.detail);
            }
            finishTrail(r.trail, w, out);
        } else {
            out.deadLetter(w.dead(DeadLetterReason.UNKNOWN_SHAPE, "no known field set"));
        }
    }

    // ------------------------------------------------------------------------------------------
    // CloudWatch Logs subscription payload

    private static void readLogEvents(JsonParser p, JsonToken v, Root r) throws IOException {
        if (v != JsonToken.START_ARRAY) {
            p.skipChildren();
            r.problem.set(DeadLetterReason.WRONG_TYPE, "logEvents is " + v + ", not an array");
            return;
        }
        r.logEventIds = new ArrayList<>();
        r.logEventMessages = new ArrayList<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new EOFException("unexpected end of logEvents");
            }
            String id = null;
            String message = null;
            if (t == JsonToken.START_OBJECT) {
                String f;
                while ((f = p.nextFieldName()) != null) {
                    JsonToken fv = p.nextToken();
                    if ("id".equals(f)) {
                        id = fv == JsonToken.VALUE_STRING || fv == JsonToken.VALUE_NUMBER_INT ? p.getText() : null;
                        p.skipChildren();
                    } else if ("message".equals(f) && fv == JsonToken.VALUE_STRING) {
                        message = p.getText();
                    } else {
                        p.skipChildren();
                    }
                }
            } else {
                p.skipChildren();
            }
            r.logEventIds.add(id == null || id.isEmpty() ? null : id);
            r.logEventMessages.add(message);
        }
    }

    private void finishLogsPayload(Root r, Where w, DecodeSink out, int level) {
        if ("CONTROL_MESSAGE".equals(r.messageType)) {
            out.skipped("cwl:CONTROL_MESSAGE");
            return;
        }
        if (r.problem.reason != null) {
            out.deadLetter(w.dead(r.problem.reason, r.problem.detail));
            return;
        }
        if (r.messageType != null && !"DATA_MESSAGE".equals(r.messageType)) {
            out.deadLetter(w.dead(DeadLetterReason.UNKNOWN_SHAPE, "CloudWatch Logs messageType is not DATA_MESSAGE or CONTROL_MESSAGE"));
            return;
        }
        if (r.logEventMessages == null || r.logEventMessages.isEmpty()) {
            out.deadLetter(w.dead(DeadLetterReason.UNKNOWN_SHAPE, "CloudWatch Logs payload without logEvents"));
            return;
        }
        for (int i = 0; i < r.logEventMessages.size(); i++) {
            Where ew = w.child("logEvents[" + i + "]", r.logEventIds.get(i));
            String msg = r.logEventMessages.get(i);
            if (msg == null) {
                out.deadLetter(ew.dead(DeadLetterReason.WRONG_TYPE, "logEvents[" + i + "].message missing or not a string"));
            } else if (level + 1 >= MAX_ENVELOPE_LEVELS) {
                out.deadLetter(ew.dead(DeadLetterReason.UNKNOWN_SHAPE, "envelopes nested more than " + MAX_ENVELOPE_LEVELS + " deep"));
            } else {
                decodeText(msg, ew, out, level + 1);
            }
        }
    }

    private void decodeText(String json, Where w, DecodeSink out, int level) {
        int recordsFrom = 0;
        if (!hasSurrogate(json)) { // getBytes would turn a lone surrogate into '?'
            recordsFrom = decodeFast(json.getBytes(StandardCharsets.UTF_8), w, out, level);
            if (recordsFrom == FAST_DONE) {
                return;
            }
            w = new Where(w.origin, w.position, w.fallbackId);
        }
        JsonParser p;
        try {
            p = factory().createParser(json);
        } catch (IOException e) {
            out.deadLetter(w.dead(DeadLetterReason.INVALID_JSON, e.getClass().getSimpleName() + " creating parser"));
            return;
        }
        parseAndDecode(p, w, out, level, recordsFrom);
    }

    private static boolean hasSurrogate(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (Character.isSurrogate(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }

    // ------------------------------------------------------------------------------------------
    // EventBridge envelope

    private static void finishEventBridge(Root r, Where w, DecodeSink out) {
        if (r.detail == null) {
            out.deadLetter(w.dead(DeadLetterReason.EVENTBRIDGE_WITHOUT_DETAIL, "detail is missing or not an object"));
            return;
        }
        if (r.detail.eventSource == null && r.detailType != null && !r.detailType.contains("CloudTrail")) {
            out.skipped("eventbridge:" + r.detailType); // not a CloudTrail event (e.g. an S3 notification)
            return;
        }
        if (r.detail.eventId != null) {
            w.seenId = r.detail.eventId;
        }
        finishTrail(r.detail, w, out);
    }

    // ------------------------------------------------------------------------------------------
    // invocation record

    static final class Inv {
        String schemaType, schemaVersion, timestamp, accountId, identityArn, region, requestId, operation, modelId;
        String errorCode, inferenceRegion, serviceTier;
        boolean latencyOptimized;
        boolean sawIo;
        long inputTokens, outputTokens, cacheReadTokens, cacheWriteTokens;
        // from the body's usage block; -1 = not seen
        long split5m = -1, split1h = -1;

        boolean looksLikeInvocation() {
            if (schemaType != null) {
                return "ModelInvocationLog".equals(schemaType);
            }
            // some records carry no schemaType: recognise them by their fields
            return (requestId != null || modelId != null) && (sawIo || operation != null) && timestamp != null
                    || requestId != null && sawIo;
        }
    }

    private static String readIdentity(JsonParser p, JsonToken v, Problem pr) throws IOException {
        if (v != JsonToken.START_OBJECT) {
            if (v != JsonToken.VALUE_NULL) {
                pr.set(DeadLetterReason.WRONG_TYPE, "identity is " + v + ", not an object");
            }
            p.skipChildren();
            return null;
        }
        String arn = null;
        String f;
        while ((f = p.nextFieldName()) != null) {
            JsonToken fv = p.nextToken();
            if ("arn".equals(f)) {
                arn = str(p, fv, "identity.arn", pr);
            } else {
                p.skipChildren();
            }
        }
        return arn;
    }

    private void readInput(JsonParser p, JsonToken v, Inv inv, Problem pr) throws IOException {
        if (!expectObject(p, v, "input", pr)) {
            return;
        }
        String f;
        while ((f = p.nextFieldName()) != null) {
            JsonToken fv = p.nextToken();
            switch (f) {
                case "inputTokenCount": inv.inputTokens = count(p, fv, "input.inputTokenCount", pr); break;
                case "cacheReadInputTokenCount": inv.cacheReadTokens = count(p, fv, "input.cacheReadInputTokenCount", pr); break;
                case "cacheWriteInputTokenCount": inv.cacheWriteTokens = count(p, fv, "input.cacheWriteInputTokenCount", pr); break;
                default: p.skipChildren(); // inputBodyJson and friends: skipped token by token, never built
            }
        }
    }

    private void readOutput(JsonParser p, JsonToken v, Inv inv, Problem pr) throws IOException {
        if (!expectObject(p, v, "output", pr)) {
            return;
        }
        String f;
        while ((f = p.nextFieldName()) != null) {
            JsonToken fv = p.nextToken();
            switch (f) {
                case "outputTokenCount": inv.outputTokens = count(p, fv, "output.outputTokenCount", pr); break;
                case "outputBodyJson": scanBodyForUsage(p, fv, inv, 0); break;
                default: p.skipChildren();
            }
        }
    }

    private static boolean expectObject(JsonParser p, JsonToken v, String path, Problem pr) throws IOException {
        if (v == JsonToken.START_OBJECT) {
            return true;
        }
        if (v != JsonToken.VALUE_NULL) {
            pr.set(DeadLetterReason.WRONG_TYPE, path + " is " + v + ", not an object");
        }
        p.skipChildren();
        return false;
    }

    /**
     * Reads only the usage block(s) of a response body: top-level {@code usage} (InvokeModel, Converse),
     * {@code message.usage} / {@code metadata.usage} (stream chunks), or the same in each element of a
     * streaming array. Everything else is skipped without being materialised.
     */
    private void scanBodyForUsage(JsonParser p, JsonToken v, Inv inv, int depth) throws IOException {
        if (v == JsonToken.START_ARRAY && depth == 0) {
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    throw new EOFException("unexpected end of outputBodyJson");
                }
                scanBodyForUsage(p, t, inv, 1);
            }
            return;
        }
        if (v != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        String f;
        while ((f = p.nextFieldName()) != null) {
            JsonToken fv = p.nextToken();
            if ("usage".equals(f) && fv == JsonToken.START_OBJECT) {
                readUsage(p, inv);
            } else if (("message".equals(f) || "metadata".equals(f)) && fv == JsonToken.START_OBJECT && depth < 2) {
                scanBodyForUsage(p, fv, inv, 2);
            } else {
                p.skipChildren();
            }
        }
    }

    private void readUsage(JsonParser p, Inv inv) throws IOException {
        String f;
        while ((f = p.nextFieldName()) != null) {
            JsonToken fv = p.nextToken();
            if ("cache_creation".equals(f) && fv == JsonToken.START_OBJECT) {
                String g;
                while ((g = p.nextFieldName()) != null) {
                    JsonToken gv = p.nextToken();
                    if ("ephemeral_5m_input_tokens".equals(g)) {
                        inv.split5m = Math.max(inv.split5m, bodyCount(p, gv));
                    } else if ("ephemeral_1h_input_tokens".equals(g)) {
                        inv.split1h = Math.max(inv.split1h, bodyCount(p, gv));
                    } else {
                        p.skipChildren();
                    }
                }
            } else if ("cacheDetails".equals(f) && fv == JsonToken.START_ARRAY) {
                JsonToken t;
                while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                    if (t == null) {
                        throw new EOFException("unexpected end of cacheDetails");
                    }
                    if (t != JsonToken.START_OBJECT) {
                        p.skipChildren();
                        continue;
                    }
                    String ttl = null;
                    long tokens = -1;
                    String g;
                    while ((g = p.nextFieldName()) != null) {
                        JsonToken gv = p.nextToken();
                        if ("ttl".equals(g) && gv == JsonToken.VALUE_STRING) {
                            ttl = p.getText();
                        } else if ("inputTokens".equals(g)) {
                            tokens = bodyCount(p, gv);
                        } else {
                            p.skipChildren();
                        }
                    }
                    if ("1h".equals(ttl)) {
                        inv.split1h = Math.max(inv.split1h, tokens);
                    } else if ("5m".equals(ttl)) {
                        inv.split5m = Math.max(inv.split5m, tokens);
                    }
                }
            } else {
                p.skipChildren();
            }
        }
    }

    /** A usage count inside a body: -1 unless a sane non-negative integer (the body is advisory only). */
    private long bodyCount(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            long n = p.getLongValue();
            return n >= 0 && n <= limits.maxTokenCount ? n : -1;
        }
        p.skipChildren();
        return -1;
    }

    private static void readPerformanceConfig(JsonParser p, JsonToken v, Inv inv, Problem pr) throws IOException {
        if (!expectObject(p, v, "performanceConfig", pr)) {
            return;
        }
        String f;
        while ((f = p.nextFieldName()) != null) {
            JsonToken fv = p.nextToken();
            if ("latency".equals(f) && fv == JsonToken.VALUE_STRING) {
                inv.latencyOptimized = "optimized".equalsIgnoreCase(p.getText());
            } else {
                p.skipChildren();
            }
        }
    }

    /** {@code serviceTier}: a string, or an object with {@code type} as in the Converse request shape. */
    private static String readServiceTier(JsonParser p, JsonToken v, Problem pr) throws IOException {
        if (v == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (v == JsonToken.START_OBJECT) {
            String type = null;
            String f;
            while ((f = p.nextFieldName()) != null) {
                JsonToken fv = p.nextToken();
                if ("type".equals(f) && fv == JsonToken.VALUE_STRING) {
                    type = p.getText();
                } else {
                    p.skipChildren();
                }
            }
            return type;
        }
        if (v != JsonToken.VALUE_NULL) {
            pr.set(DeadLetterReason.WRONG_TYPE, "serviceTier is " + v);
        }
        p.skipChildren();
        return null;
    }

    static String tierOf(boolean latencyOptimized, String serviceTier) {
        if (latencyOptimized) {
            return "latency-optimized";
        }
        if (serviceTier == null || serviceTier.isEmpty()) {
            return "standard";
        }
        switch (serviceTier.toLowerCase(java.util.Locale.ROOT)) {
            case "priority": return "priority";
            case "flex": return "flex";
            case "default":
            case "standard": return "standard";
            case "batch": return "batch";
            default: return serviceTier.toLowerCase(java.util.Locale.ROOT);
        }
    }

    private static void finishInvocation(Inv inv, Problem pr, Where w, DecodeSink out) {
        if (inv.schemaVersion != null && !"1.0".equals(inv.schemaVersion)) {
            out.deadLetter(w.dead(DeadLetterReason.UNKNOWN_SCHEMA_VERSION, "schemaVersion is not 1.0"));
            return;
        }
        if (pr.reason != null) {
            out.deadLetter(w.dead(pr.reason, pr.detail));
            return;
        }
        if (inv.requestId == null || inv.requestId.isEmpty()) {
            out.deadLetter(w.dead(DeadLetterReason.MISSING_REQUEST_ID, "requestId missing or empty"));
            return;
        }
        if (inv.timestamp == null || inv.timestamp.isEmpty()) {
            out.deadLetter(w.dead(DeadLetterReason.MISSING_TIMESTAMP, "timestamp missing"));
            return;
        }
        long ts = TimeParsing.isoToMillis(inv.timestamp);
        if (ts == TimeParsing.INVALID) {
            out.deadLetter(w.dead(DeadLetterReason.BAD_TIMESTAMP, "timestamp is not ISO-8601 with zone (length " + inv.timestamp.length() + ")"));
            return;
        }
        if (!TimeParsing.plausible(ts)) {
            out.deadLetter(w.dead(DeadLetterReason.BAD_TIMESTAMP, "timestamp outside the plausible range "
                    + TimeParsing.PLAUSIBLE_FROM + " .. " + TimeParsing.PLAUSIBLE_UNTIL));
            return;
        }
        boolean splitKnown = inv.split1h >= 0 || inv.split5m >= 0;
        long oneHour = Math.max(0, inv.split1h);
        if (splitKnown && oneHour > inv.cacheWriteTokens) {
            out.deadLetter(w.dead(DeadLetterReason.INCONSISTENT_CACHE_SPLIT,
                    "1h cache writes " + oneHour + " > cacheWriteInputTokenCount " + inv.cacheWriteTokens));
            return;
        }
        InvocationCall c = new InvocationCall();
        c.requestId = inv.requestId;
        c.timestampMillis = ts;
        c.accountId = inv.accountId;
        c.identityArn = inv.identityArn;
        c.region = inv.region;
        c.operation = inv.operation;
        c.modelId = inv.modelId;
        c.inputTokens = inv.inputTokens;
        c.outputTokens = inv.outputTokens;
        c.cacheReadTokens = inv.cacheReadTokens;
        c.cacheWriteTokens = inv.cacheWriteTokens;
        c.cacheSplitKnown = splitKnown;
        c.cacheWrite1hTokens = splitKnown ? oneHour : 0;
        c.errorCode = inv.errorCode == null || inv.errorCode.isEmpty() ? null : inv.errorCode;
        c.inferenceRegion = inv.inferenceRegion;
        c.tier = tierOf(inv.latencyOptimized, inv.serviceTier);
        c.origin = w.origin;
        c.position = w.position;
        out.call(c);
    }

    // ------------------------------------------------------------------------------------------
    // CloudTrail event

    static final class Trail {
        String eventSource, eventName, eventTime, eventId, requestId, awsRegion, accountId, errorCode;
        String userIdentityType, userIdentityArn, userIdentityAccountId, sessionIssuerArn, accessKeyId, sourceIdentity, onBehalfOfUserId;
        String modelId, inferenceRegion;
        String roleArn, roleName, userName;
        long durationSeconds = -1;
        Map<String, String> tags, incomingTransitiveTags, principalTags;
        String transitiveTagKeys, tagKeys;
        String sessionAccessKeyId, expiration, assumedRoleArn, federatedUserArn;
        boolean sawTrailField;
        final Problem problem = new Problem();

        /** Only answers once both eventSource and eventName are known. */
        boolean knownIrrelevant() {
            return eventSource != null && eventName != null && kindOf(eventSource, eventName) == null;
        }

        boolean looksLikeTrail() {
            return sawTrailField;
        }
    }

    static TrailEvent.Kind kindOf(String source, String name) {
        switch (source) {
            case "bedrock.amazonaws.com":
                switch (name) {
                    case "InvokeModel":
                    case "InvokeModelWithResponseStream":
                    case "Converse":
                    case "ConverseStream":
                        return TrailEvent.Kind.RUNTIME_CALL;
                    default:
                        return null;
                }
            case "sts.amazonaws.com":
                switch (name) {
                    case "AssumeRole":
                    case "AssumeRoleWithSAML":
                    case "AssumeRoleWithWebIdentity":
                    case "GetFederationToken":
                        return TrailEvent.Kind.SESSION_START;
                    default:
                        return null;
                }
            case "iam.amazonaws.com":
                switch (name) {
                    case "CreateRole":
                    case "CreateUser":
                    case "TagRole":
                    case "TagUser":
                    case "UntagRole":
                    case "UntagUser":
                    case "DeleteRole":
                    case "DeleteUser":
                        return TrailEvent.Kind.PRINCIPAL_TAGS;
                    default:
                        return null;
                }
            default:
                return null;
        }
    }

    /** Reads a CloudTrail event object (current token START_OBJECT) to its end. */
    private static void readTrailObject(JsonParser p, Trail t) throws IOException {
        String f;
        while ((f = p.nextFieldName()) != null) {
            JsonToken v = p.nextToken();
            if (t.knownIrrelevant() || !trailField(f, v, p, t)) {
                p.skipChildren();
            }
        }
    }

    /** Handles one CloudTrail field; false if the name is not a CloudTrail field this decoder reads. */
    private static boolean trailField(String f, JsonToken v, JsonParser p, Trail t) throws IOException {
        Problem pr = t.problem;
        switch (f) {
            case "eventSource": t.eventSource = str(p, v, f, pr); break;
            case "eventName": t.eventName = str(p, v, f, pr); break;
            case "eventTime": t.eventTime = str(p, v, f, pr); break;
            case "eventID": t.eventId = str(p, v, f, pr); break;
            case "requestID": t.requestId = str(p, v, f, pr); break;
            case "awsRegion": t.awsRegion = str(p, v, f, pr); break;
            case "recipientAccountId": t.accountId = str(p, v, f, pr); break;
            case "errorCode": t.errorCode = str(p, v, f, pr); break;
            case "readOnly":
                // boolean in most events, "true"/"false" in some re-serialised ones: both are fine
                if (v != JsonToken.VALUE_TRUE && v != JsonToken.VALUE_FALSE && v != JsonToken.VALUE_STRING && v != JsonToken.VALUE_NULL) {
                    pr.set(DeadLetterReason.WRONG_TYPE, "readOnly is " + v);
                }
                p.skipChildren();
                break;
            case "eventVersion":
            case "eventType":
                p.skipChildren();
                break;
            case "userIdentity":
                if (t.knownIrrelevant()) {
                    p.skipChildren();
                } else {
                    readUserIdentity(p, v, t);
                }
                break;
            case "requestParameters":
                if (t.knownIrrelevant()) {
                    p.skipChildren();
                } else {
                    readRequestParameters(p, v, t);
                }
                break;
            case "responseElements":
                if (t.knownIrrelevant()) {
                    p.skipChildren();
                } else {
                    readResponseElements(p, v, t);
                }
                break;
            case "additionalEventData":
                if (t.knownIrrelevant() || v != JsonToken.START_OBJECT) {
                    p.skipChildren();
                } else {
                    String g;
                    while ((g = p.nextFieldName()) != null) {
                        JsonToken gv = p.nextToken();
                        if ("inferenceRegion".equals(g)) {
                            t.inferenceRegion = str(p, gv, "additionalEventData.inferenceRegion", pr);
                        } else {
                            p.skipChildren();
                        }
                    }
                }
                break;
            default:
                return false;
        }
        t.sawTrailField = true;
        return true;
    }

    private static void readUserIdentity(JsonParser p, JsonToken v, Trail t) throws IOException {
        if (!expectObject(p, v, "userIdentity", t.problem)) {
            return;
        }
        String f;
        while ((f = p.nextFieldName()) != null) {
            JsonToken fv = p.nextToken();
            switch (f) {
                case "type": t.userIdentityType = str(p, fv, "userIdentity.type", t.problem); break;
                case "arn": t.userIdentityArn = str(p, fv, "userIdentity.arn", t.problem); break;
                case "accountId": t.userIdentityAccountId = str(p, fv, "userIdentity.accountId", t.problem); break;
                case "accessKeyId": t.accessKeyId = str(p, fv, "userIdentity.accessKeyId", t.problem); break;
                case "sessionContext":
                    if (!expectObject(p, fv, "userIdentity.sessionContext", t.problem)) {
                        break;
                    }
                    String g;
                    while ((g = p.nextFieldName()) != null) {
                        JsonToken gv = p.nextToken();
                        if ("sourceIdentity".equals(g)) {
                            t.sourceIdentity = str(p, gv, "userIdentity.sessionContext.sourceIdentity", t.problem);
                        } else if ("sessionIssuer".equals(g)) {
                            t.sessionIssuerArn = readArnOf(p, gv, "userIdentity.sessionContext.sessionIssuer", t.problem);
                        } else {
                            p.skipChildren();
                        }
                    }
                    break;
                case "onBehalfOf":
                    if (!expectObject(p, fv, "userIdentity.onBehalfOf", t.problem)) {
                        break;
                    }
                    String h;
                    while ((h = p.nextFieldName()) != null) {
                        JsonToken hv = p.nextToken();
                        if ("userId".equals(h)) {
                            t.onBehalfOfUserId = str(p, hv, "userIdentity.onBehalfOf.userId", t.problem);
                        } else {
                            p.skipChildren();
                        }
                    }
                    break;
                default:
                    p.skipChildren();
            }
        }
    }

    /** The {@code arn} of an object value such as {@code sessionIssuer} or {@code assumedRoleUser}. */
    private static String readArnOf(JsonParser p, JsonToken v, String path, Problem pr) throws IOException {
        if (!expectObject(p, v, path, pr)) {
            return null;
        }
        String arn = null;
        String f;
        while ((f = p.nextFieldName()) != null) {
            JsonToken fv = p.nextToken();
            if ("arn".equals(f)) {
                arn = str(p, fv, path + ".arn", pr);
            } else {
                p.skipChildren();
            }
        }
        return arn;
    }

    /** The union of the request fields of every event kind we keep: eventName may not be known yet. */
    private static void readRequestParameters(JsonParser p, JsonToken v, Trail t) throws IOException {
        if (!expectObject(p, v, "requestParameters", t.problem)) {
            return;
        }
        Problem pr = t.problem;
        String f;
        while ((f = p.nextFieldName()) != null) {
            JsonToken fv = p.nextToken();
            switch (f) {
                case "modelId": t.modelId = str(p, fv, "requestParameters.modelId", pr); break;
                case "roleArn": t.roleArn = str(p, fv, "requestParameters.roleArn", pr); break;
                case "roleName": t.roleName = str(p, fv, "requestParameters.roleName", pr); break;
                case "userName": t.userName = str(p, fv, "requestParameters.userName", pr); break;
                case "durationSeconds": t.durationSeconds = lenientLong(p, fv, "requestParameters.durationSeconds", pr); break;
                case "tags": t.tags = readTagList(p, fv, "requestParameters.tags", pr); break;
                case "incomingTransitiveTags": t.incomingTransitiveTags = readStringMap(p, fv, "requestParameters.incomingTransitiveTags", pr); break;
                case "principalTags": t.principalTags = readStringMap(p, fv, "requestParameters.principalTags", pr); break;
                case "transitiveTagKeys": t.transitiveTagKeys = readStringList(p, fv, "requestParameters.transitiveTagKeys", pr); break;
                case "tagKeys": t.tagKeys = readStringList(p, fv, "requestParameters.tagKeys", pr); break;
                default: p.skipChildren();
            }
        }
    }

    private static void readResponseElements(JsonParser p, JsonToken v, Trail t) throws IOException {
        if (!expectObject(p, v, "responseElements", t.problem)) {
            return;
        }
        Problem pr = t.problem;
        String f;
        while ((f = p.nextFieldName()) != null) {
            JsonToken fv = p.nextToken();
            switch (f) {
                case "assumedRoleUser": t.assumedRoleArn = readArnOf(p, fv, "responseElements.assumedRoleUser", pr); break;
                case "federatedUser": t.federatedUserArn = readArnOf(p, fv, "responseElements.federatedUser", pr); break;
                case "credentials":
                    if (!expectObject(p, fv, "responseElements.credentials", pr)) {
                        break;
                    }
                    String g;
                    while ((g = p.nextFieldName()) != null) {
                        JsonToken gv = p.nextToken();
                        if ("accessKeyId".equals(g)) {
                            t.sessionAccessKeyId = str(p, gv, "responseElements.credentials.accessKeyId", pr);
                        } else if ("expiration".equals(g)) {
                            // a string in CloudTrail; tolerate epoch numbers from re-serialisers
                            t.expiration = scalarText(p, gv, "responseElements.credentials.expiration", pr);
                        } else {
                            p.skipChildren(); // sessionToken: never read
                        }
                    }
                    break;
                default: p.skipChildren();
            }
        }
    }

    /** {@code [{"key":k,"value":v}, ...]} (also {@code Key}/{@code Value}) in order. */
    private static Map<String, String> readTagList(JsonParser p, JsonToken v, String path, Problem pr) throws IOException {
        if (v != JsonToken.START_ARRAY) {
            if (v != JsonToken.VALUE_NULL) {
                pr.set(DeadLetterReason.WRONG_TYPE, path + " is " + v + ", not an array");
            }
            p.skipChildren();
            return null;
        }
        Map<String, String> m = new LinkedHashMap<>();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new EOFException("unexpected end of " + path);
            }
            if (t != JsonToken.START_OBJECT) {
                pr.set(DeadLetterReason.WRONG_TYPE, path + " element is " + t);
                p.skipChildren();
                continue;
            }
            String key = null, value = null;
            String f;
            while ((f = p.nextFieldName()) != null) {
                JsonToken fv = p.nextToken();
                if ("key".equals(f) || "Key".equals(f)) {
                    key = scalarText(p, fv, path + ".key", pr);
                } else if ("value".equals(f) || "Value".equals(f)) {
                    value = scalarText(p, fv, path + ".value", pr);
                } else {
                    p.skipChildren();
                }
            }
            if (key != null) {
                m.put(key, value == null ? "" : value);
            }
        }
        return m;
    }

    /** {@code {k: v, ...}} with scalar values. */
    private static Map<String, String> readStringMap(JsonParser p, JsonToken v, String path, Problem pr) throws IOException {
        if (v != JsonToken.START_OBJECT) {
            if (v != JsonToken.VALUE_NULL) {
                pr.set(DeadLetterReason.WRONG_TYPE, path + " is " + v + ", not an object");
            }
            p.skipChildren();
            return null;
        }
        Map<String, String> m = new LinkedHashMap<>();
        String f;
        while ((f = p.nextFieldName()) != null) {
            JsonToken fv = p.nextToken();
            String val = scalarText(p, fv, path + ".*", pr);
            if (val != null) {
                m.put(f, val);
            }
        }
        return m;
    }

    /** {@code ["a","b"]} as {@code "a,b"}. */
    private static String readStringList(JsonParser p, JsonToken v, String path, Problem pr) throws IOException {
        if (v != JsonToken.START_ARRAY) {
            if (v != JsonToken.VALUE_NULL) {
                pr.set(DeadLetterReason.WRONG_TYPE, path + " is " + v + ", not an array");
            }
            p.skipChildren();
            return null;
        }
        StringBuilder sb = new StringBuilder();
        JsonToken t;
        while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
            if (t == null) {
                throw new EOFException("unexpected end of " + path);
            }
            String s = scalarText(p, t, path + "[]", pr);
            if (s != null) {
                if (sb.length() > 0) {
                    sb.append(',');
                }
                sb.append(s);
            }
        }
        return sb.toString();
    }

    private static void finishTrail(Trail t, Where w, DecodeSink out) {
        String id = t.eventId != null ? t.eventId : w.id();
        if (t.eventSource == null || t.eventName == null || t.eventTime == null) {
            out.deadLetter(new DeadLetter(DeadLetterReason.MISSING_EVENT_FIELDS,
                    "missing" + (t.eventSource == null ? " eventSource" : "") + (t.eventName == null ? " eventName" : "")
                            + (t.eventTime == null ? " eventTime" : ""), w.origin, w.position, id));
            return;
        }
        TrailEvent.Kind kind = kindOf(t.eventSource, t.eventName);
        if (kind == null) {
            out.skipped("cloudtrail:" + t.eventSource + ":" + t.eventName);
            return;
        }
        if (t.problem.reason != null) {
            out.deadLetter(new DeadLetter(t.problem.reason, t.problem.detail, w.origin, w.position, id));
            return;
        }
        long time = TimeParsing.isoToMillis(t.eventTime);
        if (time == TimeParsing.INVALID || !TimeParsing.plausible(time)) {
            out.deadLetter(new DeadLetter(DeadLetterReason.BAD_TIMESTAMP, time == TimeParsing.INVALID
                    ? "eventTime is not ISO-8601 with zone" : "eventTime outside the plausible range", w.origin, w.position, id));
            return;
        }
        TrailEvent e = new TrailEvent();
        e.kind = kind.name();
        e.eventId = t.eventId;
        e.eventSource = t.eventSource;
        e.eventName = t.eventName;
        e.eventTimeMillis = time;
        e.requestId = t.requestId;
        e.awsRegion = t.awsRegion;
        e.accountId = t.accountId != null ? t.accountId : t.userIdentityAccountId;
        e.errorCode = t.errorCode;
        e.userIdentityType = t.userIdentityType;
        e.userIdentityArn = t.userIdentityArn;
        e.sessionIssuerArn = t.sessionIssuerArn;
        e.accessKeyId = t.accessKeyId == null || t.accessKeyId.isEmpty() ? null : t.accessKeyId;
        e.sourceIdentity = t.sourceIdentity;
        e.onBehalfOfUserId = t.onBehalfOfUserId;
        e.origin = w.origin;
        e.position = w.position;
        switch (kind) {
            case RUNTIME_CALL:
                e.modelId = t.modelId;
                e.inferenceRegion = t.inferenceRegion;
                break;
            case SESSION_START:
                e.roleArn = t.roleArn;
                e.sessionArn = t.assumedRoleArn != null ? t.assumedRoleArn : t.federatedUserArn;
                e.sessionAccessKeyId = t.sessionAccessKeyId;
                e.sessionExpiresMillis = sessionExpiry(t.expiration, time, t.durationSeconds);
                e.sessionTags = mergeSessionTags(t);
                e.transitiveTagKeys = t.transitiveTagKeys;
                break;
            case PRINCIPAL_TAGS:
                boolean role = t.eventName.endsWith("Role");
                e.targetType = role ? "role" : "user";
                e.targetName = role ? t.roleName : t.userName;
                if (t.eventName.startsWith("Create") || t.eventName.startsWith("Tag")) {
                    e.tagsSet = t.tags != null ? t.tags : new LinkedHashMap<>();
                }
                if (t.eventName.startsWith("Untag")) {
                    e.tagKeysRemoved = t.tagKeys != null ? t.tagKeys : "";
                }
                break;
            default:
                throw new IllegalStateException("unhandled kind " + kind);
        }
        out.trail(e);
    }

    /** incomingTransitiveTags, then principalTags (SAML / web identity), then explicit tags: explicit wins. */
    static Map<String, String> mergeSessionTags(Trail t) {
        Map<String, String> m = new LinkedHashMap<>();
        if (t.incomingTransitiveTags != null) {
            m.putAll(t.incomingTransitiveTags);
        }
        if (t.principalTags != null) {
            m.putAll(t.principalTags);
        }
        if (t.tags != null) {
            m.putAll(t.tags);
        }
        return m;
    }

    /** The expiration string, else eventTime + durationSeconds, else eventTime + 1 hour (the STS default). */
    static long sessionExpiry(String expiration, long eventTime, long durationSeconds) {
        long parsed = TimeParsing.expirationToMillis(expiration);
        if (parsed != TimeParsing.INVALID) {
            return parsed;
        }
        if (durationSeconds > 0) {
            return eventTime + durationSeconds * 1000L;
        }
        return eventTime + ONE_HOUR_MS;
    }

    // ------------------------------------------------------------------------------------------
    // scalar readers (current token = the value)

    /** A string value; null for JSON null; WRONG_TYPE (and null) for anything else. */
    private static String str(JsonParser p, JsonToken v, String path, Problem pr) throws IOException {
        if (v == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (v != JsonToken.VALUE_NULL) {
            pr.set(DeadLetterReason.WRONG_TYPE, path + " is " + v + ", not a string");
            p.skipChildren();
        }
        return null;
    }

    /** A string, number or boolean as text (tag values, versions); WRONG_TYPE for objects/arrays. */
    private static String scalarText(JsonParser p, JsonToken v, String path, Problem pr) throws IOException {
        if (v != null && v.isScalarValue()) {
            return v == JsonToken.VALUE_NULL ? null : p.getText();
        }
        pr.set(DeadLetterReason.WRONG_TYPE, path + " is " + v);
        p.skipChildren();
        return null;
    }

    /** A non-negative integer, also as a numeric string; -1 when absent or unusable. */
    private static long lenientLong(JsonParser p, JsonToken v, String path, Problem pr) throws IOException {
        if (v == JsonToken.VALUE_NUMBER_INT && p.getNumberType() != JsonParser.NumberType.BIG_INTEGER) {
            return p.getLongValue();
        }
        if (v == JsonToken.VALUE_STRING) {
            return parseDigits(p.getText());
        }
        if (v != JsonToken.VALUE_NULL) {
            pr.set(DeadLetterReason.WRONG_TYPE, path + " is " + v);
            p.skipChildren();
        }
        return -1;
    }

    /** A token count: integer or numeric string; absent/null = 0; validated against sign and the cap. */
    private long count(JsonParser p, JsonToken v, String path, Problem pr) throws IOException {
        long n;
        switch (v) {
            case VALUE_NULL:
                return 0;
            case VALUE_NUMBER_INT:
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    boolean negative = p.getBigIntegerValue().signum() < 0;
                    pr.set(negative ? DeadLetterReason.NEGATIVE_TOKEN_COUNT : DeadLetterReason.ABSURD_TOKEN_COUNT,
                            path + " is beyond the long range");
                    return 0;
                }
                n = p.getLongValue();
                break;
            case VALUE_STRING:
                String s = p.getText().trim();
                boolean negative = s.startsWith("-");
                long parsed = parseDigits(negative ? s.substring(1) : s);
                if (parsed == -1) {
                    pr.set(DeadLetterReason.WRONG_TYPE, path + " is a non-numeric string");
                    return 0;
                }
                if (parsed == -2) {
                    pr.set(negative ? DeadLetterReason.NEGATIVE_TOKEN_COUNT : DeadLetterReason.ABSURD_TOKEN_COUNT,
                            path + " is beyond the long range");
                    return 0;
                }
                n = negative ? -parsed : parsed;
                break;
            default:
                pr.set(DeadLetterReason.WRONG_TYPE, path + " is " + v + ", not an integer");
                p.skipChildren();
                return 0;
        }
        if (n < 0) {
            pr.set(DeadLetterReason.NEGATIVE_TOKEN_COUNT, path + " is " + n);
            return 0;
        }
        if (n > limits.maxTokenCount) {
            pr.set(DeadLetterReason.ABSURD_TOKEN_COUNT, path + " is " + n + ", cap " + limits.maxTokenCount);
            return 0;
        }
        return n;
    }

    /** Decimal digits to a long: -1 if not all digits (or empty), -2 if beyond the long range. */
    static long parseDigits(String s) {
        int len = s.length();
        if (len == 0) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            if (v > (Long.MAX_VALUE - (c - '0')) / 10) {
                // keep scanning so "999...x" is still WRONG_TYPE, not absurd
                for (int j = i + 1; j < len; j++) {
                    char d = s.charAt(j);
                    if (d < '0' || d > '9') {
                        return -1;
                    }
                }
                return -2;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
