package io.bedrockspend.spend;

import io.bedrockspend.pricing.CallCost;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** Pure fan-out of a priced call into the spend series it contributes to. */
public final class SpendDeltas {
    public static final String TEAM = "team";
    public static final String PRINCIPAL = "principal";
    public static final String MODEL = "model";
    public static final String ROUTING_CLASS = "routingClass";
    public static final String TOKEN_KIND = "tokenKind";
    /** Key used when a call has no value for a tag dimension. */
    public static final String NONE = "(none)";

    private SpendDeltas() {}

    /**
     * One delta per configured dimension. {@code team} uses the call's team (with the unattributed
     * bucket); other tag keys use the call's effective tags; {@code tokenKind} splits the call's cost
     * and tokens by kind (calls are not counted there, so they are not counted five times).
     */
    public static List<SpendDelta> of(PricedCall c, List<String> dimensions) {
        List<SpendDelta> out = new ArrayList<>(dimensions.size() + 4);
        for (String dim : dimensions) {
            switch (dim) {
                case TEAM -> out.add(whole(c, TEAM, c.team));
                case PRINCIPAL -> out.add(whole(c, PRINCIPAL, c.principal == null ? NONE : c.principal));
                case MODEL -> out.add(whole(c, MODEL, c.cost != null && c.cost.baseModelId != null ? c.cost.baseModelId : c.modelId));
                case ROUTING_CLASS -> out.add(whole(c, ROUTING_CLASS,
                        c.cost != null && c.cost.routingClass != null ? c.cost.routingClass : NONE));
                case TOKEN_KIND -> out.addAll(byKind(c));
                default -> {
                    String v = c.tags == null ? null : c.tags.get(dim);
                    out.add(whole(c, dim, v == null || v.isBlank() ? NONE : v));
                }
            }
        }
        return out;
    }

    static SpendDelta whole(PricedCall c, String dim, String key) {
        SpendDelta d = base(c, dim, key);
        boolean priced = c.cost != null && c.cost.isPriced();
        d.costUsd = priced ? c.cost.total : BigDecimal.ZERO;
        d.calls = 1;
        d.unpricedCalls = priced ? 0 : 1;
        d.errorCalls = c.errorCode != null ? 1 : 0;
        d.inputTokens = c.inputTokens;
        d.outputTokens = c.outputTokens;
        d.cacheReadTokens = c.cacheReadTokens;
        d.cacheWriteTokens = c.cacheWriteTokens;
        return d;
    }

    static List<SpendDelta> byKind(PricedCall c) {
        CallCost k = c.cost;
        boolean priced = k != null && k.isPriced();
        List<SpendDelta> l = new ArrayList<>(5);
        kind(l, c, "input", priced ? k.input : null, c.inputTokens, priced);
        kind(l, c, "output", priced ? k.output : null, c.outputTokens, priced);
        kind(l, c, "cacheRead", priced ? k.cacheRead : null, c.cacheReadTokens, priced);
        kind(l, c, "cacheWrite5m", priced ? k.cacheWrite5m : null, c.cacheWrite5mTokens, priced);
        kind(l, c, "cacheWrite1h", priced ? k.cacheWrite1h : null, c.cacheWrite1hTokens, priced);
        return l;
    }

    private static void kind(List<SpendDelta> l, PricedCall c, String kind, BigDecimal cost, long tokens, boolean priced) {
        if (tokens == 0 && (cost == null || cost.signum() == 0)) return;
        SpendDelta d = base(c, TOKEN_KIND, kind);
        d.costUsd = cost == null ? BigDecimal.ZERO : cost;
        d.unpricedCalls = priced ? 0 : 1;
        switch (kind) {
            case "input" -> d.inputTokens = tokens;
            case "output" -> d.outputTokens = tokens;
            case "cacheRead" -> d.cacheReadTokens = tokens;
            default -> d.cacheWriteTokens = tokens;
        }
        l.add(d);
    }

    private static SpendDelta base(PricedCall c, String dim, String key) {
        SpendDelta d = new SpendDelta();
        d.dimension = dim;
        d.key = key;
        d.timestampMillis = c.timestampMillis;
        return d;
    }
}
