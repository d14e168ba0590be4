package io.bedrockspend.pricing;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One rate card in a snapshot: the price of a base model for one routing class, region scope,
 * tier and context band, optionally limited to [effectiveFrom, effectiveTo).
 *
 * @param regionScope a region code ({@code us-east-1}), a geo ({@code us}, {@code eu}, ...) or
 *     {@code *} for any region
 * @param longContextThresholdTokens for a {@link ContextBand#LONG} entry, the prompt size above
 *     which the whole request uses it; 0 for standard entries
 * @param effectiveFrom first day (UTC) the entry applies, null = from the snapshot's start
 * @param effectiveTo first day (UTC) it no longer applies (exclusive), null = open-ended
 * @param usageTypes CUR usage-type templates per kind, with a {@code {region}} placeholder for
 *     the billing region code (USE1, EUC1, ...)
 * @param source provenance keys (see docs/pricing-snapshots.md)
 */
public record PriceEntry(
        String model,
        List<String> aliases,
        RoutingClass routingClass,
        String regionScope,
        Tier tier,
        ContextBand contextBand,
        long longContextThresholdTokens,
        LocalDate effectiveFrom,
        LocalDate effectiveTo,
        RateCard rates,
        Map<TokenKind, String> usageTypes,
        List<String> source,
        String notes)
        implements Serializable {

    public PriceEntry {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(routingClass, "routingClass");
        Objects.requireNonNull(regionScope, "regionScope");
        Objects.requireNonNull(tier, "tier");
        Objects.requireNonNull(contextBand, "contextBand");
        Objects.requireNonNull(rates, "rates");
        aliases = aliases == null ? List.of() : List.copyOf(aliases);
        usageTypes = usageTypes == null ? Map.of() : Map.copyOf(usageTypes);
        source = source == null ? List.of() : List.copyOf(source);
    }

    /** Whether the entry applies on the given UTC epoch day. */
    public boolean appliesOn(long epochDay) {
        return (effectiveFrom == null || effectiveFrom.toEpochDay() <= epochDay)
                && (effectiveTo == null || epochDay < effectiveTo.toEpochDay());
    }

    /** True when the two entries' date ranges share at least one day. */
    public boolean overlaps(PriceEntry other) {
        long aFrom = effectiveFrom == null ? Long.MIN_VALUE : effectiveFrom.toEpochDay();
        long aTo = effectiveTo == null ? Long.MAX_VALUE : effectiveTo.toEpochDay();
        long bFrom = other.effectiveFrom == null ? Long.MIN_VALUE : other.effectiveFrom.toEpochDay();
        long bTo = other.effectiveTo == null ? Long.MAX_VALUE : other.effectiveTo.toEpochDay();
        return aFrom < bTo && bFrom < aTo;
    }

    /** "model (routing, scope, tier, band)", for messages. */
    public String describe() {
        return model + " (" + routingClass.wireName() + ", " + regionScope + ", " + tier.wireName()
                + ", " + contextBand.wireName() + ")";
    }
}
