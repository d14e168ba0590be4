package io.bedrockspend.pricing.pricelist;

/**
 * A Price List row that did not become a rate, with why.
 *
 * @param category {@code excluded} (understood, deliberately not priced per token: reserved,
 *     provisioned, customization, media), {@code unclassified} (usage type shape unknown),
 *     {@code unmapped} (model name not in the alias table) or {@code rejected} (classified but
 *     unusable: unknown unit, tiered dimensions, region mismatch, conflicting twin prices, ...)
 */
public record ReportedRow(
        String category,
        String reason,
        String serviceCode,
        String region,
        String sku,
        String usageType,
        String feature,
        String inferenceType,
        String model,
        String serviceName,
        String unit,
        String usd) {

    public static final String EXCLUDED = "excluded";
    public static final String UNCLASSIFIED = "unclassified";
    public static final String UNMAPPED = "unmapped";
    public static final String REJECTED = "rejected";

    static ReportedRow of(String category, String reason, String serviceCode, String region, PriceListProduct p) {
        String unit = null;
        String usd = null;
        if (p != null && p.onDemand().size() == 1 && p.onDemand().get(0).dimensions().size() == 1) {
            unit = p.onDemand().get(0).dimensions().get(0).unit();
            usd = p.onDemand().get(0).dimensions().get(0).usd();
        }
        return new ReportedRow(category, reason, serviceCode, region, p == null ? null : p.sku(),
                p == null ? null : p.usageType(), p == null ? null : p.attribute("feature"),
                p == null ? null : p.attribute("inferenceType"), p == null ? null : p.attribute("model"),
                p == null ? null : p.attribute("servicename"), unit, usd);
    }
}
