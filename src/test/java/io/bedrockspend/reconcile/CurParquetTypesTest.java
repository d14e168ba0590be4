package io.bedrockspend.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import io.bedrockspend.cli.ReconcileCommand;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Real CUR 2.0 Parquet exports write cost and amount columns as DOUBLE, and Hive-era writers use INT96
 * timestamps. DOUBLE must become the decimal AWS wrote (the shortest representation), never the binary
 * expansion: {@code new BigDecimal(0.0008)} is 0.000800000000000000038..., which would leave
 * non-zero dust in every class total.
 */
class CurParquetTypesTest {

    @Test
    void doubleCostsAndInt96TimesReadExactly(@TempDir Path dir) throws Exception {
        long t1 = Instant.parse("2026-04-10T15:00:00Z").toEpochMilli();
        long t2 = Instant.parse("1999-12-31T23:00:00Z").toEpochMilli();
        List<CurGenerator.Line> lines = List.of(
                new CurGenerator.Line(t1, "111122223333", "Usage", "AmazonBedrock", "USE1-NovaPro-input-tokens",
                        new BigDecimal("0.1"), "1K tokens", new BigDecimal("0.0008"), null, null, null),
                new CurGenerator.Line(t2, "111122223333", "Usage", "AmazonBedrock", "USE1-NovaPro-output-tokens",
                        new BigDecimal("1234.5678"), "1K tokens", new BigDecimal("12.3456789012345"), null, null, null));
        Path f = dir.resolve("data/BILLING_PERIOD=2026-04/x-00001.snappy.parquet");
        CurGenerator.writeParquet(f, lines.iterator(), CurGenerator.ParquetTypes.DOUBLE_INT96);

        MessageType schema;
        try (ParquetFileReader r = ParquetFileReader.open(new LocalInputFile(f))) {
            schema = r.getFooter().getFileMetaData().getSchema();
        }
        assertEquals(PrimitiveTypeName.DOUBLE, schema.getType("line_item_unblended_cost").asPrimitiveType().getPrimitiveTypeName());
        assertEquals(PrimitiveTypeName.DOUBLE, schema.getType("line_item_usage_amount").asPrimitiveType().getPrimitiveTypeName());
        assertEquals(PrimitiveTypeName.INT96, schema.getType("line_item_usage_start_date").asPrimitiveType().getPrimitiveTypeName());
        assertNull(schema.getType("line_item_unblended_cost").getLogicalTypeAnnotation());

        List<CurRow> rows = new ArrayList<>();
        try (CurParquetReader r = new CurParquetReader(new org.apache.flink.core.fs.Path(f.toUri()))) {
            for (CurRow c = r.next(); c != null; c = r.next()) rows.add(c);
        }
        assertEquals(2, rows.size());
        // exactly the decimals written (the binary expansion of 0.0008 would not compare equal)
        assertExact("0.0008", rows.get(0).unblendedCost);
        assertExact("0.1", rows.get(0).usageAmount);
        assertExact("12.3456789012345", rows.get(1).unblendedCost);
        assertExact("1234.5678", rows.get(1).usageAmount);
        assertEquals(t1, rows.get(0).usageStartMillis);
        assertEquals(t2, rows.get(1).usageStartMillis, "INT96 before a day boundary and before 2000");
    }

    static void assertExact(String expected, BigDecimal actual) {
        assertEquals(0, new BigDecimal(expected).compareTo(actual), "expected exactly " + expected + ", read " + actual.toPlainString());
    }

    /** The full scenario with DOUBLE costs and INT96 times gives the DECIMAL export's exact figures. */
    @Test
    void scenarioReconcilesToTheSameExactAmounts(@TempDir Path dir) throws Exception {
        List<CurGenerator.Call> calls = ReconcileJobTest.calls();
        Path ledger = dir.resolve("ledger/calls.jsonl");
        CurGenerator.writeLedger(ledger, calls, true);
        List<CurGenerator.Line> bill = CurGenerator.bill(calls, ReconcileJobTest.drift());
        Path dbl = dir.resolve("cur-double/bedrock-cost");
        CurGenerator.writeExport(dbl, "bedrock-cost", "2026-04", "20260510T000000Z", bill, true,
                CurGenerator.ParquetTypes.DOUBLE_INT96, 2, true);
        Path decimal = dir.resolve("cur-decimal/bedrock-cost");
        CurGenerator.writeExport(decimal, "bedrock-cost", "2026-04", "20260510T000000Z", bill, true, 2, true);

        ReconcileJobTest.Result d = ReconcileJobTest.reconcile(dbl, dir.resolve("ledger"), dir.resolve("out-double"));
        ReconcileJobTest.Result e = ReconcileJobTest.reconcile(decimal, dir.resolve("ledger"), dir.resolve("out-decimal"));
        assertEquals(ReconcileCommand.DRIFT, d.code(), d.out() + d.err());
        JsonNode byClass = d.summary().get("differenceByClass");
        ReconcileJobTest.assertDec("0.4", byClass.get("price_drift"), "price drift");
        ReconcileJobTest.assertDec("0", byClass.get("usage_mismatch"), "usage mismatch");
        ReconcileJobTest.assertDec("2", byClass.get("unpriced_model"), "unpriced");
        ReconcileJobTest.assertDec("0.5508", byClass.get("unseen_by_live"), "mantle + batch + unlogged region");
        ReconcileJobTest.assertDec("-0.8", byClass.get("estimated_not_billed"), "ledger only");
        ReconcileJobTest.assertDec("0.0008", byClass.get("billed_not_estimated"), "CUR only");
        ReconcileJobTest.assertDec("0", byClass.get("identity"), "identity nets out");
        ReconcileJobTest.assertDec("-1.5", byClass.get("discount_credit"), "credits and discounts");
        ReconcileJobTest.assertDec("0.6516", d.summary().get("totals").get("differenceUsd"), "total difference");
        for (Iterator<String> it = byClass.fieldNames(); it.hasNext(); ) {
            String c = it.next();
            ReconcileJobTest.assertDec(e.summary().get("differenceByClass").get(c).asText(), byClass.get(c), c + " as with DECIMAL");
        }
        assertEquals(e.summary().get("totals").toString(), d.summary().get("totals").toString());
        // the hour buckets come from the INT96 start times
        assertEquals("2026-04-10T15:00:00Z", ReconcileJobTest.row(d, "arn:aws:iam::111122223333:user/dave", ReconcileJobTest.NOVA_IN).get("bucketStart"));
    }

    @Test
    void doubleExportRefusesAmountsADoubleCannotHoldExactly() {
        assertEquals(0.0008, CurGenerator.exactDouble(new BigDecimal("0.000800000000")));
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> CurGenerator.exactDouble(new BigDecimal("0.10000000000000001")));
    }
}
