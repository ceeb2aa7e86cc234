package com.netrunsystems.cache.redis;

import com.netrunsystems.cache.AsyncCache;
import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheSerializationException;
import com.netrunsystems.cache.ValueCodec;
import com.netrunsystems.cache.check.Checks;
import com.netrunsystems.cache.load.Abandonable;
import com.netrunsystems.cache.load.Hop;
import com.netrunsystems.cache.load.Stages;
import com.netrunsystems.cache.load.TtlValue;
import com.netrunsystems.cache.redis.connection.RedisFailures;
import com.netrunsystems.cache.redis.connection.RedisKeys;
import com.netrunsystems.cache.redis.connection.RedisLink;
import com.netrunsystems.cache.redis.stats.KeyCounter;
import com.netrunsystems.cache.redis.stats.SharedStats;
import com.netrunsystems.cache.stats.StatsCounter;
import io.lettuce.core.SetArgs;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Function;

/**
 * The natively asynchronous operations of a {@link RedisCache}: each call sends its commands on
 * the shared connection and returns at once; no thread waits. The synchronous {@link RedisCache}
 * waits on these futures. Fail-open answers, statistics and decoding happen here, once; multi-key
 * operations, counters and namespace scans are in {@link MultiKeyOperations}, {@link CounterOperations} and
 * {@link NamespaceScan}. Thread-safe: its state is final, shared with the owning cache.
 */
final class RedisAsyncCache<V> implements AsyncCache<V> {

    private final RedisCache<V> owner;
    private final RedisKeys keys;
    private final ValueCodec<V> codec;
    private final RedisLink link;
    private final StatsCounter stats;
    private final RedisFailures failures;
    /** Where replies are handled (decoded) and every returned future completes: never a Lettuce I/O thread. */
    private final Executor executor;
    private final SharedStats sharedStats;
    /** Whether the load policy keeps stale-if-error grace copies, which {@code delete} then removes too. */
    private final boolean graceCopies;
    private final MultiKeyOperations<V> multiKey;
    private final NamespaceScan scan;
    private final CounterOperations counters;

    RedisAsyncCache(RedisCache<V> owner, RedisKeys keys, ValueCodec<V> codec, Duration defaultTtl, RedisLink link,
            StatsCounter stats, RedisFailures failures, Executor executor, SharedStats sharedStats,
            boolean graceCopies) {
        this.owner = owner;
        this.keys = keys;
        this.codec = codec;
        this.link = link;
        this.stats = stats;
        this.failures = failures;
        this.executor = executor;
        this.sharedStats = sharedStats;
        this.graceCopies = graceCopies;
        this.multiKey = new MultiKeyOperations<>(this, keys, failures);
        this.scan = new NamespaceScan(keys);
        this.counters = new CounterOperations(this, keys, defaultTtl, failures);
    }

    @Override
    public Cache<V> synchronous() {
        return owner;
    }

    @Override
    public CompletableFuture<V> get(String key, boolean trackStats) {
        return get(key, trackStats, Function.identity(), null, executor);
    }

    /**
     * {@code GET}: a found value passed through {@code wrap}, {@code null} on a miss, {@code unavailable}
     * when Redis fails as unavailable and the cache fails open (counted and logged). The read is
     * {@linkplain Abandonable abandonable}, as {@link #getWithTtl} is: once abandoned it counts nothing.
     */
    <T> CompletableFuture<T> get(String key, boolean trackStats, Function<V, T> wrap, T unavailable, Executor ex) {
        owner.ensureOpen();
        byte[] storedKey = keys.encode(Checks.key(key));
        return Abandonable.of(run(ex, c -> c.commands().get(storedKey).toCompletableFuture())).handle((bytes, error) -> {
            if (error != null) {
                abandoned(error);
                T fallback = failures.failOpenRead("GET", key, error, null, unavailable);
                if (trackStats) {
                    recordLookup(false);
                }
                return fallback;
            }
            V value = decode(key, bytes);
            if (trackStats) {
                recordLookup(value != null);
            }
            return value == null ? null : wrap.apply(value);
        });
    }

    /**
     * Returns the value under {@code key} with its remaining TTL: {@code GET} and {@code PTTL} sent
     * back to back on the connection, so one round trip; {@code null} on a miss.
     */
    CompletableFuture<TtlValue<V>> getWithTtl(String key, boolean trackStats) {
        return getWithTtl(key, trackStats, null, executor);
    }

    /** Reads like {@link #getWithTtl(String, boolean)}, answering {@code unavailable} when Redis fails as unavailable. */
    CompletableFuture<TtlValue<V>> getWithTtl(String key, boolean trackStats, TtlValue<V> unavailable, Executor ex) {
        owner.ensureOpen();
        byte[] storedKey = keys.encode(Checks.key(key));
        return Abandonable.of(run(ex, c -> {
            CompletableFuture<byte[]> value = c.commands().get(storedKey).toCompletableFuture();
            CompletableFuture<Long> ttl = c.commands().pttl(storedKey).toCompletableFuture();
            return value.thenCombine(ttl, RawTtl::new);
        })).thenApply(raw -> withTtl(key, raw.bytes(), raw.millis())).handle((found, error) -> {
            abandoned(error);
            TtlValue<V> result = error != null ? failures.failOpenRead("GET+PTTL", key, error, null, unavailable) : found;
            if (trackStats) {
                recordLookup(result != null && result.value() != null);
            }
            return result;
        });
    }

    /**
     * Rethrows the {@linkplain Abandonable abandonment} of a read whose blocking caller stopped waiting, so that
     * the stage fails with it uncounted and unlogged: the caller's interrupt says nothing about Redis.
     */
    private static void abandoned(Throwable error) {
        if (error != null && Abandonable.isAbandonment(error)) {
            throw (RuntimeException) Stages.unwrap(error);
        }
    }

    /**
     * Returns the found keys with their remaining TTLs: an {@code MGET} (on a Cluster one per hash slot, as
     * {@link #getMany}) and a {@code PTTL} per key, pipelined. On a Cluster a master that is down costs only its
     * keys: the others are returned and the failure is counted ({@link RedisFailures#partial}).
     */
    CompletableFuture<Map<String, TtlValue<V>>> getManyWithTtl(Collection<String> requested) {
        return getManyWithTtl(requested, executor);
    }

    /** Like {@link #getManyWithTtl(Collection)}, decoding on {@code ex}. */
    CompletableFuture<Map<String, TtlValue<V>>> getManyWithTtl(Collection<String> requested, Executor ex) {
        return multiKey.getManyWithTtl(requested, ex);
    }

    /** Returns {@code PING}'s completion; fails when Redis does not answer. */
    CompletableFuture<String> ping() {
        return link.run(c -> c.commands().ping().toCompletableFuture());
    }

    /** A value's bytes and its {@code PTTL}, as received, decoded later off the I/O thread. */
    private record RawTtl(byte[] bytes, Long millis) {
    }

    /** Decodes a value read with its {@code PTTL}; {@code null} when missing, undecodable or expired meanwhile. */
    TtlValue<V> withTtl(String key, byte[] bytes, Long millis) {
        V value = decode(key, bytes);
        if (value == null || millis == null || millis == -2) {
            return null; // missing, undecodable, or expired between the two commands
        }
        return new TtlValue<>(value, millis < 0 ? null : Duration.ofMillis(millis));
    }

    @Override
    public CompletableFuture<Boolean> set(String key, V value, Duration ttl) {
        return set(key, value, ttl, executor);
    }

    /** {@code SET … PX}, completing on {@code ex}. */
    CompletableFuture<Boolean> set(String key, V value, Duration ttl, Executor ex) {
        owner.ensureOpen();
        byte[] storedKey = keys.encode(Checks.key(key));
        byte[] payload = encode(key, Checks.value(key, value));
        SetArgs args = SetArgs.Builder.px(Checks.millis(Checks.ttl(ttl)));
        return run(ex, c -> c.commands().set(storedKey, payload, args).toCompletableFuture())
                .handle((reply, error) -> error != null ? failures.failOpen("SET", key, error, false) : "OK".equals(reply));
    }

    @Override
    public CompletableFuture<Boolean> setIfAbsent(String key, V value, Duration ttl) {
        return setIfAbsent(key, value, ttl, executor);
    }

    CompletableFuture<Boolean> setIfAbsent(String key, V value, Duration ttl, Executor ex) {
        owner.ensureOpen();
        byte[] storedKey = keys.encode(Checks.key(key));
        byte[] payload = encode(key, Checks.value(key, value));
        SetArgs args = SetArgs.Builder.nx().px(Checks.millis(Checks.ttl(ttl)));
        return run(ex, c -> c.commands().set(storedKey, payload, args).toCompletableFuture())
                .handle((reply, error) -> error != null
                        ? failures.failOpen("SET NX", key, error, false) : "OK".equals(reply));
    }

    /**
     * Stores a loaded value for {@code ttl} and its stale-if-error grace copy under
     * {@code namespace:__netrun_stale__:key} for {@code ttl + grace}: two {@code SET}s sent back to
     * back, one round trip. Answers whether the value was stored; a grace copy that fails only costs
     * stale-if-error its fallback.
     */
    CompletableFuture<Boolean> setLoaded(String key, V value, Duration ttl, Duration grace) {
        return setLoaded(key, value, ttl, grace, executor);
    }

    CompletableFuture<Boolean> setLoaded(String key, V value, Duration ttl, Duration grace, Executor ex) {
        owner.ensureOpen();
        byte[] storedKey = keys.encode(Checks.key(key));
        byte[] staleKey = keys.encodeStale(key);
        byte[] payload = encode(key, Checks.value(key, value));
        SetArgs args = SetArgs.Builder.px(Checks.millis(ttl));
        SetArgs graceArgs = SetArgs.Builder.px(Checks.millis(ttl.plus(grace)));
        return run(ex, c -> {
            CompletableFuture<String> stored = c.commands().set(storedKey, payload, args).toCompletableFuture();
            CompletableFuture<String> copy = c.commands().set(staleKey, payload, graceArgs).toCompletableFuture();
            return stored.thenCombine(copy.exceptionally(error -> null), (reply, ignored) -> reply);
        }).handle((reply, error) -> error != null ? failures.failOpen("SET", key, error, false) : "OK".equals(reply));
    }

    /** Returns the stale-if-error grace copy of {@code key}, or {@code null}; counts no lookup. */
    CompletableFuture<V> graceCopy(String key) {
        return graceCopy(key, executor);
    }

    /** Like {@link #graceCopy(String)}, decoding on {@code ex}. */
    CompletableFuture<V> graceCopy(String key, Executor ex) {
        owner.ensureOpen();
        byte[] staleKey = keys.encodeStale(Checks.key(key));
        return run(ex, c -> c.commands().get(staleKey).toCompletableFuture())
                .handle((bytes, error) -> error != null ? failures.failOpenRead("GET", key, error, null, null) : decode(key, bytes));
    }

    @Override
    public CompletableFuture<Boolean> delete(String key) {
        return delete(key, executor);
    }

    CompletableFuture<Boolean> delete(String key, Executor ex) {
        owner.ensureOpen();
        byte[] storedKey = keys.encode(Checks.key(key));
        if (!graceCopies) {
            return run(ex, c -> c.commands().unlink(storedKey).toCompletableFuture())
                    .handle((removed, error) -> error != null ? failures.failOpen("UNLINK", key, error, false) : removed > 0);
        }
        // the grace copy goes too (a deleted value is not served as stale); two commands, not one
        // multi-key UNLINK, as on a Cluster the two keys may live in different hash slots
        byte[] staleKey = keys.encodeStale(key);
        return run(ex, c -> {
            CompletableFuture<Long> removed = c.commands().unlink(storedKey).toCompletableFuture();
            CompletableFuture<Long> stale = c.commands().unlink(staleKey).toCompletableFuture();
            return removed.thenCombine(stale, (main, copy) -> main);
        }).handle((removed, error) -> error != null ? failures.failOpen("UNLINK", key, error, false) : removed > 0);
    }

    @Override
    public CompletableFuture<Boolean> exists(String key) {
        return exists(key, executor);
    }

    CompletableFuture<Boolean> exists(String key, Executor ex) {
        owner.ensureOpen();
        byte[] storedKey = keys.encode(Checks.key(key));
        return run(ex, c -> c.commands().exists(storedKey).toCompletableFuture())
                .handle((count, error) -> error != null ? failures.failOpen("EXISTS", key, error, false) : count > 0);
    }

    @Override
    public CompletableFuture<Boolean> expire(String key, Duration ttl) {
        return expire(key, ttl, executor);
    }

    CompletableFuture<Boolean> expire(String key, Duration ttl, Executor ex) {
        owner.ensureOpen();
        byte[] storedKey = keys.encode(Checks.key(key));
        long millis = Checks.millis(Checks.ttl(ttl));
        return run(ex, c -> c.commands().pexpire(storedKey, millis).toCompletableFuture())
                .handle((done, error) -> error != null
                        ? failures.failOpen("PEXPIRE", key, error, false) : Boolean.TRUE.equals(done));
    }

    @Override
    public CompletableFuture<Map<String, V>> getMany(Collection<String> requested) {
        return getMany(requested, executor);
    }

    CompletableFuture<Map<String, V>> getMany(Collection<String> requested, Executor ex) {
        return multiKey.getMany(requested, ex);
    }


    @Override
    public CompletableFuture<Integer> setMany(Map<String, ? extends V> items, Duration ttl) {
        return setMany(items, ttl, executor);
    }

    CompletableFuture<Integer> setMany(Map<String, ? extends V> items, Duration ttl, Executor ex) {
        return multiKey.setMany(items, ttl, ex);
    }

    @Override
    public CompletableFuture<Long> increment(String key, long amount) {
        return increment(key, amount, executor);
    }

    CompletableFuture<Long> increment(String key, long amount, Executor ex) {
        return counters.increment(key, amount, ex);
    }

    @Override
    public CompletableFuture<Long> clearNamespace() {
        return clearNamespace(executor);
    }

    CompletableFuture<Long> clearNamespace(Executor ex) {
        owner.ensureOpen();
        return run(ex, scan::clear)
                .whenComplete((removed, error) -> owner.keysChanged()) // also when it failed part way
                .handle((removed, error) -> error != null ? failures.failOpen("SCAN+UNLINK", "*", error, 0L) : removed);
    }

    /** Counts this namespace's keys with {@code SCAN}, in the background; for {@link KeyCounter}. */
    CompletableFuture<Long> countKeys() {
        return link.run(scan::count);
    }

    /** Runs the cache's load pipeline (the same one as the blocking {@code getOrLoad}); steps after replies run on the executor. */
    @Override
    public CompletableFuture<V> getOrLoad(String key, Duration ttl,
            Function<? super String, ? extends CompletableFuture<V>> loader) {
        Checks.key(key);
        Checks.ttl(ttl);
        Checks.loader(loader);
        owner.ensureOpen();
        return owner.pipeline().getOrLoadAsync(key, ttl, loader);
    }

    /** Fails with {@link IllegalStateException} when the cache is closed. */
    void ensureOpen() {
        owner.ensureOpen();
    }

    /** Returns the executor where replies are handled and futures complete. */
    Executor executor() {
        return executor;
    }

    /**
     * Sends {@code call} and returns its reply completing on {@code ex}, so that what follows (decoding,
     * the caller's own stages) never runs on a Lettuce I/O thread; {@link RedisCache#DIRECT} skips the hop
     * for replies no user code handles.
     */
    <T> CompletableFuture<T> run(Executor ex, Function<RedisLink.Connected, CompletableFuture<T>> call) {
        CompletableFuture<T> sent = link.run(call);
        return ex == RedisCache.DIRECT ? sent : Hop.to(sent, ex);
    }

    /** Encodes with the codec; throws {@code CacheSerializationException} naming key, namespace and codec. */
    byte[] encode(String key, V value) {
        try {
            return codec.encode(value);
        } catch (RuntimeException e) {
            throw new CacheSerializationException("cannot encode the value of key '" + key + "' in namespace '"
                    + keys.namespace() + "': a " + value.getClass().getName() + " with codec " + codec.description()
                    + ": " + e.getMessage(), e);
        }
    }

    /** Decodes with the codec; {@code null} for a miss or an undecodable value (counted and logged). */
    V decode(String key, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return codec.decode(bytes);
        } catch (RuntimeException e) {
            failures.undecodable(key, codec.description(), e);
            return null;
        }
    }

    private void recordLookup(boolean hit) {
        recordLookups(hit ? 1 : 0, hit ? 0 : 1);
    }

    /** Counts hits and misses, in this instance's and (when enabled) the shared statistics. */
    void recordLookups(long hits, long misses) {
        stats.recordHits(hits);
        stats.recordMisses(misses);
        if (sharedStats != null) {
            sharedStats.record(hits, misses);
        }
    }
}
