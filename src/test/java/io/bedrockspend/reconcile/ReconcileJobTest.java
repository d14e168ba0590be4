package io.bedrockspend.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.bedrockspend.cli.ReconcileCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * End to end: generated ledger + generated CUR export (Parquet with manifests and a restated month;
 * gzip CSV without manifests) through the Flink batch job, the classifier and the report.
 */
class ReconcileJobTest {
    static final String ACCT = "111122223333";
    static final String ALICE = "arn:aws:sts::111122223333:assumed-role/DataSci/alice";
    static final String BOB = "arn:aws:sts::111122223333:assumed-role/DataSci/bob";
    static final String CAROL = "arn:aws:iam::111122223333:user/carol";
    static final String DAVE = "arn:aws:iam::111122223333:user/dave";
    static final String ERIN = "arn:aws:iam::111122223333:user/erin";
    static final String MP_IN = "USE1-MP:USE1_InputTokenCount_Global-Units";
    static final String MP_OUT = "USE1-MP:USE1_OutputTokenCount_Global-Units";
    static final String MP_CR = "USE1-MP:USE1_CacheReadInputTokenCount_Global-Units";
    static final String MP_CW1H = "USE1-MP:USE1_CacheWrite1hInputTokenCount_Global-Units";
    static final String NOVA_IN = "USE1-NovaPro-input-tokens";
    static final String NOVA_OUT = "USE1-NovaPro-output-tokens";

    static long t(String iso) {
        return Instant.parse(iso).toEpochMilli();
    }

    static BigDecimal d(String s) {
        return new BigDecimal(s);
    }

    static CurGenerator.Call call(String id, String ts, String principal, String model, String team, String attribution,
                                  Object... kindTokensCostType) {
        Map<String, Long> tokens = new LinkedHashMap<>();
        Map<String, BigDecimal> cost = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        boolean unpriced = false;
        for (int i = 0; i < kindTokensCostType.length; i += 4) {
            String k = (String) kindTokensCostType[i];
            tokens.put(k, ((Number) kindTokensCostType[i + 1]).longValue());
            if (kindTokensCostType[i + 2] == null) unpriced = true;
            else cost.put(k, d((String) kindTokensCostType[i + 2]));
            types.put(k, (String) kindTokensCostType[i + 3]);
        }
        return new CurGenerator.Call(id, t(ts), ACCT, principal, "us-east-1", model, team, attribution, tokens,
                unpriced ? null : cost, types);
    }

    /** The scenario: every class of difference, with the exact expected amount. */
    static List<CurGenerator.Call> calls() {
        String sonnet = "anthropic.claude-sonnet-4-6";
        return List.of(
                call("c1", "2026-04-10T10:05:00Z", ALICE, sonnet, "ds", "complete",
                        "input", 1_000_000, "3", MP_IN, "output", 100_000, "1.5", MP_OUT,
                        "cacheRead", 200_000, "0.06", MP_CR, "cacheWrite1h", 50_000, "0.3", MP_CW1H),
                call("c2", "2026-04-10T10:20:00Z", BOB, sonnet, "ds", "complete", "input", 500_000, "1.5", MP_IN),
                call("c3", "2026-04-10T11:00:00Z", CAROL, "amazon.nova-pro-v1:0", "web", "complete",
                        "input", 2_000_000, "1.6", NOVA_IN, "output", 500_000, "1.6", NOVA_OUT),
                call("c5", "2026-04-10T13:00:00Z", ALICE, "acme.new-model-v1", "ds", "complete",
                        "input", 1_000_000, null, "USE1-AcmeNew-input-tokens"),
                call("c6", "2026-04-10T14:00:00Z", CAROL, "amazon.nova-pro-v1:0", "web", "complete", "input", 1_000_000, "0.8", NOVA_IN),
                call("c7", "2026-04-10T15:00:00Z", null, "amazon.nova-pro-v1:0", null, "none", "input", 1_000_000, "0.8", NOVA_IN));
    }

    static CurGenerator.Drift drift() {
        CurGenerator.Drift dr = new CurGenerator.Drift();
        dr.priceFactor.put(NOVA_OUT, d("1.25"));                       // price drift +0.4
        dr.unpricedRatePerM.put("USE1-AcmeNew-input-tokens", d("2"));  // unpriced +2
        dr.missing = c -> c.requestId().equals("c6") || c.requestId().equals("c7");  // c6 never billed: -0.8
        long h12 = t("2026-04-10T12:00:00Z");
        dr.extra.add(CurGenerator.usageLine(t("2026-04-10T15:00:00Z"), ACCT, NOVA_IN, 1_000_000, d("0.8"), DAVE, null)); // c7 billed to dave: identity
        dr.extra.add(CurGenerator.usageLine(h12, ACCT, "USE1-openai.gpt-oss-120b-mantle-input-tokens-standard", 1_000_000, d("0.15"), CAROL, "web"));
        dr.extra.add(CurGenerator.usageLine(h12, ACCT, "USE1-NovaPro-input-tokens-batch", 1_000_000, d("0.4"), CAROL, "web"));
        dr.extra.add(CurGenerator.usageLine(h12, ACCT, "USW2-NovaPro-input-tokens", 1_000, d("0.0008"), CAROL, "web"));
        dr.extra.add(CurGenerator.usageLine(t("2026-04-10T16:00:00Z"), ACCT, NOVA_IN, 1_000, d("0.0008"), ERIN, null));
        dr.extra.add(CurGenerator.adjustment(t("2026-04-10T10:00:00Z"), ACCT, "Credit", MP_IN, d("-0.5"), ALICE));
        dr.extra.add(CurGenerator.adjustment(t("2026-04-30T00:00:00Z"), ACCT, "EdpDiscount", "", d("-1.0"), null));
        dr.extra.add(CurGenerator.adjustment(t("2026-04-30T00:00:00Z"), ACCT, "Tax", "", d("2.0"), null));
        return dr;
    }

    record Result(int code, String out, String err, JsonNode summary, List<Map<String, String>> csv, List<JsonNode> corrections) {}

    static Result reconcile(Path cur, Path ledger, Path out, String... extra) throws Exception {
        List<String> argv = new ArrayList<>(List.of("reconcile", "--cur", cur.toString(), "--ledger", ledger.toString(),
                "--out", out.toString(), "--parallelism", "2"));
        argv.addAll(List.of(extra));
        if (!argv.contains("--as-of")) argv.addAll(List.of("--as-of", "2026-06-01T00:00:00Z"));
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = ReconcileCommand.run(argv.toArray(String[]::new), new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        String err = e.toString(StandardCharsets.UTF_8);
        if (code != 0 && code != ReconcileCommand.DRIFT) throw new AssertionError("exit " + code + ": " + err);
        ObjectMapper om = new ObjectMapper();
        JsonNode summary = om.readTree(out.resolve("summary.json").toFile());
        List<String> lines = Files.readAllLines(out.resolve("reconciliation.csv"));
        String[] head = lines.get(0).split(",");
        List<Map<String, String>> csv = new ArrayList<>();
        for (String l : lines.subList(1, lines.size())) csv.add(parseCsvLine(head, l));
        List<JsonNode> corr = new ArrayList<>();
        for (String l : Files.readAllLines(out.resolve("corrections.jsonl"))) corr.add(om.readTree(l));
        return new Result(code, o.toString(StandardCharsets.UTF_8), err, summary, csv, corr);
    }

    static Map<String, String> parseCsvLine(String[] head, String line) {
        List<String> f = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        boolean q = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (q) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') { b.append('"'); i++; }
                else if (c == '"') q = false;
                else b.append(c);
            } else if (c == '"') q = true;
            else if (c == ',') { f.add(b.toString()); b.setLength(0); }
            else b.append(c);
        }
        f.add(b.toString());
        Map<String, String> m = new HashMap<>();
        for (int i = 0; i < head.length; i++) m.put(head[i], f.get(i));
        return m;
    }

    static void assertDec(String expected, JsonNode actual, String what) {
        assertEquals(0, d(expected).compareTo(d(actual.asText())), what + ": expected " + expected + ", got " + actual.asText());
    }

    static Map<String, String> row(Result r, String principal, String usageType) {
        return r.csv().stream().filter(m -> m.get("principal").equals(principal) && m.get("usageType").equals(usageType))
                .findFirst().orElseThrow(() -> new AssertionError("no row " + principal + " " + usageType));
    }

    @Test
    void parquetWithManifestsAndARestatedMonth(@TempDir Path dir) throws Exception {
        Path ledger = dir.resolve("ledger/calls.jsonl");
        List<CurGenerator.Call> calls = calls();
        // c1-c3 written with pricing.usageTypes; the rest without, so the snapshot templates must derive them
        CurGenerator.writeLedger(ledger, calls, true);
        List<String> lines = new ArrayList<>(Files.readAllLines(ledger));
        lines.set(4, CurGenerator.ledgerLine(calls.get(4), false));
        Files.write(ledger, lines);
        // an in-progress FileSink file must be skipped
        Files.writeString(dir.resolve("ledger/.part-0-0.inprogress"), "{not json");

        Path export = dir.resolve("cur/exports/bedrock-cost");
        // first delivery (before close): stale figures that must be replaced whole, never added
        CurGenerator.Drift stale = new CurGenerator.Drift();
        stale.unpricedRatePerM.put("USE1-AcmeNew-input-tokens", d("9"));
        List<Path> old = CurGenerator.writeExport(export, "bedrock-cost", "2026-04", "20260430T000000Z",
                CurGenerator.bill(calls, stale), true, 1, true);
        // restatement after the month closed
        List<Path> restated = CurGenerator.writeExport(export, "bedrock-cost", "2026-04", "20260510T000000Z",
                CurGenerator.bill(calls, drift()), true, 2, true);
        touch(old, "2026-04-30T06:00:00Z");
        touch(restated, "2026-05-10T06:00:00Z");
        touch(List.of(export.resolve("metadata/BILLING_PERIOD=2026-04/20260430T000000Z/bedrock-cost-Manifest.json")), "2026-04-30T06:00:00Z");
        touch(List.of(export.resolve("metadata/BILLING_PERIOD=2026-04/20260510T000000Z/bedrock-cost-Manifest.json")), "2026-05-10T06:00:00Z");

        Result r = reconcile(export, dir.resolve("ledger"), dir.resolve("out"));
        assertEquals(ReconcileCommand.DRIFT, r.code(), r.out() + r.err());
        JsonNode s = r.summary();
        JsonNode byClass = s.get("differenceByClass");
        assertDec("0.4", byClass.get("price_drift"), "price drift");
        assertDec("0", byClass.get("usage_mismatch"), "usage mismatch");
        assertDec("2", byClass.get("unpriced_model"), "unpriced");
        assertDec("0.5508", byClass.get("unseen_by_live"), "mantle + batch + unlogged region");
        assertDec("-0.8", byClass.get("estimated_not_billed"), "ledger only");
        assertDec("0.0008", byClass.get("billed_not_estimated"), "CUR only");
        assertDec("0", byClass.get("identity"), "identity nets out");
        assertDec("-1.5", byClass.get("discount_credit"), "credits and discounts");
        assertDec("0.6516", s.get("totals").get("differenceUsd"), "total difference");
        assertDec("2", s.get("totals").get("taxUsd"), "tax reported, not compared");
        assertEquals(1, s.get("periods").size());
        JsonNode p = s.get("periods").get(0);
        assertEquals("20260510T000000Z", p.get("delivery").asText().isEmpty() ? "" : "20260510T000000Z");
        assertTrue(p.get("fromManifest").asBoolean());
        assertEquals(2, p.get("deliveries").asInt());
        assertTrue(p.get("restatedAfterClose").asBoolean());
        assertEquals(2, p.get("files").asInt(), "the restated delivery's two files only");

        // session principals (alice, bob) reconcile against the canonical role
        String role = "arn:aws:iam::111122223333:role/DataSci";
        Map<String, String> in = row(r, role, MP_IN);
        assertEquals("4.5", in.get("estimateUsd"));
        assertEquals("4.5", in.get("billedUsageUsd"));
        assertEquals("-0.5", in.get("adjustmentsUsd"));
        assertEquals("discount_credit", in.get("class"));
        assertEquals("1500000", in.get("billedTokens"));
        assertEquals("match", row(r, role, MP_CW1H).get("class"));
        Map<String, String> drift = row(r, CAROL, NOVA_OUT);
        assertEquals("price_drift", drift.get("class"));
        assertEquals("3.2", drift.get("estimatedRatePerM"));
        assertEquals("4", drift.get("billedRatePerM"));
        assertEquals("true", drift.get("breach"));
        assertEquals("identity", row(r, "", NOVA_IN).get("class"));
        assertEquals("identity", row(r, DAVE, NOVA_IN).get("class"));
        assertEquals("unpriced_model", row(r, role, "USE1-AcmeNew-input-tokens").get("class"));
        assertEquals("unseen_by_live", row(r, CAROL, "USE1-openai.gpt-oss-120b-mantle-input-tokens-standard").get("class"));

        JsonNode sug = s.get("priceDriftSuggestions").get(0);
        assertEquals(NOVA_OUT, sug.get("usageType").asText());
        assertEquals("3.2", sug.get("snapshotRatePerM").asText());
        assertEquals("4", sug.get("billedRatePerM").asText());

        // corrections: per call, billed share, final (April closed > 14 days before as-of)
        Map<String, JsonNode> corr = new HashMap<>();
        for (JsonNode c : r.corrections()) corr.put(c.get("requestId").asText(), c);
        assertFalse(corr.containsKey("c6"), "unbilled calls get no billed figure");
        assertDec("3.6", corr.get("c3").get("billedUsd"), "c3: 1.6 input + 2.0 output");
        assertTrue(corr.get("c3").get("reconciled").asBoolean());
        // c1 and c2 share the input key's net (4.5 - 0.5 credit) by tokens: 2/3 and 1/3
        BigDecimal c1 = d(corr.get("c1").get("billedUsd").asText());
        BigDecimal c2 = d(corr.get("c2").get("billedUsd").asText());
        assertEquals(0, c1.add(c2).compareTo(d("4.0").add(d("1.5")).add(d("0.06")).add(d("0.3"))), "shares add up exactly");

        String html = Files.readString(dir.resolve("out/report.html"));
        assertTrue(html.contains("<svg") && html.contains("price_drift") && html.contains("DataSci"));
        assertFalse(html.contains("http://") || html.contains("https://") || html.contains("<script src"), "no external assets");
    }

    @Test
    void csvGzWithinToleranceAndNotFinalInsideTheCurDelay(@TempDir Path dir) throws Exception {
        List<CurGenerator.Call> calls = calls().stream().filter(c -> !c.unpriced() && c.principalArn() != null).toList();
        Path ledger = dir.resolve("ledger/dt=2026-04-10/hour=10/part-0-0");
        CurGenerator.writeLedger(ledger, calls, true);
        Path export = dir.resolve("cur/bedrock-csv");
        CurGenerator.writeExport(export, "bedrock-csv", "2026-04", null, CurGenerator.bill(calls, new CurGenerator.Drift()), false, 2, false);

        Result ok = reconcile(export, dir.resolve("ledger"), dir.resolve("out"), "--grain", "day");
        assertEquals(0, ok.code(), ok.out() + ok.err());
        assertDec("0", ok.summary().get("totals").get("differenceUsd"), "exact match");
        assertEquals("pass", ok.summary().get("result").asText());
        assertTrue(ok.csv().stream().allMatch(m -> m.get("class").equals("match")));
        for (JsonNode c : ok.corrections()) {
            assertEquals(c.get("estimateUsd").asText(), c.get("billedUsd").asText(), c.toString());
            assertTrue(c.get("reconciled").asBoolean());
        }

        // the same data with drift, seen on the day after: inside the CUR delay, so not final and not failing
        Path export2 = dir.resolve("cur/bedrock-csv-2");
        CurGenerator.Drift dr = new CurGenerator.Drift();
        dr.priceFactor.put(NOVA_OUT, d("1.25"));
        CurGenerator.writeExport(export2, "bedrock-csv", "2026-04", null, CurGenerator.bill(calls, dr), false, 1, false);
        Result early = reconcile(export2, dir.resolve("ledger"), dir.resolve("out2"), "--as-of", "2026-04-11T12:00:00Z");
        assertEquals(0, early.code(), early.out() + early.err());
        assertDec("0.4", early.summary().get("differenceByClass").get("not_final"), "not final");
        assertTrue(early.corrections().stream().noneMatch(c -> c.get("reconciled").asBoolean()));

        // and after the delay but inside the restatement window: drift counts, corrections stay provisional
        Result mid = reconcile(export2, dir.resolve("ledger"), dir.resolve("out3"), "--as-of", "2026-05-05T00:00:00Z");
        assertEquals(ReconcileCommand.DRIFT, mid.code());
        assertDec("0.4", mid.summary().get("differenceByClass").get("price_drift"), "price drift");
        assertTrue(mid.corrections().stream().noneMatch(c -> c.get("reconciled").asBoolean()));
    }

    static void touch(List<Path> files, String when) throws Exception {
        for (Path f : files) Files.setLastModifiedTime(f, FileTime.from(Instant.parse(when)));
    }

    @Test
    void usageErrorsAndMissingInput(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        PrintStream err = new PrintStream(e, true, StandardCharsets.UTF_8);
        assertEquals(2, ReconcileCommand.run(new String[] {"reconcile", "--cur", "x"}, System.out, err));
        assertEquals(2, ReconcileCommand.run(new String[] {"reconcile", "--cur", "x", "--ledger", "y", "--out", "z", "--grain", "week"}, System.out, err));
        assertEquals(3, ReconcileCommand.run(new String[] {"reconcile", "--cur", dir.resolve("none").toString(),
                "--ledger", dir.toString(), "--out", dir.resolve("o").toString()}, System.out, err));
        try (Stream<Path> s = Files.list(dir)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().equals("o")));
        }
    }
}
