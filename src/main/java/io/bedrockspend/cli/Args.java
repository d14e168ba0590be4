package io.bedrockspend.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Minimal GNU-style option parser: {@code --name value [value…]} and {@code --flag}. Options may
 * repeat; every value up to the next {@code --option} belongs to it. Unknown options are an error.
 */
final class Args {
    private final Map<String, List<String>> values = new LinkedHashMap<>();

    private Args() {}

    static Args parse(String[] argv, int from, Set<String> known, Set<String> flags) throws UsageException {
        Args a = new Args();
        String current = null;
        for (int i = from; i < argv.length; i++) {
            String s = argv[i];
            if (s.startsWith("--")) {
                String name = s.substring(2);
                String inline = null;
                int eq = name.indexOf('=');
                if (eq >= 0) { inline = name.substring(eq + 1); name = name.substring(0, eq); }
                if (!known.contains(name) && !flags.contains(name) && !name.equals("help")) {
                    throw new UsageException("unknown option --" + name);
                }
                a.values.computeIfAbsent(name, k -> new ArrayList<>());
                current = flags.contains(name) || name.equals("help") ? null : name;
                if (inline != null) {
                    if (current == null) throw new UsageException("--" + name + " takes no value");
                    a.values.get(name).add(inline);
                }
            } else {
                if (current == null) throw new UsageException("unexpected argument: " + s);
                a.values.get(current).add(s);
            }
        }
        return a;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    List<String> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    String one(String name, String dflt) throws UsageException {
        List<String> v = values.get(name);
        if (v == null) return dflt;
        if (v.size() != 1) throw new UsageException("--" + name + " takes exactly one value");
        return v.get(0);
    }

    String required(String name) throws UsageException {
        String v = one(name, null);
        if (v == null) throw new UsageException("missing required option --" + name);
        return v;
    }

    /** Durations like {@code 30s}, {@code 5m}, {@code 2h}, {@code 1500ms} or ISO-8601 {@code PT30S}. */
    static Duration duration(String s) throws UsageException {
        try {
            return io.bedrockspend.run.JobConfig.duration(s);
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException e) {
            throw new UsageException("bad duration: " + s + " (use e.g. 30s, 5m, 2h)");
        }
    }

    /** A command-line mistake: printed with the command's usage, exit code {@link ExitCodes#USAGE}. */
    static final class UsageException extends Exception {
        UsageException(String message) {
            super(message);
        }
    }
}
