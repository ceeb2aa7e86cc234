package com.netrunsystems.cache.internal;

import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheLock;
import java.time.Duration;
import java.util.Optional;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * What a two-level {@code CacheManager} needs from its remote L2 beyond {@link Cache}: reads that
 * return the remaining TTL in the same round trip, stale-if-error copies, leases, a health probe, and a
 * broadcast channel for invalidations. The L2 {@link #cache()} is built with {@code failOpen(false)},
 * so that failures reach the manager, which decides what to answer. Every call is asynchronous: it
 * sends its commands and returns at once; its future completes on the thread that receives the reply,
 * and fails with a {@link com.netrunsystems.cache.CacheException} (a
 * {@link com.netrunsystems.cache.CacheUnavailableException} when L2 cannot answer). The manager's
 * other calls go through {@code cache().async()}. Not API.
 *
 * @param <V> the type of the cached values
 */
public interface RemoteLayer<V> extends AutoCloseable {

    /** Returns the L2 cache; every failure throws (or, through {@code async()}, fails the future). */
    Cache<V> cache();

    /** Returns the value under {@code key} and its remaining TTL, or {@code null}; one round trip. */
    CompletableFuture<TtlValue<V>> getWithTtl(String key, boolean trackStats);

    /** Returns the found keys' values and remaining TTLs; one round trip. */
    CompletableFuture<Map<String, TtlValue<V>>> getManyWithTtl(Collection<String> keys);

    /**
     * Stores a value {@code getOrLoad} loaded for {@code ttl}, and its stale-if-error grace copy for
     * {@code ttl + grace} under a key of its own, in one round trip; answers whether the value was stored.
     */
    CompletableFuture<Boolean> setLoaded(String key, V value, Duration ttl, Duration grace);

    /** Returns the stale-if-error grace copy of {@code key} written by {@link #setLoaded}, or {@code null}. */
    CompletableFuture<V> graceCopy(String key);

    /**
     * Tries to take the lock {@code key} for {@code ttl}: the held lock, or empty when another holder has
     * it; fails with {@link com.netrunsystems.cache.CacheUnavailableException} when L2 cannot be reached.
     */
    CompletableFuture<Optional<CacheLock>> tryLock(String key, Duration ttl);

    /**
     * Completes when L2 answers a {@code PING} (on a Cluster: every master), and fails with
     * {@code CacheUnavailableException} when it does not.
     */
    CompletableFuture<Void> ping();

    /** Returns whether L2's connection is open now. */
    boolean isConnected();

    /**
     * Subscribes to the namespace's invalidation channel. {@code onMessage} receives each message
     * published by any subscriber (the manager filters its own). {@code onSubscribed} runs each
     * time the subscription is (re)established, before messages flow: messages published while it
     * was down are lost, so the manager flushes its L1 then.
     */
    InvalidationChannel subscribe(String channel, Consumer<byte[]> onMessage, Runnable onSubscribed);

    /**
     * Runs {@code probe} now and then {@code interval} after each run ended, on a background thread that
     * every manager on the same L2 endpoint shares, until the returned handle is closed.
     */
    Scheduled scheduleProbe(Runnable probe, Duration interval);

    /** Closes the L2 cache and the channel. */
    @Override
    void close();

    /** A periodic task; {@link #close()} cancels it. */
    interface Scheduled extends AutoCloseable {
        @Override
        void close();
    }

    /** A subscription to an invalidation channel. */
    interface InvalidationChannel extends AutoCloseable {

        /** Publishes {@code message} to every subscriber, without waiting; failures are ignored. */
        void publish(byte[] message);

        /** Returns whether the subscription is established now (no message can be missed). */
        boolean isSubscribed();

        /**
         * Returns a future that completes when the first attempt to subscribe has ended (confirmed,
         * refused, or the connection failed), with whether it was confirmed; never completes
         * exceptionally. Each call returns a new copy.
         */
        CompletableFuture<Boolean> firstAttempt();

        /** Tries to re-establish a subscription that could never be opened; no-op when it is. */
        void reconnect();

        @Override
        void close();
    }
}
