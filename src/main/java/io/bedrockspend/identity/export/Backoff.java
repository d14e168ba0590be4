package io.bedrockspend.identity.export;

import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.pagination.sync.SdkIterable;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongUnaryOperator;
import java.util.function.Supplier;

/**
 * Capped exponential back-off with jitter for throttled AWS calls, on top of the SDK's own retry
 * strategy: the SDK gives up after a few quick attempts, while an export walking thousands of roles
 * (one ListRoleTags each) can stay throttled for longer, so it waits and tries the same page again.
 * Only throttling is retried here; every other error (access denied, bad request) fails at once.
 */
public final class Backoff {
    /** Error codes the exporters treat as throttling (IAM's Query protocol and the REST-JSON services). */
    static final Set<String> THROTTLING_CODES = Set.of("Throttling", "ThrottlingException", "TooManyRequestsException",
            "RequestLimitExceeded");

    /** Sleeps; replaced in tests so they do not wait. */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    /** One page of a paginated listing, handled while the back-off stays available for nested calls. */
    public interface PageHandler<R> {
        void accept(R page) throws InterruptedException;
    }

    private final int maxAttempts;
    private final Duration base;
    private final Duration cap;
    private final Sleeper sleeper;
    private final LongUnaryOperator jitter;
    private final PrintStream log;
    private long throttled;

    /**
     * @param maxAttempts attempts per call, the first included (each attempt is itself retried by the SDK)
     * @param jitter given the capped delay in ms, the delay to use; must return a value in [0, delay]
     * @param log where each retry is reported (stderr in the CLI); null for silence
     */
    public Backoff(int maxAttempts, Duration base, Duration cap, Sleeper sleeper, LongUnaryOperator jitter, PrintStream log) {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be >= 1");
        this.maxAttempts = maxAttempts;
        this.base = base;
        this.cap = cap;
        this.sleeper = sleeper;
        this.jitter = jitter;
        this.log = log;
    }

    /** The CLI's back-off: 8 attempts, 0.5 s doubling to a 20 s cap, half of each delay random. */
    public static Backoff standard(PrintStream log) {
        return new Backoff(8, Duration.ofMillis(500), Duration.ofSeconds(20), d -> Thread.sleep(d.toMillis()),
                Backoff::halfJitter, log);
    }

    /** Half fixed, half random: spreads concurrent exporters apart while never retrying at once. */
    static long halfJitter(long delayMillis) {
        long half = delayMillis / 2;
        return half + ThreadLocalRandom.current().nextLong(delayMillis - half + 1);
    }

    /** The delay before attempt {@code attempt + 1} (attempt counts from 1), before jitter. */
    Duration cappedDelay(int attempt) {
        int shift = Math.min(attempt - 1, 30);
        long ms = base.toMillis() << shift;
        return ms <= 0 || ms > cap.toMillis() ? cap : Duration.ofMillis(ms);
    }

    /** Runs {@code call}, retrying throttling up to the attempt limit; the last error is rethrown. */
    public <T> T call(String what, Supplier<T> call) throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (AwsServiceException e) {
                if (!isThrottling(e) || attempt >= maxAttempts) throw e;
                throttled++;
                long wait = jitter.applyAsLong(cappedDelay(attempt).toMillis());
                if (log != null) {
                    log.printf("throttled on %s (%s), attempt %d of %d, retrying in %d ms%n", what,
                            e.awsErrorDetails() == null ? e.statusCode() : e.awsErrorDetails().errorCode(),
                            attempt, maxAttempts, wait);
                }
                sleeper.sleep(Duration.ofMillis(wait));
            }
        }
    }

    /**
     * Walks an SDK paginator page by page, each page fetch under {@link #call}. The SDK's page
     * iterator keeps the previous page when a fetch throws, so calling {@code next()} again asks
     * for the same page (same marker / token) rather than starting over.
     */
    public <R> void forEachPage(String what, SdkIterable<R> pages, PageHandler<R> handler) throws InterruptedException {
        Iterator<R> it = pages.iterator();
        while (it.hasNext()) {
            handler.accept(call(what, it::next));
        }
    }

    /** How many throttled attempts this back-off has waited out (beyond the SDK's own retries). */
    public long throttledCount() {
        return throttled;
    }

    static boolean isThrottling(AwsServiceException e) {
        if (e.isThrottlingException()) return true;
        return e.awsErrorDetails() != null && THROTTLING_CODES.contains(e.awsErrorDetails().errorCode());
    }
}
