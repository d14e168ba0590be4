package io.bedrockspend.sinks;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a bounded run's records to one local file, one line each (replay's {@code calls.jsonl},
 * {@code dead-letters.jsonl}). Run it at parallelism 1. Lines go to {@code <file>.inprogress} and the
 * file appears under its final name only when the writer closes at the end of input, so a failed
 * run never leaves a complete-looking partial file. Streaming deployments use the ledger's
 * exactly-once FileSink instead.
 */
public class LocalLinesFileSink<T> implements Sink<T> {
    private final String path;
    private final LineFormatter<T> formatter;

    public LocalLinesFileSink(Path path, LineFormatter<T> formatter) {
        this.path = path.toAbsolutePath().toString();
        this.formatter = formatter;
    }

    @Override
    @SuppressWarnings("deprecation")
    public SinkWriter<T> createWriter(InitContext context) throws IOException {
        if (context.getSubtaskId() != 0 || context.getNumberOfParallelSubtasks() != 1) {
            throw new IllegalStateException("LocalLinesFileSink must run at parallelism 1");
        }
        return new Writer<>(Path.of(path), formatter);
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        if (context.getSubtaskId() != 0 || context.getNumberOfParallelSubtasks() != 1) {
            throw new IllegalStateException("LocalLinesFileSink must run at parallelism 1");
        }
        return new Writer<>(Path.of(path), formatter);
    }

    static final class Writer<T> implements SinkWriter<T> {
        private final Path target;
        private final Path inProgress;
        private final LineFormatter<T> formatter;
        private final BufferedWriter out;

        Writer(Path target, LineFormatter<T> formatter) throws IOException {
            this.target = target;
            this.inProgress = target.resolveSibling(target.getFileName() + ".inprogress");
            this.formatter = formatter;
            Files.createDirectories(target.toAbsolutePath().getParent());
            this.out = Files.newBufferedWriter(inProgress, StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        }

        @Override
        public void write(T element, Context context) throws IOException {
            out.write(formatter.format(element));
            out.write('\n');
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            out.flush();
        }

        @Override
        public void close() throws IOException {
            out.close();
            Files.move(inProgress, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
