package io.bedrockspend.cli;

import io.bedrockspend.run.ConfigException;
import io.bedrockspend.run.JobConfig;
import io.bedrockspend.run.ReferenceFiles;
import io.bedrockspend.run.SpendJob;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

/**
 * {@code run --config FILE}: the production job on Kinesis. The same class is the Flink main class
 * for {@code flink run} and Managed Service for Apache Flink ({@link #main}); there, with no
 * {@code --config}, the runtime properties the service mounts are read instead.
 */
public final class RunCommand {
    static final String USAGE = """
            usage: bedrock-spend run --config FILE [--plan]

            Runs the production job: Kinesis invocation-log and CloudTrail streams in; the priced-call
            ledger (hourly JSON Lines files, exactly once), the live per-team spend stream and dead
            letters out. Checkpointed; restart from a savepoint with Flink's -s / execution.state-recovery.path.
            FILE is YAML (.yaml/.yml), JSON or .properties; every key is in docs/deployment.md.
            Without a Flink cluster it runs on a local MiniCluster until interrupted.

              --config FILE   job configuration
              --plan          print the job graph (JSON) and exit without running

            As a Flink main class: flink run -c io.bedrockspend.cli.RunCommand bedrock-spend.jar --config FILE
            On Managed Service for Apache Flink the runtime properties are read from
            /etc/flink/application_properties.json (group "bedrock-spend"; other groups prefix their keys).
            """;

    private RunCommand() {}

    /** Flink entry point ({@code flink run}, Managed Flink). Throws instead of exiting: the JVM is the cluster's. */
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            if (!Files.isRegularFile(JobConfig.MANAGED_FLINK_PROPERTIES)) {
                throw new ConfigException("no --config FILE given and no Managed Flink runtime properties at "
                        + JobConfig.MANAGED_FLINK_PROPERTIES);
            }
            JobConfig cfg = JobConfig.fromManagedFlink(JobConfig.MANAGED_FLINK_PROPERTIES);
            execute(cfg, true, false, System.out);
            return;
        }
        String[] argv = new String[args.length + 1];
        argv[0] = "run";
        System.arraycopy(args, 0, argv, 1, args.length);
        int code = run(argv, System.out, System.err);
        if (code != ExitCodes.OK) throw new IllegalStateException("run failed with exit code " + code + " (see the message above)");
    }

    static int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        Args a;
        try {
            a = Args.parse(argv, 1, Set.of("config"), Set.of("plan"));
            if (a.has("help")) { out.print(USAGE); return ExitCodes.OK; }
            a.required("config");
        } catch (Args.UsageException e) {
            err.println("run: " + e.getMessage());
            err.print(USAGE);
            return ExitCodes.USAGE;
        }
        JobConfig cfg;
        try {
            cfg = JobConfig.fromFile(Path.of(a.one("config", null)));
        } catch (ConfigException e) {
            err.println("run: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        for (String path : new String[]{cfg.ledgerPath, cfg.deadLettersPath}) {
            if (path == null) continue;
            try {
                // fail before building the job: FileSink would only say "could not create committable serializer"
                new org.apache.flink.core.fs.Path(path).getFileSystem();
            } catch (IOException e) {
                err.println("run: no file system for " + path + ": " + e.getMessage());
                return ExitCodes.BAD_INPUT;
            }
        }
        try {
            return execute(cfg, false, a.has("plan"), out);
        } catch (IOException e) {
            // reference data (pricing, principal tags, profile map) missing or invalid
            err.println("run: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
    }

    static int execute(JobConfig cfg, boolean managedFlink, boolean planOnly, PrintStream out) throws Exception {
        SpendJob.Reference ref = ReferenceFiles.load(cfg, Launcher.pricingDir(null));
        // getExecutionEnvironment: the cluster's under flink run / Managed Flink, else a local MiniCluster
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                SpendJob.flinkConfiguration(cfg, managedFlink));
        SpendJob.define(env, cfg, ref);
        if (planOnly) {
            out.println(env.getExecutionPlan());
            return ExitCodes.OK;
        }
        out.println("run: starting " + cfg.jobName + " (invocations " + JobConfig.streamName(cfg.invocationsStreamArn)
                + (cfg.cloudtrailStreamArn != null ? ", cloudtrail " + JobConfig.streamName(cfg.cloudtrailStreamArn) : "")
                + " → ledger " + cfg.ledgerPath + ")");
        env.execute(cfg.jobName);
        return ExitCodes.OK;
    }
}
