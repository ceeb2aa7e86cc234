package com.netrunsystems.cache.redis;

import com.netrunsystems.cache.CacheLock;
import com.netrunsystems.cache.CacheUnavailableException;
import com.netrunsystems.cache.internal.TtlValue;
import com.netrunsystems.cache.load.LoadTarget;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the load pipeline of a {@link RedisCache} reads and writes: {@code GET} ({@code GET}+{@code PTTL}
 * when the policy needs the TTL), decoded on the executor the pipeline passes; {@code SET} (with the
 * grace copy in the same round trip); leases are {@code SET NX PX} locks. Each call is bounded like a
 * blocking call ({@code socketConnectTimeout + socketTimeout + 1 s}, for the first connect through Cluster
 * seeds or Sentinels; Lettuce times a command out first): past it, a read answers
 * {@link TtlValue#unanswered()} (fail-open, counted) and a write {@code false}. Thread-safe.
 *
 * @param <V> the type of the cached values
 */
final class RedisLoadTarget<V> implements LoadTarget<V> {

    private final RedisCache<V> cache;
    private final RedisAsyncCache<V> async;
    private final RedisFailures failures;
    private final SharedStats sharedStats;
    private final boolean failOpen;
    private final long awaitMillis;

    RedisLoadTarget(RedisCache<V> cache, RedisAsyncCache<V> async, RedisFailures failures, SharedStats sharedStats,
            boolean failOpen, long awaitMillis) {
        this.cache = cache;
        this.async = async;
        this.failures = failures;
        this.sharedStats = sharedStats;
        this.failOpen = failOpen;
        this.awaitMillis = awaitMillis;
    }

    @Override
    public CompletableFuture<TtlValue<V>> read(String key, boolean needTtl, Executor executor) {
        cache.ensureOpen();
        if (needTtl) {
            return bounded(async.getWithTtl(key, false, TtlValue.unanswered(), executor), "GET+PTTL", key,
                    TtlValue.unanswered());
        }
        return bounded(async.get(key, false, value -> new TtlValue<>(value, null), TtlValue.unanswered(), executor),
                "GET", key, TtlValue.unanswered());
    }

    @Override
    public boolean readsRemotely() {
        return true;
    }

    @Override
    public CompletableFuture<Boolean> write(String key, V value, Duration ttl, Duration grace) {
        CompletableFuture<Boolean> sent = grace.isZero() ? async.set(key, value, ttl, RedisCache.DIRECT)
                : async.setLoaded(key, value, ttl, grace, RedisCache.DIRECT);
        return bounded(sent, "SET", key, false);
    }

    @Override
    public CompletableFuture<V> readStale(String key, Executor executor) {
        return bounded(async.graceCopy(key, executor), "GET", key, null);
    }

    /** The pipeline counted the lookup in this cache's statistics; the shared ones count it too. */
    @Override
    public void recordLookup(boolean hit) {
        if (sharedStats != null) {
            sharedStats.record(hit ? 1 : 0, hit ? 0 : 1);
        }
    }

    @Override
    public CompletableFuture<Optional<CacheLock>> tryLease(String key, Duration ttl) {
        return cache.tryLockAsync(key, ttl).handle((lease, error) -> {
            if (error == null) {
                return lease;
            }
            Throwable cause = RedisFailures.unwrap(error);
            if (cause instanceof CacheUnavailableException) {
                return null; // Redis is down: load here, without a lease
            }
            throw cause instanceof RuntimeException runtime ? runtime : new java.util.concurrent.CompletionException(cause);
        });
    }

    /** {@code sent}, failing open to {@code fallback} (counted) when no answer comes within the wait bound. */
    private <T> CompletableFuture<T> bounded(CompletableFuture<T> sent, String operation, String key, T fallback) {
        if (sent.isDone()) {
            return sent;
        }
        return sent.orTimeout(awaitMillis, TimeUnit.MILLISECONDS).handle((value, error) -> {
            if (error == null) {
                return value;
            }
            Throwable cause = RedisFailures.unwrap(error);
            if (cause instanceof TimeoutException timeout) {
                if (failOpen) {
                    return failures.failOpen(operation, key, timeout, fallback);
                }
                throw failures.toException(operation, key, timeout);
            }
            throw cause instanceof RuntimeException runtime ? runtime : new java.util.concurrent.CompletionException(cause);
        });
    }
}
