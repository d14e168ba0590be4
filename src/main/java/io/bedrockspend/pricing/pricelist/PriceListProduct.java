package io.bedrockspend.pricing.pricelist;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One element of a {@code GetProducts} {@code PriceList}: a JSON <em>string</em> holding {@code
 * product}, {@code terms}, {@code serviceCode}, {@code version} and {@code publicationDate}
 * (formats.md §7.1). Prices stay the decimal strings they were sent as.
 */
public record PriceListProduct(
        String sku,
        String serviceCode,
        String productFamily,
        Map<String, String> attributes,
        List<Term> onDemand,
        boolean hasReservedTerms,
        String version,
        String publicationDate,
        String raw) {

    /** One OnDemand term. */
    public record Term(String offerTermCode, String effectiveDate, List<Dimension> dimensions) {}

    /** One price dimension; {@code usd} is the exact string from the offer. */
    public record Dimension(String rateCode, String unit, String usd, String description, String beginRange,
            String endRange) {}

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    public String attribute(String name) {
        String v = attributes.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    public String usageType() {
        return attribute("usagetype");
    }

    /** Parses one PriceList string. Throws with the reason when it is not a product document. */
    public static PriceListProduct parse(String json) throws IOException {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IOException("PriceList element is not JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException("PriceList element is not a JSON object");
        }
        JsonNode product = root.path("product");
        String sku = text(product.get("sku"));
        if (sku == null) {
            throw new IOException("PriceList element has no product.sku");
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = product.path("attributes").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            attributes.put(e.getKey(), e.getValue().isNull() ? null : e.getValue().asText());
        }
        List<Term> onDemand = new ArrayList<>();
        for (Iterator<JsonNode> terms = root.path("terms").path("OnDemand").elements(); terms.hasNext(); ) {
            JsonNode t = terms.next();
            List<Dimension> dims = new ArrayList<>();
            for (Iterator<JsonNode> ds = t.path("priceDimensions").elements(); ds.hasNext(); ) {
                JsonNode d = ds.next();
                JsonNode usd = d.path("pricePerUnit").get("USD");
                dims.add(new Dimension(text(d.get("rateCode")), text(d.get("unit")),
                        usd == null || usd.isNull() ? null : usd.asText(), text(d.get("description")),
                        text(d.get("beginRange")), text(d.get("endRange"))));
            }
            onDemand.add(new Term(text(t.get("offerTermCode")), text(t.get("effectiveDate")), List.copyOf(dims)));
        }
        boolean reserved = root.path("terms").has("Reserved") && root.path("terms").path("Reserved").size() > 0;
        String serviceCode = text(root.get("serviceCode"));
        if (serviceCode == null) {
            serviceCode = attributes.get("servicecode");
        }
        return new PriceListProduct(sku, serviceCode, text(product.get("productFamily")),
                java.util.Collections.unmodifiableMap(attributes), List.copyOf(onDemand), reserved,
                text(root.get("version")), text(root.get("publicationDate")), json);
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }
}
