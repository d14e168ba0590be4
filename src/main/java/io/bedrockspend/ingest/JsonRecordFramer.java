package io.bedrockspend.ingest;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Frames a byte stream into one {@link RawRecord} per JSON value: JSON Lines, and also pretty-printed
 * multi-line documents. A line that closes its value is a record on its own (the fast path); otherwise
 * the following lines are accumulated while a byte scanner tracks brace/bracket depth outside strings,
 * until the value closes. A line starting with {@code {} at column 0 while a value is still open
 * means the open value was truncated: it is emitted as is (the decoder dead-letters it) and framing
 * restarts. Gzip is detected by magic bytes, so files not named {@code .gz} are handled too.
 *
 * <p>A CloudTrail delivery document (a value that starts {@code {"Records":[}, as a trail writes its S3
 * objects) is streamed element by element: each element becomes the one-element document
 * {@code {"Records":[element]}} with {@link RawRecord#recordsIndex} set, so a busy account's delivery of
 * tens of megabytes is never held whole and the record size cap applies to each event, not to the file.
 * Grammar faults between elements (a missing or extra comma) are reported once the document ends, as an
 * {@code INVALID_JSON} framing error, and the elements are still framed; content after the array other
 * than the closing brace is an {@code UNKNOWN_SHAPE} framing error and is skipped. A '}' where an element
 * belongs closes the document (its ']' is missing), and, as for any open value, a line starting with '{'
 * means the delivery was cut short: the event being framed goes to the decoder as it is, the document is
 * reported, and the new record is framed.
 *
 * <p>Not thread-safe; one instance per file.
 */
public final class JsonRecordFramer implements AutoCloseable {
    private static final int CHUNK = 64 * 1024;

    private final String origin;
    private final int maxRecordBytes;
    private final InputStream raw;
    private InputStream in;
    private final byte[] buf = new byte[CHUNK];
    private int bufPos;
    private int bufLen;
    private boolean eof;
    private boolean done;

    // current value
    private byte[] acc = new byte[4096];
    private int accLen;
    private boolean overflow;
    private boolean started; // a non-whitespace byte was seen
    private int depth;
    private boolean inString;
    private boolean escape;
    private long startLine;
    // reading position
    private long line = 1;
    private boolean atLineStart = true;

    // CloudTrail delivery documents, framed element by element (see the class comment)
    private static final int VALUE = 0, RECORDS = 1, ELEMENT = 2, AFTER_RECORDS = 3;
    private static final byte[] RECORDS_OPEN = "{\"Records\":[".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    private static final byte[] RECORDS_CLOSE = {']', '}'};
    /** Bytes looked at to recognise {@code {"Records":[} (whitespace included) at the start of a value. */
    private static final int PEEK = 256;
    private int mode = VALUE;
    private boolean peeked;         // the value starting at bufPos was already checked for a Records document
    private long recordsLine;       // line where the Records document began
    private int recordsIndex;       // index of the next element
    private boolean expectElement;  // after '[' or ',': an element must come next
    private boolean anyElement;     // an element was seen in this document
    private String recordsProblem;  // first grammar fault between elements, reported when the document ends
    private boolean elementBegun;   // the element being framed has a first byte
    private boolean elementDone;    // scanElement found the element's end
    private boolean elementCut;     // scanElement met a '{' at column 0: a new record, so this element was cut short
    private boolean cutShort;       // the document was cut short: report it, then frame the new record
    private boolean recordsNewline; // the last byte read inside the document was a newline
    private boolean discard;        // the value being framed is the rest of a document already reported

    public JsonRecordFramer(InputStream in, String origin, int maxRecordBytes) {
        this.raw = in;
        this.origin = origin;
        this.maxRecordBytes = maxRecordBytes;
    }

    /** Next record, or null at the end of the stream. */
    public RawRecord next() throws IOException {
        if (done) {
            return null;
        }
        try {
            if (in == null) {
                in = openMaybeGzip(raw);
            }
            return scan();
        } catch (EOFException | ZipException e) {
            // a truncated or corrupt gzip stream (ours or Flink's decompressor): report it and end the file
            done = true;
            return RawRecord.framingError(origin, "line " + (started ? startLine : line), DeadLetterReason.TRUNCATED_GZIP,
                    e.getClass().getSimpleName() + " after " + (line - 1) + " complete lines");
        }
    }

    /** Wraps in a GZIPInputStream when the data starts with the gzip magic bytes. */
    static InputStream openMaybeGzip(InputStream raw) throws IOException {
        PushbackInputStream pb = new PushbackInputStream(raw, 2);
        byte[] head = new byte[2];
        int n = 0;
        while (n < 2) {
            int r = pb.read(head, n, 2 - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        if (n > 0) {
            pb.unread(head, 0, n);
        }
        if (n == 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return new GZIPInputStream(pb, CHUNK);
        }
        return pb;
    }

    private RawRecord scan() throws IOException {
        outer:
        while (true) {
            if (bufPos == bufLen) {
                if (eof || !fill()) {
                    if (mode != VALUE) {
                        return recordsAtEnd();
                    }
                    done = true;
                    return started ? emit() : null;
                }
            }
            if (mode != VALUE) {
                RawRecord r = scanRecords();
                if (r != null) {
                    return r;
                }
                continue;
            }
            byte[] b = buf;
            int i = bufPos;
            int end = bufLen;
            int segStart = i; // bytes [segStart, i) belong to the current value and are not yet copied
            while (i < end) {
                if (started && !escape && !atLineStart) {
                    // the bulk of a value: tracked with locals in a tight loop; the byte it stops at (a
                    // newline, an escape next to a newline or at the buffer end) goes through the general path
                    i = scanValue(b, i, end);
                    if (i == end) {
                        break;
                    }
                }
                byte c = b[i];
                if (atLineStart) {
                    atLineStart = false;
                    if (c == '{' && started && (depth > 0 || inString)) {
                        // a new JSON Lines record while the previous one is still open: that one was truncated
                        append(b, segStart, i);
                        bufPos = i;
                        atLineStart = true; // re-examine this byte as the start of the next record
                        RawRecord r = emit();
                        if (r != null) {
                            return r;
                        }
                        continue outer;
                    }
                }
                if (c == '\n') {
                    if (started && depth <= 0 && !inString && accLen == 0 && !overflow && i - segStart <= maxRecordBytes) {
                        // the whole record is in this buffer (the JSON Lines case): copy it once, not via acc
                        line++;
                        atLineStart = true;
                        bufPos = i + 1;
                        return emit(b, segStart, i);
                    }
                    append(b, segStart, i);
                    line++;
                    atLineStart = true;
                    i++;
                    segStart = i;
                    if (started && depth <= 0 && !inString) {
                        bufPos = i;
                        RawRecord r = emit();
                        if (r != null) {
                            return r;
                        }
                        continue outer;
                    }
                    if (started) {
                        appendByte((byte) '\n');
                    }
                    continue;
                }
                if (!started) {
                    if (c == ' ' || c == '\t' || c == '\r') {
                        i++;
                        segStart = i;
                        continue;
                    }
                    if (c == '{' && !peeked) {
                        peeked = true;
                        bufPos = i;
                        if (enterRecords()) {
                            peeked = false;
                        }
                        continue outer; // the buffer may have moved; the value start is seen again
                    }
                    peeked = false;
                    started = true;
                    startLine = line;
                    segStart = i;
                }
                if (inString) {
                    if (escape) {
                        escape = false;
                    } else if (c == '\\') {
                        escape = true;
                    } else if (c == '"') {
                        inString = false;
                    }
                } else if (c == '"') {
                    inString = true;
                } else if (c == '{' || c == '[') {
                    depth++;
                } else if (c == '}' || c == ']') {
                    depth--;
                }
                i++;
            }
            append(b, segStart, end);
            bufPos = end;
        }
    }

    /**
     * Inside a value (not at a line start, no pending escape): follows strings, escapes and depth exactly as
     * the general path does, skipping string content 8 bytes at a time. Returns the index of the first byte
     * it leaves to the general path, or {@code end}.
     */
    private int scanValue(byte[] b, int i, int end) {
        boolean str = inString;
        int d = depth;
        while (i < end) {
            if (str) {
                i = stringContentEnd(b, i, end);
                if (i == end) {
                    break;
                }
                byte c = b[i];
                if (c == '"') {
                    str = false;
                    i++;
                } else if (c == '\\' && i + 1 < end && b[i + 1] != '\n') {
                    i += 2; // the escaped byte, whatever it is, stays in the string
                } else {
                    break; // a newline, or an escape the general path must see
                }
            } else {
                byte c = b[i];
                if (c == '"') {
                    str = true;
                } else if (c == '{' || c == '[') {
                    d++;
                } else if (c == '}' || c == ']') {
                    d--;
                } else if (c == '\n') {
                    break;
                }
                i++;
            }
        }
        inString = str;
        depth = d;
        return i;
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;

    /** Inside a string: the index of the first '"', '\\' or '\n' from {@code i}, or {@code end}; 8 bytes at a time. */
    private static int stringContentEnd(byte[] b, int i, int end) {
        while (i <= end - 8) {
            long m = stringEnds((long) LONGS.get(b, i));
            if (m != 0) {
                return i + (Long.numberOfTrailingZeros(m) >>> 3); // the lowest flagged byte is exact
            }
            i += 8;
        }
        while (i < end && b[i] != '"' && b[i] != '\\' && b[i] != '\n') {
            i++;
        }
        return i;
    }

    /**
     * The high bit of each of the 8 bytes (little-endian) that may be '"', '\\' or '\n'; 0 if none is. Bytes
     * above a real match may be flagged too (borrows), never below it, so the lowest flag is exact.
     */
    private static long stringEnds(long x) {
        long q = x ^ 0x2222222222222222L;
        long s = x ^ 0x5C5C5C5C5C5C5C5CL;
        long n = x ^ 0x0A0A0A0A0A0A0A0AL;
        return (((q - ONES) & ~q) | ((s - ONES) & ~s) | ((n - ONES) & ~n)) & 0x8080808080808080L;
    }

    private boolean fill() throws IOException {
        int r = in.read(buf, 0, buf.length);
        while (r == 0) {
            r = in.read(buf, 0, buf.length);
        }
        if (r < 0) {
            eof = true;
            bufPos = bufLen = 0;
            return false;
        }
        bufPos = 0;
        bufLen = r;
        return true;
    }

    private void append(byte[] b, int from, int to) {
        int n = to - from;
        if (n <= 0 || overflow) {
            return;
        }
        if (accLen + n > cap()) {
            overflow = true; // keep scanning to find the end of the value, but stop storing it
            return;
        }
        if (accLen + n > acc.length) {
            acc = Arrays.copyOf(acc, Math.min(maxRecordBytes, Math.max(acc.length * 2, accLen + n)));
        }
        System.arraycopy(b, from, acc, accLen, n);
        accLen += n;
    }

    private void appendByte(byte c) {
        if (overflow) {
            return;
        }
        if (accLen + 1 > cap()) {
            overflow = true;
            return;
        }
        if (accLen == acc.length) {
            acc = Arrays.copyOf(acc, Math.min(maxRecordBytes, acc.length * 2));
        }
        acc[accLen++] = c;
    }

    /** The current value as a record; null when it was the skipped rest of an already reported document. */
    private RawRecord emit() {
        if (discard) {
            discard = false;
            reset();
            return null;
        }
        return emit(acc, 0, accLen);
    }

    /** The record made of {@code from[start, end)} (acc, or the read buffer), trailing whitespace trimmed. */
    private RawRecord emit(byte[] from, int start, int end) {
        String pos = "line " + startLine;
        RawRecord r;
        if (overflow) {
            r = RawRecord.framingError(origin, pos, DeadLetterReason.RECORD_TOO_LARGE,
                    "record starting at " + pos + " exceeds " + maxRecordBytes + " bytes");
        } else {
            int n = end;
            while (n > start && (from[n - 1] == '\r' || from[n - 1] == ' ' || from[n - 1] == '\t' || from[n - 1] == '\n')) {
                n--;
            }
            r = new RawRecord(origin, pos, Arrays.copyOfRange(from, start, n));
        }
        reset();
        return r;
    }

    private void reset() {
        accLen = 0;
        overflow = false;
        started = false;
        depth = 0;
        inString = false;
        escape = false;
        if (acc.length > (1 << 20)) {
            acc = new byte[4096]; // don't keep a huge buffer alive for the rest of the file
        }
    }

    /** Most bytes the current value may have: a streamed element leaves room for its one-element wrapper. */
    private int cap() {
        return mode == ELEMENT ? Math.max(1, maxRecordBytes - RECORDS_OPEN.length - RECORDS_CLOSE.length) : maxRecordBytes;
    }

    // --- CloudTrail delivery documents

    /**
     * At a value starting with '{' at {@code bufPos}: if it opens {@code {"Records":[} (whitespace allowed
     * between the tokens, within {@link #PEEK} bytes), consumes that and enters {@link #RECORDS}.
     */
    private boolean enterRecords() throws IOException {
        lookAhead();
        byte[] b = buf;
        int end = bufLen;
        int i = bufPos + 1;
        long lines = 0;
        for (int k = 1; k < RECORDS_OPEN.length; k++) {
            // whitespace may separate the tokens '{', "Records", ':' and '['
            if (k == 1 || k == 10 || k == 11) {
                while (i < end && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n')) {
                    if (b[i] == '\n') {
                        lines++;
                    }
                    i++;
                }
            }
            if (i >= end || b[i] != RECORDS_OPEN[k]) {
                return false;
            }
            i++;
        }
        recordsLine = line;
        line += lines;
        atLineStart = false;
        bufPos = i;
        mode = RECORDS;
        recordsIndex = 0;
        expectElement = true;
        anyElement = false;
        recordsProblem = null;
        recordsNewline = false; // the opening ends with '['
        return true;
    }

    /** Makes at least {@link #PEEK} bytes readable from {@code bufPos} (fewer at the end of the input). */
    private void lookAhead() throws IOException {
        if (bufLen - bufPos >= PEEK || eof) {
            return;
        }
        System.arraycopy(buf, bufPos, buf, 0, bufLen - bufPos);
        bufLen -= bufPos;
        bufPos = 0;
        while (bufLen < PEEK) {
            int r = in.read(buf, bufLen, buf.length - bufLen);
            if (r < 0) {
                eof = true;
                return;
            }
            bufLen += r;
        }
    }

    /** Frames inside a Records document from {@code bufPos}: an element or a report, or null having consumed the buffer or left the document. */
    private RawRecord scanRecords() {
        if (cutShort) {
            cutShort = false;
            return leaveDocument("cut short: a new record starts at line " + line);
        }
        byte[] b = buf;
        int i = bufPos;
        int end = bufLen;
        while (i < end) {
            if (mode == ELEMENT) {
                int from = i;
                i = scanElement(b, i, end);
                if (!elementDone && !elementCut) { // the element goes on in the next buffer
                    append(b, from, i);
                    break;
                }
                bufPos = i;
                atLineStart = false;
                if (accLen == 0 && !overflow && i - from > cap()) {
                    overflow = true;
                }
                RawRecord r = accLen == 0 && !overflow ? emitElement(b, from, i) : emitElement(from, i);
                mode = RECORDS;
                if (elementCut) { // the element goes to the decoder as it is (it dead-letters it), then the document
                    elementCut = false;
                    cutShort = true;
                }
                return r;
            }
            byte c = b[i];
            if (recordsNewline && c == '{') {
                // as for any open value: a line starting with '{' is a new record, the document was cut short
                bufPos = i;
                return leaveDocument("cut short: a new record starts at line " + line);
            }
            recordsNewline = c == '\n';
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                if (c == '\n') {
                    line++;
                }
                i++;
                continue;
            }
            if (mode == AFTER_RECORDS) {
                bufPos = i + 1;
                mode = VALUE;
                if (c == '}') {
                    atLineStart = false;
                    return recordsProblem == null ? null : documentError(DeadLetterReason.INVALID_JSON, null);
                }
                // {"Records":[...], ...}: skip the rest as the remainder of the open root object
                started = true;
                startLine = line;
                depth = 1;
                overflow = true;
                discard = true;
                atLineStart = false;
                bufPos = i;
                return documentError(DeadLetterReason.UNKNOWN_SHAPE, "content after its Records array at line " + line
                        + " (only {\"Records\":[...]} is read as a CloudTrail delivery)");
            }
            // between elements
            if (c == ']') {
                if (expectElement && anyElement) {
                    problem("',' before ']' at line " + line);
                }
                mode = AFTER_RECORDS;
                i++;
            } else if (c == ',') {
                if (expectElement) {
                    problem("',' where an element belongs at line " + line);
                }
                expectElement = true;
                i++;
            } else if (c == '}') { // the document closes without closing its array
                bufPos = i + 1;
                return leaveDocument("']' missing before '}' at line " + line);
            } else if (c == ':') {
                problem("':' where an element belongs at line " + line);
                i++;
            } else {
                if (!expectElement) {
                    problem("',' missing between elements at line " + line);
                }
                mode = ELEMENT;
                expectElement = false;
                anyElement = true;
                elementBegun = false;
                elementDone = false;
                depth = 0;
                inString = false;
                escape = false;
            }
        }
        bufPos = i;
        atLineStart = i > 0 && b[i - 1] == '\n';
        return null;
    }

    /** Ends the document at {@code bufPos} with its report: {@code what} (and the first fault before it, if any). */
    private RawRecord leaveDocument(String what) {
        mode = VALUE;
        atLineStart = recordsNewline;
        recordsNewline = false;
        return documentError(DeadLetterReason.INVALID_JSON, what);
    }

    private void problem(String what) {
        if (recordsProblem == null) {
            recordsProblem = what;
        }
    }

    /**
     * Follows one element from {@code i}: strings (8 bytes at a time), escapes, depth. Sets {@link #elementDone}
     * when the element is complete (a container or string just closed, or a scalar meets a delimiter,
     * which is left unread); returns the index after the element's last byte, or {@code end}.
     */
    private int scanElement(byte[] b, int i, int end) {
        boolean str = inString;
        boolean esc = escape;
        boolean begun = elementBegun;
        boolean nl = recordsNewline;
        int d = depth;
        while (i < end) {
            if (nl && b[i] == '{') {
                elementCut = true; // a line starting with '{' inside an open element: a new record
                break;
            }
            nl = false;
            if (str) {
                if (esc) {
                    esc = false;
                    i++;
                    continue;
                }
                i = stringContentEnd(b, i, end);
                if (i == end) {
                    break;
                }
                byte c = b[i++];
                if (c == '"') {
                    str = false;
                    if (d == 0) {
                        elementDone = true;
                        break;
                    }
                } else if (c == '\\') {
                    esc = true;
                } else {
                    line++; // a raw newline in a string: invalid JSON, the decoder reports it
                    nl = true;
                }
                continue;
            }
            byte c = b[i];
            if (begun && d == 0 && (c == ',' || c == ']' || c == '}' || c == ' ' || c == '\t' || c == '\r' || c == '\n')) {
                elementDone = true; // the end of a number or literal
                break;
            }
            begun = true;
            i++;
            if (c == '"') {
                str = true;
            } else if (c == '{' || c == '[') {
                d++;
            } else if (c == '}' || c == ']') {
                if (--d == 0) {
                    elementDone = true;
                    break;
                }
            } else if (c == '\n') {
                line++;
                nl = true;
            }
        }
        inString = str;
        escape = esc;
        elementBegun = begun;
        recordsNewline = nl;
        depth = d;
        return i;
    }

    /** The element held in {@code acc} plus {@code buf[from, to)}. */
    private RawRecord emitElement(int from, int to) {
        append(buf, from, to);
        return emitElement(acc, 0, accLen);
    }

    /** The element {@code src[start, end)} as the record {@code {"Records":[element]}}. */
    private RawRecord emitElement(byte[] src, int start, int end) {
        int index = recordsIndex++;
        RawRecord r;
        if (overflow) {
            r = RawRecord.framingError(origin, "line " + recordsLine + "/Records[" + index + "]", DeadLetterReason.RECORD_TOO_LARGE,
                    "element exceeds " + maxRecordBytes + " bytes");
        } else {
            int n = end - start;
            byte[] p = new byte[RECORDS_OPEN.length + n + RECORDS_CLOSE.length];
            System.arraycopy(RECORDS_OPEN, 0, p, 0, RECORDS_OPEN.length);
            System.arraycopy(src, start, p, RECORDS_OPEN.length, n);
            System.arraycopy(RECORDS_CLOSE, 0, p, RECORDS_OPEN.length + n, RECORDS_CLOSE.length);
            r = new RawRecord(origin, "line " + recordsLine, p);
        }
        r.recordsIndex = index;
        reset();
        return r;
    }

    /**
     * A framing error about the Records document as a whole (positioned at its first line): {@code what}
     * ended it, and the first fault found between its elements, if any, is told too (alone if {@code what} is null).
     */
    private RawRecord documentError(DeadLetterReason reason, String what) {
        String detail = what == null ? recordsProblem : recordsProblem == null ? what : what + "; also " + recordsProblem;
        return RawRecord.framingError(origin, "line " + recordsLine, reason, "CloudTrail delivery document: " + detail);
    }

    /** End of input inside a Records document. */
    private RawRecord recordsAtEnd() {
        if (mode == ELEMENT) { // the element is cut short: the decoder reports it; then the document below
            RawRecord r = emitElement(acc, 0, accLen);
            mode = RECORDS;
            expectElement = false;
            return r;
        }
        done = true;
        return leaveDocument("the input ends inside it");
    }

    @Override
    public void close() throws IOException {
        (in != null ? in : raw).close();
    }
}
