package io.bedrockspend.bench;

import io.bedrockspend.identity.TagMerge;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** {@link TagMerge#effective}: a principal's IAM tags overlaid by its session's tags (4 + 4, 2 keys shared). */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TagMergeBenchmark {
    private final Map<String, String> principal = new LinkedHashMap<>(Map.of(
            "team", "platform", "costCenter", "CC-1000", "env", "prod", "application", "gateway"));
    private final Map<String, String> session = new LinkedHashMap<>(Map.of(
            "team", "growth", "costCenter", "CC-3300", "user", "user-17", "project", "search"));

    @Benchmark
    public Map<String, String> effective() {
        return TagMerge.effective(principal, session);
    }
}
