package com.netrunsystems.cache;

import com.netrunsystems.cache.check.Checks;
import com.netrunsystems.cache.spi.RemoteLayer;
import com.netrunsystems.cache.stats.ExtraStats;
import com.netrunsystems.cache.stats.ExtraStatsSource;
import com.netrunsystems.cache.tiered.TieredLayers;
import com.netrunsystems.cache.tiered.TieredReads;
import com.netrunsystems.cache.tiered.TieredWrites;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A two-level cache: an in-memory L1 ({@link MemoryCache}, {@code l1MaxSize}, {@code l1Ttl}) in
 * front of a Redis L2 ({@code RedisCache}, found through {@link java.util.ServiceLoader} when
 * {@code netrun-cache-redis} is on the classpath; without it the manager is memory-only).
 *
 * <pre>{@code
 * CacheManager<Object> cache = CacheManager.create(config);
 * cache.get("user:789");          // L1, then L2; an L2 hit fills L1 for min(l1Ttl, remaining TTL)
 * cache.set("user:789", value);   // L2, then L1 for min(ttl, l1Ttl); other JVMs drop their copy
 * }</pre>
 *
 * <h2>Coherence across JVMs</h2>
 * Every write ({@code set*}, {@code delete}, {@code expire}, counters, {@code clearNamespace}) publishes
 * the changed keys on the pub/sub channel {@code netrun-cache:invalidate:<namespace>}; the namespace's
 * other managers drop them from L1. L1 is trusted only while this manager's subscription is confirmed,
 * or while L2 is down (then nobody can change L2); after a disconnection L1 is bypassed, and flushed
 * once the subscription is back, since messages sent meanwhile are lost. A change by another manager
 * is visible here once its message arrives; an L1 entry never outlives its L2 entry nor {@code l1Ttl};
 * a read that races with an invalidation does not fill L1. One window remains: after an outage this
 * manager may serve an entry another one changed until it reconnects itself (Lettuce's back-off, at
 * most 1 s, plus at most 500 ms until the next probe); then L1 is flushed. A subscription that stalls
 * without closing is caught by a heartbeat ({@code PING} every second, 2 s or {@code socketTimeout} to
 * answer): L1 is bypassed, a warning logged, and the manager subscribes again and flushes L1, so a
 * change is missed for at most 3 s.
 *
 * <h2>Outages</h2>
 * A circuit breaker guards L2: open after 3 consecutive failures; while open, a background probe every
 * 500 ms, whose success alone closes it (a late success of a call admitted before it opened does not).
 * Only unavailability (no connection, a timeout, {@code LOADING}, {@code MASTERDOWN}, ...) counts
 * towards opening it. A write rejection ({@code OOM}, {@code MISCONF}, {@code READONLY}, ...;
 * {@link CacheUnavailableException.Kind#WRITE_REJECTED}) is counted as an error and no layer keeps
 * the value: L1 drops the key and the write answers {@code false} ({@code setMany} 0). While L2 is
 * unreachable (a failed or timed-out call, or an open circuit) reads never throw and are served by
 * L1; writes go to L1 and answer {@code true} ({@code setMany}: the number L1 stored); the failure is
 * counted in {@code errors} (a call the open circuit skipped counts nothing). {@code setIfAbsent} that
 * could not ask L2 is decided by L1 alone, so during an outage it guards nothing across JVMs. When L2
 * is back, L1 is flushed. Counters: a manager that has never reached L2 keeps them in L1 (as the seed
 * does); once it has, a counter call while L2 is down throws {@link CacheUnavailableException}. With
 * {@code failOpen(false)}, reads and writes throw too. A value this manager wrote or read is served
 * from L1 when Redis dies right after, also straight after {@link #create}: the first call (or
 * {@link #initialize()}) waits once, at most {@code socketConnectTimeout + socketTimeout}, until the
 * first subscription attempt has ended, so that the confirmation's flush does not remove it.
 *
 * <p>Values in L1 are stored by reference. {@link #async()} never blocks: an L1 hit, or a call the
 * open circuit keeps from L2, completes at once; a call that goes to L2 returns its future at once
 * and completes when Redis answers (on the Redis I/O thread), within {@code socketTimeout} (a frozen
 * Redis: the fail-open answer then); the first call's wait for the subscription is a future too.
 * Each blocking method is a bounded wait on the same future; an L1 hit of {@code get} answers without
 * one, and {@code getOrLoad} runs the load pipeline over the same reads and writes. Thread-safe. The parts live in {@code com.netrunsystems.cache.tiered}.
 *
 * @param <V> the type of the cached values
 */
public final class CacheManager<V> implements Cache<V>, ExtraStatsSource {

    private final CacheConfig config;
    private final MemoryCache<V> l1;
    private final TieredLayers<V> layers;
    private final TieredReads<V> reads;
    private final TieredWrites<V> writes;
    private final AtomicBoolean closed = new AtomicBoolean();

    private CacheManager(Builder<V> builder) {
        this.config = builder.config;
        this.l1 = MemoryCache.<V>builder()
                .namespace(config.namespace())
                .defaultTtl(config.defaultTtl()) // used by counters kept in L1 alone; writes pass their own TTL
                .commonTtl(config.l1Ttl())       // the TTL of most L1 writes and fills
                .maxSize(config.l1MaxSize())
                .evictionPolicy(config.evictionPolicy())
                .ticker(builder.ticker)
                .build();
        RemoteLayer<V> l2 = builder.withL2
                ? Caches.remoteProvider().map(p -> p.createLayer(config, builder.codec)).orElse(null) : null;
        this.layers = new TieredLayers<>(config, new MemoryLocalLayer<>(l1), l2, builder.failureThreshold,
                builder.openDuration, builder.ticker, this, this::checkOpen);
        this.reads = layers.reads();
        this.writes = layers.writes();
    }

    /** Returns a manager of JSON-tree values for {@code config}; memory-only when no L2 module is present. */
    public static CacheManager<Object> create(CacheConfig config) {
        return builder(config).build();
    }

    /** Returns a builder for {@code config}, with the JSON-tree codec for L2 until {@link Builder#codec} changes it. */
    public static Builder<Object> builder(CacheConfig config) {
        return new Builder<>(Objects.requireNonNull(config, "config"), Codecs.json());
    }

    @Override
    public String namespace() {
        return config.namespace();
    }

    @Override
    public Duration defaultTtl() {
        return config.defaultTtl();
    }

    @Override
    public CacheBackend backend() {
        return CacheBackend.MULTI_LAYER;
    }

    /** Returns whether an L2 module was found (it may still be unreachable). */
    public boolean hasL2() {
        return layers.hasL2();
    }

    /** Returns the state of the circuit breaker around L2, or empty when there is no L2. */
    public Optional<CircuitState> l2Circuit() {
        return layers.l2Circuit();
    }

    /**
     * Connects L2 now; when it cannot be reached, opens the circuit (the manager then serves from L1
     * and keeps probing) instead of throwing, unless the config says {@code failOpen(false)}.
     *
     * @throws CacheUnavailableException when L2 is unreachable and the cache does not fail open
     */
    @Override
    public void initialize() {
        ensureOpen();
        layers.initialize();
    }

    @Override
    public V get(String key, boolean trackStats) {
        ensureOpen();
        Checks.key(key);
        boolean trusted = reads.trusted();
        V local = reads.hit(key, trackStats, trusted); // the fast path: an L1 hit allocates nothing
        return local != null ? local : await(reads.miss(key, trackStats, trusted));
    }

    @Override
    public boolean set(String key, V value, Duration ttl) {
        ensureOpen();
        return await(writes.set(key, value, ttl));
    }

    @Override
    public boolean setIfAbsent(String key, V value, Duration ttl) {
        ensureOpen();
        return await(writes.setIfAbsent(key, value, ttl));
    }

    @Override
    public boolean delete(String key) {
        ensureOpen();
        return await(writes.delete(key));
    }

    /**
     * Deletes like {@link #delete}, but throws when L2 was not reached (circuit open, or the call
     * failed), counting it as an error; for {@code @CacheInvalidate}, which must not mistake a failed
     * delete for a key that was absent. Not API: {@link CachedProxy} hands it to the method machinery
     * as a {@code method.StrictDelete}.
     *
     * @throws CacheUnavailableException when L2 did not take the delete
     */
    boolean deleteOrThrow(String key) {
        ensureOpen();
        return await(writes.deleteOrFail(key));
    }

    @Override
    public boolean exists(String key) {
        ensureOpen();
        return await(reads.exists(key));
    }

    @Override
    public boolean expire(String key, Duration ttl) {
        ensureOpen();
        return await(writes.expire(key, ttl));
    }

    @Override
    public Map<String, V> getMany(Collection<String> keys) {
        ensureOpen();
        return await(reads.getMany(keys));
    }

    @Override
    public int setMany(Map<String, ? extends V> items, Duration ttl) {
        ensureOpen();
        return await(writes.setMany(items, ttl));
    }

    @Override
    public long increment(String key, long amount) {
        ensureOpen();
        return await(writes.increment(key, amount));
    }

    @Override
    public long clearNamespace() {
        ensureOpen();
        return await(writes.clearNamespace());
    }

    /**
     * {@inheritDoc}
     *
     * <p>Follows {@link CacheConfig#loadPolicy()}: with a distributed policy, one process loads under a
     * Redis lease while the others wait for its value. Refresh-ahead looks at the remaining TTL of
     * values read from L2, so for a key served from L1 it triggers at the next L2 read (at most
     * {@code l1Ttl} later). When this call's L2 read failed as unavailable (a timeout, a lost connection),
     * the loaded value goes to L1 only, without a second L2 call: the call waits for one timeout, not two,
     * and counts one error.
     */
    @Override
    public V getOrLoad(String key, Duration ttl, Function<? super String, ? extends V> loader) {
        ensureOpen();
        return layers.loading().getOrLoad(key, ttl, loader);
    }

    /**
     * Returns the statistics of the L1 alone. L1 counts every read of this manager that tracks
     * statistics, once: a hit when L1 answered, else a miss, also when L1 was not consulted (until the
     * invalidation channel is subscribed, L1 copies are not trusted and reads go to L2). So
     * {@code l1Stats().totalRequests()} equals {@code stats().totalRequests()} for {@code get} and
     * {@code getMany}, and {@link #l2Stats()} counts the L1 misses that reached Redis.
     */
    public CacheStats l1Stats() {
        return layers.statistics().l1();
    }

    /**
     * Returns the statistics of the L2 alone, or empty without an L2: its hits and misses are the reads
     * that reached Redis (L1 misses while Redis is up), its errors every failed Redis call.
     */
    public Optional<CacheStats> l2Stats() {
        return layers.statistics().l2();
    }

    /**
     * Returns the combined statistics: a read is a hit when either layer served it. {@code errors} is
     * every failure of either layer: what {@link #l2Stats()} counts (failed Redis commands, including
     * the connection checks of {@link #initialize()} and of the background probe while Redis is down,
     * and values that could not be decoded), plus L1's, plus the rare wait for L2 that ran out
     * before Redis answered; so a manager whose Redis is down shows errors, also while its circuit is
     * open. {@code cachedKeys} is L2's count while it is up, else L1's.
     */
    @Override
    public CacheStats stats() {
        return layers.statistics().combined();
    }

    @Override
    public void resetStats() {
        layers.statistics().reset();
    }

    /** Not API: load time, stampede waits and invalidation messages, for netrun-cache-micrometer. */
    @Override
    public ExtraStats extraStats() {
        return layers.extraStats();
    }

    @Override
    public AsyncCache<V> async() {
        return layers.async();
    }

    /** Closes L2, the invalidation subscription, the background probe and L1; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        layers.close();
        l1.close();
    }

    @Override
    public String toString() {
        return "CacheManager{namespace='" + namespace() + "', l2=" + layers.describeL2() + "}";
    }

    /** The blocking view's wait on an operation: bounded; throws what the operation failed with. */
    private <T> T await(CompletableFuture<T> operation) {
        return layers.await(operation);
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new IllegalStateException("cache '" + namespace() + "' is closed");
        }
    }

    /** {@link #checkOpen()}, and the first blocking call waits for the first subscription attempt. */
    private void ensureOpen() {
        checkOpen();
        layers.awaitReady();
    }

    /**
     * Builds a {@link CacheManager}. Not thread-safe; the built manager is.
     *
     * @param <V> the type of the cached values
     */
    public static final class Builder<V> {
        private final CacheConfig config;
        private final ValueCodec<V> codec;
        private boolean withL2 = true;
        private Ticker ticker = Ticker.system();
        private int failureThreshold = 3;
        private Duration openDuration = Duration.ofMillis(500);

        private Builder(CacheConfig config, ValueCodec<V> codec) {
            this.config = config;
            this.codec = codec;
        }

        /** Returns a builder whose L2 stores values with {@code codec}, such as {@code Codecs.json(User.class)}. */
        public <T> Builder<T> codec(ValueCodec<T> codec) {
            Builder<T> typed = new Builder<>(config, Objects.requireNonNull(codec, "codec"));
            typed.withL2 = withL2;
            typed.ticker = ticker;
            typed.failureThreshold = failureThreshold;
            typed.openDuration = openDuration;
            return typed;
        }

        /** Builds a memory-only manager even when an L2 module is on the classpath. */
        public Builder<V> memoryOnly() {
            this.withL2 = false;
            return this;
        }

        /** Sets the time source of L1 expiry and the circuit breaker; tests pass a fake one. */
        public Builder<V> ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * Sets when the L2 circuit opens (after {@code failureThreshold} consecutive failures) and how
         * long it stays open before a probe; defaults 3 and 500 ms.
         */
        public Builder<V> circuitBreaker(int failureThreshold, Duration openDuration) {
            if (failureThreshold < 1) {
                throw new IllegalArgumentException("failureThreshold must be at least 1, was " + failureThreshold);
            }
            this.failureThreshold = failureThreshold;
            this.openDuration = Checks.ttl(openDuration, "openDuration");
            return this;
        }

        /**
         * Returns the manager; L2 connects in the background. The value type is the codec's (see
         * {@link #codec}), not inferred from the assignment, because the L2 codec decides what a read returns.
         */
        public CacheManager<V> build() {
            return new CacheManager<>(this);
        }
    }
}
