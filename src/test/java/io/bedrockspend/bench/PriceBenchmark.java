package io.bedrockspend.bench;

import io.bedrockspend.ingest.InvocationCall;
import io.bedrockspend.pricing.CallCost;
import io.bedrockspend.pricing.PriceBook;
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

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

/** The cost of pricing one call ({@link PriceBook#price}) against the bundled snapshots, and of a tag merge. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PriceBenchmark {
    private PriceBook book;
    private InvocationCall[] calls;
    private int next;

    @Setup
    public void load() throws IOException {
        book = PriceBook.load(Path.of(System.getProperty("bench.pricing", "pricing-snapshots")));
        long t = Instant.parse("2026-03-02T09:00:00Z").toEpochMilli();
        calls = new InvocationCall[] {
                call("global.anthropic.claude-sonnet-4-5-20250929-v1:0", "us-east-1", t, 1200, 300, 2000, 4000),
                call("us.anthropic.claude-haiku-4-5-20251001-v1:0", "us-west-2", t, 800, 150, 0, 0),
                call("amazon.nova-micro-v1:0", "eu-west-1", t, 1234, 567, 0, 0),
                call("acme.private-model-v1:0", "us-east-1", t, 100, 100, 0, 0), // unpriced
        };
    }

    private static InvocationCall call(String model, String region, long t, long in, long out, long cr, long cw) {
        InvocationCall c = new InvocationCall();
        c.requestId = "r";
        c.modelId = model;
        c.region = region;
        c.timestampMillis = t;
        c.inputTokens = in;
        c.outputTokens = out;
        c.cacheReadTokens = cr;
        c.cacheWriteTokens = cw;
        return c;
    }

    @Benchmark
    public CallCost price() {
        InvocationCall c = calls[next];
        next = next + 1 == calls.length ? 0 : next + 1;
        return book.price(c);
    }
}
