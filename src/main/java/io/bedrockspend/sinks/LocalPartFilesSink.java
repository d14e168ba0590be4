package io.bedrockspend.sinks;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Writes a bounded run's records as lines, in parallel: subtask i writes {@code <dir>/part-<i>}, and
 * after the job {@link #assemble} concatenates the parts in subtask order behind an optional header
 * into the one file the output contract names (a byte copy, no parsing), then removes them. The file
 * appears under its final name only once complete, as with {@link LocalLinesFileSink}. For jobs on
 * the local cluster (the parts are on the machine that assembles them).
 */
public class LocalPartFilesSink<T> implements Sink<T> {
    private final String dir;
    private final LineFormatter<T> formatter;

    public LocalPartFilesSink(Path dir, LineFormatter<T> formatter) {
        this.dir = dir.toAbsolutePath().toString();
        this.formatter = formatter;
    }

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<T> createWriter(InitContext context) throws IOException {
        return part(context.getSubtaskId());
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return part(context.getSubtaskId());
    }

    /** Subtask i's part, written as {@code part-i.inprogress} and renamed when the writer closes. */
    private SinkWriter<T> part(int subtask) throws IOException {
        return new LocalLinesFileSink.Writer<>(Path.of(dir).resolve("part-" + subtask), formatter);
    }

    /** Empties (or creates) the parts folder before a run, so no stale part is ever assembled. */
    public static void prepare(Path dir) throws IOException {
        discard(dir);
        Files.createDirectories(dir);
    }

    /**
     * Writes {@code header} (when not null) and the parts of each folder (folders in the order given,
     * parts in subtask order) to {@code target}; removes the parts.
     */
    public static void assemble(List<Path> dirs, Path target, String header) throws IOException {
        List<Path> parts = new ArrayList<>();
        for (Path dir : dirs) {
            if (!Files.exists(dir)) continue; // a branch that never started a writer
            List<Path> in = new ArrayList<>();
            try (Stream<Path> s = Files.list(dir)) {
                s.filter(p -> p.getFileName().toString().matches("part-\\d+")).forEach(in::add);
            }
            in.sort(Comparator.comparingInt(p -> Integer.parseInt(p.getFileName().toString().substring(5))));
            // every subtask creates its part when it starts, even with no records: a gap is a lost part
            for (int i = 0; i < in.size(); i++) {
                if (!in.get(i).getFileName().toString().equals("part-" + i)) throw new IOException("missing part file " + dir.resolve("part-" + i));
            }
            parts.addAll(in);
        }
        Path inProgress = target.resolveSibling(target.getFileName() + ".inprogress");
        Files.deleteIfExists(inProgress); // a failed earlier run's
        if (header == null && !parts.isEmpty()) {
            // the first part becomes the file: the largest output (the ledger) is not copied once more
            Files.move(parts.remove(0), inProgress, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel out = FileChannel.open(inProgress, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                header == null ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
            if (header != null) {
                OutputStream o = java.nio.channels.Channels.newOutputStream(out);
                o.write(header.getBytes(StandardCharsets.UTF_8));
                o.flush();
            }
            for (Path p : parts) {
                try (FileChannel in = FileChannel.open(p, StandardOpenOption.READ)) {
                    long size = in.size();
                    for (long pos = 0; pos < size; ) pos += in.transferTo(pos, size - pos, out);
                }
            }
        }
        Files.move(inProgress, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        for (Path dir : dirs) discard(dir);
    }

    /** Removes a parts folder and everything in it (after assembly, or after a failed run). */
    public static void discard(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }
}
