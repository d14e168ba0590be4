package io.bedrockspend.cli;

import io.bedrockspend.PipelineConfig;
import io.bedrockspend.SpendPipeline;
import io.bedrockspend.demo.DemoSource;
import io.bedrockspend.demo.TrafficGenerator;
import io.bedrockspend.identity.PrincipalTagSeed;
import io.bedrockspend.ingest.DecodeLimits;
import io.bedrockspend.ingest.RawRecord;
import io.bedrockspend.pricing.PriceBook;
import io.bedrockspend.sinks.SpendBoard;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** {@code demo}: the embedded default: MiniCluster, synthetic traffic, a live per-team spend table. */
final class DemoCommand {
    /** Traffic already waiting when the demo starts: longer than CloudTrail's 30-150 s delivery delay. */
    static final java.time.Duration DEMO_BACKLOG = java.time.Duration.ofMinutes(3);

    static final String USAGE = """
            usage: bedrock-spend demo [--for DURATION] [--rate CALLS_PER_SECOND] [--parallelism N] [--seed N]
                                      [--pricing DIR] [--metrics-port PORT] [--budgets FILE]

            Runs the spend pipeline on a local Flink MiniCluster fed by realistic synthetic Bedrock traffic
            (CloudWatch Logs subscription payloads with invocation records, CloudTrail events as EventBridge
            envelopes, several teams and principals, models across families and routing classes, cache reads
            and writes, errors, duplicate deliveries and a little malformed input) and shows a live per-team
            spend table. Runs until Ctrl-C, or for DURATION (e.g. 30s, 5m).

              --rate N         synthetic calls per second (default 40)
              --parallelism N  Flink parallelism (default 2)
              --seed N         traffic seed (default 42; same seed, same traffic)
              --pricing DIR    pricing snapshots (default: the bundled pricing-snapshots/)
              --metrics-port P serve Prometheus metrics on http://127.0.0.1:P/metrics (default 9249; 0 = off)
              --budgets FILE   monthly budgets per team (docs/alerts.md); default: small demo budgets that
                               the synthetic traffic crosses within minutes, so alerts fire
            """;

    private DemoCommand() {}

    /**
     * Monthly budgets small enough that the demo's traffic (at the default 40 calls/s, about $28 a
     * minute) crosses 50/80/100 % within minutes: the 3-minute backlog puts teams between ~20 % and
     * ~70 %, checkout goes over budget in the first two minutes, the others follow over ten.
     */
    static java.nio.file.Path writeDemoBudgets() throws IOException {
        java.nio.file.Path f = java.nio.file.Files.createTempFile("bedrock-spend-demo-budgets", ".json");
        f.toFile().deleteOnExit();
        java.nio.file.Files.writeString(f, """
                {
                  "levels": [50, 80, 100],
                  "teams": {
                    "support-bot":  { "monthlyUsd": "80.00" },
                    "data-science": { "monthlyUsd": "40.00" },
                    "platform":     { "monthlyUsd": "12.00" },
                    "checkout":     { "monthlyUsd": "18.00" },
                    "growth":       { "monthlyUsd": "20.00" },
                    "search":       { "monthlyUsd": "30.00" }
                  }
                }
                """);
        return f;
    }

    static int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        Duration runFor;
        double rate;
        int parallelism;
        long seed;
        int metricsPort;
        Args a;
        try {
            a = Args.parse(argv, 1, Set.of("for", "rate", "parallelism", "seed", "pricing", "metrics-port", "budgets"), Set.of());
            if (a.has("help")) { out.print(USAGE); return ExitCodes.OK; }
            runFor = a.has("for") ? Args.duration(a.one("for", null)) : null;
            rate = Double.parseDouble(a.one("rate", "40"));
            parallelism = Integer.parseInt(a.one("parallelism", "2"));
            seed = Long.parseLong(a.one("seed", "42"));
            metricsPort = Integer.parseInt(a.one("metrics-port", "9249"));
            if (rate <= 0) throw new Args.UsageException("--rate must be positive");
        } catch (Args.UsageException | NumberFormatException e) {
            err.println("demo: " + e.getMessage());
            err.print(USAGE);
            return ExitCodes.USAGE;
        }
        PriceBook book;
        try {
            book = PriceBook.load(Launcher.pricingDir(a.one("pricing", null)));
        } catch (IOException e) {
            err.println("demo: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }

        Instant start = Instant.now();
        TrafficGenerator scenario = new TrafficGenerator(seed, start, rate);
        PrincipalTagSeed tags = scenario.principalTags();
        String boardName = "demo-" + System.nanoTime();
        SpendBoard board = SpendBoard.named(boardName);

        PipelineConfig cfg = new PipelineConfig();
        java.nio.file.Path budgetsFile = a.has("budgets") ? java.nio.file.Path.of(a.one("budgets", null)) : writeDemoBudgets();
        try {
            io.bedrockspend.alerts.Budgets b = io.bedrockspend.alerts.Budgets.parse(
                    java.nio.file.Files.readString(budgetsFile), budgetsFile.toString());
            b.teams.forEach((team, budget) -> board.budgets.put(team, budget.monthlyUsd()));
        } catch (IOException | io.bedrockspend.alerts.Budgets.InvalidBudgetsException e) {
            err.println("demo: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        cfg.alerts.budgetsPath = budgetsFile.toAbsolutePath().toString();
        // edit or add a snapshot in the pricing folder while the demo runs: it is picked up in seconds
        cfg.pricingFolder = Launcher.pricingDir(a.one("pricing", null)).toAbsolutePath().toUri().toString();
        cfg.pricingPollInterval = Duration.ofSeconds(5);
        cfg.alerts.budgetsPollInterval = Duration.ofSeconds(2);
        StreamExecutionEnvironment env = Launcher.localEnvironment(parallelism, metricsPort);
        // paced on the wall clock from each subtask's start (not from `start`), so "data up to" tracks the
        // wall clock instead of trailing it by the job's start-up time; it begins with a backlog of
        // traffic so the first sessions' CloudTrail events (30-150 s late) arrive with their calls
        var raw = env.fromSource(DemoSource.live(seed, rate, DEMO_BACKLOG), WatermarkStrategy.noWatermarks(),
                        "synthetic bedrock traffic", TypeInformation.of(RawRecord.class))
                .uid("demo-source").name("synthetic traffic");
        SpendPipeline.Outputs o = SpendPipeline.define(raw, cfg, tags, book, DecodeLimits.defaults());
        o.alerts().sinkTo(SpendBoard.alertsSink(boardName)).setParallelism(1).uid("board-alerts").name("live table: alerts");
        o.teamTotals().sinkTo(SpendBoard.teamTotalsSink(boardName)).uid("board-teams").name("live table: teams");
        o.calls().sinkTo(SpendBoard.callsSink(boardName)).uid("board-calls").name("live table: calls");
        o.deadLetters().sinkTo(SpendBoard.countingSink(boardName)).uid("board-dead-letters").name("live table: dead letters");

        JobClient job = env.executeAsync("bedrock-spend demo");
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            stop.countDown();
            try { finished.await(10, TimeUnit.SECONDS); } catch (InterruptedException ignored) { Thread.currentThread().interrupt(); }
        }, "demo-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);

        boolean interactive = Progress.interactive();
        SpendTable table = new SpendTable(board, start, metricsPort);
        long deadline = runFor == null ? Long.MAX_VALUE : System.nanoTime() + runFor.toNanos();
        long lastPlainPrint = 0;
        try {
            while (System.nanoTime() < deadline && !stop.await(1, TimeUnit.SECONDS)) {
                if (job.getJobStatus().get().isGloballyTerminalState()) {
                    // the job ended on its own: surface its failure rather than showing a frozen table
                    job.getJobExecutionResult().get();
                    break;
                }
                if (interactive) {
                    out.print("\033[H\033[2J" + table.render(true));
                    out.flush();
                } else if (System.nanoTime() - lastPlainPrint > 10_000_000_000L) {
                    out.print(table.render(false));
                    out.flush();
                    lastPlainPrint = System.nanoTime();
                }
            }
        } finally {
            job.cancel().get(30, TimeUnit.SECONDS);
            out.print(table.render(false));
            out.println("demo stopped after " + Duration.between(start, Instant.now()).toSeconds() + " s");
            out.flush();
            SpendBoard.drop(boardName);
            finished.countDown();
            if (stop.getCount() > 0) Runtime.getRuntime().removeShutdownHook(hook);
        }
        return stop.getCount() == 0 ? ExitCodes.INTERRUPTED : ExitCodes.OK;
    }
}
