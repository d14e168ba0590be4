package io.bedrockspend.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bedrockspend.Counters;
import io.bedrockspend.PipelineConfig;
import io.bedrockspend.demo.BenchDataWriter;
import io.bedrockspend.identity.PrincipalTagSeed;
import io.bedrockspend.ingest.DeadLetter;
import io.bedrockspend.ingest.DecodeLimits;
import io.bedrockspend.ingest.DecodeSink;
import io.bedrockspend.ingest.InvocationCall;
import io.bedrockspend.ingest.JsonRecordFileFormat;
import io.bedrockspend.ingest.RecordDecoder;
import io.bedrockspend.ingest.TimeParsing;
import io.bedrockspend.ingest.TrailEvent;
import io.bedrockspend.pricing.CallCost;
import io.bedrockspend.pricing.PriceBook;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

/**
 * Benchmark command (not a test): replays a generated data set through the full pipeline and prints
 * {@code name: value unit} lines. Used by {@code bench/replay-throughput}.
 *
 * <pre>ReplayBenchmark DATA_DIR [PARALLELISM...|baselines|floor|streaming|tree] [--pricing DIR] [--flink KEY=VALUE]...</pre>
 *
 * Each argument is either a parallelism for a full replay or {@code baselines}: on the same bytes, one
 * thread, no Flink, (a) the parse floor: gunzip + Jackson streaming tokenization of every token;
 * (b) the streaming decoder: framing + {@link RecordDecoder} + pricing of every call; (c) the naive
 * baseline: same framing, {@code ObjectMapper.readTree} per record, the same fields picked from the
 * tree, the same pricing. {@code floor} runs (a) alone. Replays print their ratio to the floor when
 * the floor ran first. {@code --flink} passes Flink options to the replays (e.g.
 * {@code execution.batch-shuffle-mode=ALL_EXCHANGES_PIPELINED}, {@code execution.runtime-mode=STREAMING}).
 */
public final class ReplayBenchmark {
    private ReplayBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        Path pricing = Path.of("pricing-snapshots");
        List<String> runs = new ArrayList<>();
        org.apache.flink.configuration.Configuration flink = new org.apache.flink.configuration.Configuration();
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--pricing")) {
                pricing = Path.of(args[++i]);
            } else if (args[i].equals("--flink")) {
                String[] kv = args[++i].split("=", 2);
                flink.setString(kv[0], kv[1]);
            } else {
                runs.add(args[i]);
            }
        }
        if (runs.isEmpty()) {
            runs = List.of("baselines", "1", "2");
        }
        // every object of the data set (BenchDataWriter's S3 layout), invocation logs first: the baselines
        // read them one by one on one thread; the replays are given the two folders, as a user would
        List<Path> invocations = BenchDataWriter.invocationFiles(data);
        List<Path> inputs = new ArrayList<>(invocations);
        inputs.addAll(BenchDataWriter.cloudtrailFiles(data));
        if (invocations.isEmpty()) {
            throw new IOException("no invocation-log objects under " + data.resolve(BenchDataWriter.INVOCATIONS_DIR)
                    + " (write them with BenchDataWriter)");
        }
        List<Path> folders = List.of(data.resolve(BenchDataWriter.INVOCATIONS_DIR), data.resolve(BenchDataWriter.CLOUDTRAIL_DIR));
        PriceBook book = PriceBook.load(pricing);
        long compressed = 0;
        long raw = 0;
        for (Path p : inputs) {
            compressed += Files.size(p);
            raw += gunzippedSize(p); // also warms the page cache for every run below
        }
        print("input_uncompressed", raw / 1_000_000, "MB");
        print("input_gzip", compressed / 1_000_000, "MB");
        print("input_files", inputs.size(), "files (" + invocations.size() + " invocation logs)");
        double floorCallsPerSec = Double.NaN;
        for (String run : runs) {
            if (run.equals("baselines")) {
                floorCallsPerSec = baselines(inputs, invocations, book, raw);
            } else if (run.equals("floor")) {
                floorCallsPerSec = floor(inputs, invocations, raw);
            } else if (run.equals("streaming") || run.equals("tree")) {
                // one decoder alone, three passes: for profiling (JFR) rather than for figures
                for (int i = 0; i < 3; i++) {
                    long t0 = System.nanoTime();
                    long[] r = run.equals("tree") ? tree(inputs, book) : streaming(inputs, book);
                    print(run + "_pass" + i + "_throughput", r[0] / ((System.nanoTime() - t0) / 1e9), "calls/s");
                }
            } else {
                replay(data, folders, inputs.size(), book, Integer.parseInt(run), raw, compressed, floorCallsPerSec, flink);
            }
        }
    }

    private static void replay(Path data, List<Path> inputs, int files, PriceBook book, int parallelism, long raw, long compressed,
                               double floorCallsPerSec, org.apache.flink.configuration.Configuration flink) throws Exception {
        PrincipalTagSeed seed = PrincipalTagSeed.load(data.resolve("principal-tags.json"));
        Path out = Files.createTempDirectory("bench-replay");
        PipelineConfig cfg = new PipelineConfig();
        cfg.spendSeries = false; // as `replay` without --budgets
        long cpu0 = processCpuNanos();
        ReplayCommand.Result r = ReplayCommand.replay(inputs, out, cfg, seed, book,
                DecodeLimits.defaults(), parallelism, "bench", files, flink);
        double cpuSecs = (processCpuNanos() - cpu0) / 1e9;
        double secs = r.millis() / 1000.0;
        long calls = r.counter(Counters.CALLS);
        String p = "replay_p" + parallelism;
        print(p + "_calls", calls, "calls");
        print(p + "_records", r.counter(Counters.RECORDS), "records");
        print(p + "_seconds", secs, "s");
        // CPU time of the whole JVM (all Flink threads, GC, JIT) during the run: steadier than wall time
        // on a shared machine, where other processes take cores away
        print(p + "_cpu_seconds", cpuSecs, "s (process CPU time)");
        print(p + "_throughput", calls / secs, "calls/s");
        print(p + "_input_rate", raw / 1e6 / secs, "MB/s (uncompressed JSON)");
        print(p + "_gzip_rate", compressed / 1e6 / secs, "MB/s (as stored)");
        print(p + "_dead_letters", r.counter(Counters.DEAD_LETTERS), "records");
        if (!Double.isNaN(floorCallsPerSec)) {
            print(p + "_vs_floor", calls / secs / floorCallsPerSec, "x (target " + (parallelism >= 2 ? "1.0" : "0.5") + ")");
        }
        deleteTree(out);
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    /** The parse floor alone (warm-up pass, then timed), for replay-only runs; returns it in calls/s. */
    private static double floor(List<Path> inputs, List<Path> invocations, long raw) throws IOException {
        long calls = countCalls(invocations);
        parseFloor(inputs);
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        parseFloor(inputs);
        double floorSecs = (System.nanoTime() - t0) / 1e9;
        print("parse_floor_seconds", floorSecs, "s");
        print("parse_floor_cpu_seconds", (processCpuNanos() - cpu0) / 1e9, "s (process CPU time)");
        print("parse_floor_input_rate", raw / 1e6 / floorSecs, "MB/s (uncompressed JSON)");
        print("parse_floor_throughput", calls / floorSecs, "calls/s");
        return calls / floorSecs;
    }

    /** Floor, streaming decoder and tree baseline on the same bytes; returns the floor in calls/s. */
    private static double baselines(List<Path> inputs, List<Path> invocations, PriceBook book, long raw) throws IOException {
        // one untimed pass of each warms the JIT so the timed pass measures steady state
        long calls = countCalls(invocations);
        parseFloor(inputs);
        streaming(inputs, book);
        tree(inputs, book);

        long t0 = System.nanoTime();
        long tokens = parseFloor(inputs);
        double floorSecs = (System.nanoTime() - t0) / 1e9;
        print("parse_floor_seconds", floorSecs, "s");
        print("parse_floor_tokens", tokens, "tokens");
        print("parse_floor_input_rate", raw / 1e6 / floorSecs, "MB/s (uncompressed JSON)");
        print("parse_floor_throughput", calls / floorSecs, "calls/s");

        t0 = System.nanoTime();
        long[] s = streaming(inputs, book);
        double streamSecs = (System.nanoTime() - t0) / 1e9;
        print("streaming_decoder_seconds", streamSecs, "s");
        print("streaming_decoder_throughput", s[0] / streamSecs, "calls/s");
        print("streaming_decoder_outputs", s[1], "calls+trail events+skipped+dead letters");
        print("streaming_decoder_vs_floor", floorSecs / streamSecs, "x");

        t0 = System.nanoTime();
        long[] tr = tree(inputs, book);
        double treeSecs = (System.nanoTime() - t0) / 1e9;
        print("tree_baseline_seconds", treeSecs, "s");
        print("tree_baseline_throughput", tr[0] / treeSecs, "calls/s");
        print("tree_baseline_outputs", tr[1], "calls+trail events+skipped+dead letters");
        print("streaming_vs_tree", treeSecs / streamSecs, "x (target 3.0)");
        if (s[0] != tr[0] || s[2] != tr[2]) {
            // both decoders must price the same calls to the same total, else the comparison means nothing
            throw new IllegalStateException("streaming and tree baselines disagree: calls " + s[0] + " vs " + tr[0]
                    + ", cost hash " + s[2] + " vs " + tr[2]);
        }

        // the work both share (gunzip + framing, then pricing) bounds the end-to-end ratio: time it alone
        // and give the ratio of the decode step proper as well
        t0 = System.nanoTime();
        long framed = frameOnly(inputs);
        double frameSecs = (System.nanoTime() - t0) / 1e9;
        print("framing_only_seconds", frameSecs, "s (gunzip + framing, " + framed + " records, shared by both)");
        t0 = System.nanoTime();
        streaming(inputs, null);
        double streamNoPrice = (System.nanoTime() - t0) / 1e9;
        t0 = System.nanoTime();
        tree(inputs, null);
        double treeNoPrice = (System.nanoTime() - t0) / 1e9;
        print("pricing_seconds", ((streamSecs - streamNoPrice) + (treeSecs - treeNoPrice)) / 2, "s (shared by both)");
        print("streaming_decode_step_seconds", streamNoPrice - frameSecs, "s (decode alone: no framing, no pricing)");
        print("tree_decode_step_seconds", treeNoPrice - frameSecs, "s");
        print("streaming_vs_tree_decode_step", (treeNoPrice - frameSecs) / (streamNoPrice - frameSecs), "x");
        return calls / floorSecs;
    }

    private static long frameOnly(List<Path> inputs) throws IOException {
        long[] n = {0};
        for (Path p : inputs) {
            JsonRecordFileFormat.readFile(p, r -> n[0] += r.payload.length > 0 ? 1 : 0);
        }
        return n[0];
    }

    /** Invocation records (one per line, one per call in the benchmark data) in the invocation logs. */
    private static long countCalls(List<Path> invocations) throws IOException {
        long[] n = {0};
        for (Path p : invocations) {
            JsonRecordFileFormat.readFile(p, r -> n[0]++);
        }
        return n[0];
    }

    /** gunzip + tokenize every token of every record; strings are scanned but not materialised. */
    static long parseFloor(List<Path> inputs) throws IOException {
        JsonFactory f = new JsonFactory();
        long tokens = 0;
        for (Path p : inputs) {
            try (InputStream in = new GZIPInputStream(Files.newInputStream(p), 1 << 16);
                 JsonParser jp = f.createParser(in)) {
                while (jp.nextToken() != null) {
                    tokens++;
                }
            }
        }
        return tokens;
    }

    /** Counts outputs and hashes the priced costs so the two decoders can be checked against each other. */
    private static final class Tally implements DecodeSink {
        final PriceBook book;
        long calls;
        long outputs;
        long costHash;

        Tally(PriceBook book) {
            this.book = book;
        }

        @Override public void call(InvocationCall c) {
            calls++;
            outputs++;
            if (book == null) {
                return; // decode alone
            }
            CallCost cost = book.price(c);
            costHash = 31 * costHash + (cost.total == null ? 7 : cost.total.unscaledValue().longValue());
        }
        @Override public void trail(TrailEvent e) { outputs++; }
        @Override public void deadLetter(DeadLetter d) { outputs++; }
        @Override public void skipped(String what) { outputs++; }
    }

    static long[] streaming(List<Path> inputs, PriceBook book) throws IOException {
        RecordDecoder decoder = new RecordDecoder();
        Tally t = new Tally(book);
        for (Path p : inputs) {
            JsonRecordFileFormat.readFile(p, r -> decoder.decode(r, t));
        }
        return new long[] {t.calls, t.outputs, t.costHash};
    }

    /**
     * The naive way: the whole record as a tree, then the fields picked out. Covers the shapes the
     * benchmark data has (raw invocation records and raw CloudTrail events), with the same checks that
     * matter for the same result (schemaVersion, requestId, timestamp, relevant CloudTrail events).
     */
    static long[] tree(List<Path> inputs, PriceBook book) throws IOException {
        ObjectMapper om = new ObjectMapper();
        Tally t = new Tally(book);
        for (Path path : inputs) {
            JsonRecordFileFormat.readFile(path, r -> {
                JsonNode n;
                try {
                    n = om.readTree(r.payload);
                } catch (IOException e) {
                    t.deadLetter(null);
                    return;
                }
                treeDecode(n, t);
            });
        }
        return new long[] {t.calls, t.outputs, t.costHash};
    }

    /**
     * The naive baseline's decode of one parsed record: the fields pricing and attribution need, picked from
     * the tree (a CloudTrail S3 object: every element is an event). Public for the JMH benchmarks.
     */
    public static void treeDecode(JsonNode n, DecodeSink t) {
        if (n.has("Records")) {
            for (JsonNode e : n.get("Records")) treeNode(e, t);
        } else {
            treeNode(n, t);
        }
    }

    private static void treeNode(JsonNode n, DecodeSink t) {
        if (n.has("schemaType")) {
            InvocationCall c = treeCall(n);
            if (c == null) t.deadLetter(null); else t.call(c);
        } else if (n.has("eventSource")) {
            TrailEvent e = treeTrail(n);
            if (e == null) t.skipped(null); else t.trail(e);
        } else {
            t.deadLetter(null);
        }
    }

    private static InvocationCall treeCall(JsonNode n) {
        if (!"1.0".equals(n.path("schemaVersion").asText("1.0")) || !n.hasNonNull("requestId")) {
            return null;
        }
        long ts = TimeParsing.isoToMillis(n.path("timestamp").asText(""));
        if (ts == TimeParsing.INVALID) {
            return null;
        }
        InvocationCall c = new InvocationCall();
        c.requestId = n.get("requestId").asText();
        c.timestampMillis = ts;
        c.accountId = text(n, "accountId");
        c.identityArn = text(n.path("identity"), "arn");
        c.region = text(n, "region");
        c.operation = text(n, "operation");
        c.modelId = text(n, "modelId");
        c.errorCode = text(n, "errorCode");
        c.inferenceRegion = text(n, "inferenceRegion");
        JsonNode in = n.path("input");
        JsonNode out = n.path("output");
        c.inputTokens = in.path("inputTokenCount").asLong(0);
        c.cacheReadTokens = in.path("cacheReadInputTokenCount").asLong(0);
        c.cacheWriteTokens = in.path("cacheWriteInputTokenCount").asLong(0);
        c.outputTokens = out.path("outputTokenCount").asLong(0);
        JsonNode cc = out.path("outputBodyJson").path("usage").path("cache_creation");
        if (cc.isObject()) {
            c.cacheSplitKnown = true;
            c.cacheWrite1hTokens = cc.path("ephemeral_1h_input_tokens").asLong(0);
        }
        String tier = n.has("serviceTier") ? n.path("serviceTier").asText() : n.path("service_tier").asText(null);
        if ("optimized".equalsIgnoreCase(n.path("performanceConfig").path("latency").asText(""))) {
            c.tier = "latency-optimized";
        } else if (tier != null && !tier.isEmpty() && !tier.equalsIgnoreCase("default")) {
            c.tier = tier.toLowerCase(Locale.ROOT);
        }
        return c;
    }

    private static TrailEvent treeTrail(JsonNode n) {
        String source = n.path("eventSource").asText();
        String name = n.path("eventName").asText();
        boolean runtime = source.equals("bedrock.amazonaws.com") && (name.startsWith("InvokeModel") || name.startsWith("Converse"));
        boolean session = source.equals("sts.amazonaws.com") && (name.startsWith("AssumeRole") || name.equals("GetFederationToken"));
        if (!runtime && !session) {
            return null;
        }
        TrailEvent e = new TrailEvent();
        e.eventSource = source;
        e.eventName = name;
        e.eventId = text(n, "eventID");
        e.eventTimeMillis = TimeParsing.isoToMillis(n.path("eventTime").asText(""));
        e.requestId = text(n, "requestID");
        e.awsRegion = text(n, "awsRegion");
        e.accountId = text(n, "recipientAccountId");
        JsonNode ui = n.path("userIdentity");
        e.userIdentityType = text(ui, "type");
        e.userIdentityArn = text(ui, "arn");
        e.accessKeyId = text(ui, "accessKeyId");
        e.sessionIssuerArn = text(ui.path("sessionContext").path("sessionIssuer"), "arn");
        JsonNode rp = n.path("requestParameters");
        e.modelId = text(rp, "modelId");
        e.roleArn = text(rp, "roleArn");
        return e;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static void print(String name, long value, String unit) {
        System.out.printf(Locale.ROOT, "%s: %d %s%n", name, value, unit);
    }

    private static void print(String name, double value, String unit) {
        System.out.printf(Locale.ROOT, Math.abs(value) >= 1000 ? "%s: %.0f %s%n" : "%s: %.2f %s%n",
                name, value, unit);
    }

    static long gunzippedSize(Path p) throws IOException {
        long n = 0;
        byte[] buf = new byte[1 << 16];
        try (InputStream in = new GZIPInputStream(Files.newInputStream(p), 1 << 16)) {
            for (int k; (k = in.read(buf)) > 0; ) n += k;
        }
        return n;
    }

    static void deleteTree(Path dir) throws IOException {
        try (var s = Files.walk(dir)) {
            for (Path f : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.delete(f);
        }
    }
}
