package io.bedrockspend.ingest;

/**
 * One framed unit of input before decoding: a line or document of a file, or one Kinesis record.
 * {@code payload} is the bytes as delivered (possibly gzip). When the framing itself failed
 * (truncated gzip, oversized record), {@code payload} is null and {@code framingError} says why.
 */
public class RawRecord {
    /** File path or stream/shard id. */
    public String origin;
    /** Line number (files) or sequence number (Kinesis), as text. */
    public String position;
    public byte[] payload;
    /** A {@link DeadLetterReason} name when the reader could not frame this record; otherwise null. */
    public String framingError;
    /** Human detail for a framing error; never contains record content. */
    public String framingDetail;
    /**
     * -1, or the index of this record in the {@code Records} array of a CloudTrail delivery document: the
     * file framer streams such a document element by element, each as the one-element document
     * {@code {"Records":[element]}}, so a large delivery never has to fit in one record; the decoder names
     * the element {@code Records[recordsIndex]}.
     */
    public int recordsIndex = -1;

    public RawRecord() {}

    public RawRecord(String origin, String position, byte[] payload) {
        this.origin = origin;
        this.position = position;
        this.payload = payload;
    }

    public static RawRecord framingError(String origin, String position, DeadLetterReason reason, String detail) {
        RawRecord r = new RawRecord(origin, position, null);
        r.framingError = reason.name();
        r.framingDetail = detail;
        return r;
    }
}
