package io.bedrockspend.alerts;

import org.apache.flink.api.common.RuntimeExecutionMode;
import io.bedrockspend.ingest.PollingSource;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Hot reload of the budgets file. A FLIP-27 {@link DataGeneratorSource} (parallelism 1, rate limited
 * to one read per poll interval) reads the budgets path each time: a file, or a folder whose newest
 * {@code .json}/{@code .yaml}/{@code .yml} wins. Unlike {@code FileSource.monitorContinuously}, which
 * remembers paths it has read, this also sees a file replaced in place (editors, ConfigMaps,
 * {@code aws s3 cp}). Only changes go downstream. In batch mode the file is read once.
 */
public final class BudgetsSource {
    private static final Logger LOG = LoggerFactory.getLogger(BudgetsSource.class);

    private BudgetsSource() {}

    public static DataStream<BudgetsUpdate> stream(StreamExecutionEnvironment env, AlertConfig cfg) {
        boolean batch = env.getConfiguration().get(ExecutionOptions.RUNTIME_MODE) == RuntimeExecutionMode.BATCH;
        PollingSource<BudgetsUpdate> source = PollingSource.every(cfg.budgetsPollInterval, batch, new Read(cfg.budgetsPath),
                TypeInformation.of(BudgetsUpdate.class));
        return env.fromSource(source, PollingSource.aboveEverything(), "budgets file").setParallelism(1).uid("alerts-budgets-source")
                .filter(new ChangesOnly()).setParallelism(1).uid("alerts-budgets-changes").name("budgets changes");
    }

    /** One poll: the current budgets (or why they cannot be used). Public for tests. */
    public static final class Read implements GeneratorFunction<Long, BudgetsUpdate> {
        private static final long serialVersionUID = 1L;
        private final String path;

        public Read(String path) {
            this.path = path;
        }

        @Override
        public BudgetsUpdate map(Long index) {
            return read(path);
        }
    }

    /** Reads and validates the budgets at {@code path} (null: no budgets configured). */
    public static BudgetsUpdate read(String path) {
        if (path == null) return BudgetsUpdate.ok("(none)", "{}", 0L);
        Path p = Path.of(path);
        Path file;
        try {
            file = Files.isDirectory(p) ? newest(p).orElse(null) : p;
        } catch (IOException e) {
            return BudgetsUpdate.invalid(p.getFileName() + "/", "cannot list the budgets folder: " + e, 0L);
        }
        if (file == null) return BudgetsUpdate.invalid(p.getFileName() + "/", "no .json, .yaml or .yml budgets file in the folder", 0L);
        String name = file.getFileName().toString();
        try {
            long modified = Files.getLastModifiedTime(file).toMillis();
            String text = Files.readString(file, StandardCharsets.UTF_8);
            try {
                Budgets.parse(text, name);
                return BudgetsUpdate.ok(name, text, modified);
            } catch (Budgets.InvalidBudgetsException e) {
                return BudgetsUpdate.invalid(name, e.getMessage(), modified);
            }
        } catch (IOException e) {
            return BudgetsUpdate.invalid(name, "cannot read: " + e, 0L);
        }
    }

    private static Optional<Path> newest(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile)
                    .filter(f -> {
                        String n = f.getFileName().toString();
                        String l = n.toLowerCase(Locale.ROOT);
                        return !n.startsWith(".") && !n.startsWith("_")
                                && (l.endsWith(".json") || l.endsWith(".yaml") || l.endsWith(".yml"));
                    })
                    // newest modification wins; the name breaks ties so the choice is deterministic
                    .max(Comparator.<Path>comparingLong(f -> {
                        try {
                            return Files.getLastModifiedTime(f).toMillis();
                        } catch (IOException e) {
                            return Long.MIN_VALUE;
                        }
                    }).thenComparing(f -> f.getFileName().toString()));
        }
    }

    /** Passes an update only when it differs from the previous one (the poller repeats itself). */
    static final class ChangesOnly extends PollingSource.ChangesOnly<BudgetsUpdate> {
        private static final long serialVersionUID = 1L;

        @Override
        protected String fingerprint(BudgetsUpdate u) {
            return u.fingerprint();
        }

        @Override
        protected void changed(BudgetsUpdate u) {
            if (u.error != null) LOG.warn("budgets file {} is invalid, previous budgets stay in force: {}", u.origin, u.error);
            else LOG.info("budgets loaded from {}", u.origin);
        }
    }
}
