package io.bedrockspend.reconcile;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.GarbageCollectionNotificationInfo;
import io.bedrockspend.cli.ReconcileCommand;
import io.bedrockspend.identity.Principals;
import io.bedrockspend.spend.Money;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code bench/reconcile-throughput}: generates (once) a CUR 2.0 export of ROWS Bedrock usage rows for
 * April 2026 (Parquet, {@code data/BILLING_PERIOD=2026-04/<delivery>/} plus its manifest) and the
 * matching ledger, then runs {@code reconcile} in this JVM through {@link ReconcileCommand#run} (the
 * code path of {@code bin/bedrock-spend reconcile}) and prints {@code name: value unit} lines.
 *
 * <p>Shape: every hour of the month a rotating set of principals (assumed-role sessions and IAM users,
 * 12 teams) is active; each active (hour, principal) slot makes {@link #CALLS_PER_SLOT} calls to the
 * principal's model, and the bill has one Usage row per (hour, session principal, usage type), so
 * each CUR row sums {@link #CALLS_PER_SLOT} real ledger calls. Models: Claude Sonnet through
 * Marketplace with input/output/cache-read/1h-cache-write (2 of 5 principals), Sonnet with
 * input/output only (1 of 5), Nova Pro input/output (2 of 5): 2.8 CUR rows per slot on average, so
 * ledger calls ≈ 0.71 × CUR rows. Drift: Nova Pro output billed at 1.02 × the estimate, and one call
 * in 1000 missing from the bill. Generation is streaming (one slot in memory at a time).
 */
public final class ReconcileBenchmark {
    static final int CALLS_PER_SLOT = 2;
    static final int LEDGER_FILES = 8;
    static final int CUR_FILES = 8;
    static final String PERIOD = "2026-04";
    static final long MONTH_START = Instant.parse("2026-04-01T00:00:00Z").toEpochMilli();
    static final int HOURS = 30 * 24;
    static final String EXPORT = "bedrock-cost";
    static final String DELIVERY = "20260503T000000Z";
    static final String SNAPSHOT = "2026-11-23-reference";

    static final String MP_IN = "USE1-MP:USE1_InputTokenCount_Global-Units";
    static final String MP_OUT = "USE1-MP:USE1_OutputTokenCount_Global-Units";
    static final String MP_CR = "USE1-MP:USE1_CacheReadInputTokenCount_Global-Units";
    static final String MP_CW1H = "USE1-MP:USE1_CacheWrite1hInputTokenCount_Global-Units";
    static final String NOVA_IN = "USE1-NovaPro-input-tokens";
    static final String NOVA_OUT = "USE1-NovaPro-output-tokens";
    static final BigDecimal NOVA_OUT_FACTOR = new BigDecimal("1.02");

    /** A model: id, ledger token kinds, their usage types and $ per 1M tokens. */
    record Model(String id, String[] kinds, String[] usageTypes, BigDecimal[] ratePerM) {}

    static final Model[] MODELS = {
            new Model("anthropic.claude-sonnet-4-6", new String[] {"input", "output", "cacheRead", "cacheWrite1h"},
                    new String[] {MP_IN, MP_OUT, MP_CR, MP_CW1H},
                    new BigDecimal[] {new BigDecimal("3"), new BigDecimal("15"), new BigDecimal("0.3"), new BigDecimal("6")}),
            new Model("anthropic.claude-sonnet-4-6", new String[] {"input", "output"}, new String[] {MP_IN, MP_OUT},
                    new BigDecimal[] {new BigDecimal("3"), new BigDecimal("15")}),
            new Model("amazon.nova-pro-v1:0", new String[] {"input", "output"}, new String[] {NOVA_IN, NOVA_OUT},
                    new BigDecimal[] {new BigDecimal("0.8"), new BigDecimal("3.2")}),
    };
    static final int[] MODEL_OF = {0, 0, 1, 2, 2}; // principal % 5 → model
    static final String ACCOUNT = "111122223333";
    static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

    private ReconcileBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args.length < 1) throw new IllegalArgumentException("usage: ReconcileBenchmark DIR [ROWS]");
        Path dir = Path.of(args[0]).toAbsolutePath();
        long rows = args.length > 1 ? Long.parseLong(args[1].replace("_", "")) : 10_000_000L;
        PrintStream out = System.out;
        Path export = dir.resolve("cur").resolve(EXPORT);
        Path ledger = dir.resolve("ledger");
        Path stats = dir.resolve("generated.properties");
        if (!Files.exists(stats)) {
            long g0 = System.nanoTime();
            Generated g = generate(export, ledger, rows);
            double gs = (System.nanoTime() - g0) / 1e9;
            Files.writeString(stats, "curRows=" + g.curRows + "\nledgerCalls=" + g.calls + "\nmissingCalls=" + g.missing
                    + "\nestimateUsd=" + Money.format(g.estimate) + "\nbilledUsd=" + Money.format(g.billed)
                    + "\ngenerateSeconds=" + String.format(java.util.Locale.ROOT, "%.1f", gs) + "\n");
            out.printf("generated: %.1f s%n", gs);
        }
        java.util.Properties p = new java.util.Properties();
        try (var r = Files.newBufferedReader(stats)) { p.load(r); }
        long curRows = Long.parseLong(p.getProperty("curRows"));
        out.println("cur rows: " + curRows + " rows");
        out.println("ledger calls: " + p.getProperty("ledgerCalls") + " calls");
        out.println("ledger calls missing from the bill: " + p.getProperty("missingCalls") + " calls");
        out.println("generated estimate: " + p.getProperty("estimateUsd") + " USD");
        out.println("generated billed: " + p.getProperty("billedUsd") + " USD");
        out.println("cur files: " + CUR_FILES + " files (parquet, " + mb(sizeOf(export)) + " MB)");
        out.println("ledger files: " + LEDGER_FILES + " files (jsonl, " + mb(sizeOf(ledger)) + " MB)");

        HeapWatch heap = HeapWatch.start();
        Path report = dir.resolve("out");
        String[] argv = {"reconcile", "--cur", export.toString(), "--ledger", ledger.toString(), "--out", report.toString(),
                "--as-of", "2026-06-01T00:00:00Z"};
        java.io.ByteArrayOutputStream cmdOut = new java.io.ByteArrayOutputStream();
        long t0 = System.nanoTime();
        int code = ReconcileCommand.run(argv, new PrintStream(cmdOut, true, StandardCharsets.UTF_8), System.err);
        double secs = (System.nanoTime() - t0) / 1e9;
        heap.stop();
        for (String l : cmdOut.toString(StandardCharsets.UTF_8).split("\n")) out.println("# " + l);
        ObjectNode summary = (ObjectNode) new ObjectMapper().readTree(report.resolve("summary.json").toFile());
        out.println("keys: " + summary.get("keys").asLong() + " keys");
        out.println("matched keys: " + summary.get("matchedKeys").asLong() + " keys");
        out.println("estimate: " + summary.at("/totals/estimateUsd").asText() + " USD");
        out.println("billed: " + summary.at("/totals/billedUsd").asText() + " USD");
        out.println("price drift: " + summary.at("/differenceByClass/price_drift").asText() + " USD");
        out.println("estimated not billed: " + summary.at("/differenceByClass/estimated_not_billed").asText() + " USD");
        out.println("job seconds (flink job incl. CSV, corrections and summary; assembling the part files): " + String.format(java.util.Locale.ROOT, "%.1f", summary.get("elapsedMillis").asLong() / 1000.0) + " s");
        out.println("seconds: " + String.format(java.util.Locale.ROOT, "%.1f", secs) + " s");
        out.println("cur rows/s: " + Math.round(curRows / secs) + " rows/s");
        out.println("cur+ledger rows/s: " + Math.round((curRows + Long.parseLong(p.getProperty("ledgerCalls"))) / secs) + " rows/s");
        out.println("peak heap used (sampled 20 ms): " + mb(heap.peakSampled.get()) + " MB");
        out.println("peak heap live after gc: " + mb(heap.peakAfterGc.get()) + " MB");
        out.println("max heap: " + mb(Runtime.getRuntime().maxMemory()) + " MB");
        out.println("report.html: " + Files.size(report.resolve("report.html")) / 1024 + " KB");
        out.println("reconciliation.csv: " + mb(Files.size(report.resolve("reconciliation.csv"))) + " MB");
        out.println("exit status: " + code + (code == 0 ? " (within tolerance)" : code == ReconcileCommand.DRIFT ? " (drift)" : " (failed)"));
        // 0 and DRIFT are both successful runs of the benchmark; anything else is a failure
        if (code != 0 && code != ReconcileCommand.DRIFT) throw new IllegalStateException("reconcile exited " + code);
    }

    static long mb(long bytes) {
        return bytes / (1024 * 1024);
    }

    static long sizeOf(Path d) throws IOException {
        try (var s = Files.walk(d)) {
            long n = 0;
            for (Path f : (Iterable<Path>) s::iterator) if (Files.isRegularFile(f)) n += Files.size(f);
            return n;
        }
    }

    // ---- generation ----

    record Generated(long curRows, long calls, long missing, BigDecimal estimate, BigDecimal billed) {}

    static Generated generate(Path export, Path ledgerDir, long rows) throws IOException {
        Files.createDirectories(ledgerDir);
        double avgKinds = 0;
        for (int m : MODEL_OF) avgKinds += MODELS[m].kinds().length;
        avgKinds /= MODEL_OF.length;
        int perHour = (int) Math.ceil(rows / (double) HOURS / avgKinds);   // active principals per hour
        int pool = perHour * 3;                                              // principals that exist
        Slots slots = new Slots(rows, perHour, pool);
        Path data = export.resolve("data").resolve("BILLING_PERIOD=" + PERIOD).resolve(DELIVERY);
        List<Path> files = new ArrayList<>();
        for (int i = 0; i < CUR_FILES; i++) {
            int fromHour = i * HOURS / CUR_FILES, toHour = (i + 1) * HOURS / CUR_FILES;
            Path f = data.resolve(String.format("%s-%05d.snappy.parquet", EXPORT, i + 1));
            try (Writer lw = Files.newBufferedWriter(ledgerDir.resolve(String.format("calls-%02d.jsonl", i)), StandardCharsets.UTF_8)) {
                slots.range(fromHour, toHour, lw);
                CurGenerator.writeParquet(f, slots);
            }
            files.add(f);
        }
        Path m = export.resolve("metadata").resolve("BILLING_PERIOD=" + PERIOD).resolve(DELIVERY);
        Files.createDirectories(m);
        ObjectMapper om = new ObjectMapper();
        ObjectNode n = om.createObjectNode();
        n.put("exportName", EXPORT);
        n.putObject("billingPeriod").put("start", PERIOD + "-01T00:00:00.000Z");
        var arr = n.putArray("dataFiles");
        for (Path f : files) arr.add("s3://cur-bucket/exports/" + EXPORT + "/data/" + export.resolve("data").relativize(f).toString().replace('\\', '/'));
        Files.writeString(m.resolve(EXPORT + "-Manifest.json"), om.writerWithDefaultPrettyPrinter().writeValueAsString(n));
        return new Generated(slots.curRows, slots.calls, slots.missing, slots.estimate, slots.billed);
    }

    static String principalArn(int p) {
        return p % 4 == 3 ? "arn:aws:iam::" + ACCOUNT + ":user/svc-" + p
                : "arn:aws:sts::" + ACCOUNT + ":assumed-role/team" + (p % 12) + "-app" + p + "/session-" + (p % 97);
    }

    /**
     * Walks (hour, active principal) slots in order; each slot writes its calls to the ledger writer and
     * queues its CUR rows, which the Parquet writer pulls one at a time.
     */
    static final class Slots implements Iterator<CurGenerator.Line> {
        final long target;
        final int perHour;
        final int pool;
        final SplittableRandom rnd = new SplittableRandom(42);
        final ArrayDeque<CurGenerator.Line> queue = new ArrayDeque<>();
        final JsonFactory json = new JsonFactory();
        long curRows, calls, missing, seq;
        BigDecimal estimate = BigDecimal.ZERO, billed = BigDecimal.ZERO;
        int hour, toHour, slot;
        Writer ledger;
        boolean checked;

        Slots(long target, int perHour, int pool) {
            this.target = target;
            this.perHour = perHour;
            this.pool = pool;
        }

        void range(int fromHour, int toHour, Writer ledger) {
            this.hour = fromHour;
            this.toHour = toHour;
            this.slot = 0;
            this.ledger = ledger;
        }

        @Override
        public boolean hasNext() {
            try {
                while (queue.isEmpty() && hour < toHour && curRows < target) nextSlot();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return !queue.isEmpty();
        }

        @Override
        public CurGenerator.Line next() {
            if (!hasNext()) throw new NoSuchElementException();
            return queue.poll();
        }

        private void nextSlot() throws IOException {
            int principal = (int) ((hour * 7919L + slot) % pool);
            long hourStart = MONTH_START + hour * 3_600_000L;
            Model model = MODELS[MODEL_OF[principal % MODEL_OF.length]];
            String arn = principalArn(principal);
            String team = "team" + (principal % 12);
            int k = model.kinds().length;
            long[] billedTokens = new long[k];
            BigDecimal[] billedCost = new BigDecimal[k];
            java.util.Arrays.fill(billedCost, BigDecimal.ZERO);
            boolean anyBilled = false;
            for (int c = 0; c < CALLS_PER_SLOT; c++) {
                Map<String, Long> tokens = new LinkedHashMap<>();
                Map<String, BigDecimal> cost = new LinkedHashMap<>();
                Map<String, String> types = new LinkedHashMap<>();
                for (int i = 0; i < k; i++) {
                    long t = switch (model.kinds()[i]) {
                        case "input" -> 200 + rnd.nextInt(20_000);
                        case "output" -> 50 + rnd.nextInt(2_000);
                        case "cacheRead" -> 1_000 + rnd.nextInt(50_000);
                        default -> 500 + rnd.nextInt(5_000);
                    };
                    tokens.put(model.kinds()[i], t);
                    cost.put(model.kinds()[i], model.ratePerM()[i].multiply(BigDecimal.valueOf(t)).divide(MILLION));
                    types.put(model.kinds()[i], model.usageTypes()[i]);
                }
                CurGenerator.Call call = new CurGenerator.Call("req-" + (seq++), hourStart + rnd.nextLong(3_600_000L), ACCOUNT, arn,
                        "us-east-1", model.id(), team, "complete", tokens, cost, types);
                writeLedger(call);
                calls++;
                for (BigDecimal v : cost.values()) estimate = estimate.add(v);
                if (rnd.nextInt(1000) == 0) { missing++; continue; }  // never billed: estimated_not_billed
                anyBilled = true;
                for (int i = 0; i < k; i++) {
                    billedTokens[i] += tokens.get(model.kinds()[i]);
                    BigDecimal v = cost.get(model.kinds()[i]);
                    billedCost[i] = billedCost[i].add(model.usageTypes()[i].equals(NOVA_OUT) ? v.multiply(NOVA_OUT_FACTOR) : v);
                }
            }
            if (anyBilled) {
                for (int i = 0; i < k; i++) {
                    queue.add(CurGenerator.usageLine(hourStart, ACCOUNT, model.usageTypes()[i], billedTokens[i], billedCost[i], arn, team));
                    billed = billed.add(billedCost[i]);
                    curRows++;
                }
            }
            if (++slot == perHour) { slot = 0; hour++; }
        }

        /** The same JSON as {@link CurGenerator#ledgerLine} (checked on the first call), without a mapper per line. */
        private void writeLedger(CurGenerator.Call c) throws IOException {
            java.io.StringWriter sw = new java.io.StringWriter(700);
            try (JsonGenerator g = json.createGenerator(sw)) {
                g.writeStartObject();
                g.writeStringField("requestId", c.requestId());
                g.writeStringField("timestamp", Instant.ofEpochMilli(c.timestampMillis()).toString());
                g.writeStringField("principal", Principals.canonical(c.principalArn()));
                g.writeStringField("principalArn", c.principalArn());
                g.writeStringField("modelId", c.modelId());
                g.writeStringField("accountId", c.accountId());
                g.writeStringField("region", c.region());
                g.writeObjectFieldStart("tokens");
                for (String kind : Facts.KINDS) g.writeNumberField(kind, c.tokens().getOrDefault(kind, 0L));
                g.writeNumberField("cacheWrite", c.tokens().getOrDefault("cacheWrite5m", 0L) + c.tokens().getOrDefault("cacheWrite1h", 0L));
                g.writeEndObject();
                BigDecimal total = BigDecimal.ZERO;
                g.writeObjectFieldStart("cost");
                for (String kind : Facts.KINDS) {
                    BigDecimal v = c.cost().getOrDefault(kind, BigDecimal.ZERO);
                    g.writeStringField(kind, Money.format(v));
                    total = total.add(v);
                }
                g.writeEndObject();
                g.writeStringField("costUsd", Money.format(total));
                g.writeObjectFieldStart("pricing");
                g.writeStringField("status", "priced");
                g.writeStringField("snapshotId", SNAPSHOT);
                g.writeStringField("baseModelId", c.modelId());
                g.writeObjectFieldStart("usageTypes");
                for (Map.Entry<String, String> e : c.usageTypes().entrySet()) g.writeStringField(e.getKey(), e.getValue());
                g.writeEndObject();
                g.writeEndObject();
                g.writeObjectFieldStart("tags");
                g.writeStringField("team", c.team());
                g.writeEndObject();
                g.writeStringField("attribution", c.attribution());
                g.writeStringField("team", c.team());
                g.writeEndObject();
            }
            String line = sw.toString();
            if (!checked) {
                ObjectMapper om = new ObjectMapper();
                if (!om.readTree(line).equals(om.readTree(CurGenerator.ledgerLine(c, true)))) {
                    throw new IllegalStateException("benchmark ledger line differs from CurGenerator.ledgerLine:\n" + line
                            + "\n" + CurGenerator.ledgerLine(c, true));
                }
                checked = true;
            }
            ledger.write(line);
            ledger.write('\n');
        }
    }

    /** Peak heap: a 20 ms sampler over used heap, and the largest heap in use right after a GC. */
    static final class HeapWatch implements Runnable {
        final AtomicLong peakSampled = new AtomicLong();
        final AtomicLong peakAfterGc = new AtomicLong();
        volatile boolean running = true;
        Thread thread;

        static HeapWatch start() {
            HeapWatch h = new HeapWatch();
            System.gc();
            for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
                ((NotificationEmitter) gc).addNotificationListener((n, hb) -> {
                    if (!n.getType().equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) return;
                    var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                    long used = 0;
                    for (MemoryUsage u : info.getGcInfo().getMemoryUsageAfterGc().values()) used += u.getUsed();
                    // includes non-heap pools (metaspace, code cache): subtract them for heap only
                    for (var pool : ManagementFactory.getMemoryPoolMXBeans()) {
                        if (pool.getType() == java.lang.management.MemoryType.NON_HEAP) {
                            MemoryUsage u = info.getGcInfo().getMemoryUsageAfterGc().get(pool.getName());
                            if (u != null) used -= u.getUsed();
                        }
                    }
                    long v = used;
                    h.peakAfterGc.accumulateAndGet(v, Math::max);
                }, null, null);
            }
            h.thread = new Thread(h, "heap-sampler");
            h.thread.setDaemon(true);
            h.thread.start();
            return h;
        }

        @Override
        public void run() {
            var mem = ManagementFactory.getMemoryMXBean();
            while (running) {
                peakSampled.accumulateAndGet(mem.getHeapMemoryUsage().getUsed(), Math::max);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
            peakSampled.accumulateAndGet(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed(), Math::max);
        }
    }
}
