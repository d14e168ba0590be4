package io.bedrockspend.demo;

import java.io.Serializable;

/**
 * SplitMix64: tiny, fast and serializable, so a generator shipped to a Flink task (or copied mid-run)
 * continues the exact same sequence. {@link java.util.SplittableRandom} is not serializable.
 */
final class Rng implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;

    private long state;

    Rng(long seed) {
        this.state = seed;
    }

    static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A seed derived from a base seed and a salt, e.g. a subtask index. */
    static long derive(long seed, long salt) {
        return mix(seed + GOLDEN * (salt + 1));
    }

    long nextLong() {
        return mix(state += GOLDEN);
    }

    double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    int nextInt(int bound) {
        return (int) ((nextLong() >>> 1) % bound);
    }

    /** Uniform in [lo, hi] inclusive. */
    long between(long lo, long hi) {
        return lo + (nextLong() >>> 1) % (hi - lo + 1);
    }

    boolean chance(double p) {
        return p > 0 && nextDouble() < p;
    }

    double gaussian() {
        double u1 = 1.0 - nextDouble(); // (0,1]: log stays finite
        double u2 = nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** Log-normal with the given median, clamped: token counts have a long right tail. */
    long logNormal(double median, double sigma, long min, long max) {
        long v = Math.round(median * Math.exp(sigma * gaussian()));
        return Math.max(min, Math.min(max, v));
    }

    /** Index into cumulative weights (last element = total). */
    int pick(double[] cumulative) {
        double x = nextDouble() * cumulative[cumulative.length - 1];
        for (int i = 0; i < cumulative.length; i++) {
            if (x < cumulative[i]) return i;
        }
        return cumulative.length - 1;
    }

    static double[] cumulative(double... weights) {
        double[] c = new double[weights.length];
        double s = 0;
        for (int i = 0; i < weights.length; i++) {
            s += weights[i];
            c[i] = s;
        }
        return c;
    }
}
