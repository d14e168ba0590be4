package io.bedrockspend.cli;

import io.bedrockspend.pricing.PriceBook;
import io.bedrockspend.reconcile.Classifier;
import io.bedrockspend.reconcile.CurLayout;
import io.bedrockspend.reconcile.Finality;
import io.bedrockspend.reconcile.ReconSummary;
import io.bedrockspend.reconcile.ReconcileJob;
import io.bedrockspend.reconcile.Report;
import io.bedrockspend.reconcile.UsageTypeTable;
import io.bedrockspend.spend.Money;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.plugin.DefaultPluginManager;
import org.apache.flink.core.plugin.DirectoryBasedPluginFinder;
import org.apache.flink.core.plugin.PluginManager;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code reconcile}: live estimates (the ledger) against CUR 2.0, as a Flink batch job. */
public final class ReconcileCommand {
    /** Exit code when some key drifts beyond the tolerance (to be mirrored as ExitCodes.DRIFT). */
    public static final int DRIFT = ExitCodes.DRIFT;

    static final String USAGE = """
            usage: bedrock-spend reconcile --cur PATH --ledger PATH... --out DIR
                                           [--period YYYY-MM] [--grain hour|day]
                                           [--tolerance-abs USD] [--tolerance-rel PCT]
                                           [--as-of INSTANT] [--cur-delay DURATION] [--restatement-days N]
                                           [--pricing DIR] [--parallelism N] [--plugins DIR] [--conf KEY=VALUE...]

            Compares the priced-call ledger (calls.jsonl, or the live job's dt=/hour= folders) with a CUR 2.0
            export (Parquet or gzip CSV; local or s3://; the export folder with data/BILLING_PERIOD=YYYY-MM/
            and metadata/ manifests, one partition, or single files) per (hour or day, account, principal,
            usage type), and writes:
              DIR/report.html          self-contained report (charts and tables, no network needed)
              DIR/reconciliation.csv   one row per key: estimate, billed, difference, class, reason
              DIR/summary.json         totals, difference by class, periods, price-drift suggestions
              DIR/corrections.jsonl    per call: estimate, billed share, reconciled (the ledger is never rewritten)

              --grain                  hour (default) or day
              --tolerance-abs USD      a key drifts when |difference| exceeds this (default 0.01) ...
              --tolerance-rel PCT      ... and this percent of the larger side (default 1)
              --as-of INSTANT          "now" for finality (default: now)
              --cur-delay DURATION     buckets newer than as-of minus this are not final (default 48h)
              --restatement-days N     a closed month can be restated for N days (default 14)
              --pricing DIR            snapshots, for ledger rows without pricing.usageTypes (default: bundled)
              --plugins DIR            Flink plugins folder (s3-fs-hadoop for s3://; default $FLINK_PLUGINS_DIR)
              --conf KEY=VALUE         Flink/file-system option, e.g. s3.endpoint=..., s3.path.style.access=true

            exit codes: 0 within tolerance, 5 drift beyond tolerance, 1 job failed, 2 bad command line,
                        3 missing or unreadable input
            """;

    private ReconcileCommand() {}

    public static int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        Args a;
        Settings s;
        try {
            a = Args.parse(argv, 1, Set.of("cur", "ledger", "out", "period", "grain", "tolerance-abs", "tolerance-rel",
                    "as-of", "cur-delay", "restatement-days", "pricing", "parallelism", "plugins", "conf"), Set.of());
            if (a.has("help")) { out.print(USAGE); return ExitCodes.OK; }
            s = settings(a);
        } catch (Args.UsageException e) {
            err.println("reconcile: " + e.getMessage());
            err.print(USAGE);
            return ExitCodes.USAGE;
        }

        initFileSystems(s.conf, s.plugins);
        List<CurLayout.Period> periods;
        List<org.apache.flink.core.fs.Path> ledger = new ArrayList<>();
        UsageTypeTable table;
        try {
            periods = CurLayout.resolve(flinkPath(s.cur), s.period);
            for (String l : a.all("ledger")) {
                org.apache.flink.core.fs.Path p = flinkPath(l);
                if (!p.getFileSystem().exists(p)) throw new IOException("ledger path not found: " + l);
                ledger.add(p);
            }
            table = UsageTypeTable.from(PriceBook.load(Launcher.pricingDir(a.one("pricing", null))));
        } catch (IOException e) {
            err.println("reconcile: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        Files.createDirectories(s.out);
        Finality fin = new Finality(s.asOf, s.curDelayMillis, s.restatementDays, s.daily);
        StreamExecutionEnvironment env = Launcher.localEnvironment(s.parallelism);
        env.configure(s.conf);
        ReconcileJob.Output job = ReconcileJob.run(env, new ReconcileJob.Spec(periods, ledger, s.daily, s.period, table,
                fin, s.tolerance, s.out));
        ReconSummary sum = job.summary();
        Report.writeAll(s.out, new Report.Run(sum, periods, job, fin, s.tolerance, s.daily ? "day" : "hour"));

        out.printf("reconcile: %d period(s), %,d CUR rows (%,d Bedrock), %,d ledger calls, %,d keys in %.1f s%n",
                periods.size(), job.counter("cur_rows"), job.counter("cur_bedrock_rows"), job.counter("ledger_calls"),
                sum.keys, job.millis() / 1000.0);
        out.printf("  estimate $%s · billed $%s (usage $%s, credits/discounts $%s) · difference $%s%n",
                Money.format(sum.estimate), Money.format(sum.billed()), Money.format(sum.billedUsage),
                Money.format(sum.adjustments), Money.format(sum.difference));
        for (Map.Entry<String, BigDecimal> e : sum.byClass.entrySet()) {
            if (e.getValue().signum() != 0) out.printf("  %-22s $%s%n", e.getKey(), Money.format(e.getValue()));
        }
        out.println(sum.pass() ? "  result: within tolerance" : "  result: DRIFT in " + sum.breaches + " key(s) beyond tolerance");
        out.println("  report: " + s.out.resolve("report.html"));
        return sum.pass() ? ExitCodes.OK : DRIFT;
    }

    record Settings(String cur, Path out, String period, boolean daily, Classifier.Tolerance tolerance, long asOf,
                    long curDelayMillis, int restatementDays, int parallelism, Path plugins, Configuration conf) {}

    static Settings settings(Args a) throws Args.UsageException {
        String cur = a.required("cur");
        if (a.all("ledger").isEmpty()) throw new Args.UsageException("missing required option --ledger");
        Path out = Path.of(a.required("out")).toAbsolutePath();
        String period = a.one("period", null);
        if (period != null) {
            try { YearMonth.parse(period); } catch (DateTimeParseException e) { throw new Args.UsageException("--period must be YYYY-MM"); }
        }
        String grain = a.one("grain", "hour");
        if (!grain.equals("hour") && !grain.equals("day")) throw new Args.UsageException("--grain must be hour or day");
        BigDecimal abs = decimal(a.one("tolerance-abs", "0.01"), "--tolerance-abs");
        BigDecimal rel = decimal(a.one("tolerance-rel", "1"), "--tolerance-rel");
        long asOf;
        try {
            asOf = a.has("as-of") ? Instant.parse(a.one("as-of", null)).toEpochMilli() : System.currentTimeMillis();
        } catch (DateTimeParseException e) {
            throw new Args.UsageException("--as-of must be an ISO-8601 instant like 2026-06-01T00:00:00Z");
        }
        long delay = Args.duration(a.one("cur-delay", "48h")).toMillis();
        int restatement;
        int parallelism;
        try {
            restatement = Integer.parseInt(a.one("restatement-days", "14"));
            parallelism = Integer.parseInt(a.one("parallelism", String.valueOf(Runtime.getRuntime().availableProcessors())));
        } catch (NumberFormatException e) {
            throw new Args.UsageException("--restatement-days and --parallelism take a whole number");
        }
        Configuration conf = new Configuration();
        for (String kv : a.all("conf")) {
            int eq = kv.indexOf('=');
            if (eq <= 0) throw new Args.UsageException("--conf takes KEY=VALUE, got " + kv);
            conf.setString(kv.substring(0, eq), kv.substring(eq + 1));
        }
        String plugins = a.one("plugins", System.getenv("FLINK_PLUGINS_DIR"));
        return new Settings(cur, out, period, grain.equals("day"), new Classifier.Tolerance(abs, rel), asOf, delay,
                restatement, parallelism, plugins == null ? null : Path.of(plugins), conf);
    }

    private static BigDecimal decimal(String s, String opt) throws Args.UsageException {
        try {
            BigDecimal d = new BigDecimal(s);
            if (d.signum() < 0) throw new Args.UsageException(opt + " must not be negative");
            return d;
        } catch (NumberFormatException e) {
            throw new Args.UsageException(opt + " must be a decimal number");
        }
    }

    private static org.apache.flink.core.fs.Path flinkPath(String p) {
        return p.contains("://") ? new org.apache.flink.core.fs.Path(p)
                : new org.apache.flink.core.fs.Path(Path.of(p).toAbsolutePath().toUri());
    }

    /**
     * Registers file systems from the plugins folder (s3:// through flink-s3-fs-hadoop, which must be a
     * plugin: on the plain classpath its shaded Hadoop clashes with the Parquet reader's Hadoop).
     */
    static void initFileSystems(Configuration conf, Path pluginsDir) throws IOException {
        PluginManager pm = null;
        if (pluginsDir != null && Files.isDirectory(pluginsDir)) {
            pm = new DefaultPluginManager(new DirectoryBasedPluginFinder(pluginsDir).findPlugins(),
                    CoreOptions.getPluginParentFirstLoaderPatterns(conf));
        }
        FileSystem.initialize(conf, pm);
    }
}
