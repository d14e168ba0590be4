package io.bedrockspend.reconcile;

import io.bedrockspend.pricing.BillingRegions;
import io.bedrockspend.pricing.PriceBook;
import io.bedrockspend.pricing.PriceEntry;
import io.bedrockspend.pricing.PricingSnapshot;
import io.bedrockspend.pricing.TokenKind;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;

/**
 * CUR usage type of a ledger cost when the ledger row does not carry {@code pricing.usageTypes}
 * (rows written before that field existed): the snapshots' usage-type templates by (model, routing
 * class, tier, context band, kind), with the billing region code of the call's source region.
 */
public final class UsageTypeTable implements Serializable {
    private static final long serialVersionUID = 1L;
    private final HashMap<String, String> templates = new HashMap<>();

    public static UsageTypeTable from(PriceBook book) {
        UsageTypeTable t = new UsageTypeTable();
        if (book == null) return t;
        for (PricingSnapshot s : book.snapshots()) {
            for (PriceEntry e : s.entries()) {
                for (Map.Entry<TokenKind, String> u : e.usageTypes().entrySet()) {
                    // later snapshots win: the template in force most recently
                    t.templates.put(key(e.model(), e.routingClass().wireName(), e.tier().wireName(),
                            e.contextBand().wireName(), u.getKey().wireName()), u.getValue());
                }
            }
        }
        return t;
    }

    private static String key(String model, String routing, String tier, String band, String kind) {
        return model + "|" + routing + "|" + tier + "|" + band + "|" + kind;
    }

    /** The usage type, or null when the snapshot has no template or the region has no billing code. */
    public String usageType(String baseModel, String routing, String tier, String band, String kind, String region) {
        String tpl = templates.get(key(baseModel, routing, tier == null ? "standard" : tier,
                band == null ? "standard" : band, kind));
        String code = BillingRegions.code(region);
        if (tpl == null || code == null) return null;
        return tpl.replace("{region}", code);
    }

    public int size() {
        return templates.size();
    }
}
