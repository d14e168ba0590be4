package io.bedrockspend.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bedrockspend.demo.BenchDataWriter;
import io.bedrockspend.demo.TrafficGenerator;
import io.bedrockspend.demo.TrafficGenerator.Bodies;
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
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Decode + parse one CloudTrail Bedrock runtime event (InvokeModel/Converse..., ~1.3 kB, as framed from a
 * file): the streaming decoder against a naive {@code ObjectMapper.readTree}. Events come from the same
 * generator as the replay benchmark, which writes one per call. Run with {@code bench/jmh DecodeBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TrailDecodeBenchmark {
    private RawRecord[] records;
    private int next;
    private final RecordDecoder decoder = new RecordDecoder();
    private final ObjectMapper om = new ObjectMapper();

    @Setup
    public void generate() throws IOException {
        ByteArrayOutputStream trail = new ByteArrayOutputStream();
        TrafficGenerator gen = new TrafficGenerator(1, BenchDataWriter.DEFAULT_START, BenchDataWriter.DEFAULT_RATE,
                TrafficGenerator.Options.bench(Bodies.parse("none")));
        gen.writeJsonLines(64, new ByteArrayOutputStream(), trail);
        List<RawRecord> l = new ArrayList<>();
        for (String line : trail.toString(StandardCharsets.UTF_8).split("\n")) {
            if (line.contains("\"eventSource\":\"bedrock.amazonaws.com\"")) {
                l.add(new RawRecord("bench", "line " + (l.size() + 1), line.getBytes(StandardCharsets.UTF_8)));
            }
        }
        if (l.isEmpty()) {
            throw new IllegalStateException("the generator wrote no runtime events");
        }
        records = l.toArray(new RawRecord[0]);
    }

    private RawRecord nextRecord() {
        RawRecord r = records[next];
        next = next + 1 == records.length ? 0 : next + 1;
        return r;
    }

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
}
