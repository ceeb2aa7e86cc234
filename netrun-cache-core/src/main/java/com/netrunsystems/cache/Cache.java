package com.netrunsystems.cache;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.function.Function;

/**
 * A cache of values of type {@code V} under string keys, isolated by {@linkplain #namespace()
 * namespace}. One interface for every backend: {@link MemoryCache}, {@code RedisCache} and
 * {@link CacheManager} hold to the same semantics, and {@link #async()} offers the same operations
 * without blocking.
 *
 * <h2>Failures</h2>
 * Unless the cache was configured with {@code failOpen(false)}, an unreachable or slow backend
 * never makes a read throw: {@link #get}, {@link #getMany} and {@link #exists} answer as for a miss,
 * writes ({@code set*}, {@link #delete}, {@link #expire}) return {@code false} or {@code 0}, and
 * the error is logged and counted in {@link CacheStats#errors()}. Counters have no safe default
 * and throw {@link CacheUnavailableException}. A stored value that cannot be decoded is a miss
 * (counted as an error).
 *
 * <h2>Arguments</h2>
 * A null or empty key, a null value, and a null or non-positive TTL are rejected with an
 * {@link IllegalArgumentException} naming the parameter, before anything changes. TTLs have
 * millisecond precision; an expired entry is never returned. A very long TTL is capped without an
 * error: at 100 years ({@code Duration.ofDays(36_500)}) on Redis, whose expiry times must fit its
 * clock's range, and at about 146 years ({@code Long.MAX_VALUE / 2} nanoseconds) in memory; either
 * means "until deleted or evicted".
 *
 * <p>Implementations are thread-safe. Every operation initializes the cache lazily, so calling
 * {@link #initialize()} is optional.
 *
 * @param <V> the type of the cached values
 */
public interface Cache<V> extends AutoCloseable {

    /** Returns the namespace that isolates this cache's keys from other caches'. */
    String namespace();

    /** Returns the TTL of entries written without an explicit one. */
    Duration defaultTtl();

    /** Returns the kind of storage behind this cache. */
    CacheBackend backend();

    /**
     * Connects to the backend now rather than on first use; idempotent.
     *
     * @throws CacheUnavailableException when the backend cannot be reached
     */
    void initialize();

    /**
     * Returns the value stored under {@code key}, or {@code null} on a miss, an expired entry, an
     * undecodable value or (fail-open) an unreachable backend. Counts a hit or a miss.
     */
    default V get(String key) {
        return get(key, true);
    }

    /**
     * Returns the value stored under {@code key}, or {@code null}; counts a hit or a miss only
     * when {@code trackStats} is {@code true}.
     */
    V get(String key, boolean trackStats);

    /** Stores {@code value} under {@code key} for the {@linkplain #defaultTtl() default TTL}; returns whether it was stored. */
    default boolean set(String key, V value) {
        return set(key, value, defaultTtl());
    }

    /**
     * Stores {@code value} under {@code key} for {@code ttl}, replacing any previous value.
     *
     * @return {@code true} when stored; {@code false} when the backend was unreachable (fail-open)
     * @throws CacheSerializationException when the codec cannot encode the value
     */
    boolean set(String key, V value, Duration ttl);

    /** Stores {@code value} for the default TTL only if {@code key} holds nothing; see {@link #setIfAbsent(String, Object, Duration)}. */
    default boolean setIfAbsent(String key, V value) {
        return setIfAbsent(key, value, defaultTtl());
    }

    /**
     * Stores {@code value} under {@code key} only if the key holds nothing (Redis {@code SET NX}).
     *
     * @return {@code true} when stored; {@code false}, with nothing changed, when the key exists
     *     or the backend was unreachable
     */
    boolean setIfAbsent(String key, V value, Duration ttl);

    /** Removes {@code key}; returns {@code true} when a live entry was removed. */
    boolean delete(String key);

    /** Returns whether {@code key} holds a live entry; counts no hit or miss. */
    boolean exists(String key);

    /** Sets the TTL of an existing entry to {@code ttl} from now; returns {@code false} when the key does not exist. */
    boolean expire(String key, Duration ttl);

    /**
     * Returns the live entries among {@code keys}, in one round trip on Redis; keys not found are
     * absent from the map. Counts a hit or a miss per distinct key.
     */
    Map<String, V> getMany(Collection<String> keys);

    /** Stores every entry for the default TTL; returns how many were stored. */
    default int setMany(Map<String, ? extends V> items) {
        return setMany(items, defaultTtl());
    }

    /**
     * Stores every entry for {@code ttl}, in one round trip on Redis. All keys and values are
     * validated (and encoded) before anything is written.
     *
     * @return the number of entries stored; 0 when the backend was unreachable
     */
    int setMany(Map<String, ? extends V> items, Duration ttl);

    /** Adds 1 to the counter under {@code key}; see {@link #increment(String, long)}. */
    default long increment(String key) {
        return increment(key, 1);
    }

    /**
     * Atomically adds {@code amount} to the integer counter under {@code key} and returns the new
     * value. A missing counter starts at 0 and gets the default TTL; an existing one keeps its TTL.
     *
     * @throws CacheException naming the key when it holds something other than an integer
     * @throws CacheUnavailableException when the backend cannot be reached (counters never fail open)
     */
    long increment(String key, long amount);

    /** Subtracts 1 from the counter under {@code key}; see {@link #increment(String, long)}. */
    default long decrement(String key) {
        return decrement(key, 1);
    }

    /**
     * Atomically subtracts {@code amount} from the counter under {@code key}: {@code increment(key, -amount)};
     * see {@link #increment(String, long)}.
     *
     * @throws IllegalArgumentException when {@code amount} is {@code Long.MIN_VALUE}, which has no negation
     */
    default long decrement(String key, long amount) {
        if (amount == Long.MIN_VALUE) {
            throw new IllegalArgumentException("amount must be greater than Long.MIN_VALUE, was " + amount);
        }
        return increment(key, -amount);
    }

    /** Removes every key of this namespace, and no other; returns how many were removed. */
    long clearNamespace();

    /** Read-through with the default TTL; see {@link #getOrLoad(String, Duration, Function)}. */
    default V getOrLoad(String key, Function<? super String, ? extends V> loader) {
        return getOrLoad(key, defaultTtl(), loader);
    }

    /**
     * Returns the value under {@code key}, loading and storing it for {@code ttl} on a miss. In
     * one JVM the loader runs at most once at a time per key: concurrent callers for the same key
     * wait for that load and share its value. A loader that throws propagates its exception to
     * every waiter and nothing is cached; a loader that returns {@code null} caches nothing and
     * this method returns {@code null}.
     */
    V getOrLoad(String key, Duration ttl, Function<? super String, ? extends V> loader);

    /** Returns a snapshot of the statistics; cheap enough to call every second. */
    CacheStats stats();

    /** Sets the hit, miss, error, load and eviction counts back to zero. */
    void resetStats();

    /** Returns the non-blocking view of this cache, backed by the same storage and statistics. */
    AsyncCache<V> async();

    /** Releases the connections and threads this cache owns; idempotent. Later calls throw {@link IllegalStateException}. */
    @Override
    void close();
}
