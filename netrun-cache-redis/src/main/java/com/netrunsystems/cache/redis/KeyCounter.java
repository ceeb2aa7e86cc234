package com.netrunsystems.cache.redis;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The number of keys in a namespace for {@link com.netrunsystems.cache.CacheStats#cachedKeys()},
 * counted with {@code SCAN} in the background at most once per refresh interval, so that
 * {@code stats()} stays cheap on a large keyspace. The first call waits (at most the given time)
 * for the first count; later calls return the last count at once and start a recount when it is
 * older than the interval; until a first count succeeds they report 0 at once. Thread-safe.
 */
final class KeyCounter {

    private final Supplier<CompletableFuture<Long>> counting;
    private final long refreshNanos;
    private final Duration firstWait;

    private volatile long count;
    private volatile long countedAtNanos;
    private volatile boolean counted;
    private final java.util.concurrent.atomic.AtomicBoolean firstWaitTaken = new java.util.concurrent.atomic.AtomicBoolean();
    private CompletableFuture<Long> running; // guarded by this

    KeyCounter(Supplier<CompletableFuture<Long>> counting, Duration refresh, Duration firstWait) {
        this.counting = counting;
        this.refreshNanos = refresh.toNanos();
        this.firstWait = firstWait;
    }

    long cachedKeys() {
        CompletableFuture<Long> refresh = refreshIfStale();
        if (!counted && refresh != null && firstWaitTaken.compareAndSet(false, true)) {
            try {
                refresh.get(firstWait.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Exception unavailable) {
                // no count yet: report the last known (0) rather than fail a statistics call
            }
        }
        return count;
    }

    /** Forgets the count, so that the next call recounts (after clearNamespace, for instance). */
    void invalidate() {
        countedAtNanos = System.nanoTime() - refreshNanos - 1;
    }

    private synchronized CompletableFuture<Long> refreshIfStale() {
        if (running != null) {
            return running;
        }
        if (counted && System.nanoTime() - countedAtNanos < refreshNanos) {
            return null;
        }
        CompletableFuture<Long> started = counting.get();
        running = started;
        started.whenComplete((n, error) -> finished(started, n, error));
        return started;
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
