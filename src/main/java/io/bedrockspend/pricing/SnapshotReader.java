package io.bedrockspend.pricing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Reads and validates one snapshot file (format described in docs/pricing-snapshots.md). Every
 * problem is an {@link IOException} whose message starts with the file name.
 */
final class SnapshotReader {
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private SnapshotReader() {}

    /** JSON shape of a snapshot file; bound strictly (unknown fields are errors). */
    static final class SnapshotJson {
        public Integer formatVersion;
        public String snapshotId;
        public String effectiveFrom;
        public String publishedAt;
        public String source;
        public String description;
        public List<EntryJson> entries;
    }

    /** JSON shape of one entry. */
    static final class EntryJson {
        public String model;
        public List<String> aliases;
        public String routingClass;
        public String regionScope;
        public String tier;
        public String contextBand;
        public Long longContextThresholdTokens;
        public String effectiveFrom;
        public String effectiveTo;
        public Map<String, JsonNode> ratesPerMillionTokens;
        public Map<String, String> usageTypes;
        public List<String> source;
        public List<String> sourceRows;
        public String notes;
    }

    static PricingSnapshot read(Path file) throws IOException {
        return read(file, true);
    }

    /** As {@link #read(Path)}; without the overlap check when {@code checkOverlaps} is false (validation tools). */
    static PricingSnapshot read(Path file, boolean checkOverlaps) throws IOException {
        return parse(Files.readAllBytes(file), file.toString(), checkOverlaps);
    }

    /** Parses a snapshot from its bytes; {@code name} names it in error messages. */
    static PricingSnapshot parse(byte[] content, String name, boolean checkOverlaps) throws IOException {
        JsonNode tree;
        try {
            tree = MAPPER.readTree(content);
        } catch (JsonProcessingException e) {
            throw new IOException(name + ": invalid JSON: " + e.getOriginalMessage(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new IOException(name + ": not a JSON object");
        }
        // Check the version before binding, so a future format fails with a clear message.
        JsonNode version = tree.get("formatVersion");
        if (version == null || !version.isInt()) {
            throw new IOException(name + ": missing or non-integer formatVersion");
        }
        if (version.intValue() != PricingSnapshot.FORMAT_VERSION) {
            throw new IOException(name + ": unsupported formatVersion " + version.intValue()
                    + " (this build reads " + PricingSnapshot.FORMAT_VERSION + ")");
        }
        SnapshotJson json;
        try {
            json = MAPPER.treeToValue(tree, SnapshotJson.class);
        } catch (JsonProcessingException e) {
            throw new IOException(name + ": " + e.getOriginalMessage(), e);
        }
        return toSnapshot(json, name, checkOverlaps);
    }

    private static PricingSnapshot toSnapshot(SnapshotJson json, String file, boolean checkOverlaps) throws IOException {
        String snapshotId = required(json.snapshotId, "snapshotId", file);
        LocalDate effectiveFrom = date(required(json.effectiveFrom, "effectiveFrom", file), "effectiveFrom", file);
        String publishedAt = required(json.publishedAt, "publishedAt", file);
        String source = required(json.source, "source", file);
        if (json.entries == null) {
            throw new IOException(file + ": missing entries");
        }
        List<PriceEntry> entries = new ArrayList<>(json.entries.size());
        for (int i = 0; i < json.entries.size(); i++) {
            entries.add(toEntry(json.entries.get(i), file + ": entry #" + (i + 1)));
        }
        PricingSnapshot snapshot = new PricingSnapshot(PricingSnapshot.FORMAT_VERSION, snapshotId,
                effectiveFrom, publishedAt, source, entries, file);
        String problem = checkOverlaps ? PriceBook.overlapProblem(snapshot) : null;
        if (problem != null) {
            throw new IOException(file + ": " + problem);
        }
        return snapshot;
    }

    private static PriceEntry toEntry(EntryJson e, String where) throws IOException {
        if (e == null) {
            throw new IOException(where + ": null entry");
        }
        String model = required(e.model, "model", where);
        where = where + " (" + model + ")";
        RoutingClass routing = RoutingClass.fromWire(required(e.routingClass, "routingClass", where));
        if (routing == null) {
            throw new IOException(where + ": routingClass must be global or regional, got '" + e.routingClass + "'");
        }
        String scope = required(e.regionScope, "regionScope", where);
        if (!RegionGeo.isGeoOrAny(scope) && !looksLikeRegion(scope)) {
            throw new IOException(where + ": regionScope '" + scope + "' is neither *, a geo "
                    + RegionGeo.GEOS + " nor a region code");
        }
        Tier tier = Tier.fromWire(required(e.tier, "tier", where));
        if (tier == null) {
            throw new IOException(where + ": unknown tier '" + e.tier + "'");
        }
        ContextBand band = ContextBand.fromWire(required(e.contextBand, "contextBand", where));
        if (band == null) {
            throw new IOException(where + ": contextBand must be standard or long, got '" + e.contextBand + "'");
        }
        long threshold = 0;
        if (band == ContextBand.LONG) {
            threshold = e.longContextThresholdTokens == null
                    ? ContextBand.DEFAULT_LONG_THRESHOLD_TOKENS : e.longContextThresholdTokens;
            if (threshold <= 0) {
                throw new IOException(where + ": longContextThresholdTokens must be positive");
            }
        } else if (e.longContextThresholdTokens != null) {
            throw new IOException(where + ": longContextThresholdTokens is only allowed on a long entry");
        }
        LocalDate from = e.effectiveFrom == null ? null : date(e.effectiveFrom, "effectiveFrom", where);
        LocalDate to = e.effectiveTo == null ? null : date(e.effectiveTo, "effectiveTo", where);
        if (from != null && to != null && !from.isBefore(to)) {
            throw new IOException(where + ": effectiveFrom " + from + " is not before effectiveTo " + to);
        }
        return new PriceEntry(model, e.aliases, routing, scope, tier, band, threshold, from, to,
                rates(e.ratesPerMillionTokens, where), usageTypes(e.usageTypes, where), e.source,
                e.notes);
    }

    private static RateCard rates(Map<String, JsonNode> json, String where) throws IOException {
        if (json == null || json.isEmpty()) {
            throw new IOException(where + ": ratesPerMillionTokens is missing or empty");
        }
        Map<TokenKind, BigDecimal> rates = new EnumMap<>(TokenKind.class);
        for (Map.Entry<String, JsonNode> r : json.entrySet()) {
            TokenKind kind = kind(r.getKey(), where);
            JsonNode v = r.getValue();
            // Strings only: a JSON number may already have passed through a binary double elsewhere.
            if (v == null || !v.isTextual()) {
                throw new IOException(where + ": rate " + r.getKey() + " must be a decimal string, got " + v);
            }
            BigDecimal rate;
            try {
                rate = new BigDecimal(v.textValue().trim());
            } catch (NumberFormatException ex) {
                throw new IOException(where + ": rate " + r.getKey() + " '" + v.textValue() + "' is not a decimal number");
            }
            if (rate.signum() <= 0) {
                throw new IOException(where + ": rate " + r.getKey() + " '" + v.textValue() + "' must be positive");
            }
            rates.put(kind, rate);
        }
        return RateCard.of(rates);
    }

    private static Map<TokenKind, String> usageTypes(Map<String, String> json, String where) throws IOException {
        Map<TokenKind, String> out = new EnumMap<>(TokenKind.class);
        if (json != null) {
            for (Map.Entry<String, String> u : json.entrySet()) {
                if (u.getValue() == null || u.getValue().isBlank()) {
                    throw new IOException(where + ": usageTypes." + u.getKey() + " is blank");
                }
                out.put(kind(u.getKey(), where), u.getValue());
            }
        }
        return out;
    }

    private static TokenKind kind(String key, String where) throws IOException {
        TokenKind kind = TokenKind.fromWire(key);
        if (kind == null) {
            throw new IOException(where + ": unknown token kind '" + key
                    + "' (expected input, output, cacheRead, cacheWrite5m, cacheWrite1h)");
        }
        return kind;
    }

    private static boolean looksLikeRegion(String s) {
        int dash = s.indexOf('-');
        return dash > 0 && Character.isDigit(s.charAt(s.length() - 1));
    }

    private static String required(String value, String field, String where) throws IOException {
        if (value == null || value.isBlank()) {
            throw new IOException(where + ": missing " + field);
        }
        return value;
    }

    private static LocalDate date(String value, String field, String where) throws IOException {
        try {
            return LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw new IOException(where + ": " + field + " '" + value + "' is not a date (YYYY-MM-DD)");
        }
    }
}
