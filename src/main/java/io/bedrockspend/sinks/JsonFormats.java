package io.bedrockspend.sinks;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.bedrockspend.ingest.DeadLetter;
import io.bedrockspend.pricing.CallCost;
import io.bedrockspend.spend.Money;
import io.bedrockspend.spend.PricedCall;
import io.bedrockspend.spend.TeamTotal;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/**
 * The JSON wire form of every output record. Field names and meanings are documented in
 * docs/outputs.md; money is always an exact decimal string, and null (never "0") when unpriced.
 */
public final class JsonFormats {
    private static final JsonFactory JSON = new JsonFactory();

    private JsonFormats() {}

    public static String call(PricedCall c) throws IOException {
        StringWriter w = new StringWriter(512);
        try (JsonGenerator g = JSON.createGenerator(w)) {
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
            money(g, "input", k.input);
            money(g, "output", k.output);
            money(g, "cacheRead", k.cacheRead);
            money(g, "cacheWrite5m", k.cacheWrite5m);
            money(g, "cacheWrite1h", k.cacheWrite1h);
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
            if (k.usageTypes != null) stringMap(g, "usageTypes", k.usageTypes);
            g.writeEndObject();

            stringMap(g, "tags", c.tags);
            stringMap(g, "tagSources", c.tagSources);
            g.writeStringField("attribution", c.attribution);
            if (c.principalPathArn != null) g.writeStringField("principalPathArn", c.principalPathArn);
            if (c.sourceIdentity != null) g.writeStringField("sourceIdentity", c.sourceIdentity);
            if (c.onBehalfOf != null) g.writeStringField("onBehalfOf", c.onBehalfOf);
            g.writeStringField("team", c.team);
            g.writeEndObject();
        }
        return w.toString();
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
    private static void stringMap(JsonGenerator g, String field, Map<String, String> m) throws IOException {
        g.writeObjectFieldStart(field);
        if (m != null) for (Map.Entry<String, String> e : m.entrySet()) g.writeStringField(e.getKey(), e.getValue());
        g.writeEndObject();
    }

    private static void money(JsonGenerator g, String field, BigDecimal v) throws IOException {
        if (v == null) g.writeNullField(field);
        else g.writeStringField(field, Money.format(v));
    }
}
