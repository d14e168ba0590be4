package io.bedrockspend.identity;

/** How much of a call's identity context was known when it was emitted. */
public enum Attribution {
    /** The team key was resolved from the principal's (and session's) tags. */
    COMPLETE("complete"),
    /** Some tags are known for the principal, but not the team key. */
    PARTIAL("partial"),
    /** Nothing is known about the principal's tags: the call goes to the unattributed bucket. */
    NONE("none");

    public final String wire;

    Attribution(String wire) {
        this.wire = wire;
    }
}
