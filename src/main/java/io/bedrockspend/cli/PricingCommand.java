package io.bedrockspend.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.bedrockspend.pricing.PriceBook;
import io.bedrockspend.pricing.PricingSnapshot;
import io.bedrockspend.pricing.BillingRegions;
import io.bedrockspend.pricing.pricelist.CsvCrossCheck;
import io.bedrockspend.pricing.pricelist.ModelAliases;
import io.bedrockspend.pricing.pricelist.PriceListFetcher;
import io.bedrockspend.pricing.pricelist.PriceListSnapshotWriter;
import io.bedrockspend.pricing.pricelist.SnapshotAssembler;
import io.bedrockspend.pricing.pricelist.SnapshotDiff;
import io.bedrockspend.pricing.pricelist.SnapshotValidator;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import software.amazon.awssdk.services.pricing.PricingClient;

/** {@code pricing fetch|validate|diff|crosscheck}: build and check pricing snapshots. */
public final class PricingCommand {
    static final String USAGE = """
            usage: bedrock-spend pricing fetch --region REGION... --out DIR [--endpoint URL]
                                               [--effective-from DATE] [--aliases FILE] [--report FILE] [--force]
                   bedrock-spend pricing validate [DIR] [--regions REGION...] [--aliases FILE] [--strict]
                   bedrock-spend pricing diff A.json B.json [--json]
                   bedrock-spend pricing crosscheck SNAPSHOT.json [--csv FILE] [--on DATE]

            fetch       pulls AmazonBedrock, AmazonBedrockFoundationModels and AmazonBedrockService from the
                        AWS Price List API (pricing:GetProducts, us-east-1 endpoint, default credential chain)
                        for each region, classifies every row by usage type, and writes
                          DIR/<effective-from>-pricelist.json              the snapshot (loads with the job)
                          DIR/reports/unclassified-<effective-from>.json   rows not priced, with reasons
                --endpoint URL         Price List endpoint override (tests, mirrors)
                --effective-from DATE  first day the snapshot prices calls (default: today, UTC)
                --aliases FILE         model alias table (default: the bundled pricing/model-aliases.json)
                --report FILE          where to write the report instead
                --force                replace an existing snapshot file of the same date
            validate    checks a pricing folder (default: the bundled pricing-snapshots/): loader schema,
                        positive rates, overlapping ranges, Claude cache multipliers (errors), regional 1.1x
                        and batch 0.5x (warnings), alias-table models priced in every --regions region
                        (default us-east-1) in the newest snapshot. Exit 0 when valid, 1 with the problems.
                --strict               warnings fail too
            diff        added/removed entries, rate changes old -> new with %, changed dates; --json for JSON
            crosscheck  compares a snapshot with the research table (default pricing-snapshots/seed/bedrock-prices.csv)
                        on --on DATE (default today, UTC) and prints disagreements
            """;

    private static final Set<String> SUBCOMMANDS = Set.of("fetch", "validate", "diff", "crosscheck");

    private PricingCommand() {}

    public static int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        return run(argv, out, err, Clock.systemUTC());
    }

    static int run(String[] argv, PrintStream out, PrintStream err, Clock clock) throws Exception {
        if (argv.length < 2 || argv[1].equals("--help") || argv[1].equals("-h")) {
            (argv.length < 2 ? err : out).print(USAGE);
            return argv.length < 2 ? ExitCodes.USAGE : ExitCodes.OK;
        }
        String sub = argv[1];
        if (!SUBCOMMANDS.contains(sub)) {
            err.println("pricing: unknown subcommand " + sub);
            err.print(USAGE);
            return ExitCodes.USAGE;
        }
        List<String> positional = new ArrayList<>();
        int i = 2;
        while (i < argv.length && !argv[i].startsWith("--")) {
            positional.add(argv[i++]);
        }
        try {
            return switch (sub) {
                case "fetch" -> fetch(Args.parse(argv, i, Set.of("region", "out", "endpoint", "effective-from",
                        "aliases", "report"), Set.of("force")), positional, out, err, clock);
                case "validate" -> validate(Args.parse(argv, i, Set.of("regions", "aliases"), Set.of("strict")),
                        positional, out, err);
                case "diff" -> diff(Args.parse(argv, i, Set.of(), Set.of("json")), positional, out, err);
                default -> crosscheck(Args.parse(argv, i, Set.of("csv", "on"), Set.of()), positional, out, err, clock);
            };
        } catch (Args.UsageException e) {
            err.println("pricing " + sub + ": " + e.getMessage());
            err.print(USAGE);
            return ExitCodes.USAGE;
        }
    }

    private static int fetch(Args a, List<String> positional, PrintStream out, PrintStream err, Clock clock)
            throws Exception {
        if (a.has("help")) {
            out.print(USAGE);
            return ExitCodes.OK;
        }
        if (!positional.isEmpty()) {
            throw new Args.UsageException("unexpected argument: " + positional.get(0));
        }
        List<String> regions = a.all("region");
        if (regions.isEmpty()) {
            throw new Args.UsageException("give at least one --region");
        }
        for (String r : regions) {
            if (BillingRegions.code(r) == null) {
                throw new Args.UsageException("unknown region " + r + " (not in the billing-region table)");
            }
        }
        Path dir = Path.of(a.required("out"));
        LocalDate effectiveFrom = date(a.one("effective-from", null), LocalDate.now(clock));
        URI endpoint = null;
        if (a.has("endpoint")) {
            try {
                endpoint = new URI(a.one("endpoint", null));
            } catch (URISyntaxException e) {
                throw new Args.UsageException("bad --endpoint: " + e.getMessage());
            }
        }
        Path target = dir.resolve(PriceListSnapshotWriter.snapshotId(effectiveFrom) + ".json");
        if (Files.exists(target) && !a.has("force")) {
            // checked before any API call: a re-run on the same day should not silently replace reviewed prices
            err.println("pricing fetch: " + target + " already exists (use --force to replace it)");
            return ExitCodes.FAILED;
        }
        ModelAliases aliases;
        try {
            aliases = a.has("aliases") ? ModelAliases.load(Path.of(a.one("aliases", null))) : ModelAliases.bundled();
        } catch (IOException e) {
            err.println("pricing fetch: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        SnapshotAssembler assembler = new SnapshotAssembler(aliases);
        Instant fetchedAt = clock.instant();
        PriceListFetcher fetcher;
        try (PricingClient client = PriceListFetcher.client(endpoint, null, 3)) {
            fetcher = new PriceListFetcher(client, PriceListFetcher.Backoff.defaults(),
                    d -> Thread.sleep(d.toMillis()), new SecureRandom(), s -> err.println("pricing fetch: " + s));
            fetcher.fetch(regions, assembler);
        }
        Path report = a.has("report") ? Path.of(a.one("report", null)) : null;
        PriceListSnapshotWriter.Written w = PriceListSnapshotWriter.write(assembler, dir, report, effectiveFrom,
                fetchedAt, regions, fetcher.warnings(), a.has("force"));
        for (String warning : fetcher.warnings()) {
            err.println("pricing fetch: warning: " + warning);
        }
        out.printf("pricing fetch: %d rows in %d pages (%d throttled retries): %d priced, %d duplicates%n",
                assembler.rows(), fetcher.pages(), fetcher.throttledRetries(), assembler.pricedRows(), assembler.duplicates());
        out.println("  not priced: " + w.reportedByCategory() + (w.reportedByCategory().isEmpty() ? "" : " (see " + w.report() + ")"));
        out.println("wrote " + w.snapshot() + " (" + w.entries() + " entries) and " + w.report());
        try {
            PriceBook.load(dir);
        } catch (IOException e) {
            err.println("pricing fetch: the folder " + dir + " no longer loads with the new snapshot: " + e.getMessage());
            return ExitCodes.FAILED;
        }
        out.println("next: bedrock-spend pricing validate " + dir + " --regions " + String.join(" ", regions));
        return ExitCodes.OK;
    }

    private static int validate(Args a, List<String> positional, PrintStream out, PrintStream err) throws Exception {
        if (a.has("help")) {
            out.print(USAGE);
            return ExitCodes.OK;
        }
        if (positional.size() > 1) {
            throw new Args.UsageException("validate takes one folder");
        }
        Path dir = Launcher.pricingDir(positional.isEmpty() ? null : positional.get(0));
        List<String> regions = a.has("regions") ? a.all("regions") : List.of("us-east-1");
        if (regions.isEmpty()) {
            throw new Args.UsageException("--regions needs at least one region");
        }
        if (!Files.isDirectory(dir)) {
            err.println("pricing validate: pricing folder not found: " + dir);
            return ExitCodes.BAD_INPUT;
        }
        ModelAliases aliases;
        try {
            aliases = a.has("aliases") ? ModelAliases.load(Path.of(a.one("aliases", null))) : ModelAliases.bundled();
        } catch (IOException e) {
            err.println("pricing validate: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        SnapshotValidator.Result r = SnapshotValidator.validate(dir, regions, aliases, a.has("strict"));
        for (SnapshotValidator.Problem p : r.problems()) {
            (p.severity() == SnapshotValidator.Severity.ERROR ? err : out).println("  " + p);
        }
        String summary = "pricing validate: " + dir + ": " + r.snapshots().size() + " snapshot(s), "
                + r.snapshots().stream().mapToInt(s -> s.entries().size()).sum() + " entries, regions " + regions
                + ": " + r.errors() + " error(s), " + r.warnings() + " warning(s)";
        if (r.ok()) {
            out.println(summary + ": valid");
            return ExitCodes.OK;
        }
        err.println(summary + ": INVALID");
        return ExitCodes.FAILED;
    }

    private static int diff(Args a, List<String> positional, PrintStream out, PrintStream err) throws Exception {
        if (a.has("help")) {
            out.print(USAGE);
            return ExitCodes.OK;
        }
        if (positional.size() != 2) {
            throw new Args.UsageException("diff takes two snapshot files");
        }
        PricingSnapshot[] s = new PricingSnapshot[2];
        for (int i = 0; i < 2; i++) {
            try {
                s[i] = PriceBook.readSnapshot(Path.of(positional.get(i)));
            } catch (IOException e) {
                err.println("pricing diff: " + e.getMessage());
                return ExitCodes.BAD_INPUT;
            }
        }
        SnapshotDiff.Result r = SnapshotDiff.diff(s[0], s[1]);
        if (a.has("json")) {
            ObjectMapper om = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            out.println(om.writeValueAsString(SnapshotDiff.json(r, om)));
        } else {
            SnapshotDiff.print(r, out);
        }
        return ExitCodes.OK;
    }

    private static int crosscheck(Args a, List<String> positional, PrintStream out, PrintStream err, Clock clock)
            throws Exception {
        if (a.has("help")) {
            out.print(USAGE);
            return ExitCodes.OK;
        }
        if (positional.size() != 1) {
            throw new Args.UsageException("crosscheck takes one snapshot file");
        }
        LocalDate on = date(a.one("on", null), LocalDate.now(clock));
        Path csv = a.has("csv") ? Path.of(a.one("csv", null))
                : Launcher.pricingDir(null).resolve("seed").resolve("bedrock-prices.csv");
        PriceBook book;
        try {
            book = PriceBook.of(List.of(PriceBook.readSnapshot(Path.of(positional.get(0)))));
            if (!Files.isRegularFile(csv)) {
                throw new IOException("reference table not found: " + csv);
            }
        } catch (IOException e) {
            err.println("pricing crosscheck: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        CsvCrossCheck.Result r = CsvCrossCheck.check(book, csv, on);
        r.disagreements().forEach(d -> out.println("  " + d));
        out.printf("pricing crosscheck: %d rates compared on %s, %d disagreement(s), %d dated/non-standard-tier rows skipped%n",
                r.compared(), on, r.disagreements().size(), r.skippedRows());
        return ExitCodes.OK;
    }

    private static LocalDate date(String s, LocalDate dflt) throws Args.UsageException {
        if (s == null) {
            return dflt;
        }
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            throw new Args.UsageException("bad date " + s + " (use YYYY-MM-DD)");
        }
    }

}
