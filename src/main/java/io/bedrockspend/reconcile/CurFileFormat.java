package io.bedrockspend.reconcile;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.connector.file.src.FileSourceSplit;
import org.apache.flink.connector.file.src.reader.BulkFormat;
import org.apache.flink.connector.file.src.util.IteratorResultIterator;
import org.apache.flink.core.fs.Path;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * Flink {@link BulkFormat} for CUR 2.0 data files: Parquet (by the {@code PAR1} magic or name) or
 * CSV, plain or gzip (detected by the gzip magic, so names do not matter). One split per file: CUR
 * files are already sized by AWS, and Parquet/gzip are not splittable by byte range here.
 *
 * <p>No checkpointed position: in batch mode a failed split is simply read again from the start.
 */
public final class CurFileFormat implements BulkFormat<CurRow, FileSourceSplit> {
    private static final long serialVersionUID = 1L;
    private static final int BATCH = 1024;

    @Override
    public BulkFormat.Reader<CurRow> createReader(Configuration config, FileSourceSplit split) throws IOException {
        return new FileReader(split.path());
    }

    @Override
    public BulkFormat.Reader<CurRow> restoreReader(Configuration config, FileSourceSplit split) throws IOException {
        return new FileReader(split.path());
    }

    @Override
    public boolean isSplittable() {
        return false;
    }

    @Override
    public TypeInformation<CurRow> getProducedType() {
        return TypeInformation.of(CurRow.class);
    }

    /** True for names that look like CUR data files (Data Exports writes .parquet, .csv.gz, .csv, .gz). */
    public static boolean isDataFile(String name) {
        String n = name.toLowerCase(java.util.Locale.ROOT);
        return !n.startsWith(".") && !n.startsWith("_")
                && (n.endsWith(".parquet") || n.endsWith(".csv") || n.endsWith(".csv.gz") || n.endsWith(".gz"));
    }

    /** Opens one file as a row source, whatever its format; used by the job and by plain-Java tools. */
    public static RowSource open(Path path) throws IOException {
        if (path.getName().toLowerCase(java.util.Locale.ROOT).endsWith(".parquet")) {
            CurParquetReader p = new CurParquetReader(path);
            return new RowSource(p::next, p);
        }
        InputStream raw = new BufferedInputStream(path.getFileSystem().open(path), 1 << 16);
        raw.mark(4);
        byte[] magic = raw.readNBytes(4);
        raw.reset();
        if (magic.length == 4 && magic[0] == 'P' && magic[1] == 'A' && magic[2] == 'R' && magic[3] == '1') {
            raw.close();
            CurParquetReader p = new CurParquetReader(path);
            return new RowSource(p::next, p);
        }
        InputStream in = magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b
                ? new GZIPInputStream(raw, 1 << 16) : raw;
        CurCsvReader c = new CurCsvReader(in, path.toString());
        return new RowSource(c::next, c);
    }

    /** A sequence of CUR rows from one file. */
    public static final class RowSource implements AutoCloseable {
        interface Next { CurRow next() throws IOException; }

        private final Next next;
        private final AutoCloseable closer;

        RowSource(Next next, AutoCloseable closer) {
            this.next = next;
            this.closer = closer;
        }

        public CurRow next() throws IOException {
            return next.next();
        }

        @Override
        public void close() throws IOException {
            try {
                closer.close();
            } catch (IOException | RuntimeException e) {
                throw e;
            } catch (Exception e) {
                throw new IOException(e);
            }
        }
    }

    private static final class FileReader implements BulkFormat.Reader<CurRow> {
        private final RowSource rows;
        private long emitted;
        private boolean done;

        FileReader(Path path) throws IOException {
            this.rows = open(path);
        }

        @Override
        public BulkFormat.RecordIterator<CurRow> readBatch() throws IOException {
            if (done) return null;
            List<CurRow> batch = new ArrayList<>(BATCH);
            CurRow r;
            while (batch.size() < BATCH && (r = rows.next()) != null) batch.add(r);
            if (batch.size() < BATCH) done = true;
            if (batch.isEmpty()) return null;
            long offset = emitted;
            emitted += batch.size();
            return new IteratorResultIterator<>(batch.iterator(), -1L, offset);
        }

        @Override
        public void close() throws IOException {
            rows.close();
        }
    }
}
