package io.bedrockspend.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bedrockspend.identity.Principals;
import io.bedrockspend.spend.Money;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Writer;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;
import java.util.zip.GZIPOutputStream;

/**
 * CUR 2.0-shaped test data consistent with a ledger, with controllable drift, so tests and
 * benchmarks know the right answer: billed rows are the ledger's calls summed per (hour, account,
 * session principal, usage type), priced at the estimate times a per-usage-type factor; calls can be
 * left unbilled; extra rows (mantle, batch, other regions), credits and discounts can be added.
 * Writes Parquet (DECIMAL costs and millisecond UTC timestamps by default, or DOUBLE costs and INT96
 * timestamps as real CUR 2.0 exports and Hive-era writers use: {@link ParquetTypes}; MAP columns) and
 * gzip CSV (maps as JSON).
 */
public final class CurGenerator {
    /** One ledger call as the generator sees it. Maps are by ledger token kind. */
    public record Call(String requestId, long timestampMillis, String accountId, String principalArn, String region,
                       String modelId, String team, String attribution, Map<String, Long> tokens,
                       Map<String, BigDecimal> cost, Map<String, String> usageTypes) {
        public boolean unpriced() {
            return cost == null;
        }
    }

    /** One CUR line item. */
    public record Line(long usageStartMillis, String accountId, String lineItemType, String productCode,
                       String usageType, BigDecimal usageAmount, String pricingUnit, BigDecimal unblendedCost,
                       String principal, String team, String productName) {}

    /** What to change between the ledger and the bill. */
    public static final class Drift {
        /** Billed cost = estimate × factor, per usage type (default 1). */
        public final Map<String, BigDecimal> priceFactor = new LinkedHashMap<>();
        /** The bill's rate per 1M tokens for unpriced calls' usage types (the live side had no price). */
        public final Map<String, BigDecimal> unpricedRatePerM = new LinkedHashMap<>();
        /** Calls the bill does not contain. */
        public Predicate<Call> missing = c -> false;
        /** Rows only the bill has (mantle, batch, unlogged regions, other principals, credits, tax). */
        public final List<Line> extra = new ArrayList<>();
    }

    /** Physical types of the Parquet cost/amount and usage-time columns. */
    public enum ParquetTypes {
        /** DECIMAL(38,12) costs and amounts, INT64 TIMESTAMP(MILLIS) times. */
        DECIMAL_MILLIS,
        /** DOUBLE costs and amounts (as AWS writes them), INT96 usage start/end times. */
        DOUBLE_INT96
    }

    private CurGenerator() {}

    /**
     * AWS's DOUBLE form of an amount, only when it reads back (shortest decimal form, as the reader does)
     * as exactly that amount: the generator must never hand a test a figure it does not know exactly.
     */
    static double exactDouble(BigDecimal v) {
        double d = v.doubleValue();
        if (BigDecimal.valueOf(d).compareTo(v) != 0) {
            throw new IllegalArgumentException(v.toPlainString() + " has no exact DOUBLE form; use the DECIMAL export");
        }
        return d;
    }


    public static boolean marketplace(String usageType) {
        return usageType.contains("-MP:");
    }

    /** The bill for these calls: one Usage row per (hour, account, session principal, usage type). */
    public static List<Line> bill(List<Call> calls, Drift drift) {
        Map<String, Object[]> acc = new TreeMap<>();
        for (Call c : calls) {
            if (drift.missing.test(c)) continue;
            long hour = Facts.bucket(c.timestampMillis(), false);
            for (Map.Entry<String, Long> t : c.tokens().entrySet()) {
                if (t.getValue() == 0) continue;
                String ut = c.usageTypes().get(t.getKey());
                String key = hour + "|" + c.accountId() + "|" + c.principalArn() + "|" + ut;
                Object[] a = acc.computeIfAbsent(key, k -> new Object[] {hour, c, ut, 0L, BigDecimal.ZERO});
                a[3] = (Long) a[3] + t.getValue();
                BigDecimal cost;
                if (c.unpriced()) {
                    BigDecimal rate = drift.unpricedRatePerM.get(ut);
                    if (rate == null) throw new IllegalArgumentException("no unpricedRatePerM for " + ut);
                    cost = rate.multiply(BigDecimal.valueOf(t.getValue())).divide(PricingUnits.MILLION);
                } else {
                    cost = c.cost().get(t.getKey()).multiply(drift.priceFactor.getOrDefault(ut, BigDecimal.ONE));
                }
                a[4] = ((BigDecimal) a[4]).add(cost);
            }
        }
        List<Line> out = new ArrayList<>();
        for (Object[] a : acc.values()) {
            Call c = (Call) a[1];
            String ut = (String) a[2];
            out.add(usageLine((Long) a[0], c.accountId(), ut, (Long) a[3], (BigDecimal) a[4], c.principalArn(), c.team()));
        }
        out.addAll(drift.extra);
        return out;
    }

    /** A Usage row for {@code tokens} tokens at {@code cost}, in the unit CUR uses for the shape. */
    public static Line usageLine(long hour, String account, String usageType, long tokens, BigDecimal cost,
                                 String principal, String team) {
        boolean mp = marketplace(usageType);
        BigDecimal per = mp ? PricingUnits.MILLION : PricingUnits.THOUSAND;
        return new Line(hour, account, "Usage", mp ? "AmazonBedrockFoundationModels" : "AmazonBedrock", usageType,
                BigDecimal.valueOf(tokens).divide(per), mp ? "1M tokens" : "1K tokens", cost, principal, team,
                mp ? "Claude (Amazon Bedrock Edition)" : null);
    }

    /** An adjustment row (Credit, EdpDiscount, Tax, ...): negative for credits and discounts. */
    public static Line adjustment(long hour, String account, String type, String usageType, BigDecimal cost, String principal) {
        return new Line(hour, account, type, "AmazonBedrock", usageType, BigDecimal.ZERO, null, cost, principal, null, null);
    }

    // ---- ledger ----

    public static String ledgerLine(Call c, boolean withUsageTypes) {
        ObjectMapper om = new ObjectMapper();
        ObjectNode n = om.createObjectNode();
        n.put("requestId", c.requestId());
        n.put("timestamp", Instant.ofEpochMilli(c.timestampMillis()).toString());
        n.put("principal", c.principalArn() == null ? null : Principals.canonical(c.principalArn()));
        n.put("principalArn", c.principalArn());
        n.put("modelId", c.modelId());
        n.put("accountId", c.accountId());
        n.put("region", c.region());
        ObjectNode t = n.putObject("tokens");
        for (String k : Facts.KINDS) t.put(k, c.tokens().getOrDefault(k, 0L));
        t.put("cacheWrite", c.tokens().getOrDefault("cacheWrite5m", 0L) + c.tokens().getOrDefault("cacheWrite1h", 0L));
        BigDecimal total = BigDecimal.ZERO;
        ObjectNode cost = n.putObject("cost");
        for (String k : Facts.KINDS) {
            BigDecimal v = c.unpriced() ? null : c.cost().getOrDefault(k, BigDecimal.ZERO);
            cost.put(k, Money.format(v));
            if (v != null) total = total.add(v);
        }
        n.put("costUsd", c.unpriced() ? null : Money.format(total));
        ObjectNode p = n.putObject("pricing");
        p.put("status", c.unpriced() ? "unpriced" : "priced");
        p.put("snapshotId", "2026-11-23-reference");
        p.put("baseModelId", c.modelId());
        if (withUsageTypes) {
            ObjectNode u = p.putObject("usageTypes");
            c.usageTypes().forEach(u::put);
        }
        n.putObject("tags").put("team", c.team());
        n.put("attribution", c.attribution());
        n.put("team", c.team() == null ? "unattributed" : c.team());
        return n.toString();
    }

    public static void writeLedger(Path file, List<Call> calls, boolean withUsageTypes) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Call c : calls) w.write(ledgerLine(c, withUsageTypes) + "\n");
        }
    }

    // ---- CUR files ----

    static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
            message cur2 {
              optional int64 bill_billing_period_start_date (TIMESTAMP(MILLIS,true));
              optional binary line_item_usage_account_id (STRING);
              optional binary line_item_line_item_type (STRING);
              optional binary line_item_product_code (STRING);
              optional binary line_item_usage_type (STRING);
              optional binary line_item_operation (STRING);
              optional int64 line_item_usage_start_date (TIMESTAMP(MILLIS,true));
              optional int64 line_item_usage_end_date (TIMESTAMP(MILLIS,true));
              optional binary line_item_usage_amount (DECIMAL(38,12));
              optional binary pricing_unit (STRING);
              optional binary line_item_unblended_rate (STRING);
              optional binary line_item_unblended_cost (DECIMAL(38,12));
              optional binary line_item_iam_principal (STRING);
              optional binary product_product_family (STRING);
              optional binary product_servicecode (STRING);
              optional group product (MAP) { repeated group key_value { required binary key (STRING); optional binary value (STRING); } }
              optional group tags (MAP) { repeated group key_value { required binary key (STRING); optional binary value (STRING); } }
            }""");

    static final List<String> CSV_COLUMNS = List.of("bill_billing_period_start_date", "line_item_usage_account_id",
            "line_item_line_item_type", "line_item_product_code", "line_item_usage_type", "line_item_operation",
            "line_item_usage_start_date", "line_item_usage_end_date", "line_item_usage_amount", "pricing_unit",
            "line_item_unblended_rate", "line_item_unblended_cost", "line_item_iam_principal", "product_product_family",
            "product_servicecode", "product", "tags");

    private static long periodStart(long millis) {
        return Instant.parse(Instant.ofEpochMilli(millis).toString().substring(0, 7) + "-01T00:00:00Z").toEpochMilli();
    }

    public static void writeParquet(Path file, List<Line> lines) throws IOException {
        writeParquet(file, lines.iterator());
    }

    /** Streaming form: rows are pulled one at a time, so an export of any size never sits in memory (the benchmark). */
    public static void writeParquet(Path file, java.util.Iterator<Line> lines) throws IOException {
        writeParquet(file, lines, ParquetTypes.DECIMAL_MILLIS);
    }

    static MessageType schema(ParquetTypes types) {
        if (types == ParquetTypes.DECIMAL_MILLIS) return SCHEMA;
        return MessageTypeParser.parseMessageType(SCHEMA.toString()
                .replace("int64 line_item_usage_start_date (TIMESTAMP(MILLIS,true))", "int96 line_item_usage_start_date")
                .replace("int64 line_item_usage_end_date (TIMESTAMP(MILLIS,true))", "int96 line_item_usage_end_date")
                .replace("binary line_item_usage_amount (DECIMAL(38,12))", "double line_item_usage_amount")
                .replace("binary line_item_unblended_cost (DECIMAL(38,12))", "double line_item_unblended_cost"));
    }

    public static void writeParquet(Path file, java.util.Iterator<Line> lines, ParquetTypes types) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        MessageType schema = schema(types);
        boolean dbl = types == ParquetTypes.DOUBLE_INT96;
        SimpleGroupFactory f = new SimpleGroupFactory(schema);
        try (ParquetWriter<Group> w = ExampleParquetWriter.builder(new LocalOutputFile(file))
                .withConf(new PlainParquetConfiguration()).withType(schema)
                .withCompressionCodec(CompressionCodecName.SNAPPY)
                .withWriteMode(ParquetFileWriter.Mode.OVERWRITE).build()) {
            while (lines.hasNext()) {
                Line l = lines.next();
                Group g = f.newGroup()
                        .append("bill_billing_period_start_date", periodStart(l.usageStartMillis()))
                        .append("line_item_usage_account_id", l.accountId())
                        .append("line_item_line_item_type", l.lineItemType())
                        .append("line_item_product_code", l.productCode())
                        .append("line_item_usage_type", l.usageType())
                        .append("line_item_operation", "InvokeModel")
                        .append("product_product_family", "Amazon Bedrock")
                        .append("product_servicecode", l.productCode());
                if (dbl) {
                    g.append("line_item_usage_start_date", int96(l.usageStartMillis()))
                            .append("line_item_usage_end_date", int96(l.usageStartMillis() + 3_600_000L))
                            .append("line_item_usage_amount", exactDouble(l.usageAmount()))
                            .append("line_item_unblended_cost", exactDouble(l.unblendedCost()));
                } else {
                    g.append("line_item_usage_start_date", l.usageStartMillis())
                            .append("line_item_usage_end_date", l.usageStartMillis() + 3_600_000L)
                            .append("line_item_usage_amount", dec(l.usageAmount()))
                            .append("line_item_unblended_cost", dec(l.unblendedCost()));
                }
                if (l.pricingUnit() != null) g.append("pricing_unit", l.pricingUnit());
                if (l.principal() != null) g.append("line_item_iam_principal", l.principal());
                if (l.productName() != null) g.addGroup("product").addGroup("key_value").append("key", "servicename").append("value", l.productName());
                if (l.team() != null) g.addGroup("tags").addGroup("key_value").append("key", "iamPrincipal/team").append("value", l.team());
                w.write(g);
            }
        }
    }

    /** INT96 (Impala/Hive): nanoseconds of the day then the Julian day number, both little-endian. */
    static Binary int96(long millis) {
        long day = Math.floorDiv(millis, 86_400_000L);
        long nanos = Math.floorMod(millis, 86_400_000L) * 1_000_000L;
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(nanos).putInt((int) (day + 2_440_588L));
        return Binary.fromConstantByteArray(b.array());
    }

    /** DECIMAL(38,12) bytes; setScale throws rather than round, so a generator bug cannot hide in rounding. */
    private static Binary dec(BigDecimal v) {
        return Binary.fromConstantByteArray(v.setScale(12).unscaledValue().toByteArray());
    }

    public static void writeCsvGz(Path file, List<Line> lines) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        ObjectMapper om = new ObjectMapper();
        try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(file));
             Writer w = new java.io.OutputStreamWriter(o, StandardCharsets.UTF_8)) {
            w.write(String.join(",", CSV_COLUMNS) + "\n");
            for (Line l : lines) {
                List<String> v = List.of(Instant.ofEpochMilli(periodStart(l.usageStartMillis())).toString(), l.accountId(),
                        l.lineItemType(), l.productCode(), l.usageType(), "InvokeModel",
                        Instant.ofEpochMilli(l.usageStartMillis()).toString(), Instant.ofEpochMilli(l.usageStartMillis() + 3_600_000L).toString(),
                        l.usageAmount().toPlainString(), l.pricingUnit() == null ? "" : l.pricingUnit(), "",
                        l.unblendedCost().toPlainString(), l.principal() == null ? "" : l.principal(), "Amazon Bedrock",
                        l.productCode(), l.productName() == null ? "" : om.writeValueAsString(Map.of("servicename", l.productName())),
                        l.team() == null ? "" : om.writeValueAsString(Map.of("iamPrincipal/team", l.team())));
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < v.size(); i++) {
                    if (i > 0) b.append(',');
                    String s = v.get(i);
                    b.append(s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s);
                }
                w.write(b.append('\n').toString());
            }
        }
    }

    /**
     * Writes one delivery of an export: {@code root/data/BILLING_PERIOD=P/[delivery/]<export>-0000N.ext}
     * (split into {@code files} files) and, when {@code manifest}, the period's manifest listing them by
     * S3 URI, as Data Exports does.
     */
    public static List<Path> writeExport(Path root, String export, String period, String delivery, List<Line> lines,
                                         boolean parquet, int files, boolean manifest) throws IOException {
        return writeExport(root, export, period, delivery, lines, parquet, ParquetTypes.DECIMAL_MILLIS, files, manifest);
    }

    /** As above, with the Parquet column types chosen. */
    public static List<Path> writeExport(Path root, String export, String period, String delivery, List<Line> lines,
                                         boolean parquet, ParquetTypes types, int files, boolean manifest) throws IOException {
        Path dir = root.resolve("data").resolve("BILLING_PERIOD=" + period);
        if (delivery != null) dir = dir.resolve(delivery);
        List<Path> written = new ArrayList<>();
        int per = Math.max(1, (lines.size() + files - 1) / files);
        for (int i = 0; i < files; i++) {
            List<Line> part = lines.subList(Math.min(lines.size(), i * per), Math.min(lines.size(), (i + 1) * per));
            Path f = dir.resolve(String.format("%s-%05d.%s", export, i + 1, parquet ? "snappy.parquet" : "csv.gz"));
            if (parquet) writeParquet(f, part.iterator(), types); else writeCsvGz(f, part);
            written.add(f);
        }
        if (manifest) {
            Path m = root.resolve("metadata").resolve("BILLING_PERIOD=" + period);
            if (delivery != null) m = m.resolve(delivery);
            Files.createDirectories(m);
            ObjectMapper om = new ObjectMapper();
            ObjectNode n = om.createObjectNode();
            n.put("exportName", export);
            n.putObject("billingPeriod").put("start", period + "-01T00:00:00.000Z");
            var arr = n.putArray("dataFiles");
            for (Path f : written) arr.add("s3://cur-bucket/exports/" + export + "/data/" + root.resolve("data").relativize(f).toString().replace('\\', '/'));
            Files.writeString(m.resolve(export + "-Manifest.json"), om.writerWithDefaultPrettyPrinter().writeValueAsString(n));
        }
        return written;
    }
}
