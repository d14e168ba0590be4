package io.bedrockspend.cli;

/** Process exit codes of {@code bin/bedrock-spend}; documented in README.md. */
public final class ExitCodes {
    /** Success. */
    public static final int OK = 0;
    /** The job failed while running (see the message and the log). */
    public static final int FAILED = 1;
    /** Bad command line. */
    public static final int USAGE = 2;
    /** An input path, the pricing folder or a configuration file is missing or unreadable. */
    public static final int BAD_INPUT = 3;
    /** Reconciliation: some key drifts beyond the tolerance. */
    public static final int DRIFT = 5;
    /** Interrupted (Ctrl-C) before finishing. */
    public static final int INTERRUPTED = 130;

    private ExitCodes() {}
}
