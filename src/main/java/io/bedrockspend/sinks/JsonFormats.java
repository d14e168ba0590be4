package io.bedrockspend.sinks;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.core.json.UTF8JsonGenerator;
import io.bedrockspend.ingest.DeadLetter;
import io.bedrockspend.pricing.CallCost;
import io.bedrockspend.spend.Money;
import io.bedrockspend.spend.PricedCall;
import io.bedrockspend.spend.TeamTotal;

import java.io.IOException;
import java.io.OutputStream;
import java.io.StringWriter;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.math.BigDecimal;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;

/**
 * The JSON wire form of every output record. Field names and meanings are documented in
 * docs/outputs.md; money is always an exact decimal string, and null (never "0") when unpriced.
 */
public final class JsonFormats {
    // Combining surrogate pairs makes the UTF-8 generator write a supplementary character as its 4 UTF-8
    // bytes, as encoding the String form does, instead of two \\u escapes.
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8).build();

    private JsonFormats() {}

    /** Ledger lines: {@link #writeCall} as a line formatter, for sinks that stream bytes. */
    public static final JsonLineFormatter<PricedCall> CALL = JsonFormats::writeCall;

    public static String call(PricedCall c) throws IOException {
        return text(CALL, c);
    }

    /** The String form of a {@link JsonLineFormatter}'s record. */
    static <T> String text(JsonLineFormatter<T> f, T value) throws IOException {
        StringWriter w = new StringWriter(512);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            f.write(g, value);
        }
        return w.toString();
    }

    /**
     * A generator for a stream of UTF-8 lines: it never closes {@code out}, and writes no separator
     * between root values (the caller writes the newline).
     */
    static JsonGenerator utf8Lines(OutputStream out) throws IOException {
        JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8);
        g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        g.setRootValueSeparator(null);
        return g;
    }

    // Field names pre-encoded once: the generator copies their quoted bytes/chars instead of encoding each call.
    private static final SerializedString REQUEST_ID = new SerializedString("requestId");
    private static final SerializedString TIMESTAMP = new SerializedString("timestamp");
    private static final SerializedString PRINCIPAL = new SerializedString("principal");
    private static final SerializedString PRINCIPAL_ARN = new SerializedString("principalArn");
    private static final SerializedString MODEL_ID = new SerializedString("modelId");
    private static final SerializedString ACCOUNT_ID = new SerializedString("accountId");
    private static final SerializedString REGION = new SerializedString("region");
    private static final SerializedString OPERATION = new SerializedString("operation");
    private static final SerializedString INFERENCE_REGION = new SerializedString("inferenceRegion");
    private static final SerializedString ERROR_CODE = new SerializedString("errorCode");
    private static final SerializedString TOKENS = new SerializedString("tokens");
    private static final SerializedString INPUT = new SerializedString("input");
    private static final SerializedString OUTPUT = new SerializedString("output");
    private static final SerializedString CACHE_READ = new SerializedString("cacheRead");
    private static final SerializedString CACHE_WRITE = new SerializedString("cacheWrite");
    private static final SerializedString CACHE_WRITE_5M = new SerializedString("cacheWrite5m");
    private static final SerializedString CACHE_WRITE_1H = new SerializedString("cacheWrite1h");
    private static final SerializedString COST_USD = new SerializedString("costUsd");
    private static final SerializedString COST = new SerializedString("cost");
    private static final SerializedString PRICING = new SerializedString("pricing");
    private static final SerializedString STATUS = new SerializedString("status");
    private static final SerializedString REASON = new SerializedString("reason");
    private static final SerializedString SNAPSHOT_ID = new SerializedString("snapshotId");
    private static final SerializedString BASE_MODEL_ID = new SerializedString("baseModelId");
    private static final SerializedString ROUTING_CLASS = new SerializedString("routingClass");
    private static final SerializedString TIER = new SerializedString("tier");
    private static final SerializedString CONTEXT_BAND = new SerializedString("contextBand");
    private static final SerializedString CACHE_TTL_ASSUMED = new SerializedString("cacheTtlAssumed");
    private static final SerializedString USAGE_TYPES = new SerializedString("usageTypes");
    private static final SerializedString TAGS = new SerializedString("tags");
    private static final SerializedString TAG_SOURCES = new SerializedString("tagSources");
    private static final SerializedString ATTRIBUTION = new SerializedString("attribution");
    private static final SerializedString PRINCIPAL_PATH_ARN = new SerializedString("principalPathArn");
    private static final SerializedString SOURCE_IDENTITY = new SerializedString("sourceIdentity");
    private static final SerializedString ON_BEHALF_OF = new SerializedString("onBehalfOf");
    private static final SerializedString TEAM = new SerializedString("team");

    /** One ledger record: the one definition of its JSON shape. */
    public static void writeCall(JsonGenerator g, PricedCall c) throws IOException {
        g.writeStartObject();
        string(g, REQUEST_ID, c.requestId);
        g.writeFieldName(TIMESTAMP);
        timestamp(g, c.timestampMillis);
        string(g, PRINCIPAL, c.principal);
        string(g, PRINCIPAL_ARN, c.principalArn);
        string(g, MODEL_ID, c.modelId);
        string(g, ACCOUNT_ID, c.accountId);
        string(g, REGION, c.region);
        string(g, OPERATION, c.operation);
        if (c.inferenceRegion != null) string(g, INFERENCE_REGION, c.inferenceRegion);
        string(g, ERROR_CODE, c.errorCode);

        g.writeFieldName(TOKENS);
        g.writeStartObject();
        number(g, INPUT, c.inputTokens);
        number(g, OUTPUT, c.outputTokens);
        number(g, CACHE_READ, c.cacheReadTokens);
        number(g, CACHE_WRITE, c.cacheWriteTokens);
        number(g, CACHE_WRITE_5M, c.cacheWrite5mTokens);
        number(g, CACHE_WRITE_1H, c.cacheWrite1hTokens);
        g.writeEndObject();

        CallCost k = c.cost;
        money(g, COST_USD, k.total);
        g.writeFieldName(COST);
        g.writeStartObject();
        money(g, INPUT, k.input);
        money(g, OUTPUT, k.output);
        money(g, CACHE_READ, k.cacheRead);
        money(g, CACHE_WRITE_5M, k.cacheWrite5m);
        money(g, CACHE_WRITE_1H, k.cacheWrite1h);
        g.writeEndObject();

        g.writeFieldName(PRICING);
        g.writeStartObject();
        string(g, STATUS, k.status);
        if (k.reason != null) string(g, REASON, k.reason);
        string(g, SNAPSHOT_ID, k.snapshotId);
        string(g, BASE_MODEL_ID, k.baseModelId);
        string(g, ROUTING_CLASS, k.routingClass);
        string(g, TIER, k.tier);
        string(g, CONTEXT_BAND, k.contextBand);
        g.writeFieldName(CACHE_TTL_ASSUMED);
        g.writeBoolean(k.cacheTtlAssumed);
        if (k.usageTypes != null) stringMap(g, USAGE_TYPES, k.usageTypes);
        g.writeEndObject();

        stringMap(g, TAGS, c.tags);
        stringMap(g, TAG_SOURCES, c.tagSources);
        string(g, ATTRIBUTION, c.attribution);
        if (c.principalPathArn != null) string(g, PRINCIPAL_PATH_ARN, c.principalPathArn);
        if (c.sourceIdentity != null) string(g, SOURCE_IDENTITY, c.sourceIdentity);
        if (c.onBehalfOf != null) string(g, ON_BEHALF_OF, c.onBehalfOf);
        string(g, TEAM, c.team);
        g.writeEndObject();
    }

    public static String deadLetter(DeadLetter d) throws IOException {
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("reason", d.reason);
            g.writeStringField("detail", d.detail);
            g.writeStringField("origin", d.origin);
            g.writeStringField("position", d.position);
            g.writeStringField("recordId", d.recordId);
            g.writeEndObject();
        }
        return w.toString();
    }

    public static String unmetered(io.bedrockspend.identity.UnmeteredCall u) throws IOException {
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("requestId", u.requestId);
            g.writeStringField("timestamp", Instant.ofEpochMilli(u.eventTimeMillis).toString());
            g.writeStringField("principal", u.principal);
            g.writeStringField("principalArn", u.principalArn);
            g.writeStringField("eventName", u.eventName);
            g.writeStringField("modelId", u.modelId);
            g.writeStringField("region", u.region);
            g.writeStringField("accountId", u.accountId);
            g.writeEndObject();
        }
        return w.toString();
    }

    /** One live spend update: the current value of a series for a minute or a billing month, versioned. */
    public static String spendUpdate(io.bedrockspend.spend.SpendUpdate u) throws IOException {
        StringWriter w = new StringWriter(320);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("dimension", u.dimension);
            g.writeStringField("key", u.key);
            g.writeStringField("period", u.period);
            g.writeStringField("periodStart", Instant.ofEpochMilli(u.periodStartMillis).toString());
            g.writeNumberField("version", u.version);
            g.writeBooleanField("late", u.late);
            g.writeStringField("completeUpTo", u.completeUpToMillis <= 0 ? null : Instant.ofEpochMilli(u.completeUpToMillis).toString());
            g.writeStringField("costUsd", Money.format(u.totals.costUsd));
            g.writeNumberField("calls", u.totals.calls);
            g.writeNumberField("unpricedCalls", u.totals.unpricedCalls);
            g.writeNumberField("errorCalls", u.totals.errorCalls);
            g.writeObjectFieldStart("tokens");
            g.writeNumberField("input", u.totals.inputTokens);
            g.writeNumberField("output", u.totals.outputTokens);
            g.writeNumberField("cacheRead", u.totals.cacheReadTokens);
            g.writeNumberField("cacheWrite", u.totals.cacheWriteTokens);
            g.writeEndObject();
            g.writeEndObject();
        }
        return w.toString();
    }

    public static String teamTotal(TeamTotal t) throws IOException {
        StringWriter w = new StringWriter(256);
        try (JsonGenerator g = JSON.createGenerator(w)) {
            g.writeStartObject();
            g.writeStringField("team", t.team);
            g.writeNumberField("calls", t.calls);
            g.writeStringField("costUsd", Money.format(t.costUsd));
            g.writeNumberField("unpricedCalls", t.unpricedCalls);
            g.writeNumberField("errorCalls", t.errorCalls);
            g.writeEndObject();
        }
        return w.toString();
    }

    /** An object of strings; an empty object for null (the field is always present). */
    private static void stringMap(JsonGenerator g, SerializedString field, Map<String, String> m) throws IOException {
        g.writeFieldName(field);
        g.writeStartObject();
        if (m != null && !m.isEmpty()) {
            for (Map.Entry<String, String> e : m.entrySet()) {
                g.writeFieldName(wellFormed(e.getKey()));
                stringValue(g, e.getValue());
            }
        }
        g.writeEndObject();
    }

    private static void string(JsonGenerator g, SerializedString field, String v) throws IOException {
        g.writeFieldName(field);
        stringValue(g, v);
    }

    /**
     * A string value. Into a UTF-8 generator (the ledger files), a plain ASCII string, the common case (ARNs,
     * ids, tags), goes in as its bytes: Jackson's per-char escaping and the surrogate check are for the rest.
     */
    private static void stringValue(JsonGenerator g, String v) throws IOException {
        if (v != null && g instanceof UTF8JsonGenerator && g.getCharacterEscapes() == null) {
            byte[] b = v.getBytes(StandardCharsets.ISO_8859_1); // a plain copy for a Latin-1 string
            if (plainAscii(b)) {
                g.writeRawUTF8String(b, 0, b.length);
                return;
            }
        }
        g.writeString(wellFormed(v));
    }

    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGH_BITS = 0x8080808080808080L;

    /**
     * Every byte of {@code b} is printable ASCII (0x20-0x7E) that JSON writes as is: no '"' or '\\'; and no '?',
     * which is also what the Latin-1 encoder writes for a char it cannot map (any char above 0xFF), so a
     * string with one is left to the general path. 8 bytes at a time: the classic has-zero/has-less tests,
     * exact as a whole (a false flag only ever sits above a true one).
     */
    static boolean plainAscii(byte[] b) {
        int i = 0;
        for (int end = b.length - 7; i < end; i += 8) {
            long w = (long) LONGS.get(b, i);
            long quote = w ^ 0x2222222222222222L;
            long slash = w ^ 0x5C5C5C5C5C5C5C5CL;
            long qmark = w ^ 0x3F3F3F3F3F3F3F3FL;
            long bad = w | (w + ONES) // >= 0x80, or 0x7F
                    | ((w - 0x2020202020202020L) & ~w) // < 0x20
                    | ((quote - ONES) & ~quote) | ((slash - ONES) & ~slash) | ((qmark - ONES) & ~qmark);
            if ((bad & HIGH_BITS) != 0) return false;
        }
        for (; i < b.length; i++) {
            byte c = b[i];
            if (c < 0x20 || c == 0x7F || c == '"' || c == '\\' || c == '?') return false; // bytes >= 0x80 are negative
        }
        return true;
    }

    private static void number(JsonGenerator g, SerializedString field, long v) throws IOException {
        g.writeFieldName(field);
        g.writeNumber(v);
    }

    private static void money(JsonGenerator g, SerializedString field, BigDecimal v) throws IOException {
        g.writeFieldName(field);
        if (v == null) {
            g.writeNull();
            return;
        }
        // Money.format's text, straight from chars: no BigDecimal or String temporaries per amount
        char[] buf = new char[Money.MAX_FAST_CHARS];
        int n = Money.formatInto(v, buf);
        if (n >= 0) g.writeString(buf, 0, n);
        else g.writeString(Money.format(v));
    }

    /**
     * {@code s} with each unpaired surrogate replaced by '?': what UTF-8 encoding of the String form
     * has always produced, whereas Jackson's UTF-8 generator would write a JSON \\u escape.
     * Returns {@code s} itself (no copy) in the usual case.
     */
    static String wellFormed(String s) {
        if (s == null) return null;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            if (Character.isSurrogate(s.charAt(i))) return replaceLoneSurrogates(s, i);
        }
        return s;
    }

    private static String replaceLoneSurrogates(String s, int from) {
        char[] cs = s.toCharArray();
        for (int i = from; i < cs.length; i++) {
            char ch = cs[i];
            if (Character.isHighSurrogate(ch) && i + 1 < cs.length && Character.isLowSurrogate(cs[i + 1])) i++;
            else if (Character.isSurrogate(ch)) cs[i] = '?';
        }
        return new String(cs);
    }

    /**
     * {@link Instant#toString} of an epoch-millisecond instant ({@code 2026-01-02T03:04:05.678Z}, the
     * fraction left out when zero), without its formatter and temporaries; years outside 0000..9999,
     * which ISO_INSTANT prints differently, go through Instant itself.
     */
    static void timestamp(JsonGenerator g, long millis) throws IOException {
        long days = Math.floorDiv(millis, 86_400_000L);
        int msOfDay = (int) Math.floorMod(millis, 86_400_000L);
        // civil-from-days (H. Hinnant): proleptic Gregorian, as java.time uses
        long z = days + 719_468;
        long era = Math.floorDiv(z, 146_097);
        long doe = z - era * 146_097;
        long yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        long mp = (5 * doy + 2) / 153;
        int day = (int) (doy - (153 * mp + 2) / 5 + 1);
        int month = (int) (mp < 10 ? mp + 3 : mp - 9);
        long year = yoe + era * 400 + (month <= 2 ? 1 : 0);
        if (year < 0 || year > 9999) {
            g.writeString(Instant.ofEpochMilli(millis).toString());
            return;
        }
        char[] b = new char[24];
        digits(b, 0, (int) year, 4);
        b[4] = '-';
        digits(b, 5, month, 2);
        b[7] = '-';
        digits(b, 8, day, 2);
        b[10] = 'T';
        digits(b, 11, msOfDay / 3_600_000, 2);
        b[13] = ':';
        digits(b, 14, msOfDay / 60_000 % 60, 2);
        b[16] = ':';
        digits(b, 17, msOfDay / 1000 % 60, 2);
        int len = 19;
        int ms = msOfDay % 1000;
        if (ms != 0) {
            b[len++] = '.';
            digits(b, len, ms, 3);
            len += 3;
        }
        b[len++] = 'Z';
        g.writeString(b, 0, len);
    }

    private static void digits(char[] b, int at, int v, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            b[i] = (char) ('0' + v % 10);
            v /= 10;
        }
    }
}
