package io.bedrockspend.ingest;

/**
 * A record the job could not use, with its reason and where it came from. Never carries the
 * record's content (prompt and response bodies must not leak here); at most its requestId.
 */
public class DeadLetter {
    /** {@link DeadLetterReason} name. */
    public String reason;
    /** Human detail: field names, line/column, sizes. Never record content. */
    public String detail;
    public String origin;
    public String position;
    /** requestId or eventID when it could be read before the failure; otherwise null. */
    public String recordId;

    public DeadLetter() {}

    public DeadLetter(DeadLetterReason reason, String detail, String origin, String position, String recordId) {
        this.reason = reason.name();
        this.detail = detail;
        this.origin = origin;
        this.position = position;
        this.recordId = recordId;
    }

    @Override
    public String toString() {
        return reason + " @ " + origin + ":" + position + " (" + detail + ")";
    }
}
