package io.bedrockspend.pricing;

import io.bedrockspend.ingest.PollingSource;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.connector.datagen.source.GeneratorFunction;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Hot reload of the pricing folder (local or {@code s3://}, through Flink's file systems): polls it
 * every interval and sends the snapshot files downstream when they changed, so a new snapshot is
 * picked up without a restart. An unreadable folder is reported and the prices in force stay.
 */
public final class PricingSource {
    private static final Logger LOG = LoggerFactory.getLogger(PricingSource.class);

    private PricingSource() {}

    public static DataStream<PricingUpdate> stream(StreamExecutionEnvironment env, String folder, Duration pollInterval) {
        PollingSource<PricingUpdate> source = PollingSource.every(pollInterval, false, new Read(folder),
                TypeInformation.of(PricingUpdate.class));
        return env.fromSource(source, PollingSource.aboveEverything(), "pricing folder").setParallelism(1).uid("pricing-source")
                .filter(new ChangesOnly()).setParallelism(1).uid("pricing-changes").name("pricing changes");
    }

    /** One poll of the folder. */
    public static final class Read implements GeneratorFunction<Long, PricingUpdate> {
        private static final long serialVersionUID = 1L;
        private final String folder;

        public Read(String folder) {
            this.folder = folder;
        }

        @Override
        public PricingUpdate map(Long index) {
            return read(folder);
        }
    }

    /** Reads every {@code *.json} snapshot directly in {@code folder}. */
    public static PricingUpdate read(String folder) {
        PricingUpdate u = new PricingUpdate();
        u.folder = folder;
        try {
            Path dir = new Path(folder);
            FileSystem fs = dir.getFileSystem();
            FileStatus[] listing = fs.listStatus(dir);
            if (listing == null) {
                u.error = "pricing folder not found: " + folder;
                return u;
            }
            for (FileStatus f : listing) {
                String name = f.getPath().getName();
                if (f.isDir() || !name.endsWith(".json") || name.startsWith(".") || name.startsWith("_")) continue;
                try (InputStream in = fs.open(f.getPath())) {
                    u.files.put(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
            if (u.files.isEmpty()) u.error = "no *.json pricing snapshots in " + folder;
        } catch (IOException e) {
            u.error = "cannot read the pricing folder " + folder + ": " + e.getMessage();
            u.files.clear();
        }
        return u;
    }

    /** Passes a read only when it differs from the previous one. */
    static final class ChangesOnly extends PollingSource.ChangesOnly<PricingUpdate> {
        private static final long serialVersionUID = 1L;

        @Override
        protected String fingerprint(PricingUpdate u) {
            return u.fingerprint();
        }

        @Override
        protected void changed(PricingUpdate u) {
            if (u.error != null) LOG.warn("pricing folder unusable, prices in force stay: {}", u.error);
        }
    }
}
