package io.bedrockspend.ingest;

/** Receives what {@link RecordDecoder} makes of one {@link RawRecord}: zero or more outputs of each kind. */
public interface DecodeSink {
    void call(InvocationCall c);

    void trail(TrailEvent e);

    void deadLetter(DeadLetter d);

    /** Something dropped on purpose (CONTROL_MESSAGE, CloudTrail events of no interest): count it, don't dead-letter it. */
    void skipped(String what);
}
