package io.bedrockspend.pricing;

import io.bedrockspend.StringMapTypeInfo;
import org.apache.flink.api.common.typeinfo.TypeInfo;

import java.math.BigDecimal;
import java.util.Map;

/**
 * What one call cost, per token kind, in exact USD. When {@code status} is {@code unpriced} every
 * amount is null: an unknown price is never shown as $0.
 */
public class CallCost {
    public static final String PRICED = "priced";
    public static final String UNPRICED = "unpriced";
    public static final String ERROR = "error";

    /** priced / unpriced / error (a failed call; priced from whatever tokens it carries, usually 0). */
    public String status;
    /** Why a call is unpriced (unknown model, no rate for a token kind in this region/tier/band...). */
    public String reason;
    public BigDecimal input;
    public BigDecimal output;
    public BigDecimal cacheRead;
    public BigDecimal cacheWrite5m;
    public BigDecimal cacheWrite1h;
    public BigDecimal total;
    /** Snapshot whose rates were used. */
    public String snapshotId;
    /** Model id after normalization (profile prefix and ARN removed). */
    public String baseModelId;
    /** global / regional. */
    public String routingClass;
    /** standard, batch, flex, priority, latency-optimized. */
    public String tier;
    /** standard / long (whole request above the long-context threshold). */
    public String contextBand;
    /** True when cache writes were priced at the 5-minute rate because the 1-hour split was unknown. */
    public boolean cacheTtlAssumed;
    /**
     * Token kind (wire name) → the CUR usage type its cost bills under, e.g. {@code USE1-NovaPro-input-tokens},
     * for kinds with tokens where the snapshot knows the usage type: what reconciliation matches on.
     */
    @TypeInfo(StringMapTypeInfo.class)
    public Map<String, String> usageTypes;

    public CallCost() {}

    public boolean isPriced() {
        return total != null;
    }
}
