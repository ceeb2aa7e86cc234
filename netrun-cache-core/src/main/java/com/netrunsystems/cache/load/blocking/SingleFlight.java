package com.netrunsystems.cache.load.blocking;

import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.LoadPolicy;
import com.netrunsystems.cache.check.Checks;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs at most one load per key at a time: callers that arrive while a load of the same key is
 * running wait for it, at most the await timeout, and get its result, or its exception. Thread-safe.
 *
 * <p>A caller shares a flight's result only if it arrived before the flight's value was known:
 * before the flight read the key again ({@link #stopSharing} / {@link Flight#stopSharing}), or while
 * its loader ran ({@link #share} / {@link Flight#share}). The value is then read or written after
 * the caller arrived, so answering with it is linearizable. A caller that arrives after that (while
 * the flight re-reads the cache, or writes the loaded value) waits for the flight to end and then
 * starts over, reading the cache: a flight that kept answering until its value was written would
 * hand a caller arriving after a {@code delete} or {@code set} of the key the value that call
 * replaced. The await timeout bounds the whole wait of a {@link #run} caller, for a flight's result
 * and for flights' ends alike.
 *
 * @param <V> the type of the loaded values
 */
public final class SingleFlight<V> {

    private final ConcurrentHashMap<String, Flight<V>> inFlight = new ConcurrentHashMap<>();
    /** Loads finished so far, so a caller can tell whether one ended (and stored its value) meanwhile. */
    private final java.util.concurrent.atomic.AtomicLong finished = new java.util.concurrent.atomic.AtomicLong();
    /** The keys this thread is loading now, to refuse a loader that asks for its own key. */
    private final ThreadLocal<java.util.Map<String, Flight<V>>> loadingHere = ThreadLocal.withInitial(java.util.HashMap::new);
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
     * which case this call waits for that one, or (arriving after that flight stopped sharing) for
     * its end and then starts over; all in all at most the await timeout ({@link WaitTimeoutException}
     * past it). Exceptions thrown by the load reach every caller unchanged (runtime exceptions and
     * errors; a checked exception thrown sneakily is wrapped in a {@link CacheException}). An
     * interrupt while waiting throws a {@link CacheException} caused by an {@link InterruptedException},
     * with the thread's flag set again, and runs no load.
     */
    public V run(String key, Supplier<? extends V> load) {
        Flight<V> mine = new Flight<>();
        Flight<V> running;
        long deadline = 0; // set on the first wait: a caller that finds no flight reads no clock
        boolean waited = false;
        while ((running = inFlight.putIfAbsent(key, mine)) != null) {
            if (loadingHere.get().containsKey(key)) {
                throw new IllegalStateException("recursive load: the loader of key '" + key
                        + "' asked for the same key, which would wait for itself forever");
            }
            if (!waited) {
                deadline = System.nanoTime() + awaitNanos;
                waited = true;
            }
            if (running.shared) {
                return await(key, running.result, deadline);
            }
            // Then start over: it has left the map, and the cache holds what it wrote.
            await(key, running.result.handle((value, error) -> null), deadline);
        }
        loadingHere.get().put(key, mine);
        V value = null;
        Throwable failure = null;
        try {
            value = load.get();
            return value;
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            loadingHere.get().remove(key);
            // Counted before it leaves the map: a caller that no longer finds it running sees it finished.
            finished.incrementAndGet();
            inFlight.remove(key, mine);
            mine.end(value, failure);
        }
    }

    /**
     * Stops sharing the flight of {@code key} that this thread runs in {@link #run}, before it reads
     * the key: a caller arriving from now on waits for the flight to end and reads the cache. Outside
     * a flight of this thread, does nothing.
     */
    public void stopSharing(String key) {
        Flight<V> mine = loadingHere.get().get(key);
        if (mine != null) {
            mine.shared = false;
        }
    }

    /**
     * Runs {@code loader}, the load proper of the flight of {@code key} that this thread runs in
     * {@link #run}: callers arriving while it runs share the flight's result. Outside a flight of
     * this thread, just runs it.
     */
    public <T> T share(String key, Supplier<T> loader) {
        Flight<V> mine = loadingHere.get().get(key);
        if (mine == null) {
            return loader.get();
        }
        mine.shared = true;
        try {
            return loader.get();
        } finally {
            mine.shared = false;
        }
    }

    /**
     * Starts {@code load} for {@code key} unless a load of {@code key} is in flight, and returns a
     * future of that load's result. Each caller gets its own copy, so a caller that cancels or
     * completes its future (a timeout, say) leaves the load and the other callers alone.
     */
    public CompletableFuture<V> runAsync(String key,
            Function<? super Flight<V>, ? extends CompletableFuture<V>> load) {
        Flight<V> mine = new Flight<>();
        Flight<V> running = inFlight.putIfAbsent(key, mine);
        if (running != null) {
            return running.shared ? running.result.copy()
                    : running.result.handle((value, error) -> null).thenCompose(ended -> runAsync(key, load));
        }
        CompletableFuture<V> started;
        try {
            started = load.apply(mine);
            if (started == null) {
                throw new IllegalStateException("loader returned a null future for key '" + key + "'");
            }
        } catch (Throwable t) {
            inFlight.remove(key, mine);
            mine.end(null, t);
            return mine.result.copy();
        }
        started.whenComplete((value, error) -> {
            finished.incrementAndGet();
            inFlight.remove(key, mine);
            mine.end(value, error == null ? null : unwrap(error));
        });
        return mine.result.copy();
    }

    /**
     * Returns the shared future of the load of {@code key} that is in flight now, or {@code null}
     * when there is none or when this thread is the one running it (a loader asking for its own key
     * must not wait for itself). A caller that gets a future can {@link #join} it instead of reading
     * the cache: the running load answers for it. The future is the shared one: hand callers a
     * {@link CompletableFuture#copy() copy}, never this future itself. Also {@code null} when the
     * flight is not running its loader now (see the class comment): the caller then reads the cache,
     * and {@link #run} or {@link #runAsync} waits for that flight if it is still there.
     */
    public CompletableFuture<V> running(String key) {
        Flight<V> running = inFlight.get(key);
        if (running == null || !running.shared || loadingHere.get().containsKey(key)) {
            return null;
        }
        return running.result;
    }

    /**
     * Waits for a load returned by {@link #running} and returns its value, or throws its exception as
     * {@link #run} does.
     */
    public V join(String key, CompletableFuture<V> running) {
        return await(key, running, System.nanoTime() + awaitNanos);
    }

    /** Returns how many loads have finished since this instance was made; it only grows. */
    public long finishedLoads() {
        return finished.get();
    }

    /** Returns the number of loads running now. */
    public int inFlight() {
        return inFlight.size();
    }

    /**
     * A load in flight: its result, and whether callers arriving now share it (until the flight reads
     * the key again, and while its loader runs). Handed to the load of {@link #runAsync}, which calls
     * {@link #stopSharing} before it reads the key and marks its loader with {@link #share}.
     *
     * @param <V> the type of the loaded values
     */
    public static final class Flight<V> {
        private final CompletableFuture<V> result = new CompletableFuture<>();
        private volatile boolean shared = true;

        private Flight() {
        }

        /** Stops sharing this flight before it reads the key: see {@link SingleFlight#stopSharing}. */
        public void stopSharing() {
            shared = false;
        }

        /**
         * Starts {@code loader}, the load proper of this flight: callers arriving until the future it
         * returns completes share this flight's result.
         */
        public CompletableFuture<V> share(Supplier<? extends CompletableFuture<V>> loader) {
            shared = true;
            CompletableFuture<V> loading;
            try {
                loading = loader.get();
            } catch (RuntimeException | Error e) {
                shared = false;
                throw e;
            }
            if (loading == null) {
                shared = false;
                return null;
            }
            // The returned stage completes after the flag is down, so what runs after it (the write) is not shared.
            return loading.whenComplete((value, error) -> shared = false);
        }

        private void end(V value, Throwable failure) {
            shared = false;
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                result.complete(value);
            }
        }
    }

    /** Waits for {@code running} until {@code deadline} ({@link System#nanoTime()}) and returns its value. */
    private <T> T await(String key, CompletableFuture<T> running, long deadline) {
        try {
            return running.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
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
