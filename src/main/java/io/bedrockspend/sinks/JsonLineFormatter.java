package io.bedrockspend.sinks;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;

/**
 * A {@link LineFormatter} whose record is written field by field into a {@link JsonGenerator}, so a
 * sink can stream it as UTF-8 through one reused generator ({@link LocalLinesFileSink}) while the
 * String form for other sinks comes from the same code and is therefore the same JSON.
 */
@FunctionalInterface
public interface JsonLineFormatter<T> extends LineFormatter<T> {
    /** Writes one complete JSON value (no newline). */
    void write(JsonGenerator g, T value) throws IOException;

    @Override
    default String format(T value) throws IOException {
        return JsonFormats.text(this, value);
    }
}
