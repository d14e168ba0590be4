package io.bedrockspend.demo;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.bedrockspend.demo.Scenario.Kind;
import io.bedrockspend.demo.Scenario.Operation;
import io.bedrockspend.demo.Scenario.Principal;
import io.bedrockspend.demo.Scenario.SessionSpec;
import io.bedrockspend.identity.PrincipalTagSeed;
import io.bedrockspend.ingest.RawRecord;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * Deterministic synthetic Bedrock traffic for the {@code demo} command and the throughput benchmark.
 *
 * <p>Each call of the {@link Scenario} yields its invocation log record, its CloudTrail runtime event
 * (same {@code requestID}) and, when the caller's session starts or renews, the STS event that carries
 * the session tags. Two outputs:
 * <ul>
 *   <li>{@link #next(int)} / {@link #drain()}: {@link RawRecord}s in <em>delivery</em> order, shaped as
 *       Kinesis would hand them over. Invocation records travel as gzip CloudWatch Logs subscription
 *       payloads (1..5 events each, log stream {@code aws/bedrock/modelinvocations}, the odd
 *       CONTROL_MESSAGE); CloudTrail events as uncompressed EventBridge envelopes or as gzip CloudWatch
 *       Logs payloads, arriving 30 s to 2.5 min after the call. Origins are {@link #ORIGIN_INVOCATIONS}
 *       and {@link #ORIGIN_CLOUDTRAIL}; positions are running per-origin sequence numbers.</li>
 *   <li>{@link #writeJsonLines}: raw records, one JSON object per line, for files.</li>
 * </ul>
 * Event time of call {@code i} is {@code start + i / callsPerSecond}. With faults on (see
 * {@link Options}) about 1% of calls fail ({@code errorCode}, empty input/output), about 2% of payloads
 * are redelivered byte for byte later, and about 0.5% of calls bring one extra malformed record
 * (truncated gzip, invalid JSON, negative token count or missing {@code requestId}; never a real call).
 *
 * <p>Not thread-safe: one instance per thread or Flink subtask. Same seed, start, rate and options give
 * the same bytes.
 */
public final class TrafficGenerator implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final String ORIGIN_INVOCATIONS = "demo:invocations";
    public static final String ORIGIN_CLOUDTRAIL = "demo:cloudtrail";
    public static final String INVOCATION_LOG_GROUP = "/aws/bedrock/modelinvocations";
    public static final String INVOCATION_LOG_STREAM = "aws/bedrock/modelinvocations";
    public static final String TRAIL_LOG_GROUP = "aws-cloudtrail-logs-" + Scenario.ACCOUNT;

    /** Whether and how large prompt/response bodies are logged. */
    public enum Bodies {
        /** Metadata only (text delivery off): the 1-hour cache split is never visible. */
        NONE(0),
        /** Small synthetic bodies where the region logs text (us-east-1, eu-west-1; not us-west-2). */
        LOGGED(0),
        /** Every record carries input and output bodies of about 10 kB each. */
        KB10(10_000),
        /** Every record carries input and output bodies of about 100 kB each. */
        KB100(100_000);

        public final int approxBytes;

        Bodies(int approxBytes) {
            this.approxBytes = approxBytes;
        }

        /** {@code none}, {@code logged}, {@code 10k}, {@code 100k}. */
        public static Bodies parse(String s) {
            return switch (s.toLowerCase(Locale.ROOT)) {
                case "none" -> NONE;
                case "logged" -> LOGGED;
                case "10k" -> KB10;
                case "100k" -> KB100;
                default -> throw new IllegalArgumentException("bodies must be none, logged, 10k or 100k (got " + s + ")");
            };
        }
    }

    /** Traffic shape knobs. Rates are probabilities per call (errors, malformed) or per payload (the rest). */
    public static final class Options implements Serializable {
        private static final long serialVersionUID = 1L;
        public final double errorRate;
        public final double duplicateRate;
        public final double malformedRate;
        public final double controlMessageRate;
        /** Share of invocation records with the AWS-doc key order ({@code schemaType} first). */
        public final double docKeyOrderRate;
        /** Share of CloudTrail events delivered as EventBridge envelopes (the rest via CloudWatch Logs). */
        public final double eventBridgeShare;
        public final Bodies bodies;

        public Options(double errorRate, double duplicateRate, double malformedRate, double controlMessageRate,
                       double docKeyOrderRate, double eventBridgeShare, Bodies bodies) {
            this.errorRate = errorRate;
            this.duplicateRate = duplicateRate;
            this.malformedRate = malformedRate;
            this.controlMessageRate = controlMessageRate;
            this.docKeyOrderRate = docKeyOrderRate;
            this.eventBridgeShare = eventBridgeShare;
            this.bodies = bodies;
        }

        /** The demo: every fault on, small bodies where logged. */
        public static Options demo() {
            return new Options(0.01, 0.02, 0.005, 0.001, 0.05, 0.5, Bodies.LOGGED);
        }

        /** The benchmark: valid input only (failed calls stay: they are valid records), CloudWatch key order. */
        public static Options bench(Bodies bodies) {
            return demo().withoutFaults().withBodies(bodies);
        }

        /** No duplicates, malformed records, control messages or key-order variation. */
        public Options withoutFaults() {
            return new Options(errorRate, 0, 0, 0, 0, eventBridgeShare, bodies);
        }

        public Options withBodies(Bodies b) {
            return new Options(errorRate, duplicateRate, malformedRate, controlMessageRate, docKeyOrderRate, eventBridgeShare, b);
        }

        public Options withRates(double errorRate, double duplicateRate, double malformedRate) {
            return new Options(errorRate, duplicateRate, malformedRate, controlMessageRate, docKeyOrderRate, eventBridgeShare, bodies);
        }
    }

    /** What was generated so far: the ground truth a demo or test compares the pipeline against. */
    public static final class Stats implements Serializable {
        private static final long serialVersionUID = 1L;
        public long calls;
        public long errorCalls;
        public long unpricedCalls;
        public long untaggedCalls;
        public long stsEvents;
        public long invocationPayloads;
        public long trailRecords;
        public long controlMessages;
        public long duplicateDeliveries;
        public long malformedTruncatedGzip;
        public long malformedInvalidJson;
        public long malformedNegativeTokens;
        public long malformedMissingRequestId;

        public long malformed() {
            return malformedTruncatedGzip + malformedInvalidJson + malformedNegativeTokens + malformedMissingRequestId;
        }

        Stats copy() {
            Stats s = new Stats();
            s.calls = calls; s.errorCalls = errorCalls; s.unpricedCalls = unpricedCalls; s.untaggedCalls = untaggedCalls;
            s.stsEvents = stsEvents; s.invocationPayloads = invocationPayloads; s.trailRecords = trailRecords;
            s.controlMessages = controlMessages; s.duplicateDeliveries = duplicateDeliveries;
            s.malformedTruncatedGzip = malformedTruncatedGzip; s.malformedInvalidJson = malformedInvalidJson;
            s.malformedNegativeTokens = malformedNegativeTokens; s.malformedMissingRequestId = malformedMissingRequestId;
            return s;
        }

        @Override
        public String toString() {
            return "calls=" + calls + " errors=" + errorCalls + " unpriced=" + unpricedCalls + " untagged=" + untaggedCalls
                    + " sts=" + stsEvents + " invocationPayloads=" + invocationPayloads + " trailRecords=" + trailRecords
                    + " control=" + controlMessages + " duplicates=" + duplicateDeliveries + " malformed=" + malformed();
        }
    }

    // ---- configuration ----
    private final Scenario scenario;
    private final Options options;
    private final long startMillis;
    private final double intervalMillis;

    // ---- generation state (all serializable so a copied generator continues identically) ----
    private final Rng rng;
    private long callIndex;
    private final Map<String, Session> sessions = new HashMap<>();
    private final PriorityQueue<Delivery> outbox = new PriorityQueue<>();
    private final PriorityQueue<PendingTrail> trailDue = new PriorityQueue<>();
    private final Batch invocationBatch = new Batch(INVOCATION_LOG_GROUP, INVOCATION_LOG_STREAM, "bedrock-spend-invocations");
    private final Map<String, Batch> trailBatches = new TreeMap<>();
    private long queueSeq;
    private long invocationPosition;
    private long trailPosition;
    private boolean controlSent;
    private final Stats stats = new Stats();

    private transient JsonFactory json;
    private transient Buf buf;
    private transient long isoSecond = Long.MIN_VALUE;
    private transient String isoText;

    private static final DateTimeFormatter EXPIRATION =
            DateTimeFormatter.ofPattern("MMM d, yyyy, h:mm:ss a", Locale.US).withZone(ZoneOffset.UTC);
    private static final String[] ERROR_CODES =
            {"ThrottlingException", "ValidationException", "ModelErrorException", "ServiceUnavailableException"};
    private static final double[] ERROR_CUMULATIVE = Rng.cumulative(.6, .2, .1, .1);
    private static final String[] ERROR_MESSAGES = {
            "Too many requests, please wait before trying again.",
            "Input is too long for requested model.",
            "The system encountered an unexpected error during processing. Try your request again.",
            "Bedrock is unable to process your request."};
    private static final String GATEWAY_POD_ROLE = "platform-llm-gateway-pod";
    private static final String SAML_PROVIDER = "arn:aws:iam::" + Scenario.ACCOUNT + ":saml-provider/AWSSSO_5c2e9f0a1b3d4e6f_DO_NOT_DELETE";
    private static final String IDENTITY_STORE = "arn:aws:identitystore::" + Scenario.ACCOUNT + ":identitystore/d-9067c1a2b3";

    public TrafficGenerator(long seed, Instant start, double callsPerSecond) {
        this(seed, start, callsPerSecond, Options.demo());
    }

    public TrafficGenerator(long seed, Instant start, double callsPerSecond, Options options) {
        this(Scenario.standard(), seed, start, callsPerSecond, options);
    }

    public TrafficGenerator(Scenario scenario, long seed, Instant start, double callsPerSecond, Options options) {
        if (!(callsPerSecond > 0)) throw new IllegalArgumentException("callsPerSecond must be > 0");
        this.scenario = scenario;
        this.options = options;
        this.startMillis = start.toEpochMilli();
        this.intervalMillis = 1000.0 / callsPerSecond;
        this.rng = new Rng(Rng.derive(seed, 0x5eed));
    }

    public Scenario scenario() {
        return scenario;
    }

    public Options options() {
        return options;
    }

    /** A snapshot of the counters. */
    public Stats stats() {
        return stats.copy();
    }

    /** Calls generated so far. */
    public long callsGenerated() {
        return callIndex;
    }

    /**
     * The principal-tag seed IAM would export for this scenario: every principal's tags (team,
     * costCenter, env, application), keyed by IAM ARN. The untagged principal is absent.
     */
    public PrincipalTagSeed principalTags() {
        return principalTags(scenario);
    }

    public static PrincipalTagSeed principalTags(Scenario scenario) {
        Map<String, Map<String, String>> m = new LinkedHashMap<>();
        for (Principal p : scenario.principals()) {
            if (!p.tags.isEmpty()) m.put(p.arn, p.tags);
        }
        return new PrincipalTagSeed(m);
    }

    // =====================================================================================
    // Delivery-ordered RawRecords
    // =====================================================================================

    /**
     * Generates {@code calls} more calls and returns the records that have been delivered by the event
     * time of the last one, in delivery order. Records still in flight stay queued; see {@link #drain()}.
     */
    public List<RawRecord> next(int calls) {
        List<RawRecord> out = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            Call c = newCall();
            enqueueCall(c);
            advance(c.millis, out);
        }
        return out;
    }

    /** Delivers everything still in flight (open batches, delayed CloudTrail, redeliveries). */
    public List<RawRecord> drain() {
        List<RawRecord> out = new ArrayList<>();
        while (!trailDue.isEmpty()) route(trailDue.poll());
        long last = lastCallMillis();
        flush(invocationBatch, last);
        for (Batch b : trailBatches.values()) flush(b, last);
        while (!outbox.isEmpty()) out.add(toRaw(outbox.poll()));
        return out;
    }

    /** {@link #next(int)} followed by {@link #drain()}: every record of {@code calls} calls. */
    public List<RawRecord> generate(int calls) {
        List<RawRecord> out = next(calls);
        out.addAll(drain());
        return out;
    }

    private long lastCallMillis() {
        return callIndex == 0 ? startMillis : callMillis(callIndex - 1);
    }

    /**
     * The generator's clock: the event time of the last call generated (the start before the first).
     * Everything {@link #next(int)} has returned was delivered by this time.
     */
    public long clockMillis() {
        return lastCallMillis();
    }

    private void enqueueCall(Call c) {
        if (c.sts != null) {
            byte[] sts = render(g -> writeStsEvent(g, c));
            stats.stsEvents++;
            trailDue.add(new PendingTrail(c.sts.issuedMillis + trailDelay(), queueSeq++, c.sts.issuedMillis,
                    c.region, "aws.sts", sts));
        }
        boolean docOrder = rng.chance(options.docKeyOrderRate);
        byte[] record = render(g -> writeInvocation(g, c, docOrder, false, false));
        if (invocationBatch.isEmpty()) invocationBatch.target = 1 + rng.nextInt(5);
        invocationBatch.add(c.millis + c.latencyMillis, record);
        if (invocationBatch.size() >= invocationBatch.target) flush(invocationBatch, c.millis);

        byte[] runtime = render(g -> writeRuntimeEvent(g, c));
        trailDue.add(new PendingTrail(c.millis + trailDelay(), queueSeq++, c.millis, c.region, "aws.bedrock", runtime));

        if (rng.chance(options.malformedRate)) enqueueMalformed(c);
    }

    /** CloudTrail delivers minutes after the call; mostly inside the attribution wait. */
    private long trailDelay() {
        return rng.between(30_000, 150_000);
    }

    private void advance(long now, List<RawRecord> out) {
        while (!trailDue.isEmpty() && trailDue.peek().dueAt <= now) route(trailDue.poll());
        // CloudWatch Logs ships a partial batch after a short buffering time
        if (!invocationBatch.isEmpty() && now - invocationBatch.firstMillis >= 2_000) flush(invocationBatch, now);
        for (Batch b : trailBatches.values()) {
            if (!b.isEmpty() && now - b.firstMillis >= 2_000) flush(b, now);
        }
        while (!outbox.isEmpty() && outbox.peek().deliverAt <= now) out.add(toRaw(outbox.poll()));
    }

    private void route(PendingTrail t) {
        if (rng.chance(options.eventBridgeShare)) {
            byte[] envelope = render(g -> writeEventBridge(g, t.source, t.eventMillis, t.region, t.eventJson));
            stats.trailRecords++;
            deliver(t.dueAt, ORIGIN_CLOUDTRAIL, envelope, true);
        } else {
            Batch b = trailBatches.computeIfAbsent(t.region, r -> new Batch(TRAIL_LOG_GROUP,
                    Scenario.ACCOUNT + "_CloudTrail_" + r, "bedrock-spend-cloudtrail"));
            if (b.isEmpty()) b.target = 1 + rng.nextInt(5);
            b.add(t.eventMillis, t.eventJson);
            if (b.size() >= b.target) flush(b, t.dueAt);
        }
    }

    private void flush(Batch b, long now) {
        if (b.isEmpty()) return;
        boolean invocations = b == invocationBatch;
        String origin = invocations ? ORIGIN_INVOCATIONS : ORIGIN_CLOUDTRAIL;
        long deliverAt = now + rng.between(200, 2_000);
        if (invocations && (!controlSent || rng.chance(options.controlMessageRate)) && options.controlMessageRate > 0) {
            // sent when the subscription is created and on later health checks; consumers drop it
            controlSent = true;
            stats.controlMessages++;
            deliver(deliverAt - 1, origin, gzip(render(g -> writeControlMessage(g, now))), false);
        }
        byte[] payload = gzip(render(g -> writeCwlPayload(g, b)));
        if (invocations) stats.invocationPayloads++; else stats.trailRecords++;
        deliver(deliverAt, origin, payload, true);
        b.clear();
    }

    private void deliver(long at, String origin, byte[] payload, boolean mayDuplicate) {
        outbox.add(new Delivery(at, queueSeq++, origin, payload));
        if (mayDuplicate && rng.chance(options.duplicateRate)) {
            // Kinesis producer/consumer retry: the same bytes again, later
            stats.duplicateDeliveries++;
            outbox.add(new Delivery(at + rng.between(5_000, 90_000), queueSeq++, origin, payload));
        }
    }

    private RawRecord toRaw(Delivery d) {
        long pos = ORIGIN_INVOCATIONS.equals(d.origin) ? invocationPosition++ : trailPosition++;
        return new RawRecord(d.origin, Long.toString(pos), d.payload);
    }

    private void enqueueMalformed(Call c) {
        long at = c.millis + rng.between(1_000, 3_000);
        switch (rng.nextInt(4)) {
            case 0 -> {
                byte[] rec = render(g -> writeInvocation(g, c, false, false, false));
                byte[] gz = gzip(render(g -> writeCwlPayload(g, single(c, rec))));
                stats.malformedTruncatedGzip++;
                outbox.add(new Delivery(at, queueSeq++, ORIGIN_INVOCATIONS, Arrays.copyOf(gz, gz.length / 2)));
            }
            case 1 -> {
                stats.malformedInvalidJson++;
                if (rng.chance(0.5)) {
                    byte[] event = render(g -> writeRuntimeEvent(g, c));
                    byte[] env = render(g -> writeEventBridge(g, "aws.bedrock", c.millis, c.region, event));
                    outbox.add(new Delivery(at, queueSeq++, ORIGIN_CLOUDTRAIL, Arrays.copyOf(env, env.length * 3 / 5)));
                } else {
                    byte[] rec = render(g -> writeInvocation(g, c, false, false, false));
                    byte[] cut = Arrays.copyOf(rec, rec.length * 3 / 5);
                    outbox.add(new Delivery(at, queueSeq++, ORIGIN_INVOCATIONS, gzip(render(g -> writeCwlPayload(g, single(c, cut))))));
                }
            }
            case 2 -> {
                stats.malformedNegativeTokens++;
                Call bad = c.copyWithRequestId(uuid());
                byte[] rec = render(g -> writeInvocation(g, bad, false, true, false));
                outbox.add(new Delivery(at, queueSeq++, ORIGIN_INVOCATIONS, gzip(render(g -> writeCwlPayload(g, single(bad, rec))))));
            }
            default -> {
                stats.malformedMissingRequestId++;
                byte[] rec = render(g -> writeInvocation(g, c, false, false, true));
                outbox.add(new Delivery(at, queueSeq++, ORIGIN_INVOCATIONS, gzip(render(g -> writeCwlPayload(g, single(c, rec))))));
            }
        }
    }

    private Batch single(Call c, byte[] message) {
        Batch b = new Batch(INVOCATION_LOG_GROUP, INVOCATION_LOG_STREAM, "bedrock-spend-invocations");
        b.add(c.millis + c.latencyMillis, message);
        return b;
    }

    // =====================================================================================
    // JSON Lines
    // =====================================================================================

    /**
     * Writes {@code calls} calls as JSON Lines: raw invocation records (CloudWatch key order unless the
     * options vary it) to {@code invocations}; STS session events and the runtime event of every call,
     * as raw CloudTrail JSON, to {@code cloudtrail}. Faults as configured, minus truncated gzip (which
     * becomes a truncated line). Streams are not closed.
     */
    public Stats writeJsonLines(long calls, OutputStream invocations, OutputStream cloudtrail) throws IOException {
        return writeRecords(calls, new RecordSink() {
            @Override public void invocation(String region, long clockMillis, byte[] json) throws IOException {
                rawLine(invocations, json);
            }

            @Override public void cloudtrail(String region, long clockMillis, byte[] json) throws IOException {
                rawLine(cloudtrail, json);
            }
        });
    }

    /**
     * Where {@link #writeRecords} puts each record: one raw JSON value (no newline), the region it was
     * logged in, and the generator's clock when it is delivered (the event time of the call being
     * generated: records arrive in that order).
     */
    public interface RecordSink {
        void invocation(String region, long clockMillis, byte[] json) throws IOException;

        void cloudtrail(String region, long clockMillis, byte[] json) throws IOException;
    }

    /** The records of {@link #writeJsonLines}, in the same order and with the same bytes, one call each. */
    public Stats writeRecords(long calls, RecordSink sink) throws IOException {
        PriorityQueue<Redelivery> redeliveries = new PriorityQueue<>();
        long clock = startMillis;
        for (long i = 0; i < calls; i++) {
            Call c = newCall();
            clock = c.millis;
            if (c.sts != null) {
                stats.stsEvents++;
                byte[] sts = render(g -> writeStsEvent(g, c));
                sink.cloudtrail(c.region, clock, sts);
                maybeRedeliver(redeliveries, false, c.region, sts);
            }
            boolean docOrder = rng.chance(options.docKeyOrderRate);
            byte[] inv = render(g -> writeInvocation(g, c, docOrder, false, false));
            sink.invocation(c.region, clock, inv);
            maybeRedeliver(redeliveries, true, c.region, inv);
            byte[] runtime = render(g -> writeRuntimeEvent(g, c));
            sink.cloudtrail(c.region, clock, runtime);
            maybeRedeliver(redeliveries, false, c.region, runtime);
            if (rng.chance(options.malformedRate)) {
                switch (rng.nextInt(4)) {
                    case 0, 1 -> {
                        // a cut line: the file form of truncated gzip and invalid JSON
                        if (rng.chance(0.5)) {
                            stats.malformedTruncatedGzip++;
                        } else {
                            stats.malformedInvalidJson++;
                        }
                        byte[] rec = render(g -> writeInvocation(g, c, false, false, false));
                        sink.invocation(c.region, clock, Arrays.copyOf(rec, rec.length * 3 / 5));
                    }
                    case 2 -> {
                        stats.malformedNegativeTokens++;
                        Call bad = c.copyWithRequestId(uuid());
                        sink.invocation(c.region, clock, render(g -> writeInvocation(g, bad, false, true, false)));
                    }
                    default -> {
                        stats.malformedMissingRequestId++;
                        sink.invocation(c.region, clock, render(g -> writeInvocation(g, c, false, false, true)));
                    }
                }
            }
            while (!redeliveries.isEmpty() && redeliveries.peek().deliverAt <= callIndex) {
                redeliveries.poll().deliver(sink, clock);
            }
        }
        while (!redeliveries.isEmpty()) {
            redeliveries.poll().deliver(sink, clock);
        }
        return stats();
    }

    private void maybeRedeliver(PriorityQueue<Redelivery> redeliveries, boolean invocation, String region, byte[] json) {
        if (rng.chance(options.duplicateRate)) {
            stats.duplicateDeliveries++;
            redeliveries.add(new Redelivery(callIndex + rng.between(5, 200), queueSeq++, invocation, region, json));
        }
    }

    /** A record of {@link #writeRecords} delivered again, byte for byte, a few calls later. */
    private record Redelivery(long deliverAt, long seq, boolean invocation, String region, byte[] payload)
            implements Comparable<Redelivery> {
        void deliver(RecordSink sink, long clock) throws IOException {
            if (invocation) sink.invocation(region, clock, payload); else sink.cloudtrail(region, clock, payload);
        }

        @Override
        public int compareTo(Redelivery o) {
            int c = Long.compare(deliverAt, o.deliverAt);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private static void rawLine(OutputStream out, byte[] json) throws IOException {
        out.write(json);
        out.write('\n');
    }

    // =====================================================================================
    // The calls
    // =====================================================================================

    private long callMillis(long index) {
        return startMillis + (long) Math.floor(index * intervalMillis);
    }

    private Call newCall() {
        Call c = new Call();
        c.millis = callMillis(callIndex++);
        Principal p = scenario.principals().get(rng.pick(scenario.principalCumulative));
        c.principal = p;
        c.region = p.region;
        if (p.isRole()) {
            SessionSpec spec = p.sessions.get(rng.nextInt(p.sessions.size()));
            c.session = spec;
            c.identityArn = p.sessionArn(spec.name());
            Session s = sessions.get(c.identityArn);
            if (s == null || c.millis >= s.expiresMillis - 60_000) {
                // new or renewed credentials under the same (reused) session name
                s = new Session();
                s.issuedMillis = c.millis - rng.between(500, 20_000);
                s.durationSeconds = switch (p.kind) {
                    case GATEWAY_ROLE -> 900;
                    case SSO_ROLE -> 28_800;
                    default -> 3_600;
                };
                s.expiresMillis = s.issuedMillis + s.durationSeconds * 1000L;
                s.stsKeyId = accessKey("ASIA");
                // Identity Center hands the caller a different key than the one in its STS event
                s.callKeyId = p.kind == Kind.SSO_ROLE ? accessKey("ASIA") : s.stsKeyId;
                sessions.put(c.identityArn, s);
                c.sts = s;
            }
            c.accessKeyId = s.callKeyId;
            c.sessionIssuedMillis = s.issuedMillis;
        } else {
            c.identityArn = p.arn;
            c.accessKeyId = Scenario.stableId("AKIA", p.name, 16);
        }
        c.modelId = p.models[rng.pick(p.modelCumulative)];
        c.operation = p.operations[rng.pick(p.operationCumulative)];
        c.inferenceRegion = inferenceRegion(c.modelId, c.region);
        c.requestId = uuid();
        c.eventId = uuid();
        c.claude = c.modelId.contains("anthropic.claude");
        c.nova = c.modelId.contains("amazon.nova");
        c.llama = c.modelId.contains("meta.llama");
        if (rng.chance(options.errorRate)) {
            c.errorIndex = rng.pick(ERROR_CUMULATIVE);
            c.latencyMillis = rng.between(20, 400);
            stats.errorCalls++;
        } else {
            c.errorIndex = -1;
            c.inputTokens = rng.logNormal(1_500, 1.0, 200, 20_000);
            if (c.modelId.contains("claude-sonnet-4-5") && rng.chance(0.003)) {
                c.inputTokens = rng.between(200_001, 420_000); // a rare long-context request (>200K band)
            }
            c.outputTokens = rng.logNormal(300, 0.9, 50, 2_000);
            if (c.claude) {
                if (rng.chance(0.45)) c.cacheRead = rng.logNormal(6_000, 0.8, 1_024, 80_000);
                if (rng.chance(0.2)) {
                    long w = rng.logNormal(3_000, 0.8, 1_024, 40_000);
                    double r = rng.nextDouble();
                    c.cacheWrite1h = r < 0.5 ? 0 : r < 0.8 ? Math.round(w * (0.2 + 0.6 * rng.nextDouble())) : w;
                    c.cacheWrite5m = w - c.cacheWrite1h;
                }
            } else if (c.nova && rng.chance(0.1)) {
                c.cacheRead = rng.logNormal(2_000, 0.6, 1_024, 20_000);
            }
            c.latencyMillis = 250 + c.outputTokens * 12 + rng.between(0, 800);
        }
        Bodies b = options.bodies;
        c.withBody = b == Bodies.LOGGED ? !"us-west-2".equals(c.region) : b != Bodies.NONE;
        stats.calls++;
        if (Scenario.UNPRICED_MODEL.equals(c.modelId)) stats.unpricedCalls++;
        if (p.tags.isEmpty()) stats.untaggedCalls++;
        return c;
    }

    private static final String[] US_REGIONS = {"us-east-1", "us-east-2", "us-west-2"};
    private static final String[] EU_REGIONS = {"eu-west-1", "eu-central-1", "eu-west-3"};
    private static final String[] GLOBAL_REGIONS = {"us-east-2", "us-west-2", "eu-west-1", "ap-northeast-1"};

    /** Where a cross-Region profile ran the request; null for in-Region model ids. */
    private String inferenceRegion(String modelId, String region) {
        if (modelId.startsWith("global.")) {
            return rng.chance(0.5) ? region : GLOBAL_REGIONS[rng.nextInt(GLOBAL_REGIONS.length)];
        }
        if (modelId.startsWith("us.")) return rng.chance(0.5) ? region : US_REGIONS[rng.nextInt(US_REGIONS.length)];
        if (modelId.startsWith("eu.")) return rng.chance(0.5) ? region : EU_REGIONS[rng.nextInt(EU_REGIONS.length)];
        return null;
    }

    private String uuid() {
        long hi = (rng.nextLong() & ~0xF000L) | 0x4000L;
        long lo = (rng.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(hi, lo).toString();
    }

    private String accessKey(String prefix) {
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        char[] c = new char[20];
        prefix.getChars(0, 4, c, 0);
        long x = rng.nextLong();
        for (int i = 4; i < 20; i++) {
            if (i == 16) x = rng.nextLong();
            c[i] = alphabet.charAt((int) (x & 31));
            x >>>= 5;
        }
        return new String(c);
    }

    /** CloudWatch Logs event ids are 56-digit decimal strings. */
    private String logEventId() {
        char[] d = new char[56];
        d[0] = '3';
        long x = 0;
        for (int i = 1; i < 56; i++) {
            if ((i - 1) % 18 == 0) x = rng.nextLong() >>> 1;
            d[i] = (char) ('0' + (x % 10));
            x /= 10;
        }
        return new String(d);
    }

    // =====================================================================================
    // Rendering (Jackson streaming)
    // =====================================================================================

    /** Renders into the shared buffer: never call {@link #render} from inside a writer. */
    private interface JsonWriter {
        void write(JsonGenerator g) throws IOException;
    }

    private byte[] render(JsonWriter w) {
        if (json == null) {
            json = new JsonFactory();
            buf = new Buf();
        }
        buf.reset();
        try (JsonGenerator g = json.createGenerator(buf, JsonEncoding.UTF8)) {
            w.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException("rendering synthetic JSON", e); // in-memory: not expected
        }
        return buf.toByteArray();
    }

    private static byte[] gzip(byte[] bytes) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream(bytes.length / 3 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(bos, 8192)) {
            gz.write(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    private String iso(long millis) {
        long sec = Math.floorDiv(millis, 1000);
        if (sec != isoSecond) {
            isoSecond = sec;
            isoText = DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(sec));
        }
        return isoText;
    }

    /** Invocation log record in CloudWatch key order ({@code timestamp} first, schema fields last). */
    private void writeInvocation(JsonGenerator g, Call c, boolean docOrder, boolean negativeTokens, boolean noRequestId)
            throws IOException {
        g.writeStartObject();
        if (docOrder) {
            g.writeStringField("schemaType", "ModelInvocationLog");
            g.writeStringField("schemaVersion", "1.0");
        }
        g.writeStringField("timestamp", iso(c.millis));
        g.writeStringField("accountId", Scenario.ACCOUNT);
        g.writeObjectFieldStart("identity");
        g.writeStringField("arn", c.identityArn);
        g.writeEndObject();
        g.writeStringField("region", c.region);
        if (!noRequestId) g.writeStringField("requestId", c.requestId);
        g.writeStringField("operation", c.operation.name());
        g.writeStringField("modelId", c.modelId);
        if (c.errorIndex >= 0) {
            g.writeStringField("errorCode", ERROR_CODES[c.errorIndex]);
        }
        if (c.principal.kind == Kind.GATEWAY_ROLE) {
            g.writeObjectFieldStart("requestMetadata");
            g.writeStringField("gateway", "litellm");
            g.writeStringField("enduser", c.session.name());
            g.writeEndObject();
        }
        boolean cacheFields = c.claude || c.nova;
        g.writeObjectFieldStart("input");
        if (c.errorIndex < 0) {
            g.writeStringField("inputContentType", "application/json");
            if (c.withBody) {
                g.writeFieldName("inputBodyJson");
                writeInputBody(g, c);
            }
            g.writeNumberField("inputTokenCount", negativeTokens ? -c.inputTokens : c.inputTokens);
            if (cacheFields) {
                g.writeNumberField("cacheReadInputTokenCount", c.cacheRead);
                g.writeNumberField("cacheWriteInputTokenCount", c.cacheWrite5m + c.cacheWrite1h);
            }
        }
        g.writeEndObject();
        g.writeObjectFieldStart("output");
        if (c.errorIndex < 0) {
            g.writeStringField("outputContentType", "application/json");
            if (c.withBody) {
                g.writeFieldName("outputBodyJson");
                writeOutputBody(g, c);
            }
            g.writeNumberField("outputTokenCount", c.outputTokens);
        }
        g.writeEndObject();
        if (c.inferenceRegion != null) g.writeStringField("inferenceRegion", c.inferenceRegion);
        if (!docOrder) {
            g.writeStringField("schemaType", "ModelInvocationLog");
            g.writeStringField("schemaVersion", "1.0");
        }
        g.writeEndObject();
    }

    private int bodyChars(boolean input) {
        int approx = options.bodies.approxBytes;
        if (approx > 0) return Math.max(100, approx - 400);
        return input ? (int) rng.between(200, 800) : (int) rng.between(100, 600);
    }

    private String text(boolean input) {
        int n = bodyChars(input);
        return SyntheticText.slice(rng.nextInt(SyntheticText.length() - n), n);
    }

    private void writeInputBody(JsonGenerator g, Call c) throws IOException {
        String text = text(true);
        boolean converse = c.operation == Operation.Converse || c.operation == Operation.ConverseStream;
        g.writeStartObject();
        if (!converse && c.claude) {
            g.writeStringField("anthropic_version", "bedrock-2023-05-31");
            g.writeNumberField("max_tokens", 2048);
            g.writeArrayFieldStart("messages");
            g.writeStartObject();
            g.writeStringField("role", "user");
            g.writeArrayFieldStart("content");
            g.writeStartObject();
            g.writeStringField("type", "text");
            g.writeStringField("text", text);
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
        } else if (converse || c.nova) {
            g.writeArrayFieldStart("messages");
            g.writeStartObject();
            g.writeStringField("role", "user");
            g.writeArrayFieldStart("content");
            g.writeStartObject();
            g.writeStringField("text", text);
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndArray();
            g.writeObjectFieldStart("inferenceConfig");
            g.writeNumberField("maxTokens", 2048);
            g.writeNumberField("temperature", 0.5);
            g.writeEndObject();
        } else {
            g.writeStringField("prompt", text);
            g.writeNumberField("max_gen_len", 2048);
            g.writeNumberField("temperature", 0.5);
        }
        g.writeEndObject();
    }

    private void writeOutputBody(JsonGenerator g, Call c) throws IOException {
        String text = text(false);
        long cacheWrite = c.cacheWrite5m + c.cacheWrite1h;
        switch (c.operation) {
            case Converse, ConverseStream -> {
                g.writeStartObject();
                g.writeObjectFieldStart("output");
                g.writeObjectFieldStart("message");
                g.writeStringField("role", "assistant");
                g.writeArrayFieldStart("content");
                g.writeStartObject();
                g.writeStringField("text", text);
                g.writeEndObject();
                g.writeEndArray();
                g.writeEndObject();
                g.writeEndObject();
                g.writeStringField("stopReason", "end_turn");
                g.writeObjectFieldStart("metrics");
                g.writeNumberField("latencyMs", c.latencyMillis);
                g.writeEndObject();
                g.writeObjectFieldStart("usage");
                g.writeNumberField("inputTokens", c.inputTokens);
                g.writeNumberField("outputTokens", c.outputTokens);
                g.writeNumberField("totalTokens", c.inputTokens + c.outputTokens + c.cacheRead + cacheWrite);
                if (c.claude || c.nova) {
                    g.writeNumberField("cacheReadInputTokens", c.cacheRead);
                    g.writeNumberField("cacheWriteInputTokens", cacheWrite);
                }
                if (cacheWrite > 0) {
                    g.writeArrayFieldStart("cacheDetails");
                    if (c.cacheWrite5m > 0) cacheDetail(g, "5m", c.cacheWrite5m);
                    if (c.cacheWrite1h > 0) cacheDetail(g, "1h", c.cacheWrite1h);
                    g.writeEndArray();
                }
                g.writeEndObject();
                g.writeEndObject();
            }
            case InvokeModel -> {
                if (c.claude) {
                    writeAnthropicMessage(g, c, text, false);
                } else {
                    writeNativeResponse(g, c, text);
                }
            }
            case InvokeModelWithResponseStream -> {
                // the logged body of a stream is the array of its chunks
                g.writeStartArray();
                if (c.claude) {
                    g.writeStartObject();
                    g.writeStringField("type", "message_start");
                    g.writeFieldName("message");
                    writeAnthropicMessage(g, c, null, true);
                    g.writeEndObject();
                    g.writeStartObject();
                    g.writeStringField("type", "content_block_delta");
                    g.writeNumberField("index", 0);
                    g.writeObjectFieldStart("delta");
                    g.writeStringField("type", "text_delta");
                    g.writeStringField("text", text);
                    g.writeEndObject();
                    g.writeEndObject();
                    g.writeStartObject();
                    g.writeStringField("type", "message_delta");
                    g.writeObjectFieldStart("delta");
                    g.writeStringField("stop_reason", "end_turn");
                    g.writeEndObject();
                    g.writeObjectFieldStart("usage");
                    g.writeNumberField("output_tokens", c.outputTokens);
                    g.writeEndObject();
                    g.writeEndObject();
                } else {
                    writeNativeResponse(g, c, text);
                }
                g.writeStartObject();
                if (c.claude) g.writeStringField("type", "message_stop");
                g.writeObjectFieldStart("amazon-bedrock-invocationMetrics");
                g.writeNumberField("inputTokenCount", c.inputTokens);
                g.writeNumberField("outputTokenCount", c.outputTokens);
                g.writeNumberField("invocationLatency", c.latencyMillis);
                g.writeNumberField("firstByteLatency", Math.min(c.latencyMillis, 180));
                if (c.claude) {
                    g.writeNumberField("cacheReadInputTokenCount", c.cacheRead);
                    g.writeNumberField("cacheWriteInputTokenCount", cacheWrite);
                }
                g.writeEndObject();
                g.writeEndObject();
                g.writeEndArray();
            }
        }
    }

    private static void cacheDetail(JsonGenerator g, String ttl, long tokens) throws IOException {
        g.writeStartObject();
        g.writeStringField("ttl", ttl);
        g.writeNumberField("inputTokens", tokens);
        g.writeEndObject();
    }

    /** Anthropic Messages API response; {@code text == null} for the message_start chunk of a stream. */
    private void writeAnthropicMessage(JsonGenerator g, Call c, String text, boolean streamStart) throws IOException {
        g.writeStartObject();
        g.writeStringField("id", "msg_bdrk_" + c.requestId.substring(0, 8) + c.requestId.substring(24));
        g.writeStringField("type", "message");
        g.writeStringField("role", "assistant");
        g.writeStringField("model", anthropicModelName(c.modelId));
        g.writeArrayFieldStart("content");
        if (text != null) {
            g.writeStartObject();
            g.writeStringField("type", "text");
            g.writeStringField("text", text);
            g.writeEndObject();
        }
        g.writeEndArray();
        if (streamStart) g.writeNullField("stop_reason"); else g.writeStringField("stop_reason", "end_turn");
        g.writeNullField("stop_sequence");
        g.writeObjectFieldStart("usage");
        g.writeNumberField("input_tokens", c.inputTokens);
        g.writeNumberField("cache_creation_input_tokens", c.cacheWrite5m + c.cacheWrite1h);
        g.writeNumberField("cache_read_input_tokens", c.cacheRead);
        g.writeObjectFieldStart("cache_creation");
        g.writeNumberField("ephemeral_5m_input_tokens", c.cacheWrite5m);
        g.writeNumberField("ephemeral_1h_input_tokens", c.cacheWrite1h);
        g.writeEndObject();
        g.writeNumberField("output_tokens", streamStart ? 1 : c.outputTokens);
        g.writeEndObject();
        g.writeEndObject();
    }

    private static String anthropicModelName(String modelId) {
        int i = modelId.indexOf("claude");
        String name = i < 0 ? modelId : modelId.substring(i);
        int v = name.indexOf("-v");
        return v > 0 ? name.substring(0, v) : name;
    }

    /** InvokeModel response bodies of Nova, Llama and the unpriced private model. */
    private void writeNativeResponse(JsonGenerator g, Call c, String text) throws IOException {
        g.writeStartObject();
        if (c.nova) {
            g.writeObjectFieldStart("output");
            g.writeObjectFieldStart("message");
            g.writeStringField("role", "assistant");
            g.writeArrayFieldStart("content");
            g.writeStartObject();
            g.writeStringField("text", text);
            g.writeEndObject();
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
            g.writeStringField("stopReason", "end_turn");
            g.writeObjectFieldStart("usage");
            g.writeNumberField("inputTokens", c.inputTokens);
            g.writeNumberField("outputTokens", c.outputTokens);
            g.writeNumberField("totalTokens", c.inputTokens + c.outputTokens + c.cacheRead);
            g.writeNumberField("cacheReadInputTokenCount", c.cacheRead);
            g.writeNumberField("cacheWriteInputTokenCount", 0);
            g.writeEndObject();
        } else {
            g.writeStringField("generation", text);
            g.writeNumberField("prompt_token_count", c.inputTokens);
            g.writeNumberField("generation_token_count", c.outputTokens);
            g.writeStringField("stop_reason", "stop");
        }
        g.writeEndObject();
    }

    private void writeUserIdentity(JsonGenerator g, Call c) throws IOException {
        Principal p = c.principal;
        g.writeObjectFieldStart("userIdentity");
        if (p.isRole()) {
            g.writeStringField("type", "AssumedRole");
            g.writeStringField("principalId", p.uniqueId + ":" + c.session.name());
            g.writeStringField("arn", c.identityArn);
            g.writeStringField("accountId", Scenario.ACCOUNT);
            g.writeStringField("accessKeyId", c.accessKeyId);
            g.writeObjectFieldStart("sessionContext");
            g.writeObjectFieldStart("sessionIssuer");
            g.writeStringField("type", "Role");
            g.writeStringField("principalId", p.uniqueId);
            g.writeStringField("arn", p.arn);
            g.writeStringField("accountId", Scenario.ACCOUNT);
            g.writeStringField("userName", p.name);
            g.writeEndObject();
            g.writeObjectFieldStart("webIdFederationData");
            g.writeEndObject();
            g.writeObjectFieldStart("attributes");
            g.writeStringField("creationDate", iso(c.sessionIssuedMillis));
            g.writeStringField("mfaAuthenticated", "false");
            g.writeEndObject();
            g.writeEndObject();
            if (p.kind == Kind.SSO_ROLE) {
                g.writeObjectFieldStart("onBehalfOf");
                g.writeStringField("userId", Scenario.stableId("9067c1a2b3-", c.session.name(), 12).toLowerCase(Locale.ROOT));
                g.writeStringField("identityStoreArn", IDENTITY_STORE);
                g.writeEndObject();
            }
        } else {
            g.writeStringField("type", "IAMUser");
            g.writeStringField("principalId", p.uniqueId);
            g.writeStringField("arn", p.arn);
            g.writeStringField("accountId", Scenario.ACCOUNT);
            g.writeStringField("accessKeyId", c.accessKeyId);
            g.writeStringField("userName", p.name);
        }
        g.writeEndObject();
    }

    private static String sourceIp(Principal p) {
        // documentation range (RFC 5737): synthetic, never routable
        return "203.0.113." + (10 + Math.floorMod(p.name.hashCode(), 200));
    }

    /** CloudTrail management event of a Bedrock runtime call; {@code requestID} = the record's requestId. */
    private void writeRuntimeEvent(JsonGenerator g, Call c) throws IOException {
        g.writeStartObject();
        g.writeStringField("eventVersion", "1.10");
        writeUserIdentity(g, c);
        g.writeStringField("eventTime", iso(c.millis));
        g.writeStringField("eventSource", "bedrock.amazonaws.com");
        g.writeStringField("eventName", c.operation.name());
        g.writeStringField("awsRegion", c.region);
        g.writeStringField("sourceIPAddress", sourceIp(c.principal));
        g.writeStringField("userAgent", c.principal.userAgent);
        if (c.errorIndex >= 0) {
            g.writeStringField("errorCode", ERROR_CODES[c.errorIndex]);
            g.writeStringField("errorMessage", ERROR_MESSAGES[c.errorIndex]);
        }
        g.writeObjectFieldStart("requestParameters");
        g.writeStringField("modelId", c.modelId);
        g.writeEndObject();
        g.writeNullField("responseElements");
        if (c.inferenceRegion != null && !c.inferenceRegion.equals(c.region)) {
            // present only when the request was re-routed
            g.writeObjectFieldStart("additionalEventData");
            g.writeStringField("inferenceRegion", c.inferenceRegion);
            g.writeEndObject();
        }
        g.writeStringField("requestID", c.requestId);
        g.writeStringField("eventID", c.eventId);
        g.writeBooleanField("readOnly", true);
        g.writeStringField("eventType", "AwsApiCall");
        g.writeBooleanField("managementEvent", true);
        g.writeStringField("recipientAccountId", Scenario.ACCOUNT);
        g.writeStringField("eventCategory", "Management");
        writeTls(g, "bedrock-runtime." + c.region + ".amazonaws.com");
        g.writeEndObject();
    }

    private static void writeTls(JsonGenerator g, String host) throws IOException {
        g.writeObjectFieldStart("tlsDetails");
        g.writeStringField("tlsVersion", "TLSv1.3");
        g.writeStringField("cipherSuite", "TLS_AES_128_GCM_SHA256");
        g.writeStringField("clientProvidedHostHeader", host);
        g.writeEndObject();
    }

    /** STS event that starts {@code c.sts}: AssumeRole (tags list) or, for Identity Center, AssumeRoleWithSAML (principalTags map). */
    private void writeStsEvent(JsonGenerator g, Call c) throws IOException {
        Principal p = c.principal;
        Session s = c.sts;
        String sessionName = c.session.name();
        Map<String, String> tags = c.session.tags();
        boolean saml = p.kind == Kind.SSO_ROLE;
        g.writeStartObject();
        g.writeStringField("eventVersion", "1.08");
        g.writeObjectFieldStart("userIdentity");
        String ip;
        String agent;
        if (saml) {
            g.writeStringField("type", "SAMLUser");
            g.writeStringField("principalId", "SsoIdP5c2e9f0a:" + sessionName);
            g.writeStringField("userName", sessionName);
            g.writeStringField("identityProvider", "SsoIdP5c2e9f0a");
            ip = sourceIp(p);
            agent = "aws-internal/3 aws-sdk-java/1.12.780";
        } else if (p.kind == Kind.GATEWAY_ROLE) {
            String podRoleId = Scenario.stableId("AROA", GATEWAY_POD_ROLE, 17);
            g.writeStringField("type", "AssumedRole");
            g.writeStringField("principalId", podRoleId + ":gateway-pod-7f9c");
            g.writeStringField("arn", "arn:aws:sts::" + Scenario.ACCOUNT + ":assumed-role/" + GATEWAY_POD_ROLE + "/gateway-pod-7f9c");
            g.writeStringField("accountId", Scenario.ACCOUNT);
            g.writeStringField("accessKeyId", Scenario.stableId("ASIA", GATEWAY_POD_ROLE, 16));
            g.writeObjectFieldStart("sessionContext");
            g.writeObjectFieldStart("sessionIssuer");
            g.writeStringField("type", "Role");
            g.writeStringField("principalId", podRoleId);
            g.writeStringField("arn", "arn:aws:iam::" + Scenario.ACCOUNT + ":role/" + GATEWAY_POD_ROLE);
            g.writeStringField("accountId", Scenario.ACCOUNT);
            g.writeStringField("userName", GATEWAY_POD_ROLE);
            g.writeEndObject();
            g.writeEndObject();
            ip = sourceIp(p);
            agent = p.userAgent;
        } else {
            g.writeStringField("type", "AWSService");
            g.writeStringField("invokedBy", p.invokedBy);
            ip = p.invokedBy;
            agent = p.invokedBy;
        }
        g.writeEndObject();
        g.writeStringField("eventTime", iso(s.issuedMillis));
        g.writeStringField("eventSource", "sts.amazonaws.com");
        g.writeStringField("eventName", saml ? "AssumeRoleWithSAML" : "AssumeRole");
        g.writeStringField("awsRegion", c.region);
        g.writeStringField("sourceIPAddress", ip);
        g.writeStringField("userAgent", agent);
        g.writeObjectFieldStart("requestParameters");
        if (saml) {
            g.writeStringField("sAMLAssertionID", "_" + uuid());
            g.writeStringField("roleSessionName", sessionName);
            if (!tags.isEmpty()) {
                g.writeObjectFieldStart("principalTags");
                for (Map.Entry<String, String> e : tags.entrySet()) g.writeStringField(e.getKey(), e.getValue());
                g.writeEndObject();
            }
            g.writeStringField("roleArn", p.arn);
            g.writeStringField("principalArn", SAML_PROVIDER);
        } else {
            g.writeStringField("roleArn", p.arn);
            g.writeStringField("roleSessionName", sessionName);
            if (!tags.isEmpty()) {
                g.writeArrayFieldStart("tags");
                for (Map.Entry<String, String> e : tags.entrySet()) {
                    g.writeStartObject();
                    g.writeStringField("key", e.getKey());
                    g.writeStringField("value", e.getValue());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
        }
        g.writeNumberField("durationSeconds", s.durationSeconds);
        g.writeEndObject();
        g.writeObjectFieldStart("responseElements");
        g.writeObjectFieldStart("credentials");
        g.writeStringField("accessKeyId", s.stsKeyId);
        g.writeStringField("sessionToken", "synthetic-session-token");
        g.writeStringField("expiration", EXPIRATION.format(Instant.ofEpochMilli(s.expiresMillis)));
        g.writeEndObject();
        g.writeObjectFieldStart("assumedRoleUser");
        g.writeStringField("assumedRoleId", p.uniqueId + ":" + sessionName);
        g.writeStringField("arn", c.identityArn);
        g.writeEndObject();
        if (saml) {
            g.writeStringField("subject", sessionName);
            g.writeStringField("subjectType", "persistent");
            g.writeStringField("audience", "https://signin.aws.amazon.com/saml");
        }
        g.writeEndObject();
        g.writeStringField("requestID", uuid());
        g.writeStringField("eventID", uuid());
        g.writeBooleanField("readOnly", true);
        g.writeArrayFieldStart("resources");
        g.writeStartObject();
        g.writeStringField("accountId", Scenario.ACCOUNT);
        g.writeStringField("type", "AWS::IAM::Role");
        g.writeStringField("ARN", p.arn);
        g.writeEndObject();
        g.writeEndArray();
        g.writeStringField("eventType", "AwsApiCall");
        g.writeBooleanField("managementEvent", true);
        g.writeStringField("recipientAccountId", Scenario.ACCOUNT);
        g.writeStringField("eventCategory", "Management");
        writeTls(g, "sts." + c.region + ".amazonaws.com");
        g.writeEndObject();
    }

    /** EventBridge "AWS API Call via CloudTrail" envelope around an already rendered CloudTrail event. */
    private void writeEventBridge(JsonGenerator g, String source, long eventMillis, String region, byte[] detail)
            throws IOException {
        g.writeStartObject();
        g.writeStringField("version", "0");
        g.writeStringField("id", uuid());
        g.writeStringField("detail-type", "AWS API Call via CloudTrail");
        g.writeStringField("source", source);
        g.writeStringField("account", Scenario.ACCOUNT);
        g.writeStringField("time", iso(eventMillis));
        g.writeStringField("region", region);
        g.writeArrayFieldStart("resources");
        g.writeEndArray();
        g.writeFieldName("detail");
        g.writeRawValue(new String(detail, StandardCharsets.UTF_8));
        g.writeEndObject();
    }

    private void writeCwlPayload(JsonGenerator g, Batch b) throws IOException {
        g.writeStartObject();
        g.writeStringField("messageType", "DATA_MESSAGE");
        g.writeStringField("owner", Scenario.ACCOUNT);
        g.writeStringField("logGroup", b.logGroup);
        g.writeStringField("logStream", b.logStream);
        g.writeArrayFieldStart("subscriptionFilters");
        g.writeString(b.filter);
        g.writeEndArray();
        g.writeArrayFieldStart("logEvents");
        for (int i = 0; i < b.size(); i++) {
            byte[] m = b.messages.get(i);
            g.writeStartObject();
            g.writeStringField("id", logEventId());
            g.writeNumberField("timestamp", b.millis.get(i));
            g.writeFieldName("message");
            g.writeUTF8String(m, 0, m.length);
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static void writeControlMessage(JsonGenerator g, long millis) throws IOException {
        g.writeStartObject();
        g.writeStringField("messageType", "CONTROL_MESSAGE");
        g.writeStringField("owner", "CloudwatchLogs");
        g.writeStringField("logGroup", "");
        g.writeStringField("logStream", "");
        g.writeArrayFieldStart("subscriptionFilters");
        g.writeEndArray();
        g.writeArrayFieldStart("logEvents");
        g.writeStartObject();
        g.writeStringField("id", "");
        g.writeNumberField("timestamp", millis);
        g.writeStringField("message", "CWL CONTROL MESSAGE: Checking health of destination Kinesis stream.");
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndObject();
    }

    // =====================================================================================
    // State types
    // =====================================================================================

    private static final class Call {
        long millis;
        Principal principal;
        SessionSpec session;
        String identityArn;
        String accessKeyId;
        long sessionIssuedMillis;
        Session sts;
        String region;
        String modelId;
        Operation operation;
        String inferenceRegion;
        String requestId;
        String eventId;
        boolean claude, nova, llama;
        int errorIndex;
        long inputTokens, outputTokens, cacheRead, cacheWrite5m, cacheWrite1h;
        long latencyMillis;
        boolean withBody;

        Call copyWithRequestId(String requestId) {
            Call c = new Call();
            c.millis = millis; c.principal = principal; c.session = session; c.identityArn = identityArn;
            c.accessKeyId = accessKeyId; c.sessionIssuedMillis = sessionIssuedMillis; c.region = region;
            c.modelId = modelId; c.operation = operation; c.inferenceRegion = inferenceRegion;
            c.requestId = requestId; c.eventId = eventId; c.claude = claude; c.nova = nova; c.llama = llama;
            c.errorIndex = -1; c.inputTokens = Math.max(1, inputTokens); c.outputTokens = outputTokens;
            c.latencyMillis = latencyMillis; c.withBody = false;
            return c;
        }
    }

    private static final class Session implements Serializable {
        private static final long serialVersionUID = 1L;
        long issuedMillis;
        long expiresMillis;
        int durationSeconds;
        String stsKeyId;
        String callKeyId;
    }

    private static final class Delivery implements Serializable, Comparable<Delivery> {
        private static final long serialVersionUID = 1L;
        final long deliverAt;
        final long seq;
        final String origin;
        final byte[] payload;

        Delivery(long deliverAt, long seq, String origin, byte[] payload) {
            this.deliverAt = deliverAt;
            this.seq = seq;
            this.origin = origin;
            this.payload = payload;
        }

        @Override
        public int compareTo(Delivery o) {
            int c = Long.compare(deliverAt, o.deliverAt);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private static final class PendingTrail implements Serializable, Comparable<PendingTrail> {
        private static final long serialVersionUID = 1L;
        final long dueAt;
        final long seq;
        final long eventMillis;
        final String region;
        final String source;
        final byte[] eventJson;

        PendingTrail(long dueAt, long seq, long eventMillis, String region, String source, byte[] eventJson) {
            this.dueAt = dueAt;
            this.seq = seq;
            this.eventMillis = eventMillis;
            this.region = region;
            this.source = source;
            this.eventJson = eventJson;
        }

        @Override
        public int compareTo(PendingTrail o) {
            int c = Long.compare(dueAt, o.dueAt);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    /** Log events waiting to be shipped together in one CloudWatch Logs subscription payload. */
    private static final class Batch implements Serializable {
        private static final long serialVersionUID = 1L;
        final String logGroup;
        final String logStream;
        final String filter;
        final ArrayList<byte[]> messages = new ArrayList<>();
        final ArrayList<Long> millis = new ArrayList<>();
        long firstMillis;
        int target = 1;

        Batch(String logGroup, String logStream, String filter) {
            this.logGroup = logGroup;
            this.logStream = logStream;
            this.filter = filter;
        }

        boolean isEmpty() {
            return messages.isEmpty();
        }

        int size() {
            return messages.size();
        }

        void add(long eventMillis, byte[] message) {
            if (messages.isEmpty()) firstMillis = eventMillis;
            messages.add(message);
            millis.add(eventMillis);
        }

        void clear() {
            messages.clear();
            millis.clear();
        }
    }

    /** ByteArrayOutputStream reused across renders (not synchronized use: single-threaded generator). */
    private static final class Buf extends ByteArrayOutputStream {
        Buf() {
            super(4096);
        }
    }
}
