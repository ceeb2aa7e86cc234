package com.netrunsystems.cache.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.netrunsystems.cache.EvictionPolicy;
import com.netrunsystems.cache.MemoryCache;
import java.time.Duration;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * In-process caches on the hit path, with a harness modelled on Caffeine's {@code GetPutBenchmark}
 * ({@link HitTrace}: precomputed keys in a Zipf(0.99) scrambled trace, a power-of-two mask, a per-thread
 * index, nothing allocated per operation, a key set the cache holds whole). Contenders, side by side:
 * {@link MemoryCache} (TINY_LFU, LRU), raw Caffeine bounded only ({@code caffeine}), raw Caffeine with
 * the features a MemoryCache user gets ({@code caffeine_features}: {@code maximumSize} +
 * {@code expireAfterWrite(1h)} + {@code recordStats()}), and {@code noop}, which answers every read with
 * its key and drops every write: its score is the harness's own cost. {@code get} reads present keys
 * (every read hits), {@code put} overwrites present keys, {@code mix95} writes at 5 % of the steps.
 * Threads come from the command line ({@code -t 1}, {@code -t 2}); run with {@code -prof gc} for B/op.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@Threads(1)
public class MemoryBenchmark {

    static final Duration TTL = Duration.ofHours(1);

    /** The cache under test and the shared trace. */
    @State(Scope.Benchmark)
    public static class Contender {
        /**
         * Diagnostics, not in the default list: {@code caffeine_var} (variable expiry as in MemoryCache's store),
         * {@code chm} (an unbounded {@link ConcurrentHashMap}).
         */
        @Param({"noop", "caffeine", "caffeine_features", "memory_tinylfu", "memory_lru"})
        public String contender;

        HitTrace keys;
        InProcessCache cache;

        @Setup(Level.Trial)
        public void setUp() {
            keys = new HitTrace();
            cache = create(contender);
            for (String key : keys.keys) {
                cache.put(key, keys.value);
            }
            for (String key : keys.keys) {
                if (cache.get(key) == null) {
                    throw new IllegalStateException(contender + " lost key " + key + " after preloading");
                }
            }
        }
    }

    /** One thread's index into the trace. */
    @State(Scope.Thread)
    public static class ThreadState {
        int index;

        @Setup(Level.Trial)
        public void setUp(ThreadParams thread) {
            index = HitTrace.start(thread.getThreadIndex());
        }
    }

    @Benchmark
    public Object get(Contender c, ThreadState t) {
        return c.cache.get(c.keys.trace[t.index++ & HitTrace.MASK]);
    }

    @Benchmark
    public void put(Contender c, ThreadState t) {
        c.cache.put(c.keys.trace[t.index++ & HitTrace.MASK], c.keys.value);
    }

    @Benchmark
    public Object mix95(Contender c, ThreadState t) {
        int i = t.index++ & HitTrace.MASK;
        HitTrace keys = c.keys;
        if (keys.writes95[i]) {
            c.cache.put(keys.trace[i], keys.value);
            return null;
        }
        return c.cache.get(keys.trace[i]);
    }

    /** Returns the contender named {@code name}, bounded to {@link HitTrace#CACHE_SIZE} entries. */
    static InProcessCache create(String name) {
        return switch (name) {
            case "noop" -> new Noop();
            case "memory_tinylfu" -> new NetrunMemory(EvictionPolicy.TINY_LFU);
            case "memory_lru" -> new NetrunMemory(EvictionPolicy.LRU);
            case "caffeine" -> new RawCaffeine(Caffeine.newBuilder().maximumSize(HitTrace.CACHE_SIZE).build());
            case "caffeine_features" -> new RawCaffeine(features().build());
            case "caffeine_var" -> new RawCaffeine(Caffeine.newBuilder().maximumSize(HitTrace.CACHE_SIZE).recordStats()
                    .expireAfter(Expiry.<String, Object>creating((k, v) -> TTL)).build());
            case "chm" -> new Chm();
            default -> throw new IllegalArgumentException("unknown contender " + name);
        };
    }

    /** Raw Caffeine with what a MemoryCache user gets: size bound, write expiry, statistics. */
    static Caffeine<Object, Object> features() {
        return Caffeine.newBuilder().maximumSize(HitTrace.CACHE_SIZE).expireAfterWrite(TTL).recordStats();
    }

    /**
     * The two operations of an in-process contender. An abstract class rather than an interface: each
     * fork loads one subclass, so the call site is monomorphic and inlined, as a direct call would be.
     */
    abstract static class InProcessCache {
        abstract Object get(String key);

        abstract void put(String key, Object value);
    }

    /** The harness's own cost: a read answers the key itself, a write does nothing. */
    static final class Noop extends InProcessCache {
        @Override
        Object get(String key) {
            return key;
        }

        @Override
        void put(String key, Object value) {
        }
    }

    /** MemoryCache, never closed: closing empties every entry, which JMH's GC profiler would count in the last iteration. */
    static final class NetrunMemory extends InProcessCache {
        private final MemoryCache<Object> cache;

        NetrunMemory(EvictionPolicy policy) {
            cache = MemoryCache.builder().namespace("bench").maxSize(HitTrace.CACHE_SIZE).defaultTtl(TTL)
                    .evictionPolicy(policy).build();
        }

        @Override
        Object get(String key) {
            return cache.get(key);
        }

        @Override
        void put(String key, Object value) {
            cache.set(key, value);
        }
    }

    static final class RawCaffeine extends InProcessCache {
        private final Cache<String, Object> cache;

        RawCaffeine(Cache<String, Object> cache) {
            this.cache = cache;
        }

        @Override
        Object get(String key) {
            return cache.getIfPresent(key);
        }

        @Override
        void put(String key, Object value) {
            cache.put(key, value);
        }
    }

    static final class Chm extends InProcessCache {
        private final ConcurrentHashMap<String, Object> map = new ConcurrentHashMap<>();

        @Override
        Object get(String key) {
            return map.get(key);
        }

        @Override
        void put(String key, Object value) {
            map.put(key, value);
        }
    }
}
