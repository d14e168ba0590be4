package io.bedrockspend.cli;

import java.io.PrintStream;

/** Entry point of {@code bin/bedrock-spend}: dispatches to a command and maps the outcome to an exit code. */
public final class Main {
    static final String USAGE = """
            usage: bedrock-spend <command> [options]     (bedrock-spend <command> --help for details)

            commands:
              demo [--for DURATION]      local Flink with synthetic Bedrock traffic and a live per-team spend table
              replay --invocations PATH... --cloudtrail PATH... --out DIR
                                         run the full pipeline over files and folders
              run --config FILE          the production job on Kinesis (also the main class for flink run)
              backfill --log-group G --from T --to T --ledger PATH
                                         priced calls of a past window from CloudWatch Logs
              principals export --out FILE
                                         IAM roles/users and their tags -> principal-tag seed file
              profiles export --out FILE application inference profiles -> --inference-profiles map (+ tags)
              pricing fetch|validate|diff
                                         build and check pricing snapshots
              reconcile --cur PATH --ledger PATH --out DIR
                                         compare the ledger with a CUR 2.0 export

            exit codes: 0 ok, 1 job failed, 2 bad command line, 3 missing or unreadable input,
                        5 reconcile: drift beyond tolerance, 130 interrupted
            """;

    private Main() {}

    public static void main(String[] args) {
        int code = run(args, System.out, System.err);
        System.out.flush();
        System.err.flush();
        // the CLI's own process: the only place that decides the exit status
        System.exit(code);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            (args.length == 0 ? err : out).print(USAGE);
            return args.length == 0 ? ExitCodes.USAGE : ExitCodes.OK;
        }
        try {
            return switch (args[0]) {
                case "demo" -> DemoCommand.run(args, out, err);
                case "replay" -> ReplayCommand.run(args, out, err);
                case "run" -> RunCommand.run(args, out, err);
                case "backfill" -> BackfillCommand.run(args, out, err);
                case "principals" -> PrincipalsCommand.run(args, out, err);
                case "profiles" -> ProfilesCommand.run(args, out, err);
                case "pricing" -> PricingCommand.run(args, out, err);
                case "reconcile" -> ReconcileCommand.run(args, out, err);
                default -> {
                    err.println("unknown command: " + args[0]);
                    err.print(USAGE);
                    yield ExitCodes.USAGE;
                }
            };
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println(args[0] + ": interrupted");
            return ExitCodes.INTERRUPTED;
        } catch (Exception e) {
            err.println(args[0] + ": failed: " + rootMessage(e));
            return ExitCodes.FAILED;
        }
    }

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) c = c.getCause();
        String m = c.getMessage();
        return c.getClass().getSimpleName() + (m == null ? "" : ": " + m);
    }
}
