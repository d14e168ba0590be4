package io.bedrockspend.sinks;

import org.apache.flink.api.common.serialization.Encoder;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Row encoder for Flink's FileSink: one JSON object per line, UTF-8. */
public class JsonLinesEncoder<T> implements Encoder<T> {
    private static final long serialVersionUID = 1L;
    private final LineFormatter<T> formatter;

    public JsonLinesEncoder(LineFormatter<T> formatter) {
        this.formatter = formatter;
    }

    @Override
    public void encode(T element, OutputStream stream) throws IOException {
        stream.write(formatter.format(element).getBytes(StandardCharsets.UTF_8));
        stream.write('\n');
    }
}
