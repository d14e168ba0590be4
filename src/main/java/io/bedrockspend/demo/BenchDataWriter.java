package io.bedrockspend.demo;

import io.bedrockspend.demo.TrafficGenerator.Bodies;
import io.bedrockspend.demo.TrafficGenerator.Options;
import io.bedrockspend.demo.TrafficGenerator.Stats;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes benchmark input files: {@code invocations.jsonl.gz} (raw invocation records, CloudWatch key
 * order), {@code cloudtrail.jsonl.gz} (STS session events and the runtime event of every call, raw
 * CloudTrail JSON) and {@code principal-tags.json}. Valid input only: no malformed records, no
 * duplicates (failed calls stay, about 1%: they are valid records).
 *
 * <pre>BenchDataWriter --calls N --out DIR [--seed S] [--bodies none|10k|100k] [--rate CALLS_PER_SECOND] [--start ISO_INSTANT]</pre>
 */
public final class BenchDataWriter {
    public static final String INVOCATIONS_FILE = "invocations.jsonl.gz";
    public static final String CLOUDTRAIL_FILE = "cloudtrail.jsonl.gz";
    public static final String PRINCIPAL_TAGS_FILE = "principal-tags.json";
    /** Fixed default start so two runs with the same seed write the same files. */
    public static final Instant DEFAULT_START = Instant.parse("2026-03-02T09:00:00Z");
    public static final double DEFAULT_RATE = 200.0;

    private BenchDataWriter() {}

    public record Result(long calls, long invocationBytes, long cloudtrailBytes, long uncompressedBytes,
                         Duration elapsed, Stats stats) {}

    public static void main(String[] args) throws IOException {
        run(args, System.out);
    }

    /** Parses the command line, writes the files and prints {@code calls:} and {@code bytes:} lines. */
    public static Result run(String[] args, PrintStream out) throws IOException {
        Long calls = null;
        Path dir = null;
        long seed = 1;
        Bodies bodies = Bodies.NONE;
        double rate = DEFAULT_RATE;
        Instant start = DEFAULT_START;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (i + 1 >= args.length) throw new IllegalArgumentException("missing value for " + a + "\n" + usage());
            String v = args[++i];
            switch (a) {
                case "--calls" -> calls = Long.parseLong(v.replace("_", ""));
                case "--out" -> dir = Path.of(v);
                case "--seed" -> seed = Long.parseLong(v);
                case "--bodies" -> bodies = Bodies.parse(v);
                case "--rate" -> rate = Double.parseDouble(v);
                case "--start" -> start = Instant.parse(v);
                default -> throw new IllegalArgumentException("unknown option " + a + "\n" + usage());
            }
        }
        if (calls == null || dir == null) throw new IllegalArgumentException(usage());
        if (calls < 0) throw new IllegalArgumentException("--calls must be >= 0");
        if (bodies == Bodies.LOGGED) throw new IllegalArgumentException("--bodies must be none, 10k or 100k");
        Result r = write(calls, dir, seed, start, rate, bodies);
        out.println("calls: " + r.calls());
        out.println("bytes: " + (r.invocationBytes() + r.cloudtrailBytes()) + " (" + INVOCATIONS_FILE + " "
                + r.invocationBytes() + ", " + CLOUDTRAIL_FILE + " " + r.cloudtrailBytes() + ", uncompressed "
                + r.uncompressedBytes() + ")");
        out.println("seconds: " + String.format(java.util.Locale.ROOT, "%.1f", r.elapsed().toMillis() / 1000.0));
        return r;
    }

    public static String usage() {
        return "usage: BenchDataWriter --calls N --out DIR [--seed S] [--bodies none|10k|100k] [--rate CALLS_PER_SECOND] [--start ISO_INSTANT]";
    }

    public static Result write(long calls, Path dir, long seed, Instant start, double callsPerSecond, Bodies bodies)
            throws IOException {
        long t0 = System.nanoTime();
        Files.createDirectories(dir);
        TrafficGenerator gen = new TrafficGenerator(seed, start, callsPerSecond, Options.bench(bodies));
        Path inv = dir.resolve(INVOCATIONS_FILE);
        Path trail = dir.resolve(CLOUDTRAIL_FILE);
        Stats stats;
        long raw;
        try (Counting invRaw = new Counting(gzip(inv)); Counting trailRaw = new Counting(gzip(trail))) {
            stats = gen.writeJsonLines(calls, invRaw, trailRaw);
            raw = invRaw.count + trailRaw.count;
        }
        Files.writeString(dir.resolve(PRINCIPAL_TAGS_FILE), gen.principalTags().toJson(), StandardCharsets.UTF_8);
        return new Result(stats.calls, Files.size(inv), Files.size(trail), raw,
                Duration.ofNanos(System.nanoTime() - t0), stats);
    }

    /** Fastest gzip level: the benchmark measures the job, not the writer; the files stay standard gzip. */
    private static OutputStream gzip(Path file) throws IOException {
        OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16);
        GZIPOutputStream gz = new GZIPOutputStream(os, 1 << 16) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        };
        return new BufferedOutputStream(gz, 1 << 16);
    }

    private static final class Counting extends FilterOutputStream {
        long count;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            count += len;
        }
    }
}
