package io.bedrockspend.sinks;

import com.fasterxml.jackson.core.JsonGenerator;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes a bounded run's records to one local file, one line each (replay's {@code calls.jsonl},
 * {@code dead-letters.jsonl}). Lines go to {@code <file>.inprogress} and the file appears under its
 * final name only when the writer closes at the end of input, so a failed run never leaves a
 * complete-looking partial file. Streaming deployments use the ledger's exactly-once FileSink instead.
 * Runs at parallelism 1; {@link LocalPartFilesSink} writes one part per subtask with the same writer.
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
        return writer(context.getSubtaskId(), context.getNumberOfParallelSubtasks());
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        return writer(context.getSubtaskId(), context.getNumberOfParallelSubtasks());
    }

    private SinkWriter<T> writer(int subtask, int parallelism) throws IOException {
        if (subtask != 0 || parallelism != 1) {
            throw new IllegalStateException("LocalLinesFileSink must run at parallelism 1");
        }
        return new Writer<>(Path.of(path), formatter);
    }

    /**
     * Writes UTF-8 bytes to a buffered stream: a {@link JsonLineFormatter}'s records through one
     * generator reused for every line (no String, no re-encoding), other formatters' lines encoded
     * as {@link JsonLinesEncoder} does.
     */
    static final class Writer<T> implements SinkWriter<T> {
        private final Path target;
        private final Path inProgress;
        private final LineFormatter<T> formatter;
        private final OutputStream out;
        private final JsonGenerator json; // null unless formatter is a JsonLineFormatter
        private final JsonLineFormatter<T> jsonFormatter;

        Writer(Path target, LineFormatter<T> formatter) throws IOException {
            this.target = target;
            this.inProgress = target.resolveSibling(target.getFileName() + ".inprogress");
            this.formatter = formatter;
            Files.createDirectories(target.toAbsolutePath().getParent());
            this.out = new BufferedOutputStream(Files.newOutputStream(inProgress,
                    StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE), 1 << 16);
            this.jsonFormatter = formatter instanceof JsonLineFormatter<T> f ? f : null;
            this.json = jsonFormatter == null ? null : JsonFormats.utf8Lines(out);
        }

        @Override
        public void write(T element, Context context) throws IOException {
            if (json != null) {
                jsonFormatter.write(json, element);
                json.writeRaw('\n'); // stays in the generator's buffer; it flushes to out when full
            } else {
                out.write(formatter.format(element).getBytes(StandardCharsets.UTF_8));
                out.write('\n');
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException {
            if (json != null) json.flush(); // also flushes out
            else out.flush();
        }

        @Override
        public void close() throws IOException {
            if (json != null) json.close(); // flushes; leaves out open (AUTO_CLOSE_TARGET off)
            out.close();
            Files.move(inProgress, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }
}
