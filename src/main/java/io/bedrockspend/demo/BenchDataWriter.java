package io.bedrockspend.demo;

import io.bedrockspend.demo.TrafficGenerator.Bodies;
import io.bedrockspend.demo.TrafficGenerator.Options;
import io.bedrockspend.demo.TrafficGenerator.Stats;

import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes benchmark input laid out the way AWS delivers it to S3, plus {@code principal-tags.json}:
 * <ul>
 *   <li>invocation records (raw, CloudWatch key order, one JSON object per line, as Bedrock model
 *   invocation logging writes its S3 objects) under
 *   {@code AWSLogs/<account>/BedrockModelInvocationLogs/<region>/yyyy/MM/dd/HH/<yyyyMMdd'T'HHmmss'Z'>_<part>.json.gz};</li>
 *   <li>CloudTrail (STS session events and the runtime event of every call), as a trail delivers it:
 *   one {@code {"Records":[...]}} document per object, under
 *   {@code AWSLogs/<account>/CloudTrail/<region>/yyyy/MM/dd/<account>_CloudTrail_<region>_<yyyyMMdd'T'HHmm'Z'>_<part>.json.gz}.</li>
 * </ul>
 * Rotation (fixed, so the same seed writes the same files): each record goes to the object of its
 * kind and region for the {@value #ROTATE_MINUTES}-minute window of the generator's clock when it is
 * delivered (the event time of the call being generated); a window's object is closed and the next
 * part begins after {@value #MAX_INVOCATIONS_PER_OBJECT} invocation records or
 * {@value #MAX_TRAIL_EVENTS_PER_OBJECT} CloudTrail events (busy accounts get several objects per
 * window, and a {@code Records} document stays far below the framer's 8 MB record cap). Parts are
 * numbered from {@code 0000} in each window. Valid input only: no malformed records, no duplicates
 * (failed calls stay, about 1%: they are valid records).
 *
 * <pre>BenchDataWriter --calls N --out DIR [--seed S] [--bodies none|10k|100k] [--rate CALLS_PER_SECOND] [--start ISO_INSTANT]</pre>
 */
public final class BenchDataWriter {
    /** Folder of the invocation-log objects, relative to the output directory. */
    public static final String INVOCATIONS_DIR = "AWSLogs/" + Scenario.ACCOUNT + "/BedrockModelInvocationLogs";
    /** Folder of the CloudTrail objects, relative to the output directory. */
    public static final String CLOUDTRAIL_DIR = "AWSLogs/" + Scenario.ACCOUNT + "/CloudTrail";
    public static final String PRINCIPAL_TAGS_FILE = "principal-tags.json";
    public static final int ROTATE_MINUTES = 5;
    public static final int MAX_INVOCATIONS_PER_OBJECT = 5_000;
    public static final int MAX_TRAIL_EVENTS_PER_OBJECT = 2_500;
    /** Fixed default start so two runs with the same seed write the same files. */
    public static final Instant DEFAULT_START = Instant.parse("2026-03-02T09:00:00Z");
    public static final double DEFAULT_RATE = 200.0;

    private static final long ROTATE_MILLIS = ROTATE_MINUTES * 60_000L;
    private static final DateTimeFormatter HOUR_FOLDER = DateTimeFormatter.ofPattern("yyyy/MM/dd/HH").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY_FOLDER = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter INVOCATION_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter TRAIL_STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm'Z'").withZone(ZoneOffset.UTC);

    private BenchDataWriter() {}

    public record Result(long calls, int invocationFiles, int cloudtrailFiles, long invocationBytes, long cloudtrailBytes,
                         long uncompressedBytes, Duration elapsed, Stats stats) {}

    public static void main(String[] args) throws IOException {
        run(args, System.out);
    }

    /** Parses the command line, writes the files and prints {@code calls:}, {@code files:} and {@code bytes:} lines. */
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
        out.println("files: " + (r.invocationFiles() + r.cloudtrailFiles()) + " (" + INVOCATIONS_DIR + " "
                + r.invocationFiles() + ", " + CLOUDTRAIL_DIR + " " + r.cloudtrailFiles() + ")");
        out.println("bytes: " + (r.invocationBytes() + r.cloudtrailBytes()) + " (invocations " + r.invocationBytes()
                + ", cloudtrail " + r.cloudtrailBytes() + ", uncompressed " + r.uncompressedBytes() + ")");
        out.println("seconds: " + String.format(java.util.Locale.ROOT, "%.1f", r.elapsed().toMillis() / 1000.0));
        return r;
    }

    public static String usage() {
        return "usage: BenchDataWriter --calls N --out DIR [--seed S] [--bodies none|10k|100k] [--rate CALLS_PER_SECOND] [--start ISO_INSTANT]";
    }

    public static Result write(long calls, Path dir, long seed, Instant start, double callsPerSecond, Bodies bodies)
            throws IOException {
        long t0 = System.nanoTime();
        Files.createDirectories(dir.resolve(INVOCATIONS_DIR));
        Files.createDirectories(dir.resolve(CLOUDTRAIL_DIR));
        TrafficGenerator gen = new TrafficGenerator(seed, start, callsPerSecond, Options.bench(bodies));
        Stats stats;
        S3Layout layout = new S3Layout(dir);
        try (layout) {
            stats = gen.writeRecords(calls, layout);
        }
        Files.writeString(dir.resolve(PRINCIPAL_TAGS_FILE), gen.principalTags().toJson(), StandardCharsets.UTF_8);
        List<Path> inv = files(dir.resolve(INVOCATIONS_DIR));
        List<Path> trail = files(dir.resolve(CLOUDTRAIL_DIR));
        return new Result(stats.calls, inv.size(), trail.size(), size(inv), size(trail), layout.uncompressed,
                Duration.ofNanos(System.nanoTime() - t0), stats);
    }

    /** The invocation-log objects of a data set written by {@link #write}, in path order. */
    public static List<Path> invocationFiles(Path dir) throws IOException {
        return files(dir.resolve(INVOCATIONS_DIR));
    }

    /** The CloudTrail objects of a data set written by {@link #write}, in path order. */
    public static List<Path> cloudtrailFiles(Path dir) throws IOException {
        return files(dir.resolve(CLOUDTRAIL_DIR));
    }

    private static List<Path> files(Path folder) throws IOException {
        try (Stream<Path> s = Files.walk(folder)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static long size(List<Path> files) throws IOException {
        long n = 0;
        for (Path f : files) n += Files.size(f);
        return n;
    }

    /** Routes each record to the open object of its kind, region and window; see the class comment. */
    private static final class S3Layout implements TrafficGenerator.RecordSink, Closeable {
        private final Path dir;
        private final Map<String, Obj> open = new HashMap<>();
        long uncompressed;

        S3Layout(Path dir) {
            this.dir = dir;
        }

        @Override
        public void invocation(String region, long clockMillis, byte[] json) throws IOException {
            Obj o = object(false, region, clockMillis);
            o.out.write(json);
            o.out.write('\n');
            o.records++;
        }

        @Override
        public void cloudtrail(String region, long clockMillis, byte[] json) throws IOException {
            Obj o = object(true, region, clockMillis);
            if (o.records > 0) o.out.write(',');
            o.out.write(json);
            o.records++;
        }

        private Obj object(boolean trail, String region, long clockMillis) throws IOException {
            long window = clockMillis - Math.floorMod(clockMillis, ROTATE_MILLIS);
            String key = (trail ? "t:" : "i:") + region;
            Obj o = open.get(key);
            int max = trail ? MAX_TRAIL_EVENTS_PER_OBJECT : MAX_INVOCATIONS_PER_OBJECT;
            if (o != null && o.window == window && o.records < max) return o;
            int part = o != null && o.window == window ? o.part + 1 : 0;
            if (o != null) finish(o);
            Instant w = Instant.ofEpochMilli(window);
            String p = String.format(java.util.Locale.ROOT, "%04d", part);
            Path file = trail
                    ? dir.resolve(CLOUDTRAIL_DIR).resolve(region).resolve(DAY_FOLDER.format(w))
                            .resolve(Scenario.ACCOUNT + "_CloudTrail_" + region + "_" + TRAIL_STAMP.format(w) + "_" + p + ".json.gz")
                    : dir.resolve(INVOCATIONS_DIR).resolve(region).resolve(HOUR_FOLDER.format(w))
                            .resolve(INVOCATION_STAMP.format(w) + "_" + p + ".json.gz");
            Files.createDirectories(file.getParent());
            o = new Obj(trail, window, part, new Counting(gzip(file)));
            if (trail) o.out.write("{\"Records\":[".getBytes(StandardCharsets.US_ASCII));
            open.put(key, o);
            return o;
        }

        private void finish(Obj o) throws IOException {
            try (Counting out = o.out) {
                if (o.trail) out.write("]}\n".getBytes(StandardCharsets.US_ASCII));
            }
            uncompressed += o.out.count;
        }

        @Override
        public void close() throws IOException {
            IOException first = null;
            for (Obj o : open.values()) {
                try {
                    finish(o);
                } catch (IOException e) {
                    if (first == null) first = e; else first.addSuppressed(e);
                }
            }
            open.clear();
            if (first != null) throw first;
        }
    }

    /** One S3 object being written. */
    private static final class Obj {
        final boolean trail;
        final long window;
        final int part;
        final Counting out;
        int records;

        Obj(boolean trail, long window, int part, Counting out) {
            this.trail = trail;
            this.window = window;
            this.part = part;
            this.out = out;
        }
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
