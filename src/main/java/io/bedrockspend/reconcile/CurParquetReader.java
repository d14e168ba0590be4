package io.bedrockspend.reconcile;

import org.apache.flink.core.fs.FSDataInputStream;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.fs.Path;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.api.ReadSupport;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a CUR 2.0 Parquet file with parquet-java's Group API over Flink's {@link FileSystem} (so
 * {@code file://} and {@code s3://} alike), projecting only the columns reconciliation needs.
 * Values are converted by their physical and logical type: DECIMAL and string costs exactly, DOUBLE
 * through its shortest decimal form; timestamps in millis, micros, nanos or INT96.
 */
final class CurParquetReader implements AutoCloseable {
    private final ParquetReader<Group> reader;
    private final String origin;
    private final String period;

    CurParquetReader(Path path) throws IOException {
        this.origin = path.toString();
        this.period = CurColumns.period(origin);
        FileSystem fs = path.getFileSystem();
        InputFile file = new FlinkInputFile(fs, path, fs.getFileStatus(path).getLen());
        MessageType full;
        try (ParquetFileReader r = ParquetFileReader.open(file)) {
            full = r.getFooter().getFileMetaData().getSchema();
        }
        List<Type> keep = new ArrayList<>();
        for (String c : CurColumns.ALL) if (full.containsField(c)) keep.add(full.getType(c));
        for (String need : List.of(CurColumns.START, CurColumns.USAGE_TYPE, CurColumns.COST)) {
            if (!full.containsField(need)) throw new IOException(origin + ": not a CUR 2.0 Parquet file, column " + need + " missing");
        }
        PlainParquetConfiguration conf = new PlainParquetConfiguration();
        conf.set(ReadSupport.PARQUET_READ_SCHEMA, new MessageType(full.getName(), keep).toString());
        this.reader = new ParquetReader.Builder<Group>(file, conf) {
            @Override
            protected ReadSupport<Group> getReadSupport() {
                return new GroupReadSupport();
            }
        }.build();
    }

    CurRow next() throws IOException {
        Group g = reader.read();
        if (g == null) return null;
        try {
            CurRow c = new CurRow();
            c.origin = origin;
            Long start = time(g, CurColumns.START);
            if (start == null) throw new IOException("line_item_usage_start_date is null");
            c.usageStartMillis = start;
            if (period != null) {
                c.billingPeriod = period;
            } else {
                Long ps = time(g, CurColumns.PERIOD_START);
                c.billingPeriod = ps == null ? null : java.time.Instant.ofEpochMilli(ps).toString().substring(0, 7);
            }
            c.accountId = text(g, CurColumns.ACCOUNT);
            c.lineItemType = text(g, CurColumns.TYPE);
            c.productCode = text(g, CurColumns.PRODUCT_CODE);
            c.serviceCode = text(g, CurColumns.SERVICE_CODE);
            c.usageType = text(g, CurColumns.USAGE_TYPE);
            c.usageAmount = decimal(g, CurColumns.AMOUNT);
            c.pricingUnit = text(g, CurColumns.PRICING_UNIT);
            c.unblendedCost = decimal(g, CurColumns.COST);
            c.iamPrincipal = text(g, CurColumns.PRINCIPAL);
            Map<String, String> product = map(g, CurColumns.PRODUCT);
            c.productFamily = CurColumns.familyFallback(text(g, CurColumns.FAMILY), product);
            c.productName = CurColumns.productName(product);
            c.team = CurColumns.teamFrom(map(g, CurColumns.TAGS), map(g, CurColumns.RESOURCE_TAGS));
            return c;
        } catch (RuntimeException e) {
            throw new IOException(origin + ": bad CUR row: " + e.getMessage(), e);
        }
    }

    private static boolean present(Group g, String f) {
        return g.getType().containsField(f) && g.getFieldRepetitionCount(f) > 0;
    }

    private static String text(Group g, String f) {
        if (!present(g, f)) return null;
        Type t = g.getType().getType(f);
        if (!t.isPrimitive()) return null;
        return CurColumns.emptyToNull(switch (t.asPrimitiveType().getPrimitiveTypeName()) {
            case BINARY, FIXED_LEN_BYTE_ARRAY -> g.getBinary(f, 0).toStringUsingUTF8();
            case INT64 -> Long.toString(g.getLong(f, 0));
            case INT32 -> Integer.toString(g.getInteger(f, 0));
            default -> g.getValueToString(g.getType().getFieldIndex(f), 0);
        });
    }

    private static BigDecimal decimal(Group g, String f) {
        if (!present(g, f)) return null;
        PrimitiveType t = g.getType().getType(f).asPrimitiveType();
        LogicalTypeAnnotation la = t.getLogicalTypeAnnotation();
        if (la instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d) {
            return switch (t.getPrimitiveTypeName()) {
                case INT32 -> BigDecimal.valueOf(g.getInteger(f, 0), d.getScale());
                case INT64 -> BigDecimal.valueOf(g.getLong(f, 0), d.getScale());
                default -> new BigDecimal(new BigInteger(g.getBinary(f, 0).getBytes()), d.getScale());
            };
        }
        return switch (t.getPrimitiveTypeName()) {
            // CUR writes double costs; the shortest decimal form is the figure AWS wrote, not the binary expansion
            case DOUBLE -> BigDecimal.valueOf(g.getDouble(f, 0));
            case FLOAT -> new BigDecimal(Float.toString(g.getFloat(f, 0)));
            case INT64 -> BigDecimal.valueOf(g.getLong(f, 0));
            case INT32 -> BigDecimal.valueOf(g.getInteger(f, 0));
            default -> CurColumns.decimal(g.getBinary(f, 0).toStringUsingUTF8());
        };
    }

    private static Long time(Group g, String f) {
        if (!present(g, f)) return null;
        PrimitiveType t = g.getType().getType(f).asPrimitiveType();
        LogicalTypeAnnotation la = t.getLogicalTypeAnnotation();
        switch (t.getPrimitiveTypeName()) {
            case INT64: {
                long v = g.getLong(f, 0);
                if (la instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts) {
                    return switch (ts.getUnit()) {
                        case MILLIS -> v;
                        case MICROS -> Math.floorDiv(v, 1000L);
                        case NANOS -> Math.floorDiv(v, 1_000_000L);
                    };
                }
                return v;
            }
            case INT96: {
                // Impala/Hive timestamp: 8 bytes nanos of day (LE) + 4 bytes Julian day (LE)
                ByteBuffer b = g.getInt96(f, 0).toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                long nanos = b.getLong();
                int julian = b.getInt();
                return (julian - 2_440_588L) * 86_400_000L + nanos / 1_000_000L;
            }
            case INT32:
                if (la instanceof LogicalTypeAnnotation.DateLogicalTypeAnnotation) return g.getInteger(f, 0) * 86_400_000L;
                return (long) g.getInteger(f, 0);
            default: {
                Binary s = g.getBinary(f, 0);
                return CurColumns.parseTime(s.toStringUsingUTF8());
            }
        }
    }

    /** A Parquet MAP (repeated key_value/map group of key, value) as a Java map. */
    private static Map<String, String> map(Group g, String f) {
        if (!present(g, f)) return null;
        Type t = g.getType().getType(f);
        if (t.isPrimitive()) {
            return null; // a JSON-text map in Parquet is not a CUR 2.0 shape
        }
        Group m = g.getGroup(f, 0);
        GroupType mt = m.getType();
        if (mt.getFieldCount() == 0) return null;
        String kv = mt.getFieldName(0);
        int n = m.getFieldRepetitionCount(kv);
        Map<String, String> out = new HashMap<>();
        for (int i = 0; i < n; i++) {
            Group e = m.getGroup(kv, i);
            if (e.getFieldRepetitionCount(0) == 0) continue;
            String k = e.getBinary(0, 0).toStringUsingUTF8();
            String v = e.getFieldRepetitionCount(1) == 0 ? null : e.getBinary(1, 0).toStringUsingUTF8();
            out.put(k, v);
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    /** parquet-java {@link InputFile} over a Flink file system stream (seekable, any scheme). */
    static final class FlinkInputFile implements InputFile {
        private final FileSystem fs;
        private final Path path;
        private final long length;

        FlinkInputFile(FileSystem fs, Path path, long length) {
            this.fs = fs;
            this.path = path;
            this.length = length;
        }

        @Override
        public long getLength() {
            return length;
        }

        @Override
        public SeekableInputStream newStream() throws IOException {
            FSDataInputStream in = fs.open(path);
            return new DelegatingSeekableInputStream(in) {
                @Override
                public long getPos() throws IOException {
                    return in.getPos();
                }

                @Override
                public void seek(long newPos) throws IOException {
                    in.seek(newPos);
                }
            };
        }
    }
}
