package io.bedrockspend.pricing.pricelist;

import io.bedrockspend.pricing.RoutingClass;
import io.bedrockspend.pricing.Tier;
import io.bedrockspend.pricing.TokenKind;

/**
 * What a Price List usage type means. {@link Status#TOKEN} rows are priced; {@link Status#EXCLUDED}
 * rows are understood but deliberately not priced per token (reserved, provisioned, customization,
 * media); {@link Status#UNCLASSIFIED} rows have a shape we do not know and are reported, never
 * guessed.
 *
 * @param billingCode the usage type's billing region prefix (USE1, APS3, ...)
 * @param grammar which usage-type grammar matched (marketplace-camel, marketplace-snake, mantle, legacy)
 * @param embeddedModelId the model id embedded in a mantle usage type, else null
 */
public record UsageClass(
        Status status,
        String reason,
        String billingCode,
        String grammar,
        TokenKind tokenKind,
        RoutingClass routing,
        Tier tier,
        boolean longContext,
        String embeddedModelId) {

    public enum Status { TOKEN, EXCLUDED, UNCLASSIFIED }

    static UsageClass excluded(String billingCode, String grammar, String reason) {
        return new UsageClass(Status.EXCLUDED, reason, billingCode, grammar, null, null, null, false, null);
    }

    static UsageClass unclassified(String billingCode, String grammar, String reason) {
        return new UsageClass(Status.UNCLASSIFIED, reason, billingCode, grammar, null, null, null, false, null);
    }

    public boolean isToken() {
        return status == Status.TOKEN;
    }

    /** Short form for tables and tests: "input regional standard", "cacheWrite1h global batch long". */
    public String summary() {
        if (status != Status.TOKEN) {
            return status.name().toLowerCase() + ": " + reason;
        }
        return tokenKind.wireName() + " " + routing.wireName() + " " + tier.wireName() + (longContext ? " long" : "");
    }
}
