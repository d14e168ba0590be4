package io.bedrockspend.pricing.pricelist;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The maintained table from Price List model names to Bedrock model ids
 * ({@code src/main/resources/pricing/model-aliases.json}). The usage type never contains the model
 * id for first-party and Marketplace rows, so this map is unavoidable (pricing.md §7.5). Names are
 * matched exactly (case and spacing folded), never by prefix: "Claude Sonnet 4" must not catch
 * "Claude Sonnet 4.5".
 */
public final class ModelAliases {
    public static final String RESOURCE = "/pricing/model-aliases.json";
    /** Marketplace {@code servicename} suffix; the rest is the display name. */
    public static final String EDITION_SUFFIX = " (Amazon Bedrock Edition)";

    /** One model of the table. */
    public record Model(String modelId, List<String> names, List<String> usageTypeModels,
            boolean regionalPremium, Long longContextThresholdTokens, LocalDate retiredOn, String notes) {}

    static final class Json {
        public String comment;
        public List<ModelJson> models;
    }

    static final class ModelJson {
        public String modelId;
        public List<String> names;
        public List<String> usageTypeModels;
        public Boolean regionalPremium;
        public Long longContextThresholdTokens;
        public String retiredOn;
        public String notes;
    }

    private final List<Model> models;
    private final Map<String, Model> byName;
    private final Map<String, Model> byUsageTypeModel;
    private final Map<String, Model> byId;

    private ModelAliases(List<Model> models) throws IOException {
        this.models = List.copyOf(models);
        Map<String, Model> names = new HashMap<>();
        Map<String, Model> utm = new HashMap<>();
        Map<String, Model> ids = new HashMap<>();
        for (Model m : models) {
            if (ids.put(m.modelId(), m) != null) {
                throw new IOException("model alias table: model " + m.modelId() + " listed twice");
            }
            for (String n : m.names()) {
                Model prior = names.put(fold(n), m);
                if (prior != null && prior != m) {
                    throw new IOException("model alias table: name '" + n + "' maps to both " + prior.modelId()
                            + " and " + m.modelId());
                }
            }
            for (String u : m.usageTypeModels()) {
                Model prior = utm.put(u, m);
                if (prior != null) {
                    throw new IOException("model alias table: usage-type model '" + u + "' maps to both "
                            + prior.modelId() + " and " + m.modelId());
                }
            }
        }
        this.byName = Collections.unmodifiableMap(names);
        this.byUsageTypeModel = Collections.unmodifiableMap(utm);
        this.byId = Collections.unmodifiableMap(ids);
    }

    /** The bundled table. */
    public static ModelAliases bundled() throws IOException {
        try (InputStream in = ModelAliases.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("model alias table " + RESOURCE + " is not on the classpath");
            }
            return parse(in.readAllBytes(), "classpath:" + RESOURCE);
        }
    }

    public static ModelAliases load(Path file) throws IOException {
        return parse(Files.readAllBytes(file), file.toString());
    }

    static ModelAliases parse(byte[] bytes, String where) throws IOException {
        ObjectMapper om = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        Json json;
        try {
            json = om.readValue(bytes, Json.class);
        } catch (IOException e) {
            throw new IOException(where + ": " + e.getMessage(), e);
        }
        if (json == null || json.models == null || json.models.isEmpty()) {
            throw new IOException(where + ": no models");
        }
        List<Model> models = new ArrayList<>();
        for (ModelJson m : json.models) {
            if (m.modelId == null || m.modelId.isBlank()) {
                throw new IOException(where + ": a model without modelId");
            }
            LocalDate retired = null;
            if (m.retiredOn != null) {
                try {
                    retired = LocalDate.parse(m.retiredOn);
                } catch (DateTimeParseException e) {
                    throw new IOException(where + ": " + m.modelId + ": retiredOn '" + m.retiredOn + "' is not a date");
                }
            }
            models.add(new Model(m.modelId, m.names == null ? List.of() : List.copyOf(m.names),
                    m.usageTypeModels == null ? List.of() : List.copyOf(m.usageTypeModels),
                    Boolean.TRUE.equals(m.regionalPremium), m.longContextThresholdTokens, retired, m.notes));
        }
        try {
            return new ModelAliases(models);
        } catch (IOException e) {
            throw new IOException(where + ": " + e.getMessage(), e);
        }
    }

    public List<Model> models() {
        return models;
    }

    public Model byId(String modelId) {
        return byId.get(modelId);
    }

    /** A Price List {@code model}/{@code titanModel} value or Marketplace display name; null if unknown. */
    public Model byName(String name) {
        return name == null ? null : byName.get(fold(name));
    }

    /** A model id embedded in a mantle usage type ({@code openai.gpt-oss-120b}); null if unknown. */
    public Model byUsageTypeModel(String token) {
        return token == null ? null : byUsageTypeModel.get(token);
    }

    static String fold(String s) {
        return s.trim().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
    }
}
