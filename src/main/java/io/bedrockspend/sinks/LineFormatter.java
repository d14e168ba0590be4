package io.bedrockspend.sinks;

import java.io.IOException;
import java.io.Serializable;

/** Turns one record into one output line (no trailing newline). */
@FunctionalInterface
public interface LineFormatter<T> extends Serializable {
    String format(T value) throws IOException;
}
