package io.bedrockspend.identity;

/** How much of a call's identity context was known when the call was emitted. */
public enum Attribution {
    /**
     * Everything the call's principal can have was known: an IAM user's (or root's) principal tags, or
     * for a role session also its session (the STS event that started it, with its session tags).
     */
    COMPLETE("complete"),
    /**
     * Emitted without its session context: the STS event for the session was not seen within the
     * wait. Principal tags are applied; session tags, if the session had any, are missing.
     */
    PARTIAL("partial"),
    /** Nothing is known about the principal: no principal tags and no session tags. */
    NONE("none");

    public final String wire;

    Attribution(String wire) {
        this.wire = wire;
    }
}
