package io.bedrockspend.run;

/** A missing, unreadable or invalid job configuration; the message names the key or file at fault. */
public class ConfigException extends Exception {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
