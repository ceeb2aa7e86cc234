package com.netrunsystems.cache;

import com.netrunsystems.cache.async.ImmediateAsyncCache;
import com.netrunsystems.cache.check.Checks;
import com.netrunsystems.cache.load.LoadPipeline;
import com.netrunsystems.cache.load.MemoryLoadTarget;
import com.netrunsystems.cache.memory.MemoryEntries;
import com.netrunsystems.cache.memory.MemoryEntry;
import com.netrunsystems.cache.stats.ExtraStats;
import com.netrunsystems.cache.stats.ExtraStatsSource;
import com.netrunsystems.cache.stats.StatsCounter;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * An in-process cache, bounded by {@code maxSize} with a TTL per entry. Values are stored by
 * reference (no serialization), so a cached mutable object changes if the caller mutates it.
 *
 * <pre>{@code
 * MemoryCache<Object> cache = MemoryCache.builder()
 *         .namespace("users").defaultTtl(Duration.ofHours(1)).maxSize(1000)
 *         .build();
 * cache.set("user:123", Map.of("name", "John"));
 * }</pre>
 *
 * <p>{@link EvictionPolicy#TINY_LFU} (the default) runs on Caffeine; {@link EvictionPolicy#LRU}
 * evicts exactly the least recently used entry. Either way the cache never holds more than
 * {@code maxSize} entries once a write returns, and an expired entry is never returned. A memory
 * cache is always reachable, so nothing fails open here: every error is the caller's (bad input,
 * a non-integer counter). Counters are exact under contention. {@link CacheStats#cachedKeys()} may
 * include entries that expired but have not been purged yet.
 *
 * <p>Thread-safe. {@link #close()} empties the cache; later calls throw {@link IllegalStateException}.
 *
 * @param <V> the type of the cached values
 */
public final class MemoryCache<V> implements Cache<V>, ExtraStatsSource {

    private final String namespace;
    private final Duration defaultTtl;
    private final MemoryEntries entries;
    private final MemoryLoadTarget<V> loadTarget;
    private final StatsCounter stats = new StatsCounter();
    private final LoadPipeline<V> loading;
    private final AsyncCache<V> async;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MemoryCache(Builder<V> builder) {
        this.namespace = builder.namespace;
        this.defaultTtl = builder.defaultTtl;
        this.entries = new MemoryEntries(namespace, builder.evictionPolicy, builder.maxSize,
                builder.commonTtl != null ? builder.commonTtl : defaultTtl, builder.ticker, builder.executor,
                stats::recordEviction);
        this.loadTarget = new MemoryLoadTarget<>(entries, builder.maxSize, builder.ticker, this::ensureOpen);
        // No I/O thread to leave: the asynchronous view's steps after a loader's future run where it completes.
        this.loading = new LoadPipeline<>(builder.loadPolicy, loadTarget, stats, Runnable::run);
        this.async = new ImmediateAsyncCache<>(this, this::ensureOpen, loading);
    }

    /** Counts {@code count} reads that a two-level cache sent past this L1 without reading it, as misses. */
    void recordSkippedReads(long count) {
        stats.recordMisses(count);
    }

    /** Returns a builder with the defaults of {@link CacheConfig}: namespace "cache", 1 hour, 1000 entries, TinyLFU. */
    public static <V> Builder<V> builder() {
        return new Builder<>();
    }

    /** Returns a cache with the namespace, default TTL, max size and eviction policy of {@code config}. */
    public static <V> MemoryCache<V> create(CacheConfig config) {
        Objects.requireNonNull(config, "config");
        return MemoryCache.<V>builder()
                .namespace(config.namespace())
                .defaultTtl(config.defaultTtl())
                .maxSize(config.maxSize())
                .evictionPolicy(config.evictionPolicy())
                .loadPolicy(config.loadPolicy())
                .build();
    }

    @Override
    public String namespace() {
        return namespace;
    }

    @Override
    public Duration defaultTtl() {
        return defaultTtl;
    }

    @Override
    public CacheBackend backend() {
        return CacheBackend.MEMORY;
    }

    /** Does nothing but check that the cache is open: a memory cache is ready when built. */
    @Override
    public void initialize() {
        ensureOpen();
    }

    @Override
    @SuppressWarnings("unchecked")
    public V get(String key, boolean trackStats) {
        ensureOpen();
        Checks.key(key);
        Object value = entries.get(key);
        if (trackStats) {
            if (value == null) {
                stats.recordMiss();
            } else {
                stats.recordHit();
            }
        }
        return (V) value;
    }

    @Override
    public boolean set(String key, V value, Duration ttl) {
        ensureOpen();
        Checks.key(key);
        Checks.value(key, value);
        Checks.ttl(ttl);
        entries.put(key, value, ttl);
        return true;
    }

    @Override
    public boolean setIfAbsent(String key, V value, Duration ttl) {
        ensureOpen();
        Checks.key(key);
        Checks.value(key, value);
        Checks.ttl(ttl);
        MemoryEntry mine = entries.newEntry(value, ttl);
        return entries.putIfAbsent(key, mine) == mine;
    }

    @Override
    public boolean delete(String key) {
        ensureOpen();
        Checks.key(key);
        boolean removed = entries.remove(key);
        loadTarget.removeGraceCopy(key); // a deleted value is not served as stale either
        return removed;
    }

    @Override
    public boolean exists(String key) {
        ensureOpen();
        Checks.key(key);
        return entries.peek(key) != null;
    }

    @Override
    public boolean expire(String key, Duration ttl) {
        ensureOpen();
        Checks.key(key);
        Checks.ttl(ttl);
        return entries.expire(key, ttl);
    }

    @Override
    public Map<String, V> getMany(Collection<String> keys) {
        ensureOpen();
        Checks.keys(keys);
        Map<String, V> found = new LinkedHashMap<>();
        for (String key : new LinkedHashSet<>(keys)) {
            V value = get(key, true);
            if (value != null) {
                found.put(key, value);
            }
        }
        return found;
    }

    @Override
    public int setMany(Map<String, ? extends V> items, Duration ttl) {
        ensureOpen();
        Checks.items(items);
        Checks.ttl(ttl);
        entries.putAll(items, ttl);
        return items.size();
    }

    @Override
    public long increment(String key, long amount) {
        ensureOpen();
        Checks.key(key);
        return entries.increment(key, amount, defaultTtl);
    }

    @Override
    public long clearNamespace() {
        ensureOpen();
        loadTarget.clearGraceCopies();
        return entries.clear();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Follows the cache's {@link LoadPolicy}: refresh-ahead, TTL jitter and stale-if-error apply;
     * a memory cache has no cross-JVM lease. The loader runs on the calling thread; {@link #async()}'s
     * {@code getOrLoad} runs the same pipeline.
     */
    @Override
    public V getOrLoad(String key, Duration ttl, Function<? super String, ? extends V> loader) {
        ensureOpen();
        return loading.getOrLoad(key, ttl, loader);
    }

    @Override
    public CacheStats stats() {
        return stats.snapshot(namespace, CacheBackend.MEMORY, !closed.get(), entries.size());
    }

    @Override
    public void resetStats() {
        stats.reset();
    }

    /** Not API: load time and stampede waits, for netrun-cache-micrometer. */
    @Override
    public ExtraStats extraStats() {
        return stats.extra(0, 0);
    }

    @Override
    public AsyncCache<V> async() {
        return async;
    }

    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            entries.clear();
            loadTarget.clearGraceCopies();
        }
    }

    @Override
    public String toString() {
        return "MemoryCache{namespace='" + namespace + "', defaultTtl=" + defaultTtl + "}";
    }

    /** Stores {@code value} for {@code ttl}, and its stale-if-error grace copy for {@code ttl + grace}. */
    boolean setLoaded(String key, V value, Duration ttl, Duration grace) {
        return loadTarget.setLoaded(key, value, ttl, grace);
    }

    /** Returns the stale-if-error grace copy of {@code key}, or {@code null}; never a read of the cache. */
    V graceCopy(String key) {
        return loadTarget.graceCopy(key);
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("cache '" + namespace + "' is closed");
        }
    }

    /**
     * Builds a {@link MemoryCache}. Not thread-safe; the built cache is.
     *
     * @param <V> the type of the cached values
     */
    public static final class Builder<V> {
        private String namespace = "cache";
        private Duration defaultTtl = Duration.ofHours(1);
        private long maxSize = 1000;
        private EvictionPolicy evictionPolicy = EvictionPolicy.TINY_LFU;
        private Ticker ticker = Ticker.system();
        private Executor executor;
        private Duration commonTtl;
        private LoadPolicy loadPolicy = LoadPolicy.defaults();

        private Builder() {
        }

        /** Sets the namespace, used in statistics and messages; non-blank. */
        public Builder<V> namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        /** Sets the TTL of entries written without one; positive. */
        public Builder<V> defaultTtl(Duration defaultTtl) {
            this.defaultTtl = defaultTtl;
            return this;
        }

        /** Sets the most entries the cache holds; positive. */
        public Builder<V> maxSize(long maxSize) {
            this.maxSize = maxSize;
            return this;
        }

        /** Sets how a full cache chooses what to evict. */
        public Builder<V> evictionPolicy(EvictionPolicy evictionPolicy) {
            this.evictionPolicy = evictionPolicy;
            return this;
        }

        /** Sets the time source for expiry; tests pass a fake one to move time without sleeping. */
        public Builder<V> ticker(Ticker ticker) {
            this.ticker = ticker;
            return this;
        }

        /**
         * Sets where {@link EvictionPolicy#TINY_LFU} runs Caffeine's maintenance (replaying reads into
         * the policy, evicting, expiring); by default Caffeine's own, {@code ForkJoinPool.commonPool()},
         * so readers rarely do it. {@code Runnable::run} runs it on the callers, which makes eviction
         * decisions repeatable for one sequence of calls (trace replays, simulations) at some cost in
         * throughput. A write that leaves the cache above {@code maxSize} evicts at once either way.
         * {@link EvictionPolicy#LRU} evicts on the caller and ignores this; must not be null.
         */
        public Builder<V> executor(Executor executor) {
            if (executor == null) {
                throw new IllegalArgumentException("executor must not be null");
            }
            this.executor = executor;
            return this;
        }

        /**
         * Sets the TTL most writes pass when it is not the default TTL (an L1 filled for its own TTL):
         * TINY_LFU stores values written for it without a per-entry wrapper, so reads follow one
         * reference fewer. Package-private: for {@link CacheManager}.
         */
        Builder<V> commonTtl(Duration commonTtl) {
            this.commonTtl = Checks.ttl(commonTtl, "commonTtl");
            return this;
        }

        /** Sets how {@code getOrLoad} defends against stampedes; see {@link LoadPolicy}. */
        public Builder<V> loadPolicy(LoadPolicy loadPolicy) {
            this.loadPolicy = loadPolicy;
            return this;
        }

        /**
         * Validates and returns the cache. Like Caffeine's {@code build()}, the value type follows the
         * assignment, so {@code MemoryCache<String> c = MemoryCache.builder().namespace("x").build();}
         * compiles: a memory cache stores references and never converts a value, so any type fits.
         *
         * @param <T> the type of the cached values, inferred from the assignment
         * @throws IllegalArgumentException naming the first invalid setting and its value
         */
        public <T extends V> MemoryCache<T> build() {
            if (namespace == null || namespace.isBlank()) {
                throw new IllegalArgumentException("namespace must not be blank, was "
                        + (namespace == null ? "null" : "'" + namespace + "'"));
            }
            Checks.ttl(defaultTtl, "defaultTtl");
            if (maxSize <= 0) {
                throw new IllegalArgumentException("maxSize must be positive, was " + maxSize);
            }
            if (evictionPolicy == null) {
                throw new IllegalArgumentException("evictionPolicy must not be null");
            }
            if (ticker == null) {
                throw new IllegalArgumentException("ticker must not be null");
            }
            if (loadPolicy == null) {
                throw new IllegalArgumentException("loadPolicy must not be null");
            }
            @SuppressWarnings("unchecked") // values are stored by reference: nothing is converted to V
            Builder<T> typed = (Builder<T>) this;
            return new MemoryCache<>(typed);
        }
    }
}
