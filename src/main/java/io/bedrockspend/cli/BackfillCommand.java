package io.bedrockspend.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.bedrockspend.PipelineConfig;
import io.bedrockspend.SpendPipeline;
import io.bedrockspend.identity.PrincipalTagSeed;
import io.bedrockspend.ingest.DecodeLimits;
import io.bedrockspend.ingest.JsonRecordFileFormat;
import io.bedrockspend.ingest.RawRecord;
import io.bedrockspend.pricing.PriceBook;
import io.bedrockspend.sinks.DeadLetterSinks;
import io.bedrockspend.sinks.LedgerSink;
import io.bedrockspend.spend.Money;
import io.bedrockspend.spend.TeamTotal;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatchlogs.CloudWatchLogsClient;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsRequest;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilterLogEventsResponse;
import software.amazon.awssdk.services.cloudwatchlogs.model.FilteredLogEvent;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code backfill}: invocation records of a past window read from the CloudWatch Logs group with
 * {@code FilterLogEvents} (every page; throttling retried with exponential back-off), run through the
 * same pipeline, bounded, writing the same ledger layout as {@code run}. The fetched events are kept
 * as {@code <ledger>/../backfill-input/*.jsonl} (CloudWatch Logs messages, one event per line) so a
 * dead letter's {@code line N} points at what was read.
 */
public final class BackfillCommand {
    static final String USAGE = """
            usage: bedrock-spend backfill --log-group G --from T --to T --ledger PATH
                                          [--dead-letters PATH] [--region R] [--endpoint URL]
                                          [--log-stream-prefix P] [--principal-tags FILE] [--pricing DIR]
                                          [--inference-profiles FILE] [--parallelism N]

            Reads the Bedrock invocation-log group for [from, to) with CloudWatch Logs FilterLogEvents
            and writes priced calls to the ledger (PATH/dt=YYYY-MM-DD/hour=HH/calls-*.jsonl), exactly as
            the live job does. Calls are de-duplicated by requestId within the window; backfill only the
            hours the live ledger is missing.

              --from, --to        ISO-8601 instants, e.g. 2026-10-01T00:00:00Z (to is exclusive)
              --region R          default: AWS_REGION / the SDK's region chain
              --endpoint URL      endpoint override (VPC endpoint, tests)
              --dead-letters PATH default: PATH/../dead-letters
            Credentials: the AWS SDK default provider chain.
            """;

    static final int MAX_ATTEMPTS = 8;

    private BackfillCommand() {}

    public static int run(String[] argv, PrintStream out, PrintStream err) throws Exception {
        Args a;
        Instant from;
        Instant to;
        int parallelism;
        try {
            a = Args.parse(argv, 1, Set.of("log-group", "from", "to", "ledger", "dead-letters", "region", "endpoint",
                    "log-stream-prefix", "principal-tags", "pricing", "inference-profiles", "parallelism"), Set.of());
            if (a.has("help")) { out.print(USAGE); return ExitCodes.OK; }
            a.required("log-group");
            a.required("ledger");
            from = Instant.parse(a.required("from"));
            to = Instant.parse(a.required("to"));
            if (!from.isBefore(to)) throw new Args.UsageException("--from must be before --to");
            parallelism = Integer.parseInt(a.one("parallelism", String.valueOf(Runtime.getRuntime().availableProcessors())));
        } catch (Args.UsageException | DateTimeParseException | NumberFormatException e) {
            err.println("backfill: " + e.getMessage());
            err.print(USAGE);
            return ExitCodes.USAGE;
        }
        PipelineConfig cfg = new PipelineConfig();
        PriceBook book;
        PrincipalTagSeed seed;
        try {
            book = PriceBook.load(Launcher.pricingDir(a.one("pricing", null)));
            seed = a.has("principal-tags") ? PrincipalTagSeed.load(Path.of(a.one("principal-tags", null))) : PrincipalTagSeed.empty();
            if (a.has("inference-profiles")) cfg.applicationProfiles = Launcher.readStringMap(Path.of(a.one("inference-profiles", null)));
        } catch (IOException e) {
            err.println("backfill: " + e.getMessage());
            return ExitCodes.BAD_INPUT;
        }
        String ledger = a.one("ledger", null);
        Path ledgerDir = Path.of(ledger).toAbsolutePath();
        String deadLetters = a.one("dead-letters", ledgerDir.resolveSibling("dead-letters").toString());
        Path spool = Files.createDirectories(ledgerDir.resolveSibling("backfill-input"))
                .resolve(sanitize(a.one("log-group", null)) + "_" + from.toEpochMilli() + "_" + to.toEpochMilli() + ".jsonl");

        long events;
        try (CloudWatchLogsClient logs = client(a.one("region", null), a.one("endpoint", null))) {
            events = fetch(logs, a.one("log-group", null), a.one("log-stream-prefix", null), from, to, spool, err);
        }
        out.printf("backfill: %,d log events from %s [%s, %s) → %s%n", events, a.one("log-group", null), from, to, spool);

        StreamExecutionEnvironment env = Launcher.localEnvironment(parallelism);
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        DecodeLimits limits = DecodeLimits.defaults();
        FileSource<RawRecord> source = FileSource.forBulkFileFormat(new JsonRecordFileFormat(limits).withFileOrigins(),
                new org.apache.flink.core.fs.Path(spool.toUri())).build();
        var raw = env.fromSource(source, WatermarkStrategy.noWatermarks(), "backfill input", TypeInformation.of(RawRecord.class))
                .uid("backfill-input").name("backfill input");
        SpendPipeline.Outputs o = SpendPipeline.define(raw, cfg, seed, book, limits);
        o.calls().sinkTo(LedgerSink.create(ledgerDir.toUri().toString())).uid("ledger").name("ledger");
        o.deadLetters().sinkTo(DeadLetterSinks.files(Path.of(deadLetters).toAbsolutePath().toUri().toString()))
                .uid("dead-letters-files").name("dead letters");
        List<TeamTotal> totals = new ArrayList<>();
        try (CloseableIterator<TeamTotal> it = o.teamTotals().executeAndCollect("backfill")) {
            it.forEachRemaining(totals::add);
        }
        BigDecimal sum = totals.stream().map(t -> t.costUsd).reduce(BigDecimal.ZERO, BigDecimal::add);
        long calls = totals.stream().mapToLong(t -> t.calls).sum();
        out.printf("backfill: %,d calls, $%s (priced calls only) → %s%n", calls, Money.format(sum), ledgerDir);
        for (TeamTotal t : totals) out.printf("    %-24s %,9d calls  %16s%n", t.team, t.calls, "$" + Money.format(t.costUsd));
        return ExitCodes.OK;
    }

    static CloudWatchLogsClient client(String region, String endpoint) {
        var b = CloudWatchLogsClient.builder().httpClient(UrlConnectionHttpClient.create());
        if (region != null) b.region(Region.of(region));
        if (endpoint != null) b.endpointOverride(URI.create(endpoint));
        return b.build();
    }

    /** Pages through FilterLogEvents into {@code spool}; returns the number of events. */
    static long fetch(CloudWatchLogsClient logs, String group, String streamPrefix, Instant from, Instant to, Path spool,
                      PrintStream err) throws IOException, InterruptedException {
        long n = 0;
        String token = null;
        JsonFactory json = new JsonFactory();
        try (OutputStream os = Files.newOutputStream(spool)) {
            do {
                FilterLogEventsRequest.Builder req = FilterLogEventsRequest.builder().logGroupName(group)
                        .startTime(from.toEpochMilli()).endTime(to.toEpochMilli() - 1).nextToken(token);
                if (streamPrefix != null) req.logStreamNamePrefix(streamPrefix);
                FilterLogEventsResponse page = withBackoff(() -> logs.filterLogEvents(req.build()), err);
                for (FilteredLogEvent e : page.events()) {
                    // one decoded CloudWatch Logs subscription message per event: the decoder's own shape
                    try (JsonGenerator g = json.createGenerator(os)) {
                        g.configure(JsonGenerator.Feature.AUTO_CLOSE_TARGET, false);
                        g.writeStartObject();
                        g.writeStringField("messageType", "DATA_MESSAGE");
                        g.writeStringField("logGroup", group);
                        g.writeStringField("logStream", e.logStreamName());
                        g.writeArrayFieldStart("logEvents");
                        g.writeStartObject();
                        g.writeStringField("id", e.eventId());
                        g.writeNumberField("timestamp", e.timestamp());
                        g.writeStringField("message", e.message());
                        g.writeEndObject();
                        g.writeEndArray();
                        g.writeEndObject();
                    }
                    os.write('\n');
                    n++;
                }
                // FilterLogEvents can return an empty page with a token: keep going until there is none
                token = page.nextToken();
            } while (token != null);
        }
        return n;
    }

    interface Call<T> {
        T get();
    }

    /** Retries throttling and 5xx with exponential back-off (on top of the SDK's own retries); other errors fail. */
    static <T> T withBackoff(Call<T> call, PrintStream err) throws InterruptedException {
        Duration wait = Duration.ofMillis(200);
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (SdkServiceException e) {
                boolean retryable = e.isThrottlingException() || e.statusCode() >= 500;
                if (!retryable || attempt >= MAX_ATTEMPTS) throw e;
                err.println("backfill: " + (e.isThrottlingException() ? "throttled" : "HTTP " + e.statusCode())
                        + ", retrying in " + wait.toMillis() + " ms");
                Thread.sleep(wait.toMillis());
                wait = wait.multipliedBy(2).compareTo(Duration.ofSeconds(20)) > 0 ? Duration.ofSeconds(20) : wait.multipliedBy(2);
            }
        }
    }

    static String sanitize(String s) {
        return s.replaceAll("[^A-Za-z0-9._-]", "_").replaceAll("^_+", "");
    }
}
