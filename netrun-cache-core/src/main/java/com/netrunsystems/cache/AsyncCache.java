package com.netrunsystems.cache;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The non-blocking view of a {@link Cache}: the same operations, with the same names and
 * semantics, returning {@link CompletableFuture}s. On Redis the calls are natively asynchronous
 * (no thread waits per call); on memory the futures are already complete.
 *
 * <p>Argument errors ({@link IllegalArgumentException}) are thrown at once, not through the
 * future. Fail-open outcomes complete normally (a miss, {@code false}, {@code 0}); failures that
 * {@link Cache} throws complete the future exceptionally with the same exception.
 *
 * <p>Implementations are thread-safe.
 *
 * @param <V> the type of the cached values
 */
public interface AsyncCache<V> {

    /** Returns the blocking view backed by the same cache. */
    Cache<V> synchronous();

    /** See {@link Cache#get(String)}. */
    default CompletableFuture<V> get(String key) {
        return get(key, true);
    }

    /** See {@link Cache#get(String, boolean)}. */
    CompletableFuture<V> get(String key, boolean trackStats);

    /** See {@link Cache#set(String, Object)}. */
    default CompletableFuture<Boolean> set(String key, V value) {
        return set(key, value, synchronous().defaultTtl());
    }

    /** See {@link Cache#set(String, Object, Duration)}. */
    CompletableFuture<Boolean> set(String key, V value, Duration ttl);

    /** See {@link Cache#setIfAbsent(String, Object)}. */
    default CompletableFuture<Boolean> setIfAbsent(String key, V value) {
        return setIfAbsent(key, value, synchronous().defaultTtl());
    }

    /** See {@link Cache#setIfAbsent(String, Object, Duration)}. */
    CompletableFuture<Boolean> setIfAbsent(String key, V value, Duration ttl);

    /** See {@link Cache#delete(String)}. */
    CompletableFuture<Boolean> delete(String key);

    /** See {@link Cache#exists(String)}. */
    CompletableFuture<Boolean> exists(String key);

    /** See {@link Cache#expire(String, Duration)}. */
    CompletableFuture<Boolean> expire(String key, Duration ttl);

    /** See {@link Cache#getMany(Collection)}. */
    CompletableFuture<Map<String, V>> getMany(Collection<String> keys);

    /** See {@link Cache#setMany(Map)}. */
    default CompletableFuture<Integer> setMany(Map<String, ? extends V> items) {
        return setMany(items, synchronous().defaultTtl());
    }

    /** See {@link Cache#setMany(Map, Duration)}. */
    CompletableFuture<Integer> setMany(Map<String, ? extends V> items, Duration ttl);

    /** See {@link Cache#increment(String)}. */
    default CompletableFuture<Long> increment(String key) {
        return increment(key, 1);
    }

    /** See {@link Cache#increment(String, long)}. */
    CompletableFuture<Long> increment(String key, long amount);

    /** See {@link Cache#decrement(String)}. */
    default CompletableFuture<Long> decrement(String key) {
        return decrement(key, 1);
    }

    /** See {@link Cache#decrement(String, long)}. */
    default CompletableFuture<Long> decrement(String key, long amount) {
        if (amount == Long.MIN_VALUE) {
            throw new IllegalArgumentException("amount must be greater than Long.MIN_VALUE, was " + amount);
        }
        return increment(key, -amount);
    }

    /** See {@link Cache#clearNamespace()}. */
    CompletableFuture<Long> clearNamespace();

    /** Read-through with the default TTL; see {@link #getOrLoad(String, Duration, Function)}. */
    default CompletableFuture<V> getOrLoad(String key, Function<? super String, ? extends CompletableFuture<V>> loader) {
        return getOrLoad(key, synchronous().defaultTtl(), loader);
    }

    /**
     * Returns the value under {@code key}, or starts {@code loader} on a miss and stores its result
     * for {@code ttl} once the loader's future completes. Concurrent callers for the same key share
     * one in-flight load; a failed load completes every caller's future exceptionally and caches
     * nothing; a {@code null} result caches nothing.
     */
    CompletableFuture<V> getOrLoad(String key, Duration ttl,
            Function<? super String, ? extends CompletableFuture<V>> loader);
}
