package com.netrunsystems.cache.bench;

/**
 * The keys, values and access sequence that every contender of a benchmark shares: {@code keyCount}
 * keys {@code "key:<i>"}, one value per key, and a precomputed Zipf(0.99) scrambled trace of indexes
 * whose length is a power of two, so a thread walks it with a mask. Immutable after construction.
 */
public final class Workload {

    /** The Zipf exponent of every trace in the suite. */
    public static final double ZIPF_EXPONENT = 0.99;
    /** The seed of every trace, so that each run and each contender sees the same sequence. */
    public static final long SEED = 20_240_601L;

    private final String[] keys;
    private final String[] values;
    private final int[] trace;
    private final int mask;

    /**
     * @param keyCount   the number of distinct keys
     * @param valueBytes the length of each value (ASCII, so also its UTF-8 length)
     * @param traceLog2  log2 of the trace length
     */
    public Workload(int keyCount, int valueBytes, int traceLog2) {
        keys = new String[keyCount];
        values = new String[keyCount];
        for (int i = 0; i < keyCount; i++) {
            keys[i] = "key:" + i;
            values[i] = value(i, valueBytes);
        }
        int length = 1 << traceLog2;
        trace = ZipfGenerator.trace(keyCount, ZIPF_EXPONENT, SEED, length);
        mask = length - 1;
    }

    /** Returns a value of {@code bytes} ASCII characters that starts with the index, so values differ. */
    static String value(int index, int bytes) {
        StringBuilder value = new StringBuilder(bytes).append("value-").append(index).append('-');
        while (value.length() < bytes) {
            value.append((char) ('a' + value.length() % 26));
        }
        value.setLength(bytes);
        return value.toString();
    }

    public int keyCount() {
        return keys.length;
    }

    public String key(int index) {
        return keys[index];
    }

    public String value(int index) {
        return values[index];
    }

    /** Returns the key index at position {@code step} of the trace (wrapping around). */
    public int index(int step) {
        return trace[step & mask];
    }

    /**
     * Returns {@code count} batches of {@code size} distinct key indexes each, drawn uniformly with
     * the suite's seed, for bulk reads ({@code getMany}, {@code MGET}).
     */
    public int[][] batches(int count, int size) {
        if (size > keys.length) {
            throw new IllegalArgumentException("a batch of " + size + " distinct keys needs at least that many keys");
        }
        java.util.SplittableRandom random = new java.util.SplittableRandom(SEED);
        int[][] batches = new int[count][];
        for (int b = 0; b < count; b++) {
            java.util.Set<Integer> chosen = new java.util.LinkedHashSet<>();
            while (chosen.size() < size) {
                chosen.add(random.nextInt(keys.length));
            }
            batches[b] = chosen.stream().mapToInt(Integer::intValue).toArray();
        }
        return batches;
    }

    /** Returns a start position for thread {@code thread}, spread over the trace so threads do not move in lockstep. */
    public int start(int thread) {
        return (int) ((thread * 0x9E3779B97F4A7C15L >>> 33) & mask);
    }
}
