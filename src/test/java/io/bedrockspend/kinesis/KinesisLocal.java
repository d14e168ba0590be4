package io.bedrockspend.kinesis;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@code kinesis-local} (npm, pinned in test-tools/package.json; installed by
 * {@code npm ci --prefix test-tools}) on free loopback ports for one test class, and stops it.
 * Missing node or package, or an emulator that does not answer, is a test failure with the reason,
 * never a skip: these tests are the only proof the Kinesis job works.
 */
public final class KinesisLocal implements AutoCloseable {
    public static final String ACCOUNT = "000000000000";
    public static final String REGION = "us-east-1";

    private final Process process;
    private final Path log;
    public final int port;

    private KinesisLocal(Process process, Path log, int port) {
        this.process = process;
        this.log = log;
        this.port = port;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    public static String arn(String stream) {
        return "arn:aws:kinesis:" + REGION + ":" + ACCOUNT + ":stream/" + stream;
    }

    public static KinesisLocal start() throws IOException, InterruptedException {
        Path root = Path.of(System.getProperty("user.dir"));
        Path pkg = root.resolve("test-tools/node_modules/kinesis-local");
        if (!Files.isRegularFile(pkg.resolve("main.js")) || !Files.isRegularFile(pkg.resolve("server.json"))) {
            throw new IllegalStateException("kinesis-local is not installed at " + pkg
                    + ": run `npm ci --prefix test-tools` (pinned kinesis-local@0.6.2) before the tests");
        }
        String node = findOnPath("node");
        if (node == null) throw new IllegalStateException("node (Node.js 18+) is not on PATH; kinesis-local needs it");
        int plain = freePort();
        int tls = freePort();
        Path log = Files.createTempFile("kinesis-local-", ".log");
        ProcessBuilder pb = new ProcessBuilder(node, "main.js")
                // it opens ./server.json (its TLS certificate) from the working directory
                .directory(pkg.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("KINESIS_MOCK_PLAIN_PORT", String.valueOf(plain));
        pb.environment().put("KINESIS_MOCK_TLS_PORT", String.valueOf(tls));
        pb.environment().put("LOG_LEVEL", "WARN");
        pb.environment().put("CREATE_STREAM_DURATION", "0ms");
        pb.environment().put("DELETE_STREAM_DURATION", "0ms");
        pb.environment().put("UPDATE_SHARD_COUNT_DURATION", "0ms");
        Process p = pb.start();
        KinesisLocal k = new KinesisLocal(p, log, plain);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!p.isAlive()) {
                throw new IllegalStateException("kinesis-local exited with code " + p.exitValue() + ":\n" + k.logTail());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", plain), 200);
                return k;
            } catch (IOException notYet) {
                Thread.sleep(100);
            }
        }
        k.close();
        throw new IllegalStateException("kinesis-local did not listen on 127.0.0.1:" + plain + " within 30 s:\n" + k.logTail());
    }

    String logTail() {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(log " + log + " unreadable: " + e.getMessage() + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String findOnPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, exe);
            if (Files.isExecutable(p)) return p.toString();
        }
        return null;
    }
}
