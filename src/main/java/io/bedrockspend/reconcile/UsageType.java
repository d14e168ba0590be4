package io.bedrockspend.reconcile;

import java.io.Serializable;

/**
 * A parsed CUR {@code line_item_usage_type} for Bedrock token usage.
 *
 * @param raw the usage type as written
 * @param regionCode billing region code (USE1, APS3, ...)
 * @param region AWS Region from {@link BillingRegions}, null when the code is not in the table
 * @param shape {@code legacy} ({@code USE1-NovaPro-input-tokens}), {@code marketplace}
 *     ({@code USE1-MP:USE1_InputTokenCount-Units}) or {@code mantle}
 *     ({@code USE1-openai.gpt-oss-120b-mantle-input-tokens-standard})
 * @param model the model token (legacy: {@code NovaPro}; mantle: the embedded model id;
 *     marketplace: null, the model is only in the product columns)
 * @param kind ledger token kind: input, output, cacheRead, cacheWrite5m, cacheWrite1h
 * @param routing {@code global} or {@code regional}
 * @param tier standard, batch, flex, priority, latency-optimized
 * @param longContext true for long-context (above-threshold) SKUs
 */
public record UsageType(String raw, String regionCode, String region, String shape, String model, String kind,
                        String routing, String tier, boolean longContext) implements Serializable {

    public boolean isMantle() {
        return "mantle".equals(shape);
    }

    public boolean isBatch() {
        return "batch".equals(tier);
    }
}
