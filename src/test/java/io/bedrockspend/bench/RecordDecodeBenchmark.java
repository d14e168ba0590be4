package io.bedrockspend.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bedrockspend.cli.ReplayBenchmark;
import io.bedrockspend.ingest.DeadLetter;
import io.bedrockspend.ingest.DecodeSink;
import io.bedrockspend.ingest.InvocationCall;
import io.bedrockspend.ingest.RawRecord;
import io.bedrockspend.ingest.RecordDecoder;
import io.bedrockspend.ingest.TrailEvent;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Decode one framed record with the streaming decoder against a naive {@code ObjectMapper.readTree};
 * subclasses pick the records (in their {@code @Setup}, from the replay benchmark's generator).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public abstract class RecordDecodeBenchmark {
    private RawRecord[] records;
    private int next;
    private final RecordDecoder decoder = new RecordDecoder();
    private final ObjectMapper om = new ObjectMapper();

    /** The JSON lines of {@code jsonLines} that {@code keep} accepts, as framed records. */
    protected final void use(byte[] jsonLines, java.util.function.Predicate<String> keep) {
        List<RawRecord> l = new ArrayList<>();
        for (String line : new String(jsonLines, StandardCharsets.UTF_8).split("\n")) {
            if (!line.isBlank() && keep.test(line)) {
                l.add(new RawRecord("bench", "line " + (l.size() + 1), line.getBytes(StandardCharsets.UTF_8)));
            }
        }
        if (l.isEmpty()) {
            throw new IllegalStateException("the generator wrote no records to benchmark");
        }
        records = l.toArray(new RawRecord[0]);
    }

    private RawRecord nextRecord() {
        RawRecord r = records[next];
        next = next + 1 == records.length ? 0 : next + 1;
        return r;
    }

    /** Every record must decode to a call or an event: a dead letter or a skip means the benchmark measures the wrong thing. */
    @Benchmark
    public void streaming(Blackhole bh) {
        decoder.decode(nextRecord(), new DecodeSink() {
            @Override public void call(InvocationCall c) { bh.consume(c); }
            @Override public void trail(TrailEvent e) { bh.consume(e); }
            @Override public void deadLetter(DeadLetter d) { throw new IllegalStateException(d.toString()); }
            @Override public void skipped(String what) { throw new IllegalStateException("skipped " + what); }
        });
    }

    /** The tree model only (no field extraction): a lower bound on what the naive way costs. */
    @Benchmark
    public JsonNode tree() throws IOException {
        return om.readTree(nextRecord().payload);
    }

    /**
     * The naive baseline per record: {@code readTree}, then the fields pricing and attribution need
     * picked from the tree (the replay benchmark's tree baseline, {@code ReplayBenchmark.treeDecode}).
     */
    @Benchmark
    public void treeAndFields(Blackhole bh) throws IOException {
        ReplayBenchmark.treeDecode(om.readTree(nextRecord().payload), new DecodeSink() {
            @Override public void call(InvocationCall c) { bh.consume(c); }
            @Override public void trail(TrailEvent e) { bh.consume(e); }
            @Override public void deadLetter(DeadLetter d) { throw new IllegalStateException("tree baseline rejected a record"); }
            @Override public void skipped(String what) { throw new IllegalStateException("tree baseline skipped a record"); }
        });
    }
}
