package com.netrunsystems.cache;

import com.netrunsystems.cache.async.ImmediateAsyncCache;
import com.netrunsystems.cache.check.Checks;
import com.netrunsystems.cache.load.GraceCopies;
import com.netrunsystems.cache.load.LoadPipeline;
import com.netrunsystems.cache.load.LoadTarget;
import com.netrunsystems.cache.load.TtlValue;
import com.netrunsystems.cache.memory.CaffeineStore;
import com.netrunsystems.cache.memory.LruStore;
import com.netrunsystems.cache.memory.MemoryEntry;
import com.netrunsystems.cache.memory.MemoryStore;
import com.netrunsystems.cache.stats.ExtraStats;
import com.netrunsystems.cache.stats.ExtraStatsSource;
import com.netrunsystems.cache.stats.StatsCounter;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
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
    private final Ticker ticker;
    private final MemoryStore store;
    private final GraceCopies graceCopies;
    private final StatsCounter stats = new StatsCounter();
    private final LoadPipeline<V> loading;
    private final AsyncCache<V> async;
    private final AtomicBoolean closed = new AtomicBoolean();

    private MemoryCache(Builder<V> builder) {
        this.namespace = builder.namespace;
        this.defaultTtl = builder.defaultTtl;
        this.ticker = builder.ticker;
        this.store = builder.evictionPolicy == EvictionPolicy.LRU
                ? new LruStore(builder.maxSize, ticker, stats::recordEviction)
                : new CaffeineStore(builder.maxSize, nanos(builder.commonTtl != null ? builder.commonTtl : defaultTtl),
                        ticker, builder.executor, stats::recordEviction);
        this.graceCopies = new GraceCopies(builder.maxSize, ticker);
        // No I/O thread to leave: the asynchronous view's steps after a loader's future run where it completes.
        this.loading = new LoadPipeline<>(builder.loadPolicy, new MemoryLoadTarget(), stats, Runnable::run);
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
        Object value = store.get(key);
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
        store.put(key, value, nanos(ttl));
        return true;
    }

    @Override
    public boolean setIfAbsent(String key, V value, Duration ttl) {
        ensureOpen();
        Checks.key(key);
        Checks.value(key, value);
        Checks.ttl(ttl);
        MemoryEntry mine = new MemoryEntry(value, deadline(ttl));
        return store.compute(key, old -> old == null ? mine : old) == mine;
    }

    @Override
    public boolean delete(String key) {
        ensureOpen();
        Checks.key(key);
        boolean[] removed = {false};
        store.compute(key, old -> {
            removed[0] = old != null;
            return null;
        });
        graceCopies.remove(key); // a deleted value is not served as stale either
        return removed[0];
    }

    @Override
    public boolean exists(String key) {
        ensureOpen();
        Checks.key(key);
        return store.peek(key) != null;
    }

    @Override
    public boolean expire(String key, Duration ttl) {
        ensureOpen();
        Checks.key(key);
        Checks.ttl(ttl);
        long deadline = deadline(ttl);
        return store.compute(key, old -> old == null ? null : new MemoryEntry(old.value(), deadline)) != null;
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
        long nanos = nanos(ttl);
        items.forEach((key, value) -> store.put(key, value, nanos));
        return items.size();
    }

    @Override
    public long increment(String key, long amount) {
        ensureOpen();
        Checks.key(key);
        MemoryEntry updated = store.compute(key, old -> old == null
                ? new MemoryEntry(amount, deadline(defaultTtl))
                : new MemoryEntry(add(key, old.value(), amount), old.expiresAt()));
        return (Long) updated.value();
    }

    @Override
    public long clearNamespace() {
        ensureOpen();
        graceCopies.clear();
        return store.clear();
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
        return stats.snapshot(namespace, CacheBackend.MEMORY, !closed.get(), store.size());
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
            store.clear();
            graceCopies.clear();
        }
    }

    @Override
    public String toString() {
        return "MemoryCache{namespace='" + namespace + "', defaultTtl=" + defaultTtl + "}";
    }

    private long deadline(Duration ttl) {
        return ticker.read() + nanos(ttl);
    }

    /** Returns {@code ttl} in nanoseconds, capped at {@code Long.MAX_VALUE / 2} so that deadlines cannot overflow. */
    private static long nanos(Duration ttl) {
        try {
            return Math.min(ttl.toNanos(), Long.MAX_VALUE / 2);
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE / 2;
        }
    }

    /** Stores {@code value} for {@code ttl}, and its stale-if-error grace copy for {@code ttl + grace}. */
    boolean setLoaded(String key, V value, Duration ttl, Duration grace) {
        set(key, value, ttl);
        if (!grace.isZero()) {
            graceCopies.put(key, value, nanos(ttl.plus(grace)));
        }
        return true;
    }

    /** Returns the stale-if-error grace copy of {@code key}, or {@code null}; never a read of the cache. */
    @SuppressWarnings("unchecked")
    V graceCopy(String key) {
        return (V) graceCopies.get(key);
    }

    /**
     * Reads with the remaining TTL from the entry's deadline (only when the load policy needs it);
     * keeps stale-if-error grace copies apart from the entries. Every future is complete when returned.
     */
    private final class MemoryLoadTarget implements LoadTarget<V> {
        @Override
        @SuppressWarnings("unchecked")
        public CompletableFuture<TtlValue<V>> read(String key, boolean needTtl, Executor executor) {
            if (!needTtl) {
                Object value = store.get(key);
                return CompletableFuture.completedFuture(value == null ? null : new TtlValue<>((V) value, null));
            }
            MemoryEntry entry = store.getEntry(key);
            if (entry == null) {
                return CompletableFuture.completedFuture(null);
            }
            return CompletableFuture.completedFuture(
                    new TtlValue<>((V) entry.value(), Duration.ofNanos(Math.max(0, entry.expiresAt() - ticker.read()))));
        }

        @Override
        public CompletableFuture<Boolean> write(String key, V value, Duration ttl, Duration grace) {
            return CompletableFuture.completedFuture(setLoaded(key, value, ttl, grace));
        }

        @Override
        public CompletableFuture<V> readStale(String key, Executor executor) {
            return CompletableFuture.completedFuture(graceCopy(key));
        }

        @Override
        public CompletableFuture<V> writeLoaded(String key, V value, Duration ttl, Duration grace) {
            return CompletableFuture.completedFuture(storeLoaded(key, value, ttl, grace));
        }

        @Override
        public CompletableFuture<Optional<CacheLock>> tryLease(String key, Duration ttl) {
            return CompletableFuture.completedFuture(null); // one JVM: the in-process single flight is the whole story
        }
    }

    /**
     * Stores a value {@code getOrLoad} loaded after a miss for {@code ttl} if the key is still absent,
     * in one atomic step, and returns the value the key holds then: a value written while the loader
     * ran wins, as if the load had come first. The loaded value's grace copy ({@code ttl + grace},
     * when {@code grace} is positive) is kept only when it was stored.
     */
    @SuppressWarnings("unchecked")
    private V storeLoaded(String key, V value, Duration ttl, Duration grace) {
        ensureOpen();
        MemoryEntry mine = new MemoryEntry(value, deadline(ttl));
        MemoryEntry held = store.compute(key, old -> old == null ? mine : old);
        if (held == mine && !grace.isZero()) {
            graceCopies.put(key, value, nanos(ttl.plus(grace)));
        }
        return (V) held.value();
    }

    private long add(String key, Object current, long amount) {
        long value = integerValue(key, current);
        try {
            return Math.addExact(value, amount);
        } catch (ArithmeticException e) {
            throw new CacheException("counter '" + key + "' in namespace '" + namespace + "' would overflow a long: "
                    + value + " + " + amount);
        }
    }

    private long integerValue(String key, Object current) {
        if (current instanceof Long || current instanceof Integer || current instanceof Short || current instanceof Byte
                || current instanceof AtomicLong || current instanceof AtomicInteger) {
            return ((Number) current).longValue();
        }
        if (current instanceof BigInteger big && big.bitLength() < 64) {
            return big.longValue();
        }
        throw new CacheException("cannot increment key '" + key + "' in namespace '" + namespace + "': it holds a "
                + current.getClass().getSimpleName() + ", not an integer");
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
