package com.netrunsystems.cache.bench;

import java.util.concurrent.CompletableFuture;

/**
 * One Redis client under test, addressed by key index so that each contender builds its keys once,
 * in the form its API expects ({@code "key:1"} for caches that add the namespace themselves,
 * {@code "bench:key:1"} for raw clients). Every contender stores the same bytes under the same
 * Redis keys, except JetCache, whose wire format wraps each value (see {@link RedisContenders}).
 * Thread-safe unless it says otherwise.
 */
interface RedisContender extends AutoCloseable {

    /** Stores every key of the workload with its value, for one hour. */
    void preload();

    /** Reads key {@code index}; returns the value or {@code null}. */
    Object get(int index);

    /** Writes key {@code index} with its value, for one hour. */
    void set(int index);

    /** Reads the keys of batch {@code batch} (100 distinct keys) in one call. */
    default Object getMany(int batch) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no bulk read");
    }

    /** Starts reading key {@code index} without waiting; {@link #flush()} sends what is buffered. */
    default CompletableFuture<?> getAsync(int index) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " has no asynchronous read");
    }

    /** Sends the commands buffered since the last flush; a no-op for clients that send at once. */
    default void flush() {
    }

    @Override
    void close();
}
