package com.netrunsystems.cache.bench;

import java.util.SplittableRandom;

/**
 * The keys of an in-process hit-path benchmark, laid out as in Caffeine's own {@code GetPutBenchmark}
 * so that the harness costs a few nanoseconds against the cache's tens: {@link #KEYS} distinct keys
 * {@code "key:<i>"} (the key set, which the cache holds whole), and a trace of {@link #SIZE} key
 * references in Zipf(0.99) scrambled order, walked with the mask {@link #MASK} from a per-thread index.
 * A benchmark step is then one array load and one increment; nothing is allocated per operation.
 * {@link #writes95} marks, per trace position, the steps of the 95/5 read/write mix that write.
 * Immutable after construction (arrays are never written after the constructor returns).
 */
final class HitTrace {

    /** Trace length: a power of two, 256 KB of references, small enough to stay in the CPU caches. */
    static final int SIZE = 1 << 16;
    static final int MASK = SIZE - 1;
    /** Distinct keys: the key set, sized so that the cache ({@link #CACHE_SIZE}) holds all of it. */
    static final int KEYS = 1 << 14;
    /** The cache bound of every contender: twice the key set, as Caffeine's benchmark does, so no hit is evicted. */
    static final int CACHE_SIZE = 2 * KEYS;
    static final int VALUE_BYTES = 100;

    final String[] keys;
    final String[] trace;
    final boolean[] writes95;
    /** The value every put writes (one object: a put allocates nothing in the harness). */
    final String value;

    HitTrace() {
        keys = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "key:" + i;
        }
        int[] indexes = ZipfGenerator.trace(KEYS, Workload.ZIPF_EXPONENT, Workload.SEED, SIZE);
        trace = new String[SIZE];
        for (int i = 0; i < SIZE; i++) {
            trace[i] = keys[indexes[i]];
        }
        writes95 = new boolean[SIZE];
        SplittableRandom random = new SplittableRandom(Workload.SEED + 95);
        for (int i = 0; i < SIZE; i++) {
            writes95[i] = random.nextInt(100) < 5;
        }
        value = Workload.value(0, VALUE_BYTES);
    }

    /** Returns thread {@code thread}'s start index, spread over the trace so threads do not move in lockstep. */
    static int start(int thread) {
        return (int) ((thread * 0x9E3779B97F4A7C15L) >>> 40);
    }
}
