package com.netrunsystems.cache.redis.stats;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The number of keys in a namespace for {@link com.netrunsystems.cache.CacheStats#cachedKeys()},
 * counted with {@code SCAN} in the background at most once per refresh interval, so that
 * {@code stats()} stays cheap on a large keyspace. No call waits for a count: each returns the last
 * count at once (0 until the first count has finished) and starts a recount when there is none yet
 * or it is older than the interval. Thread-safe.
 */
public final class KeyCounter {

    private final Supplier<CompletableFuture<Long>> counting;
    private final long refreshNanos;

    private volatile long count;
    private volatile long countedAtNanos;
    private volatile boolean counted;
    private CompletableFuture<Long> running; // guarded by this

    public KeyCounter(Supplier<CompletableFuture<Long>> counting, Duration refresh) {
        this.counting = counting;
        this.refreshNanos = refresh.toNanos();
    }

    /** Returns the last count, 0 before the first; starts a recount in the background when due. */
    public long cachedKeys() {
        refreshIfStale();
        return count;
    }

    /** Forgets the count, so that the next call recounts (after clearNamespace, for instance). */
    public void invalidate() {
        countedAtNanos = System.nanoTime() - refreshNanos - 1;
    }

    private synchronized void refreshIfStale() {
        if (running != null || (counted && System.nanoTime() - countedAtNanos < refreshNanos)) {
            return;
        }
        CompletableFuture<Long> started;
        try {
            started = counting.get();
        } catch (RuntimeException e) {
            return; // closed or not connectable now: keep the last count
        }
        running = started;
        started.whenComplete((n, error) -> finished(started, n, error));
    }

    private synchronized void finished(CompletableFuture<Long> started, Long n, Throwable error) {
        if (running == started) {
            running = null;
        }
        if (error == null) {
            count = n;
            counted = true;
        }
        countedAtNanos = System.nanoTime();
    }
}
