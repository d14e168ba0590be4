package io.bedrockspend.reconcile;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.bedrockspend.sinks.LocalLinesFileSink;
import io.bedrockspend.spend.Money;
import org.apache.flink.api.common.JobExecutionResult;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.connector.file.src.reader.TextLineInputFormat;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;

import java.io.IOException;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The reconciliation as one Flink batch job: CUR files (the periods {@link CurLayout} chose) and the
 * ledger are read in parallel, turned into {@link Fact}s, keyed by (bucket, account, principal,
 * usage type) and summed per key by {@link ReconcileFunction}; per-call corrections are summed per
 * request id and written to {@code corrections.jsonl}. The key results come back to the client,
 * which classifies and reports them (one row per key: far fewer than CUR rows or calls).
 */
public final class ReconcileJob {
    /** What the job needs to know. */
    public record Spec(List<CurLayout.Period> periods, List<Path> ledger, boolean daily, String onlyPeriod,
                       UsageTypeTable table, Finality finality, java.nio.file.Path correctionsFile) {}

    /** The keys and the job's counters. */
    public record Output(List<KeyResult> keys, Map<String, Object> counters, long millis) {
        public long counter(String name) {
            Object v = counters.get(name);
            return v instanceof Number n ? n.longValue() : 0L;
        }
    }

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

        keys.getSideOutput(ReconcileFunction.CORRECTIONS)
                .keyBy(c -> c.requestId)
                .reduce(Correction::merge).uid("corrections").name("corrections per call")
                .sinkTo(new LocalLinesFileSink<>(spec.correctionsFile(), ReconcileJob::correctionLine))
                .setParallelism(1).uid("corrections-file").name("corrections.jsonl");

        CloseableIterator<KeyResult> it = keys.collectAsync();
        long t0 = System.nanoTime();
        JobClient job = env.executeAsync("reconcile");
        List<KeyResult> out = new ArrayList<>();
        JobExecutionResult res;
        try {
            while (it.hasNext()) out.add(it.next());
            res = job.getJobExecutionResult().get();
        } finally {
            it.close();
        }
        return new Output(out, new HashMap<>(res.getAllAccumulatorResults()), (System.nanoTime() - t0) / 1_000_000);
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
