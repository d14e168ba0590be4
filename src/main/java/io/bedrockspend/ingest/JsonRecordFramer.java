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
        while (true) {
            if (bufPos == bufLen) {
                if (eof || !fill()) {
                    done = true;
                    return started ? emit() : null;
                }
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
                        return emit();
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
                        return emit();
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
                while (i <= end - 8) {
                    long m = stringEnds((long) LONGS.get(b, i));
                    if (m != 0) {
                        i += Long.numberOfTrailingZeros(m) >>> 3; // the lowest flagged byte is exact
                        break;
                    }
                    i += 8;
                }
                while (i < end) {
                    byte s = b[i];
                    if (s == '"' || s == '\\' || s == '\n') {
                        break;
                    }
                    i++;
                }
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
        if (accLen + n > maxRecordBytes) {
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
        if (accLen + 1 > maxRecordBytes) {
            overflow = true;
            return;
        }
        if (accLen == acc.length) {
            acc = Arrays.copyOf(acc, Math.min(maxRecordBytes, acc.length * 2));
        }
        acc[accLen++] = c;
    }

    private RawRecord emit() {
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
        accLen = 0;
        overflow = false;
        started = false;
        depth = 0;
        inString = false;
        escape = false;
        if (acc.length > (1 << 20)) {
            acc = new byte[4096]; // don't keep a huge buffer alive for the rest of the file
        }
        return r;
    }

    @Override
    public void close() throws IOException {
        (in != null ? in : raw).close();
    }
}
