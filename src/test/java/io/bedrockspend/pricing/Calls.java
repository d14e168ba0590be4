package io.bedrockspend.pricing;

import io.bedrockspend.ingest.InvocationCall;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** Test builder for {@link InvocationCall}s. */
final class Calls {
    private final InvocationCall c = new InvocationCall();

    private Calls(String modelId, String region, String day) {
        c.modelId = modelId;
        c.region = region;
        // Noon UTC, so the day is unambiguous.
        c.timestampMillis = LocalDate.parse(day).atTime(12, 0).toInstant(ZoneOffset.UTC).toEpochMilli();
    }

    static Calls call(String modelId, String region, String day) {
        return new Calls(modelId, region, day);
    }

    Calls tokens(long input, long output) {
        c.inputTokens = input;
        c.outputTokens = output;
        return this;
    }

    Calls cacheRead(long n) {
        c.cacheReadTokens = n;
        return this;
    }

    /** Cache writes with the TTL split unknown (all priced as 5-minute writes). */
    Calls cacheWrite(long n) {
        c.cacheWriteTokens = n;
        return this;
    }

    /** Cache writes with a known split: {@code total} of which {@code oneHour} are 1-hour writes. */
    Calls cacheWriteSplit(long total, long oneHour) {
        c.cacheWriteTokens = total;
        c.cacheSplitKnown = true;
        c.cacheWrite1hTokens = oneHour;
        return this;
    }

    Calls tier(String tier) {
        c.tier = tier;
        return this;
    }

    Calls error(String code) {
        c.errorCode = code;
        return this;
    }

    InvocationCall build() {
        return c;
    }

    @Override
    public String toString() {
        return c.modelId + " @" + c.region + " tier=" + c.tier + " in=" + c.inputTokens + " out=" + c.outputTokens
                + " cr=" + c.cacheReadTokens + " cw=" + c.cacheWriteTokens
                + (c.cacheSplitKnown ? " (1h " + c.cacheWrite1hTokens + ")" : "");
    }
}
