package io.bedrockspend.cli;

import io.bedrockspend.Counters;
import io.bedrockspend.PipelineConfig;
import io.bedrockspend.identity.PrincipalTagSeed;
import io.bedrockspend.ingest.DecodeLimits;
import io.bedrockspend.pricing.PriceBook;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Benchmark command (not a test): replays a generated data set through the full pipeline and prints
 * {@code name: value unit} lines. Used by {@code bench/replay-throughput}.
 */
public final class ReplayBenchmark {
    private ReplayBenchmark() {}

    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        int parallelism = Integer.parseInt(args[1]);
        Path pricing = Path.of(args.length > 2 ? args[2] : "pricing-snapshots");
        List<Path> inputs = List.of(data.resolve("invocations.jsonl.gz"), data.resolve("cloudtrail.jsonl.gz"));
        long compressed = 0;
        long raw = 0;
        for (Path p : inputs) {
            compressed += Files.size(p);
            raw += gunzippedSize(p);
        }
        PrincipalTagSeed seed = PrincipalTagSeed.load(data.resolve("principal-tags.json"));
        Path out = Files.createTempDirectory("bench-replay");
        ReplayCommand.Result r = ReplayCommand.replay(inputs, out, new PipelineConfig(), seed, PriceBook.load(pricing),
                DecodeLimits.defaults(), parallelism, "bench", inputs.size());
        double secs = r.millis() / 1000.0;
        long calls = r.counter(Counters.CALLS);
        String p = "p" + parallelism;
        System.out.printf("replay_%s_calls: %d calls%n", p, calls);
        System.out.printf("replay_%s_records: %d records%n", p, r.counter(Counters.RECORDS));
        System.out.printf("replay_%s_seconds: %.2f s%n", p, secs);
        System.out.printf("replay_%s_throughput: %.0f calls/s%n", p, calls / secs);
        System.out.printf("replay_%s_input_rate: %.1f MB/s (uncompressed JSON, %d MB)%n", p, raw / 1e6 / secs, raw / 1_000_000);
        System.out.printf("replay_%s_gzip_rate: %.1f MB/s (as stored, %d MB)%n", p, compressed / 1e6 / secs, compressed / 1_000_000);
        System.out.printf("replay_%s_dead_letters: %d records%n", p, r.counter(Counters.DEAD_LETTERS));
        deleteTree(out);
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
