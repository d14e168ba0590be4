package io.bedrockspend.ingest;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.connector.datagen.source.GeneratorFunction;

import java.time.Duration;

/**
 * A FLIP-27 source that calls a read function once per poll interval, for reference data that is
 * hot-reloaded (budgets, pricing snapshots): a {@link DataGeneratorSource} rate-limited to one
 * element per interval, unbounded unless it should read just once (batch runs). Run it at
 * parallelism 1 and filter unchanged reads downstream.
 */
public final class PollingSource<T> extends DataGeneratorSource<T> {
    private static final long serialVersionUID = 1L;
    private final boolean unbounded;

    private PollingSource(GeneratorFunction<Long, T> read, long count, double perSecond, TypeInformation<T> type) {
        super(read, count, RateLimiterStrategy.perSecond(perSecond), type);
        this.unbounded = count == Long.MAX_VALUE;
    }

    /** Reads every {@code interval}; or once when {@code once} (batch mode, or a zero interval). */
    public static <T> PollingSource<T> every(Duration interval, boolean once, GeneratorFunction<Long, T> read, TypeInformation<T> type) {
        boolean single = once || interval == null || interval.isZero();
        double perSecond = single ? 1.0 : 1000.0 / Math.max(1L, interval.toMillis());
        return new PollingSource<>(read, single ? 1 : Long.MAX_VALUE, perSecond, type);
    }

    /** DataGeneratorSource reports BOUNDED whatever its count; an endless poller must say unbounded. */
    @Override
    public Boundedness getBoundedness() {
        return unbounded ? Boundedness.CONTINUOUS_UNBOUNDED : Boundedness.BOUNDED;
    }

    /**
     * Passes a read only when it differs from the previous one (a poller repeats itself every
     * interval); {@link #changed} is told about each change, e.g. to log it.
     */
    public abstract static class ChangesOnly<T> extends org.apache.flink.api.common.functions.RichFilterFunction<T> {
        private static final long serialVersionUID = 1L;
        private transient String last;

        protected abstract String fingerprint(T read);

        protected void changed(T read) {}

        @Override
        public boolean filter(T read) {
            String f = fingerprint(read);
            if (f.equals(last)) return false;
            last = f;
            changed(read);
            return true;
        }
    }

    /**
     * Reference data carries no event time; a maximal watermark keeps it from holding back the
     * operator it is connected to (a two-input operator takes the minimum of its inputs).
     */
    public static <T> WatermarkStrategy<T> aboveEverything() {
        return WatermarkStrategy.forGenerator(c -> new WatermarkGenerator<>() {
            @Override
            public void onEvent(T e, long ts, WatermarkOutput out) {}

            @Override
            public void onPeriodicEmit(WatermarkOutput out) {
                out.emitWatermark(new Watermark(Long.MAX_VALUE));
            }
        });
    }
}
