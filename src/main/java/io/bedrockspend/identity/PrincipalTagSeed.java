package io.bedrockspend.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Principal tags exported from IAM, keyed by canonical principal. Two file shapes are accepted
 * (see docs/principal-tags.md):
 * <ul>
 *   <li>JSON: {@code {"principals":[{"arn":"arn:aws:iam::A:role/R","tags":{"team":"x"}}]}}; {@code tags}
 *       may also be IAM's own list form {@code [{"Key":"team","Value":"x"}]} as {@code aws iam list-role-tags}
 *       prints it.</li>
 *   <li>CSV with header {@code arn,key,value}: one row per tag.</li>
 * </ul>
 */
public final class PrincipalTagSeed implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Map<String, Map<String, String>> tagsByPrincipal;

    public PrincipalTagSeed(Map<String, Map<String, String>> tagsByPrincipal) {
        Map<String, Map<String, String>> m = new TreeMap<>();
        tagsByPrincipal.forEach((arn, tags) ->
                m.merge(Principals.canonical(arn), new TreeMap<>(tags), (a, b) -> { a.putAll(b); return a; }));
        this.tagsByPrincipal = m;
    }

    public static PrincipalTagSeed empty() {
        return new PrincipalTagSeed(Map.of());
    }

    /** Tags of a canonical principal, or an empty map when the principal is not in the seed. */
    public Map<String, String> tagsOf(String canonicalPrincipal) {
        Map<String, String> t = tagsByPrincipal.get(canonicalPrincipal);
        return t == null ? Collections.emptyMap() : t;
    }

    public boolean contains(String canonicalPrincipal) {
        return tagsByPrincipal.containsKey(canonicalPrincipal);
    }

    public int size() {
        return tagsByPrincipal.size();
    }

    public Map<String, Map<String, String>> asMap() {
        return Collections.unmodifiableMap(tagsByPrincipal);
    }

    /** Reads a seed file; the shape is chosen by content (a leading '{' means JSON). */
    public static PrincipalTagSeed load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("principal-tags file not found: " + file);
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        String trimmed = text.stripLeading();
        try {
            return trimmed.startsWith("{") ? parseJson(trimmed) : parseCsv(text);
        } catch (IllegalArgumentException e) {
            throw new IOException("principal-tags file " + file + ": " + e.getMessage(), e);
        }
    }

    static PrincipalTagSeed parseJson(String json) throws IOException {
        JsonNode root = new ObjectMapper().readTree(json);
        JsonNode list = root.get("principals");
        if (list == null || !list.isArray()) {
            throw new IllegalArgumentException("expected a top-level \"principals\" array");
        }
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode p : list) {
            JsonNode arn = p.get("arn");
            if (arn == null || !arn.isTextual() || arn.asText().isEmpty()) {
                throw new IllegalArgumentException("principals[" + i + "] has no \"arn\"");
            }
            Map<String, String> tags = new TreeMap<>();
            JsonNode t = p.has("tags") ? p.get("tags") : p.get("Tags");
            if (t != null && t.isObject()) {
                for (Iterator<Map.Entry<String, JsonNode>> it = t.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    tags.put(e.getKey(), e.getValue().asText());
                }
            } else if (t != null && t.isArray()) {
                for (JsonNode kv : t) {
                    JsonNode k = kv.has("Key") ? kv.get("Key") : kv.get("key");
                    JsonNode v = kv.has("Value") ? kv.get("Value") : kv.get("value");
                    if (k == null || v == null) {
                        throw new IllegalArgumentException("principals[" + i + "].tags entry lacks Key/Value");
                    }
                    tags.put(k.asText(), v.asText());
                }
            } else if (t != null && !t.isNull()) {
                throw new IllegalArgumentException("principals[" + i + "].tags must be an object or a Key/Value list");
            }
            out.merge(arn.asText(), tags, (a, b) -> { a.putAll(b); return a; });
            i++;
        }
        return new PrincipalTagSeed(out);
    }

    static PrincipalTagSeed parseCsv(String csv) {
        List<String> lines = csv.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) return empty();
        String header = lines.get(0).trim().toLowerCase();
        if (!header.replace(" ", "").equals("arn,key,value")) {
            throw new IllegalArgumentException("CSV header must be arn,key,value (got: " + lines.get(0) + ")");
        }
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        for (int n = 1; n < lines.size(); n++) {
            List<String> cols = splitCsv(lines.get(n));
            if (cols.size() != 3) {
                throw new IllegalArgumentException("line " + (n + 1) + ": expected 3 columns, got " + cols.size());
            }
            out.computeIfAbsent(cols.get(0), k -> new TreeMap<>()).put(cols.get(1), cols.get(2));
        }
        return new PrincipalTagSeed(out);
    }

    /** RFC 4180 field split for one line (quoted fields may contain commas and doubled quotes). */
    static List<String> splitCsv(String line) {
        List<String> out = new java.util.ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') { cur.append('"'); i++; }
                else if (c == '"') quoted = false;
                else cur.append(c);
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(cur.toString().trim()); cur.setLength(0);
            } else {
                cur.append(c);
            }
        }
        out.add(cur.toString().trim());
        return out;
    }

    /** The JSON form of this seed (what {@link #load} reads back). */
    public String toJson() {
        ObjectMapper om = new ObjectMapper();
        ObjectNode root = om.createObjectNode();
        var arr = root.putArray("principals");
        tagsByPrincipal.forEach((arn, tags) -> {
            ObjectNode p = arr.addObject();
            p.put("arn", arn);
            ObjectNode t = p.putObject("tags");
            tags.forEach(t::put);
        });
        try {
            return om.writerWithDefaultPrettyPrinter().writeValueAsString(root);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
