package io.bedrockspend.pricing;

import java.io.Serializable;
import java.time.LocalDate;
import java.util.List;
import java.util.Objects;

/**
 * One published set of prices, in force for calls at/after {@code effectiveFrom} until a later
 * snapshot's {@code effectiveFrom}.
 *
 * @param file the file it was read from, for messages (may be null)
 */
public record PricingSnapshot(
        int formatVersion,
        String snapshotId,
        LocalDate effectiveFrom,
        String publishedAt,
        String source,
        List<PriceEntry> entries,
        String file)
        implements Serializable {

    public static final int FORMAT_VERSION = 1;

    public PricingSnapshot {
        Objects.requireNonNull(snapshotId, "snapshotId");
        Objects.requireNonNull(effectiveFrom, "effectiveFrom");
        entries = List.copyOf(entries);
    }
}
