package com.netrunsystems.cache.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.netrunsystems.cache.EvictionPolicy;
import com.netrunsystems.cache.MemoryCache;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * In-process caches on the same keys, values and Zipf(0.99) scrambled trace: {@link MemoryCache}
 * (TinyLFU and LRU) against raw Caffeine configured alike (maximum size, one-hour expiry) and an
 * unbounded {@link ConcurrentHashMap} as the ceiling. {@code get} reads only present keys (every
 * read hits), {@code put} overwrites present keys, {@code mix95}/{@code mix50} interleave reads and
 * writes 95/5 and 50/50 in a fixed pseudo-random pattern. Threads come from the command line
 * ({@code -t 1}, {@code -t 2}); run with {@code -prof gc} for bytes per operation.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@Threads(1)
public class MemoryBenchmark {

    /** Distinct keys; every one fits in the cache, so reads measure the hit path. */
    static final int KEYS = 20_000;
    static final int VALUE_BYTES = 100;
    static final Duration TTL = Duration.ofHours(1);

    /** The cache under test and the shared workload. */
    @State(Scope.Benchmark)
    public static class Contender {
        /**
         * {@code memory_tinylfu}, {@code memory_lru}: MemoryCache; {@code caffeine}: raw Caffeine with
         * maximumSize and expireAfterWrite; {@code caffeine_var}: raw Caffeine configured exactly as
         * MemoryCache's store (variable expiry, Caffeine's default executor); {@code chm}: ConcurrentHashMap.
         * Diagnostics, not in the default list: {@code caffeine_var_sync} (variable expiry, maintenance on
         * the caller), {@code caffeine_sync} (expireAfterWrite, maintenance on the caller).
         */
        @Param({"memory_tinylfu", "memory_lru", "caffeine", "caffeine_var", "chm"})
        public String contender;

        Workload workload;
        MemoryContender cache;

        @Setup(Level.Trial)
        public void setUp() {
            workload = new Workload(KEYS, VALUE_BYTES, 20);
            cache = create(contender);
            for (int i = 0; i < workload.keyCount(); i++) {
                cache.put(workload.key(i), workload.value(i));
            }
            for (int i = 0; i < workload.keyCount(); i++) {
                if (cache.get(workload.key(i)) == null) {
                    throw new IllegalStateException(contender + " lost key " + workload.key(i) + " after preloading");
                }
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            cache.close();
        }
    }

    /** One thread's position in the trace and its read/write pattern. */
    @State(Scope.Thread)
    public static class Cursor {
        int step;
        boolean[] writes95;
        boolean[] writes50;

        @Setup(Level.Trial)
        public void setUp(Contender contender, ThreadParams thread) {
            step = contender.workload.start(thread.getThreadIndex());
            writes95 = pattern(0.05, thread.getThreadIndex());
            writes50 = pattern(0.50, thread.getThreadIndex());
        }

        private static boolean[] pattern(double writeRatio, int thread) {
            SplittableRandom random = new SplittableRandom(Workload.SEED + thread);
            boolean[] writes = new boolean[4096];
            for (int i = 0; i < writes.length; i++) {
                writes[i] = random.nextDouble() < writeRatio;
            }
            return writes;
        }
    }

    @Benchmark
    public Object get(Contender c, Cursor cursor) {
        int index = c.workload.index(cursor.step++);
        return c.cache.get(c.workload.key(index));
    }

    @Benchmark
    public void put(Contender c, Cursor cursor) {
        int index = c.workload.index(cursor.step++);
        c.cache.put(c.workload.key(index), c.workload.value(index));
    }

    @Benchmark
    public Object mix95(Contender c, Cursor cursor) {
        return mixed(c, cursor, cursor.writes95);
    }

    @Benchmark
    public Object mix50(Contender c, Cursor cursor) {
        return mixed(c, cursor, cursor.writes50);
    }

    private static Object mixed(Contender c, Cursor cursor, boolean[] writes) {
        int step = cursor.step++;
        int index = c.workload.index(step);
        if (writes[step & (writes.length - 1)]) {
            c.cache.put(c.workload.key(index), c.workload.value(index));
            return null;
        }
        return c.cache.get(c.workload.key(index));
    }

    /** Returns the contender named {@code name}, bounded to {@link #KEYS} entries (the map is unbounded). */
    static MemoryContender create(String name) {
        switch (name) {
            case "memory_tinylfu":
                return new NetrunMemory(EvictionPolicy.TINY_LFU);
            case "memory_lru":
                return new NetrunMemory(EvictionPolicy.LRU);
            case "caffeine":
                return new RawCaffeine(Caffeine.newBuilder().maximumSize(KEYS).expireAfterWrite(TTL).build());
            case "caffeine_var":
                return new RawCaffeine(Caffeine.newBuilder().maximumSize(KEYS)
                        .expireAfter(com.github.benmanes.caffeine.cache.Expiry.<String, Object>creating((k, v) -> TTL))
                        .build());
            case "caffeine_var_sync":
                return new RawCaffeine(Caffeine.newBuilder().maximumSize(KEYS).executor(Runnable::run)
                        .expireAfter(com.github.benmanes.caffeine.cache.Expiry.<String, Object>creating((k, v) -> TTL))
                        .build());
            case "caffeine_sync":
                return new RawCaffeine(Caffeine.newBuilder().maximumSize(KEYS).expireAfterWrite(TTL)
                        .executor(Runnable::run).build());
            case "chm":
                return new Chm();
            default:
                throw new IllegalArgumentException("unknown contender " + name);
        }
    }

    /** The two operations every in-process contender offers. */
    interface MemoryContender extends AutoCloseable {
        Object get(String key);

        void put(String key, Object value);

        @Override
        default void close() {
        }
    }

    static final class NetrunMemory implements MemoryContender {
        private final MemoryCache<Object> cache;

        NetrunMemory(EvictionPolicy policy) {
            cache = MemoryCache.builder().namespace("bench").maxSize(KEYS).defaultTtl(TTL).evictionPolicy(policy).build();
        }

        @Override
        public Object get(String key) {
            return cache.get(key);
        }

        @Override
        public void put(String key, Object value) {
            cache.set(key, value);
        }

        @Override
        public void close() {
            // Not cache.close(): it empties 20,000 entries, and JMH's GC profiler counts the trial
            // teardown in the last iteration, which would show as allocation per hit. The fork exits.
        }
    }

    static final class RawCaffeine implements MemoryContender {
        private final Cache<String, Object> cache;

        RawCaffeine(Cache<String, Object> cache) {
            this.cache = cache;
        }

        @Override
        public Object get(String key) {
            return cache.getIfPresent(key);
        }

        @Override
        public void put(String key, Object value) {
            cache.put(key, value);
        }
    }

    static final class Chm implements MemoryContender {
        private final ConcurrentHashMap<String, Object> map = new ConcurrentHashMap<>();

        @Override
        public Object get(String key) {
            return map.get(key);
        }

        @Override
        public void put(String key, Object value) {
            map.put(key, value);
        }
    }
}
