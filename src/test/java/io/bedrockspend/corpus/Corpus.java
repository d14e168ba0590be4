package io.bedrockspend.corpus;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The bad-input corpus under src/test/resources/corrupt/: MANIFEST.tsv lists file → expected outcome. */
final class Corpus {
    /** Outcomes that are not dead letters (documented behaviour, asserted as such). */
    static final String CALL = "CALL", TRAIL = "TRAIL", SKIPPED = "SKIPPED", NONE = "none", SKIP = "skip";

    record Entry(String file, String decoderOutcome, String replayOutcome, String note) {
        byte[] bytes() {
            return resource(file);
        }
    }

    private Corpus() {}

    static List<Entry> entries() {
        List<Entry> l = new ArrayList<>();
        for (String line : new String(resource("MANIFEST.tsv"), StandardCharsets.UTF_8).split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            l.add(new Entry(f[0], f[1], f[2], f.length > 3 ? f[3] : ""));
        }
        return l;
    }

    static byte[] resource(String name) {
        try (InputStream in = Corpus.class.getResourceAsStream("/corrupt/" + name)) {
            if (in == null) {
                throw new IllegalArgumentException("no corpus file " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static boolean isDeadLetter(String outcome) {
        return !List.of(CALL, TRAIL, SKIPPED, NONE, SKIP).contains(outcome);
    }

    /** A ~10 MB invocation record (one big prompt body): beyond the 8 MiB record cap. Generated, not committed. */
    static byte[] tenMegabyteRecord() {
        StringBuilder sb = new StringBuilder(10_500_000);
        sb.append("{\"schemaType\":\"ModelInvocationLog\",\"schemaVersion\":\"1.0\",\"timestamp\":\"2026-03-02T09:00:00Z\",")
                .append("\"requestId\":\"c0a0b0c0-0000-4000-8000-999999999999\",\"modelId\":\"amazon.nova-micro-v1:0\",")
                .append("\"input\":{\"inputTokenCount\":1,\"inputBodyJson\":{\"messages\":[");
        while (sb.length() < 10 * 1024 * 1024) {
            sb.append("{\"role\":\"user\",\"content\":\"").append("x".repeat(1000)).append("\"},");
        }
        sb.append("{}]}},\"output\":{\"outputTokenCount\":1}}");
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * {@code bedrock-spend replay} in-process. {@code Main.run} is package-private (the public entry
     * point exits the JVM), so it is called reflectively.
     */
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
