package com.netrunsystems.cache.redis;

import com.netrunsystems.cache.AsyncCache;
import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.CacheLock;
import com.netrunsystems.cache.CacheStats;
import com.netrunsystems.cache.CacheUnavailableException;
import com.netrunsystems.cache.Codecs;
import com.netrunsystems.cache.ValueCodec;
import com.netrunsystems.cache.check.Checks;
import com.netrunsystems.cache.load.LoadPipeline;
import com.netrunsystems.cache.redis.connection.RedisEndpoint;
import com.netrunsystems.cache.redis.connection.RedisFailures;
import com.netrunsystems.cache.redis.connection.RedisKeys;
import com.netrunsystems.cache.redis.connection.RedisLink;
import com.netrunsystems.cache.redis.stats.KeyCounter;
import com.netrunsystems.cache.redis.stats.SharedStats;
import com.netrunsystems.cache.stats.ExtraStats;
import com.netrunsystems.cache.stats.ExtraStatsSource;
import com.netrunsystems.cache.stats.StatsCounter;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.SetArgs;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * A cache in Redis (standalone, TLS, ACL, Sentinel or Cluster), wire-compatible with the Python
 * netrun-cache: keys are {@code namespace:key}, values UTF-8 JSON, counters plain integers. Every
 * cache of the JVM on the same endpoint (addresses, db, user, password, TLS settings, connect timeout)
 * shares one Lettuce client, one multiplexed command connection and one pub/sub connection, opened
 * with the first such cache and closed with the last; each command is still bounded by this cache's
 * own {@code socketTimeout}.
 *
 * <pre>{@code
 * RedisCache<Object> cache = RedisCache.create(config);                       // JSON trees
 * RedisCache<User> users = RedisCache.builder(config).codec(Codecs.json(User.class)).build();
 * Optional<CacheLock> taken = cache.tryLock("lock:report", Duration.ofSeconds(30));
 * if (taken.isEmpty()) { ... }                               // held by someone else
 * else try (CacheLock lock = taken.get()) { ... }            // close() frees it only if still ours
 * }</pre>
 *
 * <p>Namespaces: {@code clearNamespace} removes {@code namespace:*} with glob characters escaped, so
 * {@code app} never touches {@code app2}. The key layout (shared with Python) cannot tell namespace
 * {@code app:x} key {@code k} from namespace {@code app} key {@code x:k}: a namespace that contains
 * {@code ':'} lives inside the namespace before the colon, and clearing that one clears it too.
 *
 * <p>Round trips: {@code get} is one {@code GET}; {@code getMany} one {@code MGET} (split by hash
 * slot on a Cluster, in parallel; a master that is down makes only its keys misses);
 * {@code getOrLoad} one {@code GET} ({@code GET}+{@code PTTL} when its {@link com.netrunsystems.cache.LoadPolicy}
 * refreshes ahead), plus one {@code SET} on a miss (with stale-if-error, a second {@code SET} of the grace
 * copy sent back to back with it, and a {@code GET} of that copy only when the loader fails), and concurrent blocking callers of
 * one key share a read in flight and a load in flight, so 1,000 callers on a cold key send about one
 * {@code GET} and one {@code SET}; {@code setMany} one pipelined flush of {@code SET … PX};
 * counters one Lua call ({@code INCRBY}, plus the default TTL when the key is new);
 * {@code clearNamespace} {@code SCAN MATCH} + {@code UNLINK} in batches of 1,000, on every master of
 * a Cluster, never {@code KEYS}.
 *
 * <p>Failures: see {@link Cache}. Reads fail open to misses, writes to {@code false}/0; counters
 * and locks throw {@link CacheUnavailableException}; with {@code failOpen(false)} everything throws.
 * Error replies are classified by prefix: write rejections ({@code OOM}, {@code MISCONF},
 * {@code READONLY}, {@code NOREPLICAS}) make a write answer {@code false} and are counted;
 * {@code LOADING}, {@code MASTERDOWN}, {@code CLUSTERDOWN}, {@code TRYAGAIN}, {@code BUSY},
 * {@code NOAUTH}, {@code WRONGPASS}, {@code NOPERM} fail open like a lost connection; any other
 * reply ({@code WRONGTYPE}, {@code ERR ...}) is the caller's error and is thrown as
 * {@link CacheException}, except that a read of a key holding another Redis type (a hash written by
 * someone else) is undecodable data: a miss, counted. A command that gets no reply fails after {@code socketTimeout} plus at
 * most 80 ms (measured 501-516 ms for 500 ms), unless a supplied client's timer is coarser.
 * After a failed connection attempt, calls fail fast for a short back-off (100 ms doubling to 1 s)
 * and the next call tries again; once connected, Lettuce reconnects by itself. Nothing needs a
 * restart or a manual call when Redis comes back.
 *
 * <p>Statistics are per instance; {@link CacheStats#cachedKeys()} is counted with {@code SCAN} in the
 * background at most once per {@link CacheConfig#keyCountRefresh()}; {@code stats()} never waits for
 * it: it reports the last count (0 until the first count has finished, which the first {@code stats()}
 * starts) and, past the interval, starts a recount. With {@link CacheConfig#sharedStats()}, hits and misses are also added to the
 * Python package's shared counters once a second.
 *
 * <p>Thread-safe. The synchronous methods wait on the same futures {@link #async()} returns.
 *
 * @param <V> the type of the cached values
 */
public final class RedisCache<V> implements Cache<V>, ExtraStatsSource {

    private static final SecureRandom TOKENS = new SecureRandom();
    /** Runs a reply's handling where the reply arrives: for replies that run no user code. */
    static final Executor DIRECT = Runnable::run;

    private final CacheConfig config;
    private final RedisKeys keys;
    private final RedisLink link;
    private final StatsCounter stats = new StatsCounter();
    private final RedisFailures failures;
    private final SharedStats sharedStats;
    private final KeyCounter keyCounter;
    private final RedisAsyncCache<V> async;
    private final LoadPipeline<V> loading;
    private final long awaitMillis;
    private final CallWaiter waiter;
    private final AtomicBoolean closed = new AtomicBoolean();

    private RedisCache(CacheConfig config, ValueCodec<V> codec, AbstractRedisClient client) {
        this.config = config;
        this.keys = new RedisKeys(config.namespace());
        RedisEndpoint endpoint = new RedisEndpoint(config);
        this.link = client == null ? RedisLink.create(endpoint) : RedisLink.shared(client, endpoint);
        this.failures = new RedisFailures(config.namespace(), link.endpoint(), config.failOpen(), stats);
        this.sharedStats = config.sharedStats() ? new SharedStats(keys, link) : null;
        this.async = new RedisAsyncCache<>(this, keys, codec, config.defaultTtl(), link, stats, failures,
                config.executor(), sharedStats, !config.loadPolicy().staleIfError().isZero());
        this.keyCounter = new KeyCounter(async::countKeys, config.keyCountRefresh());
        // A call may first wait for the connection, then for its reply; Lettuce bounds both.
        this.awaitMillis = config.socketConnectTimeout().plus(config.socketTimeout()).plusSeconds(1).toMillis();
        this.waiter = new CallWaiter(config.namespace(), config.failOpen(), failures, async.executor(), awaitMillis);
        this.loading = new LoadPipeline<>(config.loadPolicy(),
                new RedisLoadTarget<>(this, async, failures, sharedStats, config.failOpen(), awaitMillis), stats,
                config.executor());
    }

    /** Returns a cache of JSON-tree values ({@link Codecs#json()}) for {@code config}; it connects lazily. */
    public static RedisCache<Object> create(CacheConfig config) {
        return builder(config).build();
    }

    /** Returns a builder for {@code config}, with the JSON-tree codec until {@link Builder#codec} changes it. */
    public static Builder<Object> builder(CacheConfig config) {
        return new Builder<>(Objects.requireNonNull(config, "config"), Codecs.json(), null);
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
        return CacheBackend.REDIS;
    }

    /** Returns the configuration this cache was built with. */
    public CacheConfig config() {
        return config;
    }

    /**
     * Connects now and waits for it; idempotent.
     *
     * @throws CacheUnavailableException naming host and port when Redis cannot be reached
     */
    @Override
    public void initialize() {
        ensureOpen();
        link.connectNow(Duration.ofMillis(awaitMillis));
    }

    /** Returns whether the connection to Redis is open now. */
    public boolean isConnected() {
        return link.isConnected();
    }

    @Override
    public V get(String key, boolean trackStats) {
        return waiter.awaitHere(here -> async.get(key, trackStats, Function.identity(), null, here), "GET", key, null);
    }

    @Override
    public boolean set(String key, V value, Duration ttl) {
        return waiter.awaitOrFallback(async.set(key, value, ttl, DIRECT), "SET", key, false);
    }

    @Override
    public boolean setIfAbsent(String key, V value, Duration ttl) {
        return waiter.awaitOrFallback(async.setIfAbsent(key, value, ttl, DIRECT), "SET NX", key, false);
    }

    @Override
    public boolean delete(String key) {
        return waiter.awaitOrFallback(async.delete(key, DIRECT), "UNLINK", key, false);
    }

    @Override
    public boolean exists(String key) {
        return waiter.awaitOrFallback(async.exists(key, DIRECT), "EXISTS", key, false);
    }

    @Override
    public boolean expire(String key, Duration ttl) {
        return waiter.awaitOrFallback(async.expire(key, ttl, DIRECT), "PEXPIRE", key, false);
    }

    @Override
    public Map<String, V> getMany(Collection<String> keys) {
        return waiter.awaitHere(here -> async.getMany(keys, here), "MGET", null, new java.util.LinkedHashMap<>());
    }

    @Override
    public int setMany(Map<String, ? extends V> items, Duration ttl) {
        return waiter.awaitOrFallback(async.setMany(items, ttl, DIRECT), "SET (pipelined)", null, 0);
    }

    @Override
    public long increment(String key, long amount) {
        return waiter.await(async.increment(key, amount, DIRECT), "INCRBY", key);
    }

    @Override
    public long clearNamespace() {
        return waiter.awaitOrFallback(async.clearNamespace(DIRECT), "SCAN+UNLINK", null, 0L);
    }

    /**
     * {@inheritDoc}
     *
     * <p>Follows {@link CacheConfig#loadPolicy()}: with a distributed policy, one process loads under a
     * Redis lease while the others wait for its value. When this call's read failed as unavailable (a
     * timeout, a lost connection; fail-open), the loaded value is returned uncached, without a {@code SET}
     * that would wait for Redis a second time: the call waits for one timeout, not two, and counts one error.
     */
    @Override
    public V getOrLoad(String key, Duration ttl, Function<? super String, ? extends V> loader) {
        ensureOpen();
        return loading.getOrLoad(key, ttl, loader);
    }

    /**
     * Takes the lock {@code namespace:key} for {@code ttl} if nobody holds it ({@code SET NX PX} with
     * a random owner token). Release it with {@link CacheLock#close()}, which frees it only if this
     * holder still owns it; {@link CacheLock#renew(Duration)} extends the lease likewise.
     *
     * @return the held lock, or empty when somebody else holds it
     * @throws CacheUnavailableException when Redis cannot be reached (locks never fail open)
     */
    public Optional<CacheLock> tryLock(String key, Duration ttl) {
        return waiter.await(tryLockAsync(key, ttl), "acquire lock", key);
    }

    /** Sends {@link #tryLock}'s {@code SET NX PX}; the future fails with {@link CacheUnavailableException} when Redis is down. */
    CompletableFuture<Optional<CacheLock>> tryLockAsync(String key, Duration ttl) {
        ensureOpen();
        Checks.key(key);
        Checks.ttl(ttl);
        byte[] storedKey = keys.encode(key);
        byte[] random = new byte[16];
        TOKENS.nextBytes(random);
        String token = HexFormat.of().formatHex(random);
        SetArgs args = SetArgs.Builder.nx().px(Checks.millis(ttl)); // capped like every TTL
        return strictCallAsync("acquire lock", key, c -> c.commands()
                .set(storedKey, token.getBytes(StandardCharsets.UTF_8), args).toCompletableFuture())
                .thenApply(reply -> "OK".equals(reply)
                        ? Optional.<CacheLock>of(new RedisLock(key, storedKey, token, this)) : Optional.<CacheLock>empty());
    }

    /** Runs a command that never fails open (locks, probes): any failure becomes an exception. */
    <T> T strictCall(String operation, String key, Function<RedisLink.Connected, CompletableFuture<T>> call) {
        return waiter.await(strictCallAsync(operation, key, call), operation, key);
    }

    /** Sends a command that never fails open: its future fails with the {@code CacheException} of any failure. */
    <T> CompletableFuture<T> strictCallAsync(String operation, String key,
            Function<RedisLink.Connected, CompletableFuture<T>> call) {
        ensureOpen();
        return link.run(call).handle((value, error) -> error == null ? value : failures.fail(operation, key, error));
    }

    @Override
    public CacheStats stats() {
        long cachedKeys = closed.get() ? 0 : keyCounter.cachedKeys();
        return stats.snapshot(namespace(), CacheBackend.REDIS, link.isConnected(), cachedKeys);
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

    /**
     * Releases the shared connection; the last cache on the endpoint closes it (and the Lettuce client,
     * unless it was supplied); idempotent.
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            if (sharedStats != null) {
                sharedStats.close();
            }
            link.close();
        }
    }

    @Override
    public String toString() {
        return "RedisCache{namespace='" + namespace() + "', endpoint=" + link.endpoint() + "}";
    }

    /** Returns the load pipeline of both views' {@code getOrLoad}. */
    LoadPipeline<V> pipeline() {
        return loading;
    }

    /** Makes the next {@code stats()} count the keys again (the namespace was cleared). */
    void keysChanged() {
        keyCounter.invalidate();
    }

    RedisAsyncCache<V> asyncImpl() {
        return async;
    }

    RedisLink link() {
        return link;
    }

    <T> T await(CompletableFuture<T> future, String operation) {
        return waiter.await(future, operation, null);
    }

    void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("cache '" + namespace() + "' is closed");
        }
    }

    /**
     * Builds a {@link RedisCache}. Not thread-safe; the built cache is.
     *
     * @param <V> the type of the cached values
     */
    public static final class Builder<V> {
        private final CacheConfig config;
        private final ValueCodec<V> codec;
        private final AbstractRedisClient client;

        private Builder(CacheConfig config, ValueCodec<V> codec, AbstractRedisClient client) {
            this.config = config;
            this.codec = codec;
            this.client = client;
        }

        /** Returns a builder whose caches store values with {@code codec}, such as {@code Codecs.json(User.class)}. */
        public <T> Builder<T> codec(ValueCodec<T> codec) {
            return new Builder<>(config, Objects.requireNonNull(codec, "codec"), client);
        }

        /**
         * Uses an existing Lettuce {@code RedisClient} or {@code RedisClusterClient} (and its threads)
         * as it is, instead of creating one; caches given the same client (and endpoint) share one
         * connection on it, and the client stays open when they close. Connection settings other than
         * the URI come from the client; each command is still bounded by this cache's {@code socketTimeout}.
         */
        public Builder<V> client(AbstractRedisClient client) {
            return new Builder<>(config, codec, Objects.requireNonNull(client, "client"));
        }

        /**
         * Returns the cache; it connects on first use or on {@link RedisCache#initialize()}. The value
         * type is the codec's, not inferred from the assignment (unlike {@code MemoryCache.builder().build()}):
         * the codec decides what a read returns, so choose the type with {@link #codec}, as in
         * {@code RedisCache<String> c = RedisCache.builder(config).codec(Codecs.string()).build();}.
         */
        public RedisCache<V> build() {
            return new RedisCache<>(config, codec, client);
        }
    }
}
