package io.bedrockspend.privacy;

import io.bedrockspend.PipelineConfig;
import io.bedrockspend.SpendPipeline;
import io.bedrockspend.identity.PrincipalTagSeed;
import io.bedrockspend.ingest.DecodeLimits;
import io.bedrockspend.ingest.JsonRecordFileFormat;
import io.bedrockspend.ingest.RawRecord;
import io.bedrockspend.pricing.PriceBook;
import io.bedrockspend.sinks.JsonFormats;
import io.bedrockspend.sinks.LocalLinesFileSink;
import org.apache.flink.api.common.RuntimeExecutionMode;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.connector.file.src.FileSource;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.WriterAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.layout.PatternLayout;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Prompt and response bodies carry a marker; a batch {@code replay} (logs captured down to DEBUG for
 * our own code) and a checkpointed streaming run (stopped with a savepoint) must leave it in no output
 * file, dead letter, log line, checkpoint or savepoint file. The inputs are checked to contain the
 * marker, so the test can fail.
 */
class PrivacyCanaryIT {
    static final String MARKER = "CANARY-7f3a9c-PROMPT-BODY";
    static final byte[] MARKER_BYTES = MARKER.getBytes(StandardCharsets.UTF_8);
    static final String ALICE = "arn:aws:iam::111122223333:user/alice";
    static final int GOOD_CALLS = 4;

    @TempDir
    Path dir;
    private final StringWriter logs = new StringWriter();
    private WriterAppender appender;
    private Level rootLevel;
    private Level ourLevel;

    static String invocation(String id, String extraTopLevel, String inputBody, String outputBody, long inputTokens) {
        return "{\"schemaType\":\"ModelInvocationLog\",\"schemaVersion\":\"1.0\",\"timestamp\":\"2026-03-02T09:00:0" + id.charAt(id.length() - 1) + "Z\","
                + "\"accountId\":\"111122223333\",\"identity\":{\"arn\":\"" + ALICE + "\"},\"region\":\"us-east-1\","
                + "\"requestId\":\"canary-" + id + "\",\"operation\":\"InvokeModel\",\"modelId\":\"amazon.nova-micro-v1:0\"" + extraTopLevel + ","
                + "\"input\":{\"inputContentType\":\"application/json\",\"inputBodyJson\":" + inputBody + ",\"inputTokenCount\":" + inputTokens + "},"
                + "\"output\":{\"outputContentType\":\"application/json\",\"outputBodyJson\":" + outputBody + ",\"outputTokenCount\":20}}";
    }

    /** Writes the inputs: good calls with marker bodies (plain, streaming chunks, marker as key) and bad ones. */
    private Path writeInputs() throws IOException {
        Path in = Files.createDirectories(dir.resolve("in"));
        String prompt = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"" + MARKER + " say \\\"hi\\\" " + MARKER + "\"}]}]}";
        String reply = "{\"output\":{\"message\":{\"content\":[{\"text\":\"" + MARKER + "\"}]}},\"usage\":{\"inputTokens\":10,\"outputTokens\":20}}";
        String chunks = "[{\"type\":\"content_block_delta\",\"delta\":{\"text\":\"" + MARKER + "\"}},"
                + "{\"type\":\"message_delta\",\"usage\":{\"output_tokens\":20}}]";
        String markerKeys = "{\"" + MARKER + "\":{\"" + MARKER + "\":[\"" + MARKER + "\"]}}";
        List<String> lines = new ArrayList<>();
        lines.add(invocation("1", "", prompt, reply, 10));
        lines.add(invocation("2", "", prompt, chunks, 10));
        lines.add(invocation("3", "", markerKeys, reply, 10));
        // dead letters whose bodies carry the marker: negative count, marker in place of a number, bad timestamp
        lines.add(invocation("5", "", prompt, reply, -3));
        lines.add(invocation("6", "", prompt, reply, 10).replace("\"inputTokenCount\":10", "\"inputTokenCount\":\"" + MARKER + "\""));
        lines.add(invocation("7", "", prompt, reply, 10).replace("\"timestamp\":\"2026-03-02T09:00:07Z\"", "\"timestamp\":\"" + MARKER + "\""));
        String full = invocation("8", "", prompt, reply, 10);
        lines.add(full.substring(0, full.indexOf(MARKER) + MARKER.length() / 2)); // truncated inside the marker
        lines.add(invocation("9", "", prompt, reply, 10).replace("say", MARKER + "\" " + MARKER)); // syntax error at the marker
        Files.writeString(in.resolve("invocations.jsonl"), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);

        // a CloudWatch Logs payload (gzip, as Kinesis/S3 deliver it) with one good call and one invalid-UTF-8 record
        String good = invocation("4", "", prompt, reply, 10);
        String cwl = "{\"messageType\":\"DATA_MESSAGE\",\"owner\":\"111122223333\",\"logGroup\":\"g\",\"logStream\":\"s\","
                + "\"subscriptionFilters\":[\"f\"],\"logEvents\":[{\"id\":\"1\",\"timestamp\":1,\"message\":" + quote(good) + "},"
                + "{\"id\":\"2\",\"timestamp\":1,\"message\":" + quote(invocation("10", "", prompt, reply, -1)) + "}]}";
        try (var out = new GZIPOutputStream(Files.newOutputStream(in.resolve("cwl-payload.gz")))) {
            out.write(cwl.getBytes(StandardCharsets.UTF_8));
        }
        byte[] badUtf8 = (invocation("11", "", prompt, reply, 10) + "\n").getBytes(StandardCharsets.UTF_8);
        int at = indexOf(badUtf8, MARKER_BYTES) + 4;
        badUtf8[at] = (byte) 0xFE;
        Files.write(in.resolve("bad-utf8.jsonl"), badUtf8);

        // the marker is really in the inputs (so finding it nowhere means something)
        assertTrue(contains(Files.readAllBytes(in.resolve("invocations.jsonl"))));
        assertTrue(contains(gunzip(Files.readAllBytes(in.resolve("cwl-payload.gz")))));
        assertTrue(contains(badUtf8));
        return in;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @BeforeEach
    void captureLogs() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        var config = ctx.getConfiguration();
        appender = WriterAppender.createAppender(PatternLayout.newBuilder().withPattern("%p %c - %m%n%throwable").build(),
                null, logs, "privacy-canary", false, true);
        appender.start();
        config.addAppender(appender);
        LoggerConfig root = config.getRootLogger();
        rootLevel = root.getLevel();
        root.addAppender(appender, Level.ALL, null);
        root.setLevel(Level.INFO);
        LoggerConfig ours = new LoggerConfig("io.bedrockspend", Level.DEBUG, true);
        ourLevel = Level.DEBUG;
        config.addLogger("io.bedrockspend", ours);
        ctx.updateLoggers();
    }

    @AfterEach
    void restoreLogs() {
        LoggerContext ctx = (LoggerContext) LogManager.getContext(false);
        var config = ctx.getConfiguration();
        config.getRootLogger().removeAppender(appender.getName());
        config.getRootLogger().setLevel(rootLevel);
        config.removeLogger("io.bedrockspend");
        ctx.updateLoggers();
        appender.stop();
    }

    @Test
    void replayLeavesTheMarkerNowhere() throws Exception {
        Path in = writeInputs();
        Path out = dir.resolve("out");
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        int exit = runCli(new String[] {"replay", "--invocations", in.toString(), "--out", out.toString(), "--parallelism", "2"},
                new PrintStream(stdout, true, StandardCharsets.UTF_8), new PrintStream(stderr, true, StandardCharsets.UTF_8));
        assertEquals(0, exit, () -> stderr.toString(StandardCharsets.UTF_8));

        assertEquals(GOOD_CALLS, Files.readAllLines(out.resolve("calls.jsonl")).size());
        assertTrue(Files.readAllLines(out.resolve("dead-letters.jsonl")).size() >= 6, "the bad records were dead-lettered");
        assertNowhere(out, stdout.toString(StandardCharsets.UTF_8) + stderr.toString(StandardCharsets.UTF_8));
        assertTrue(logs.toString().length() > 0, "logs were captured");
    }

    @Test
    void checkpointsAndSavepointOfAStreamingRunLeaveTheMarkerNowhere() throws Exception {
        Path in = writeInputs();
        Path out = Files.createDirectories(dir.resolve("stream-out"));
        Path checkpoints = dir.resolve("checkpoints");
        Path savepoints = dir.resolve("savepoints");
        Path checkpointCopy = dir.resolve("checkpoint-copy");

        Configuration conf = new Configuration();
        conf.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(64));
        conf.setString("state.checkpoints.dir", checkpoints.toUri().toString());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.createLocalEnvironment(2, conf);
        env.setRuntimeMode(RuntimeExecutionMode.STREAMING);
        env.enableCheckpointing(200);
        env.getCheckpointConfig().setExternalizedCheckpointRetention(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);

        FileSource<RawRecord> source = FileSource
                .forBulkFileFormat(new JsonRecordFileFormat(DecodeLimits.defaults()).withFileOrigins(), new org.apache.flink.core.fs.Path(in.toUri()))
                .monitorContinuously(Duration.ofMillis(200))
                .build();
        var raw = env.fromSource(source, WatermarkStrategy.noWatermarks(), "files", TypeInformation.of(RawRecord.class));
        SpendPipeline.Outputs o = SpendPipeline.define(raw, new PipelineConfig(), PrincipalTagSeed.empty(),
                PriceBook.load(Path.of("pricing-snapshots")), DecodeLimits.defaults());
        o.deadLetters().sinkTo(new LocalLinesFileSink<>(out.resolve("dead-letters.jsonl"), JsonFormats::deadLetter)).setParallelism(1);
        o.spendUpdates().sinkTo(new LocalLinesFileSink<>(out.resolve("spend-updates.jsonl"), JsonFormats::spendUpdate)).setParallelism(1);
        o.teamTotals().sinkTo(new LocalLinesFileSink<>(out.resolve("team-totals.jsonl"), JsonFormats::teamTotal)).setParallelism(1);
        // the collect sink hands results over only after a checkpoint completed: seeing every call means
        // the operators' state (dedupe, identity, aggregates) has been checkpointed with them in it
        CloseableIterator<String> calls = o.calls().map(JsonFormats::call).returns(String.class).collectAsync();
        JobClient job = env.executeAsync("privacy-canary");
        StringBuilder collected = new StringBuilder();
        Set<String> seen = new HashSet<>();
        try {
            while (seen.size() < GOOD_CALLS && calls.hasNext()) {
                String c = calls.next();
                collected.append(c).append('\n');
                seen.add(c);
            }
            copyCompletedCheckpoint(checkpoints, checkpointCopy);
            String savepoint = job.stopWithSavepoint(false, savepoints.toUri().toString(), SavepointFormatType.CANONICAL).get();
            assertTrue(savepoint.contains("savepoint"), savepoint);
        } finally {
            calls.close();
        }
        assertEquals(GOOD_CALLS, seen.size());
        assertTrue(countFiles(savepoints) > 0, "savepoint written");
        // the state really is in what we search: the dedupe keys (request ids) are there in plain bytes
        assertTrue(anyFileContains(savepoints, "canary-1".getBytes(StandardCharsets.UTF_8)), "savepoint holds the dedupe state");
        assertTrue(anyFileContains(checkpointCopy, "canary-1".getBytes(StandardCharsets.UTF_8)), "checkpoint holds the dedupe state");
        assertNowhere(out, collected.toString());
        assertNowhere(checkpointCopy, "");
        assertNowhere(savepoints, "");
    }

    /**
     * Copies the checkpoint directory while the job runs, until the copy holds a completed checkpoint
     * ({@code _metadata}): a job that ends by stop-with-savepoint is FINISHED, and Flink then deletes
     * its checkpoints whatever the retention setting.
     */
    private static void copyCompletedCheckpoint(Path checkpoints, Path copy) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(checkpoints)) {
                boolean complete = false;
                try (Stream<Path> s = Files.walk(checkpoints)) {
                    for (Path f : s.filter(Files::isRegularFile).toList()) {
                        Path to = copy.resolve(checkpoints.relativize(f).toString());
                        Files.createDirectories(to.getParent());
                        try {
                            Files.copy(f, to, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                            complete |= f.getFileName().toString().equals("_metadata");
                        } catch (java.nio.file.NoSuchFileException e) {
                            // an older checkpoint subsumed while we copied: the next pass sees the newer one
                        }
                    }
                } catch (java.io.UncheckedIOException e) {
                    if (!(e.getCause() instanceof java.nio.file.NoSuchFileException)) {
                        throw e;
                    }
                }
                if (complete) {
                    return;
                }
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no completed checkpoint under " + checkpoints);
    }

    /** Every file under {@code root} (gzip files also decompressed), the captured logs and {@code extra}. */
    private void assertNowhere(Path root, String extra) throws IOException {
        List<String> leaks = new ArrayList<>();
        int files = 0;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                files++;
                byte[] b = Files.readAllBytes(f);
                if (contains(b) || isGzip(b) && contains(gunzip(b)) || containsUtf16(b)) {
                    leaks.add(f.toString());
                }
            }
        }
        assertTrue(files > 0, "nothing to search under " + root);
        if (extra.contains(MARKER)) {
            leaks.add("console/collected output");
        }
        if (logs.toString().contains(MARKER)) {
            leaks.add("log lines");
        }
        assertEquals(List.of(), leaks, "the marker leaked");
        assertFalse(logs.toString().contains(MARKER.substring(0, 12)), "part of the marker in the logs");
    }

    private static boolean anyFileContains(Path root, byte[] needle) throws IOException {
        try (Stream<Path> s = Files.walk(root)) {
            for (Path f : s.filter(Files::isRegularFile).toList()) {
                if (indexOf(Files.readAllBytes(f), needle) >= 0) {
                    return true;
                }
            }
        }
        return false;
    }

    private static long countFiles(Path root) throws IOException {
        if (!Files.exists(root)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(root)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    static boolean contains(byte[] b) {
        return indexOf(b, MARKER_BYTES) >= 0;
    }

    /** Java serialization or char-based encodings could store the marker as UTF-16. */
    static boolean containsUtf16(byte[] b) {
        return indexOf(b, MARKER.getBytes(StandardCharsets.UTF_16BE)) >= 0 || indexOf(b, MARKER.getBytes(StandardCharsets.UTF_16LE)) >= 0;
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    static boolean isGzip(byte[] b) {
        return b.length > 2 && (b[0] & 0xff) == 0x1f && (b[1] & 0xff) == 0x8b;
    }

    static byte[] gunzip(byte[] b) throws IOException {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(b))) {
            return in.readAllBytes();
        }
    }

    /** {@code Main.run} is package-private (the public entry point exits the JVM): called reflectively. */
    static int runCli(String[] args, PrintStream out, PrintStream err) throws Exception {
        Method run = Class.forName("io.bedrockspend.cli.Main").getDeclaredMethod("run", String[].class, PrintStream.class, PrintStream.class);
        run.setAccessible(true);
        try {
            return (int) run.invoke(null, args, out, err);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }
}
