package io.bedrockspend.reconcile;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.bedrockspend.sinks.LocalPartFilesSink;
import io.bedrockspend.spend.Money;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.functions.RichFlatMapFunction;
import org.apache.flink.api.common.state.ListState;
import org.apache.flink.api.common.state.ListStateDescriptor;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.BroadcastStream;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.Collector;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reconciliation as one Flink batch job: CUR files (the periods {@link CurLayout} chose) and the
 * ledger are read in parallel, turned into {@link Fact}s, keyed by (bucket, account, principal,
 * usage type) and summed per key by {@link ReconcileFunction}. Each key is classified in the job:
 * matched keys on their own; unmatched keys per (bucket, account, usage type) cell, where identity
 * pairing looks, with the ledger's regions broadcast to them. Classified keys go straight to
 * {@code reconciliation.csv} and per-call corrections to {@code corrections.jsonl} (parallel part files,
 * assembled after the job); they are folded per subtask into a {@link ReconSummary}, merged in one
 * small final reduce, and that summary is all the client receives, whatever the number of keys.
 */
public final class ReconcileJob {
    /** What the job needs to know; the CSV and corrections are written into {@code outDir}. */
    public record Spec(List<CurLayout.Period> periods, List<Path> ledger, boolean daily, String onlyPeriod,
                       UsageTypeTable table, Finality finality, Classifier.Tolerance tolerance, java.nio.file.Path outDir) {}

    /** The summary and the job's counters. */
    public record Output(ReconSummary summary, Map<String, Object> counters, long millis) {
        public long counter(String name) {
            Object v = counters.get(name);
            return v instanceof Number n ? n.longValue() : 0L;
        }
    }

    public static final String CSV = "reconciliation.csv";
    public static final String CORRECTIONS = "corrections.jsonl";
    static final MapStateDescriptor<String, Boolean> REGIONS =
            new MapStateDescriptor<>("ledger-regions", Types.STRING, Types.BOOLEAN);

    private ReconcileJob() {}

    public static Output run(StreamExecutionEnvironment env, Spec spec) throws Exception {
        env.setRuntimeMode(RuntimeExecutionMode.BATCH);
        List<Path> curFiles = new ArrayList<>();
        Set<String> periods = new LinkedHashSet<>();
        boolean knownPeriods = true;
        for (CurLayout.Period p : spec.periods()) {
            curFiles.addAll(p.files());
            if (p.period().equals("unknown")) knownPeriods = false;
            periods.add(p.period());
        }
        Set<String> ledgerPeriods = spec.onlyPeriod() != null ? Set.of(spec.onlyPeriod()) : knownPeriods ? periods : null;

        FileSource<CurRow> curSource = FileSource.forBulkFileFormat(new CurFileFormat(), curFiles.toArray(Path[]::new)).build();
        DataStream<Fact> cur = env.fromSource(curSource, WatermarkStrategy.noWatermarks(), "cur", TypeInformation.of(CurRow.class))
                .uid("cur").name("CUR files")
                .flatMap(new Facts.FromCur(spec.daily(), spec.onlyPeriod())).uid("cur-facts").name("CUR facts")
                .returns(Fact.class);

        FileSource<String> ledgerSource = FileSource.forRecordStreamFormat(new TextLineInputFormat(),
                spec.ledger().toArray(Path[]::new)).build();
        DataStream<Fact> ledger = env.fromSource(ledgerSource, WatermarkStrategy.noWatermarks(), "ledger")
                .uid("ledger").name("ledger files")
                .flatMap(new Facts.FromLedger(spec.daily(), ledgerPeriods, spec.table())).uid("ledger-facts").name("ledger facts")
                .returns(Fact.class);

        SingleOutputStreamOperator<KeyResult> keys = cur.union(ledger)
                .keyBy(Fact::key)
                .process(new ReconcileFunction(spec.finality())).uid("reconcile").name("reconcile")
                .returns(KeyResult.class);

        java.nio.file.Path csvParts = spec.outDir().resolve("." + CSV + ".parts");
        java.nio.file.Path correctionParts = spec.outDir().resolve("." + CORRECTIONS + ".parts");
        LocalPartFilesSink.prepare(csvParts);
        LocalPartFilesSink.prepare(correctionParts);

        keys.getSideOutput(ReconcileFunction.CORRECTIONS)
                .keyBy(c -> c.requestId)
                .reduce(Correction::merge).uid("corrections").name("corrections per call")
                .sinkTo(new LocalPartFilesSink<>(correctionParts, ReconcileJob::correctionLine))
                .uid("corrections-file").name(CORRECTIONS);

        Finality fin = spec.finality();
        Classifier.Tolerance tol = spec.tolerance();
        // in BATCH mode the broadcast input is consumed before any keyed element, so the set is complete
        BroadcastStream<String> regions = keys.flatMap(new LedgerRegions()).uid("ledger-regions").name("ledger regions")
                .broadcast(REGIONS);
        DataStream<ReconRow> unmatched = keys.filter(k -> !(k.hasCur() && k.hasLedger())).uid("unmatched").name("unmatched keys")
                .keyBy(Classifier::cellKey)
                .connect(regions)
                .process(new ClassifyCell(fin, tol)).uid("classify-cells").name("classify unmatched keys per cell")
                .returns(ReconRow.class);
        DataStream<ReconRow> matched = keys.filter(k -> k.hasCur() && k.hasLedger()).uid("matched").name("matched keys")
                .map(k -> Classifier.classify(k, null, Set.of(), fin, tol)).uid("classify").name("classify matched keys")
                .returns(ReconRow.class);

        // each classifier gets its own CSV writer and pre-aggregation: a union in front of them would
        // stop chaining, and batch mode would then spill every classified key to a blocking exchange
        List<DataStream<ReconSummary>> partials = new ArrayList<>();
        DataStream<ReconSummary.Amount> amounts = null;
        for (Map.Entry<String, DataStream<ReconRow>> branch : List.of(Map.entry("matched", matched), Map.entry("unmatched", unmatched))) {
            String b = branch.getKey();
            DataStream<ReconRow> rows = branch.getValue();
            rows.sinkTo(new LocalPartFilesSink<>(csvParts.resolve(b), Report::csvLine)).uid("csv-" + b).name(CSV + " (" + b + ")");
            partials.add(rows.fullWindowPartition().aggregate(new ReconSummary.OfRows())
                    .uid("summary-" + b).name("summary per subtask (" + b + ")"));
            DataStream<ReconSummary.Amount> a = rows.filter(r -> r.difference.signum() != 0).uid("drifting-" + b).name("drifting keys (" + b + ")")
                    .map(r -> new ReconSummary.Amount(ReconSummary.principalLabel(r), r.difference)).uid("principal-amounts-" + b)
                    .returns(ReconSummary.Amount.class);
            amounts = amounts == null ? a : amounts.union(a);
        }
        partials.add(amounts.keyBy(a -> a.name)
                .reduce((a, c) -> new ReconSummary.Amount(a.name, a.usd.add(c.usd))).uid("principal-sums").name("difference per principal")
                .fullWindowPartition().aggregate(new ReconSummary.OfPrincipals())
                .uid("principal-top").name("top principals per subtask"));
        DataStream<ReconSummary> all = partials.get(0);
        for (DataStream<ReconSummary> p : partials.subList(1, partials.size())) all = all.union(p);
        SingleOutputStreamOperator<ReconSummary> summary = all.global()
                .fullWindowPartition().reduce(ReconSummary::merge)
                .uid("summary").name("summary").setParallelism(1);

        CloseableIterator<ReconSummary> it = summary.collectAsync();
        long t0 = System.nanoTime();
        boolean done = false;
        try {
            JobClient job = env.executeAsync("reconcile");
            ReconSummary total = new ReconSummary();
            JobExecutionResult res;
            try {
                while (it.hasNext()) total.merge(it.next());
                res = job.getJobExecutionResult().get();
            } finally {
                it.close();
            }
            String header = String.join(",", Report.CSV_COLUMNS) + "\n";
            LocalPartFilesSink.assemble(List.of(csvParts.resolve("matched"), csvParts.resolve("unmatched")), spec.outDir().resolve(CSV), header);
            LocalPartFilesSink.assemble(List.of(correctionParts), spec.outDir().resolve(CORRECTIONS), null);
            LocalPartFilesSink.discard(csvParts);
            done = true;
            return new Output(total, new HashMap<>(res.getAllAccumulatorResults()), (System.nanoTime() - t0) / 1_000_000);
        } finally {
            if (!done) {
                LocalPartFilesSink.discard(csvParts);
                LocalPartFilesSink.discard(correctionParts);
            }
        }
    }

    /** Each region with ledger calls, once per subtask (the broadcast side of cell classification). */
    static final class LedgerRegions extends RichFlatMapFunction<KeyResult, String> {
        private transient Set<String> seen;

        @Override
        public void flatMap(KeyResult k, Collector<String> out) {
            if (!k.hasLedger() || k.ledgerRegion == null) return;
            if (seen == null) seen = new HashSet<>();
            if (seen.add(k.ledgerRegion)) out.collect(k.ledgerRegion);
        }
    }

    /**
     * Classifies the unmatched keys of one (bucket, account, usage type) cell together, so identity
     * pairing sees the cell; only one cell's keys are in state at a time (batch mode sorts by cell).
     */
    static final class ClassifyCell extends KeyedBroadcastProcessFunction<String, KeyResult, String, ReconRow> {
        private final Finality finality;
        private final Classifier.Tolerance tolerance;
        private transient ListState<KeyResult> cell;
        private transient Set<String> regions;

        ClassifyCell(Finality finality, Classifier.Tolerance tolerance) {
            this.finality = finality;
            this.tolerance = tolerance;
        }

        @Override
        public void open(OpenContext ctx) {
            cell = getRuntimeContext().getListState(new ListStateDescriptor<>("cell", KeyResult.class));
        }

        @Override
        public void processBroadcastElement(String region, Context ctx, Collector<ReconRow> out) throws Exception {
            ctx.getBroadcastState(REGIONS).put(region, Boolean.TRUE);
        }

        @Override
        public void processElement(KeyResult k, ReadOnlyContext ctx, Collector<ReconRow> out) throws Exception {
            if (!cell.get().iterator().hasNext()) ctx.timerService().registerEventTimeTimer(Long.MAX_VALUE);
            cell.add(k);
        }

        @Override
        public void onTimer(long timestamp, OnTimerContext ctx, Collector<ReconRow> out) throws Exception {
            if (regions == null) {
                regions = new HashSet<>();
                for (Map.Entry<String, Boolean> e : ctx.getBroadcastState(REGIONS).immutableEntries()) regions.add(e.getKey());
            }
            List<KeyResult> keys = new ArrayList<>();
            cell.get().forEach(keys::add);
            Classifier.Cell summary = Classifier.Cell.of(keys);
            for (KeyResult k : keys) out.collect(Classifier.classify(k, summary, regions, finality, tolerance));
            cell.clear();
        }
    }

    private static final JsonFactory JSON = new JsonFactory();

    static String correctionLine(Correction c) throws IOException {
        StringWriter w = new StringWriter(200);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("requestId", c.requestId);
            g.writeStringField("estimateUsd", c.unpriced ? null : Money.format(c.estimate));
            g.writeStringField("billedUsd", Money.format(c.billed));
            g.writeStringField("differenceUsd", c.unpriced ? null : Money.format(c.billed.subtract(c.estimate)));
            g.writeBooleanField("reconciled", c.reconciled);
            g.writeStringField("source", "cur");
            g.writeEndObject();
        }
        return w.toString();
    }

    static String iso(long millis) {
        return Instant.ofEpochMilli(millis).toString();
    }
}
