package io.bedrockspend.ingest;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.impl.StreamFormatAdapter;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.reader.StreamFormat;
import org.apache.flink.connector.file.src.util.RecordAndPosition;
import org.apache.flink.core.fs.FSDataInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * Flink {@link StreamFormat} that frames input files into {@link RawRecord}s, one per JSON value
 * (see {@link JsonRecordFramer}). Not splittable. Files named {@code .gz} are gunzipped by Flink's
 * adapter; other gzip files are detected by their magic bytes. A truncated or corrupt gzip stream
 * ends the file with a {@code TRUNCATED_GZIP} framing-error record instead of failing the job.
 *
 * <p>A {@code StreamFormat} reader is not told the file path, so with
 * {@code FileSource.forRecordStreamFormat(format, paths)} records carry {@code origin = "file"}.
 * Use {@code FileSource.forBulkFileFormat(format.withFileOrigins(), paths)} to get the path as origin.
 *
 * <p>Checkpointing: the reader reports no offsets, so on restore Flink's adapter re-reads the file
 * and skips the records already emitted (correct, if not the fastest, for a non-splittable format).
 */
public final class JsonRecordFileFormat implements StreamFormat<RawRecord> {
    private static final long serialVersionUID = 1L;
    static final String UNKNOWN_ORIGIN = "file";

    private final int maxRecordBytes;

    public JsonRecordFileFormat() {
        this(DecodeLimits.DEFAULT_MAX_RECORD_BYTES);
    }

    public JsonRecordFileFormat(int maxRecordBytes) {
        if (maxRecordBytes <= 0) {
            throw new IllegalArgumentException("maxRecordBytes must be positive");
        }
        this.maxRecordBytes = maxRecordBytes;
    }

    public JsonRecordFileFormat(DecodeLimits limits) {
        this(limits.maxRecordBytes);
    }

    @Override
    public Reader<RawRecord> createReader(Configuration config, FSDataInputStream stream, long fileLen, long splitEnd) {
        return new FramerReader(new JsonRecordFramer(stream, UNKNOWN_ORIGIN, maxRecordBytes));
    }

    @Override
    public Reader<RawRecord> restoreReader(Configuration config, FSDataInputStream stream, long restoredOffset,
                                           long fileLen, long splitEnd) {
        // we never checkpoint an offset, so a restore always starts at the beginning of the file
        return createReader(config, stream, fileLen, splitEnd);
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<RawRecord> getProducedType() {
        return TypeInformation.of(RawRecord.class);
    }

    /** This format as a {@link BulkFormat} that sets each record's origin to its file path. */
    public BulkFormat<RawRecord, FileSourceSplit> withFileOrigins() {
        return new FileOriginBulkFormat(new StreamFormatAdapter<>(this));
    }

    /** Plain-Java reading with the same framing (tests, benchmarks, tools). Origin = the path. */
    public static void readFile(Path path, Consumer<RawRecord> out) throws IOException {
        readFile(path, DecodeLimits.DEFAULT_MAX_RECORD_BYTES, out);
    }

    public static void readFile(Path path, int maxRecordBytes, Consumer<RawRecord> out) throws IOException {
        try (InputStream in = Files.newInputStream(path)) {
            readStream(in, path.toString(), maxRecordBytes, out);
        }
    }

    /** Frames an already-open stream (not closed here). */
    public static void readStream(InputStream in, String origin, int maxRecordBytes, Consumer<RawRecord> out) throws IOException {
        JsonRecordFramer framer = new JsonRecordFramer(in, origin, maxRecordBytes);
        RawRecord r;
        while ((r = framer.next()) != null) {
            out.accept(r);
        }
    }

    private static final class FramerReader implements StreamFormat.Reader<RawRecord> {
        private final JsonRecordFramer framer;

        FramerReader(JsonRecordFramer framer) {
            this.framer = framer;
        }

        @Override
        public RawRecord read() throws IOException {
            return framer.next();
        }

        @Override
        public void close() throws IOException {
            framer.close();
        }
    }

    /** Delegates to the stream adapter and stamps the split's path on each record. */
    private static final class FileOriginBulkFormat implements BulkFormat<RawRecord, FileSourceSplit> {
        private static final long serialVersionUID = 1L;
        private final BulkFormat<RawRecord, FileSourceSplit> inner;

        FileOriginBulkFormat(BulkFormat<RawRecord, FileSourceSplit> inner) {
            this.inner = inner;
        }

        @Override
        public BulkFormat.Reader<RawRecord> createReader(Configuration config, FileSourceSplit split) throws IOException {
            return wrap(inner.createReader(config, split), split.path().toString());
        }

        @Override
        public BulkFormat.Reader<RawRecord> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
            return wrap(inner.restoreReader(config, split), split.path().toString());
        }

        @Override
        public boolean isSplittable() {
            return false;
        }

        @Override
        public TypeInformation<RawRecord> getProducedType() {
            return inner.getProducedType();
        }

        private static BulkFormat.Reader<RawRecord> wrap(BulkFormat.Reader<RawRecord> reader, String origin) {
            return new BulkFormat.Reader<>() {
                @Override
                public BulkFormat.RecordIterator<RawRecord> readBatch() throws IOException {
                    BulkFormat.RecordIterator<RawRecord> it = reader.readBatch();
                    if (it == null) {
                        return null;
                    }
                    return new BulkFormat.RecordIterator<>() {
                        @Override
                        public RecordAndPosition<RawRecord> next() {
                            RecordAndPosition<RawRecord> rp = it.next();
                            if (rp != null && rp.getRecord() != null) {
                                rp.getRecord().origin = origin;
                            }
                            return rp;
                        }

                        @Override
                        public void releaseBatch() {
                            it.releaseBatch();
                        }
                    };
                }

                @Override
                public void close() throws IOException {
                    reader.close();
                }
            };
        }
    }
}
