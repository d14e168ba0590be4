package io.bedrockspend.cli;

import io.bedrockspend.Counters;
import io.bedrockspend.PipelineConfig;
import io.bedrockspend.SpendPipeline;
import io.bedrockspend.identity.PrincipalTagSeed;
import io.bedrockspend.ingest.DecodeLimits;
import io.bedrockspend.ingest.JsonRecordFileFormat;
import io.bedrockspend.ingest.RawRecord;
import io.bedrockspend.pricing.PriceBook;
import io.bedrockspend.sinks.JsonFormats;
import io.bedrockspend.sinks.LocalLinesFileSink;
import io.bedrockspend.sinks.LocalPartFilesSink;
import io.bedrockspend.spend.Money;
import io.bedrockspend.spend.TeamTotal;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** {@code replay}: the full pipeline over files and folders, in Flink batch mode. */
final class ReplayCommand {
    static final String USAGE = """
            usage: bedrock-spend replay --invocations PATH... [--cloudtrail PATH...] --out DIR
                                        [--principal-tags FILE] [--pricing DIR] [--inference-profiles FILE]
                                        [--budgets FILE] [--parallelism N]

            Runs the whole pipeline (decode, dedupe, price, attribute) over files or folders (read
            recursively; plain or gzip; any mix of invocation records, CloudWatch Logs subscription
            payloads, CloudTrail events, EventBridge envelopes and CloudTrail/Bedrock S3 files) and writes:
              DIR/calls.jsonl          one JSON object per distinct call
              DIR/spend-by-team.csv    team, calls, costUsd, unpricedCalls, ...
              DIR/dead-letters.jsonl   every rejected record with its reason and position
              DIR/unmetered-calls.jsonl  CloudTrail runtime calls no invocation record matched
              DIR/alerts.jsonl         with --budgets: alerts the job fired over the replayed period
              DIR/summary.json         the run's counters

              --principal-tags FILE      IAM principal tags (JSON or CSV, see docs/principal-tags.md)
              --pricing DIR              pricing snapshots (default: the bundled pricing-snapshots/)
              --inference-profiles FILE  JSON map of application-inference-profile ARN -> model id
              --budgets FILE             monthly budgets per team (docs/alerts.md) for budget alerts
              --parallelism N            Flink parallelism (default: number of cores)
            """;

    private ReplayCommand() {}

    static int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        Args a;
        try {
            a = Args.parse(argv, 1, Set.of("invocations", "cloudtrail", "principal-tags", "pricing", "out",
                    "parallelism", "inference-profiles", "budgets"), Set.of());
            if (a.has("help")) { out.print(USAGE); return ExitCodes.OK; }
            if (a.all("invocations").isEmpty() && a.all("cloudtrail").isEmpty()) {
                throw new Args.UsageException("give at least one --invocations or --cloudtrail path");
            }
            a.required("out");
        } catch (Args.UsageException e) {
            err.println("replay: " + e.getMessage());
            err.print(USAGE);
            return ExitCodes.USAGE;
        }

        List<Path> inputs = new ArrayList<>();
        for (String p : concat(a.all("invocations"), a.all("cloudtrail"))) {
            Path path = Path.of(p);
            if (!Files.exists(path)) { err.println("replay: input not found: " + p); return ExitCodes.BAD_INPUT; }
            if (!Files.isReadable(path)) { err.println("replay: input not readable: " + p); return ExitCodes.BAD_INPUT; }
            inputs.add(path.toAbsolutePath());
        }
        PipelineConfig cfg = new PipelineConfig();
        cfg.spendSeries = false; // per-minute series and alerts only with --budgets: they cost a shuffle per dimension
        PriceBook book;
        PrincipalTagSeed seed;
        try {
            book = PriceBook.load(Launcher.pricingDir(a.one("pricing", null)));
            seed = a.has("principal-tags") ? PrincipalTagSeed.load(Path.of(a.one("principal-tags", null)))
                    : PrincipalTagSeed.empty();
            if (a.has("budgets")) {
                Path budgets = Path.of(a.one("budgets", null));
                if (!Files.isReadable(budgets)) throw new IOException("budgets file not found: " + budgets);
                cfg.alerts.budgetsPath = budgets.toAbsolutePath().toString();
                cfg.spendSeries = true;
            }
            if (a.has("inference-profiles")) {
                cfg.applicationProfiles = Launcher.readStringMap(Path.of(a.one("inference-profiles", null)));
            }
        } catch (IOException e) {
            err.println("replay: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        int parallelism;
        try {
            parallelism = Integer.parseInt(a.one("parallelism", String.valueOf(Runtime.getRuntime().availableProcessors())));
        } catch (NumberFormatException e) {
            err.println("replay: --parallelism must be a number");
            return ExitCodes.USAGE;
        }
        Path outDir = Path.of(a.one("out", null)).toAbsolutePath();
        Files.createDirectories(outDir);

        Result r = replay(inputs, outDir, cfg, seed, book, DecodeLimits.defaults(), parallelism,
                "replay", countFiles(inputs));
        writeTeamCsv(outDir.resolve("spend-by-team.csv"), r.totals);
        writeSummary(outDir.resolve("summary.json"), r);
        printSummary(out, r, outDir);
        return ExitCodes.OK;
    }

    /** What a replay produced: the job's counters, final team totals and wall time. */
    record Result(Map<String, Object> counters, List<TeamTotal> totals, long millis, int files) {
        long counter(String name) {
            return Progress.asLong(counters.get(name));
        }

        BigDecimal totalCost() {
            return totals.stream().map(t -> t.costUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
        }
    }

    /** Runs the pipeline over the inputs on a local Flink in batch mode; writes calls and dead letters. */
    static Result replay(List<Path> inputs, Path outDir, PipelineConfig cfg, PrincipalTagSeed seed, PriceBook book,
                         DecodeLimits limits, int parallelism, String label, int files) throws Exception {
        return replay(inputs, outDir, cfg, seed, book, limits, parallelism, label, files, new Configuration());
    }

    /** As above, with extra Flink options (benchmarks compare shuffle settings with them). */
    static Result replay(List<Path> inputs, Path outDir, PipelineConfig cfg, PrincipalTagSeed seed, PriceBook book,
                         DecodeLimits limits, int parallelism, String label, int files, Configuration flink) throws Exception {
        StreamExecutionEnvironment env = Launcher.localEnvironment(parallelism, 0, flink);
        if (!flink.contains(ExecutionOptions.RUNTIME_MODE)) env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        // no operator of the pipeline keeps or changes a record it was given (state holds records that
        // came over the network, which are always fresh objects), so chained operators need not copy
        env.getConfig().enableObjectReuse();

        FileSource<RawRecord> source = FileSource
                .forBulkFileFormat(new JsonRecordFileFormat(limits).withFileOrigins(),
                        inputs.stream().map(p -> new org.apache.flink.core.fs.Path(p.toUri())).toArray(org.apache.flink.core.fs.Path[]::new))
                .build();
        var raw = env.fromSource(source, WatermarkStrategy.noWatermarks(), "files", TypeInformation.of(RawRecord.class))
                .uid("files").name("files");

        SpendPipeline.Outputs o = SpendPipeline.define(raw, cfg, seed, book, limits);
        // the ledger is most of the output: each subtask formats and writes its own part, joined below
        Path callsParts = outDir.resolve(".calls.jsonl.parts");
        LocalPartFilesSink.prepare(callsParts);
        o.calls().sinkTo(new LocalPartFilesSink<>(callsParts, JsonFormats.CALL))
                .setParallelism(env.getParallelism()).uid("calls-file").name("calls.jsonl");
        o.deadLetters().sinkTo(new LocalLinesFileSink<>(outDir.resolve("dead-letters.jsonl"), JsonFormats::deadLetter))
                .setParallelism(1).uid("dead-letters-file").name("dead-letters.jsonl");
        o.unmeteredCalls().sinkTo(new LocalLinesFileSink<>(outDir.resolve("unmetered-calls.jsonl"), JsonFormats::unmetered))
                .setParallelism(1).uid("unmetered-file").name("unmetered-calls.jsonl");
        if (o.alerts() != null) {
            o.alerts().sinkTo(new LocalLinesFileSink<>(outDir.resolve("alerts.jsonl"), io.bedrockspend.alerts.AlertJson::format))
                    .setParallelism(1).uid("alerts-file").name("alerts.jsonl");
        }
        CloseableIterator<TeamTotal> totalsIt = o.teamTotals().collectAsync();

        long t0 = System.nanoTime();
        List<TeamTotal> totals = new ArrayList<>();
        JobExecutionResult res;
        try {
            JobClient job = env.executeAsync(label);
            try (Progress ignored = Progress.start(job, label, files)) {
                while (totalsIt.hasNext()) totals.add(totalsIt.next());
                res = job.getJobExecutionResult().get();
            } finally {
                totalsIt.close();
            }
            LocalPartFilesSink.assemble(List.of(callsParts), outDir.resolve("calls.jsonl"), null);
        } finally {
            LocalPartFilesSink.discard(callsParts); // also after a failed run: no stray parts
        }
        long millis = (System.nanoTime() - t0) / 1_000_000;
        totals.sort(Comparator.comparing((TeamTotal t) -> t.costUsd).reversed().thenComparing(t -> t.team));
        return new Result(res.getAllAccumulatorResults(), totals, millis, files);
    }

    static void writeTeamCsv(Path file, List<TeamTotal> totals) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("team,calls,costUsd,unpricedCalls,errorCalls,inputTokens,outputTokens,cacheReadTokens,cacheWriteTokens\n");
            for (TeamTotal t : totals) {
                w.write(csv(t.team) + "," + t.calls + "," + Money.format(t.costUsd) + "," + t.unpricedCalls + ","
                        + t.errorCalls + "," + t.inputTokens + "," + t.outputTokens + "," + t.cacheReadTokens + ","
                        + t.cacheWriteTokens + "\n");
            }
        }
    }

    static String csv(String s) {
        if (s == null) return "";
        return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
    }

    static void writeSummary(Path file, Result r) throws IOException {
        var om = new com.fasterxml.jackson.databind.ObjectMapper();
        var root = om.createObjectNode();
        root.put("files", r.files());
        for (String k : List.of(Counters.RECORDS, Counters.CALLS, Counters.DUPLICATES, Counters.DEAD_LETTERS,
                Counters.UNPRICED, Counters.ERRORS, Counters.UNATTRIBUTED, Counters.PARTIAL, Counters.WAITED,
                Counters.UNMETERED, Counters.TRAIL_EVENTS, Counters.SKIPPED)) {
            root.put(k, r.counter(k));
        }
        root.put("costUsd", Money.format(r.totalCost()));
        root.put("elapsedMillis", r.millis());
        om.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), root);
    }

    static void printSummary(PrintStream out, Result r, Path outDir) {
        out.printf("replay: %d files, %,d records in %.1f s%n", r.files(), r.counter(Counters.RECORDS), r.millis() / 1000.0);
        out.printf("  calls         %,d distinct (%,d duplicate deliveries dropped)%n", r.counter(Counters.CALLS), r.counter(Counters.DUPLICATES));
        out.printf("  spend         $%s (priced calls only)%n", Money.format(r.totalCost()));
        out.printf("  unpriced      %,d calls%n", r.counter(Counters.UNPRICED));
        out.printf("  errors        %,d calls%n", r.counter(Counters.ERRORS));
        out.printf("  unattributed  %,d calls (no team tag)%n", r.counter(Counters.UNATTRIBUTED));
        out.printf("  partial       %,d calls attributed without their session's STS event%n", r.counter(Counters.PARTIAL));
        out.printf("  unmetered     %,d CloudTrail runtime calls with no invocation record%s%n", r.counter(Counters.UNMETERED),
                r.counter(Counters.UNMETERED) > 0 ? " (see unmetered-calls.jsonl)" : "");
        out.printf("  trail events  %,d (%,d records skipped as not relevant)%n", r.counter(Counters.TRAIL_EVENTS), r.counter(Counters.SKIPPED));
        out.printf("  dead letters  %,d%s%n", r.counter(Counters.DEAD_LETTERS), r.counter(Counters.DEAD_LETTERS) > 0 ? " (see dead-letters.jsonl)" : "");
        out.println("  teams:");
        for (TeamTotal t : r.totals()) {
            out.printf("    %-24s %,9d calls  %16s%s%n", t.team, t.calls, "$" + Money.format(t.costUsd),
                    t.unpricedCalls > 0 ? "  + " + t.unpricedCalls + " unpriced" : "");
        }
        out.println("wrote " + outDir + "/{calls.jsonl, spend-by-team.csv, dead-letters.jsonl, unmetered-calls.jsonl, alerts.jsonl, summary.json}");
    }

    static int countFiles(List<Path> inputs) throws IOException {
        int n = 0;
        for (Path p : inputs) {
            if (Files.isRegularFile(p)) { n++; continue; }
            try (Stream<Path> s = Files.walk(p)) {
                n += (int) s.filter(Files::isRegularFile)
                        .filter(f -> !f.getFileName().toString().startsWith(".") && !f.getFileName().toString().startsWith("_"))
                        .count();
            }
        }
        return n;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> l = new ArrayList<>(a);
        l.addAll(b);
        return l;
    }
}
