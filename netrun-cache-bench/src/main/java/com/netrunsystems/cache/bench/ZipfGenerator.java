package com.netrunsystems.cache.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Zipf-distributed ranks over {@code [0, n)} with exponent {@code s} (0.99 in the benchmarks, as in
 * YCSB and Caffeine's own benchmarks), by inverse transform over the precomputed cumulative
 * distribution, and "scrambled": rank {@code r} maps to item {@code permutation[r]}, so the hot
 * items are spread over the key space instead of being the first few. Not thread-safe: give each
 * thread its own, or precompute a trace with {@link #trace}.
 */
public final class ZipfGenerator {

    private final double[] cumulative;
    private final int[] permutation;
    private final SplittableRandom random;

    /**
     * @param n    the number of items
     * @param s    the exponent; 0 is uniform
     * @param seed the seed of the permutation and of the draws, so that every contender sees the same sequence
     */
    public ZipfGenerator(int n, double s, long seed) {
        if (n < 1) {
            throw new IllegalArgumentException("n must be positive, was " + n);
        }
        if (s < 0) {
            throw new IllegalArgumentException("s must not be negative, was " + s);
        }
        cumulative = new double[n];
        double sum = 0;
        for (int rank = 0; rank < n; rank++) {
            sum += 1.0 / Math.pow(rank + 1, s);
            cumulative[rank] = sum;
        }
        for (int rank = 0; rank < n; rank++) {
            cumulative[rank] /= sum;
        }
        random = new SplittableRandom(seed);
        permutation = new int[n];
        for (int i = 0; i < n; i++) {
            permutation[i] = i;
        }
        SplittableRandom shuffle = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L);
        for (int i = n - 1; i > 0; i--) {
            int j = shuffle.nextInt(i + 1);
            int t = permutation[i];
            permutation[i] = permutation[j];
            permutation[j] = t;
        }
    }

    /** Returns the next item, in {@code [0, n)}. */
    public int next() {
        return permutation[nextRank()];
    }

    /** Returns the next rank before scrambling: 0 is the most popular. */
    public int nextRank() {
        double u = random.nextDouble();
        int i = Arrays.binarySearch(cumulative, u);
        int rank = i >= 0 ? i : -i - 1;
        return Math.min(rank, cumulative.length - 1);
    }

    /** Returns {@code length} items drawn in sequence. */
    public int[] trace(int length) {
        int[] items = new int[length];
        for (int i = 0; i < length; i++) {
            items[i] = next();
        }
        return items;
    }

    /** Returns a trace of {@code length} items from a fresh generator over {@code n} items with exponent {@code s}. */
    public static int[] trace(int n, double s, long seed, int length) {
        return new ZipfGenerator(n, s, seed).trace(length);
    }
}
