package io.bedrockspend.sinks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.bedrockspend.pricing.CallCost;
import io.bedrockspend.spend.Money;
import io.bedrockspend.spend.PricedCall;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The ledger line streamed as UTF-8 through a reused generator (calls.jsonl) must be byte for byte the
 * String form encoded as UTF-8 (ledger FileSink, Kinesis), and both the bytes the formatter produced
 * before the streaming path existed ({@link #before}, kept here verbatim as the oracle).
 */
class JsonFormatsBytesTest {
    @TempDir
    Path dir;

    @Test
    void streamedLinesAreTheBytesOfTheStringForm() throws IOException {
        List<PricedCall> calls = calls();
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (PricedCall c : calls) {
            byte[] old = before(c).getBytes(StandardCharsets.UTF_8);
            assertArrayEquals(old, JsonFormats.call(c).getBytes(StandardCharsets.UTF_8), () -> before(c));
            expected.write(old);
            expected.write('\n');
        }
        Path file = dir.resolve("calls.jsonl");
        LocalLinesFileSink.Writer<PricedCall> w = new LocalLinesFileSink.Writer<>(file, JsonFormats.CALL);
        for (int i = 0; i < calls.size(); i++) {
            w.write(calls.get(i), null);
            if (i % 7 == 0) w.flush(false);
        }
        w.flush(true);
        w.close();
        byte[] actual = Files.readAllBytes(file);
        assertEquals(new String(expected.toByteArray(), StandardCharsets.UTF_8), new String(actual, StandardCharsets.UTF_8));
        assertArrayEquals(expected.toByteArray(), actual);
    }

    /** Plain ASCII strings go into the ledger file as their bytes: every byte value at every place of every word. */
    @Test
    void stringsWrittenAsTheirBytesAreTheEscapedForm() throws IOException {
        List<String> values = new ArrayList<>();
        char[] specials = {0, 1, 0x1f, ' ', '!', '"', '#', '/', '?', '@', '\\', '~', 0x7f, 0x80, 0xe9, 0xff, 0x100, 0x2028, '\uD83D', '\uDE00'};
        for (int len = 0; len <= 19; len++) {
            for (int at = 0; at < len; at++) {
                for (char sp : specials) {
                    char[] cs = new char[len];
                    for (int k = 0; k < len; k++) cs[k] = (char) ('a' + k);
                    cs[at] = sp;
                    values.add(new String(cs));
                }
            }
            values.add("x".repeat(len));
        }
        for (int c = 0; c < 0x100; c++) values.add("ab" + (char) c + "cdefghij" + (char) c);
        for (String v : values) {
            assertEquals(v.indexOf('?') < 0 && v.chars().allMatch(ch -> ch >= 0x20 && ch < 0x7f && ch != '"' && ch != '\\'),
                    JsonFormats.plainAscii(v.getBytes(StandardCharsets.ISO_8859_1)), v);
            PricedCall c = call(v, 1_767_225_600_123L);
            c.cost = cost(CallCost.PRICED, "1", "2", "0", "0", "0");
            c.cost.total = new BigDecimal("3");
            c.principal = v;
            c.tags = new TreeMap<>(Map.of("team", v));
            byte[] old = before(c).getBytes(StandardCharsets.UTF_8);
            ByteArrayOutputStream streamed = new ByteArrayOutputStream();
            try (JsonGenerator g = JsonFormats.utf8Lines(streamed)) {
                JsonFormats.CALL.write(g, c);
            }
            assertArrayEquals(old, streamed.toByteArray(), v);
        }
    }

    @Test
    void timestampsMatchInstantToString() throws IOException {
        Random r = new Random(7);
        long[] fixed = {0, 1, 999, 1000, -1, -1000, -86_400_000L, 951_782_400_000L /* 2000-02-29 */,
                253_402_300_799_999L /* 9999-12-31T23:59:59.999 */, 253_402_300_800_000L, -62_167_219_200_000L /* 0000-01-01 */,
                -62_167_219_200_001L, Long.MAX_VALUE / 1000, Long.MIN_VALUE / 1000};
        List<Long> ms = new ArrayList<>();
        for (long m : fixed) ms.add(m);
        for (int i = 0; i < 20_000; i++) ms.add(r.nextLong() % 300_000_000_000_000L);
        for (int i = 0; i < 5_000; i++) ms.add(1_700_000_000_000L + r.nextInt(1_000_000_000) * 1000L); // whole seconds
        for (long m : ms) {
            StringWriter w = new StringWriter();
            try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
                JsonFormats.timestamp(g, m);
            }
            assertEquals('"' + Instant.ofEpochMilli(m).toString() + '"', w.toString(), "millis " + m);
        }
    }

    private static List<PricedCall> calls() {
        List<PricedCall> out = new ArrayList<>();
        PricedCall priced = call("req-1", 1_767_225_600_123L);
        priced.cost = cost(CallCost.PRICED, "0.0000300", "0.00015", "0", null, "1.5E-7");
        priced.cost.total = new BigDecimal("0.00018015000");
        priced.cost.usageTypes = new LinkedHashMap<>(Map.of("input", "USE1-Claude-input-tokens"));
        priced.inferenceRegion = "us-west-2";
        priced.principalPathArn = "arn:aws:iam::123456789012:role/teams/ml/Runner";
        priced.sourceIdentity = "alice";
        priced.onBehalfOf = "9067-abcd";
        out.add(priced);

        PricedCall unpriced = call("req-2", 1_767_225_600_000L);
        unpriced.cost = cost(CallCost.UNPRICED, null, null, null, null, null);
        unpriced.cost.reason = "no price for model";
        unpriced.tags = null;
        unpriced.tagSources = null;
        out.add(unpriced);

        PricedCall error = call("req-3", -5);
        error.errorCode = "ThrottlingException";
        error.cost = cost(CallCost.ERROR, "0", "0", "0", "0", "0");
        error.cost.total = BigDecimal.ZERO.setScale(9);
        error.inputTokens = 0;
        out.add(error);

        PricedCall text = call("req-4 \"quoted\" \\ back/slash", 253_402_300_799_999L);
        text.cost = cost(CallCost.PRICED, "12345678901234567890.123456789", "1E+3", "0.1", "0.10", "100");
        text.cost.total = new BigDecimal("12345678901234568990.423456789");
        text.principal = "arn:aws:sts::1:assumed-role/R/é中文😀 emoji";
        text.team = "ctl \u0000\u0001\b\f\n\r\t\u001f\u007f\u0080\u2028\u2029\uFEFF end";
        text.sourceIdentity = "lone high \uD800 then low \uDC00 and reversed \uDC00\uD800 end\uD83D";
        text.onBehalfOf = "\uDBFF\uDFFF max, \uD83D\uDE00\uD83D\uDE00 pair pair, </script>";
        text.tags = new TreeMap<>(Map.of("team", "ml", "cost-center", "é", "😀key", "lone\uDFFFvalue", "k\uD801", "v\n\"", "", ""));
        text.tagSources = new LinkedHashMap<>();
        text.tagSources.put("team", "session");
        text.tagSources.put("cost-center", "principal");
        text.attribution = null;
        text.errorCode = null;
        text.region = null;
        out.add(text);

        PricedCall longText = call("req-5", Long.MIN_VALUE / 1000);
        longText.cost = cost(CallCost.PRICED, "0.000001", "0.000002", "0", "0", "0");
        longText.cost.total = new BigDecimal("0.000003");
        longText.principal = "x".repeat(9_000) + "é".repeat(3_000) + "😀".repeat(3_000); // crosses generator buffers
        out.add(longText);
        return out;
    }

    private static PricedCall call(String requestId, long millis) {
        PricedCall c = new PricedCall();
        c.requestId = requestId;
        c.timestampMillis = millis;
        c.accountId = "123456789012";
        c.principal = "arn:aws:iam::123456789012:role/Runner";
        c.principalArn = "arn:aws:sts::123456789012:assumed-role/Runner/s";
        c.region = "us-east-1";
        c.operation = "InvokeModel";
        c.modelId = "anthropic.claude-3-haiku";
        c.inputTokens = 1234;
        c.outputTokens = 56;
        c.cacheReadTokens = 7;
        c.cacheWriteTokens = 8;
        c.cacheWrite5mTokens = 5;
        c.cacheWrite1hTokens = Long.MAX_VALUE;
        c.tags = new LinkedHashMap<>(Map.of("team", "ml"));
        c.tagSources = new LinkedHashMap<>(Map.of("team", "principal"));
        c.attribution = "complete";
        c.team = "ml";
        return c;
    }

    private static CallCost cost(String status, String in, String out, String read, String w5, String w1) {
        CallCost k = new CallCost();
        k.status = status;
        k.input = in == null ? null : new BigDecimal(in);
        k.output = out == null ? null : new BigDecimal(out);
        k.cacheRead = read == null ? null : new BigDecimal(read);
        k.cacheWrite5m = w5 == null ? null : new BigDecimal(w5);
        k.cacheWrite1h = w1 == null ? null : new BigDecimal(w1);
        k.snapshotId = "2026-01-01";
        k.baseModelId = "anthropic.claude-3-haiku";
        k.routingClass = "in-region";
        k.tier = "standard";
        k.contextBand = null;
        k.cacheTtlAssumed = true;
        return k;
    }

    /** JsonFormats.call as it was before the streaming path: the oracle for the bytes. */
    private static String before(PricedCall c) {
        try {
            StringWriter w = new StringWriter(512);
            try (JsonGenerator g = new JsonFactory().createGenerator(w)) {
                g.writeStartObject();
                g.writeStringField("requestId", c.requestId);
                g.writeStringField("timestamp", Instant.ofEpochMilli(c.timestampMillis).toString());
                g.writeStringField("principal", c.principal);
                g.writeStringField("principalArn", c.principalArn);
                g.writeStringField("modelId", c.modelId);
                g.writeStringField("accountId", c.accountId);
                g.writeStringField("region", c.region);
                g.writeStringField("operation", c.operation);
                if (c.inferenceRegion != null) g.writeStringField("inferenceRegion", c.inferenceRegion);
                g.writeStringField("errorCode", c.errorCode);
                g.writeObjectFieldStart("tokens");
                g.writeNumberField("input", c.inputTokens);
                g.writeNumberField("output", c.outputTokens);
                g.writeNumberField("cacheRead", c.cacheReadTokens);
                g.writeNumberField("cacheWrite", c.cacheWriteTokens);
                g.writeNumberField("cacheWrite5m", c.cacheWrite5mTokens);
                g.writeNumberField("cacheWrite1h", c.cacheWrite1hTokens);
                g.writeEndObject();
                CallCost k = c.cost;
                g.writeStringField("costUsd", Money.format(k.total));
                g.writeObjectFieldStart("cost");
                beforeMoney(g, "input", k.input);
                beforeMoney(g, "output", k.output);
                beforeMoney(g, "cacheRead", k.cacheRead);
                beforeMoney(g, "cacheWrite5m", k.cacheWrite5m);
                beforeMoney(g, "cacheWrite1h", k.cacheWrite1h);
                g.writeEndObject();
                g.writeObjectFieldStart("pricing");
                g.writeStringField("status", k.status);
                if (k.reason != null) g.writeStringField("reason", k.reason);
                g.writeStringField("snapshotId", k.snapshotId);
                g.writeStringField("baseModelId", k.baseModelId);
                g.writeStringField("routingClass", k.routingClass);
                g.writeStringField("tier", k.tier);
                g.writeStringField("contextBand", k.contextBand);
                g.writeBooleanField("cacheTtlAssumed", k.cacheTtlAssumed);
                if (k.usageTypes != null) beforeMap(g, "usageTypes", k.usageTypes);
                g.writeEndObject();
                beforeMap(g, "tags", c.tags);
                beforeMap(g, "tagSources", c.tagSources);
                g.writeStringField("attribution", c.attribution);
                if (c.principalPathArn != null) g.writeStringField("principalPathArn", c.principalPathArn);
                if (c.sourceIdentity != null) g.writeStringField("sourceIdentity", c.sourceIdentity);
                if (c.onBehalfOf != null) g.writeStringField("onBehalfOf", c.onBehalfOf);
                g.writeStringField("team", c.team);
                g.writeEndObject();
            }
            return w.toString();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void beforeMap(JsonGenerator g, String field, Map<String, String> m) throws IOException {
        g.writeObjectFieldStart(field);
        if (m != null) for (Map.Entry<String, String> e : m.entrySet()) g.writeStringField(e.getKey(), e.getValue());
        g.writeEndObject();
    }

    private static void beforeMoney(JsonGenerator g, String field, BigDecimal v) throws IOException {
        if (v == null) g.writeNullField(field);
        else g.writeStringField(field, Money.format(v));
    }
}
