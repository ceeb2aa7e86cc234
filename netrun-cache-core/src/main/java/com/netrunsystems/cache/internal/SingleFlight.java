package com.netrunsystems.cache.internal;

import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.LoadPolicy;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * Runs at most one load per key at a time: callers that arrive while a load of the same key is
 * running wait for it, at most the await timeout, and get its result, or its exception. Thread-safe.
 *
 * @param <V> the type of the loaded values
 */
public final class SingleFlight<V> {

    private final ConcurrentHashMap<String, CompletableFuture<V>> inFlight = new ConcurrentHashMap<>();
    /** Loads finished so far, so a caller can tell whether one ended (and stored its value) meanwhile. */
    private final java.util.concurrent.atomic.AtomicLong finished = new java.util.concurrent.atomic.AtomicLong();
    /** The keys this thread is loading now, to refuse a loader that asks for its own key. */
    private final ThreadLocal<java.util.Set<String>> loadingHere = ThreadLocal.withInitial(java.util.HashSet::new);
    private final long awaitNanos;

    /** Makes a single flight whose callers wait for another caller's load at most {@link LoadPolicy#loadTimeout()}'s default. */
    public SingleFlight() {
        this(LoadPolicy.defaults().loadTimeout());
    }

    /** Makes a single flight whose callers wait for another caller's load at most {@code awaitTimeout}. */
    public SingleFlight(Duration awaitTimeout) {
        this.awaitNanos = Checks.capped(awaitTimeout).toNanos();
    }

    /**
     * Runs {@code load} for {@code key} on this thread, unless a load of {@code key} is running, in
     * which case this call waits for that one, at most the await timeout ({@link WaitTimeoutException}
     * past it). Exceptions thrown by the load reach every caller unchanged (runtime exceptions and
     * errors; a checked exception thrown sneakily is wrapped in a {@link CacheException}).
     */
    public V run(String key, Supplier<? extends V> load) {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            if (loadingHere.get().contains(key)) {
                throw new IllegalStateException("recursive load: the loader of key '" + key
                        + "' asked for the same key, which would wait for itself forever");
            }
            return await(key, running);
        }
        loadingHere.get().add(key);
        try {
            V value = load.get();
            mine.complete(value);
            return value;
        } catch (Throwable t) {
            mine.completeExceptionally(t);
            throw t;
        } finally {
            loadingHere.get().remove(key);
            // Counted before it leaves the map: a caller that no longer finds it running sees it finished.
            finished.incrementAndGet();
            inFlight.remove(key, mine);
        }
    }

    /**
     * Starts {@code load} for {@code key} unless a load of {@code key} is in flight, and returns a
     * future of that load's result. Each caller gets its own copy, so a caller that cancels or
     * completes its future (a timeout, say) leaves the load and the other callers alone.
     */
    public CompletableFuture<V> runAsync(String key, Supplier<? extends CompletableFuture<V>> load) {
        CompletableFuture<V> mine = new CompletableFuture<>();
        CompletableFuture<V> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return running.copy();
        }
        CompletableFuture<V> started;
        try {
            started = load.get();
            if (started == null) {
                throw new IllegalStateException("loader returned a null future for key '" + key + "'");
            }
        } catch (Throwable t) {
            inFlight.remove(key, mine);
            mine.completeExceptionally(t);
            return mine.copy();
        }
        started.whenComplete((value, error) -> {
            finished.incrementAndGet();
            inFlight.remove(key, mine);
            if (error != null) {
                mine.completeExceptionally(unwrap(error));
            } else {
                mine.complete(value);
            }
        });
        return mine.copy();
    }

    /**
     * Returns the shared future of the load of {@code key} that is in flight now, or {@code null}
     * when there is none or when this thread is the one running it (a loader asking for its own key
     * must not wait for itself). A caller that gets a future can {@link #join} it instead of reading
     * the cache: the running load answers for it. The future is the shared one: hand callers a
     * {@link CompletableFuture#copy() copy}, never this future itself.
     */
    public CompletableFuture<V> running(String key) {
        CompletableFuture<V> running = inFlight.get(key);
        if (running == null || loadingHere.get().contains(key)) {
            return null;
        }
        return running;
    }

    /**
     * Waits for a load returned by {@link #running} and returns its value, or throws its exception as
     * {@link #run} does.
     */
    public V join(String key, CompletableFuture<V> running) {
        return await(key, running);
    }

    /** Returns how many loads have finished since this instance was made; it only grows. */
    public long finishedLoads() {
        return finished.get();
    }

    /** Returns the number of loads running now. */
    public int inFlight() {
        return inFlight.size();
    }

    private V await(String key, CompletableFuture<V> running) {
        try {
            return running.get(awaitNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new WaitTimeoutException("the load of key '" + key + "' did not finish within "
                    + Duration.ofNanos(awaitNanos) + " (LoadPolicy.loadTimeout); it goes on in the thread that runs it", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CacheException("interrupted while waiting for the load of key '" + key + "'", e);
        } catch (ExecutionException e) {
            throw rethrow(key, e.getCause());
        } catch (CancellationException e) {
            throw new CacheException("the load of key '" + key + "' was cancelled", e);
        }
    }

    /** Thrown to a caller that waited the await timeout for another caller's load of its key. */
    public static final class WaitTimeoutException extends CacheException {
        private static final long serialVersionUID = 1L;

        WaitTimeoutException(String message, TimeoutException cause) {
            super(message, cause);
        }
    }

    private static RuntimeException rethrow(String key, Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        throw new CacheException("the loader of key '" + key + "' failed", cause);
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }
}
