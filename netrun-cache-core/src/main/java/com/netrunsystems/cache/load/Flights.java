package com.netrunsystems.cache.load;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The loads in flight, at most one per key. Thread-safe.
 *
 * <p>A caller shares a flight's result only if it arrived before the flight's value was known: before
 * the flight read the key again ({@link Flight#stopSharing}), or while its loader ran
 * ({@link Flight#share}). The value is then read or loaded after the caller arrived, so answering with
 * it is linearizable. A caller arriving after that (while the flight re-reads the cache or writes the
 * loaded value) waits for the flight to end and starts over, reading the cache: a flight that kept
 * answering until its value was written would hand a caller arriving after a {@code delete} or
 * {@code set} of the key the value that call replaced.
 *
 * @param <V> the type of the loaded values
 */
public final class Flights<V> {

    private final ConcurrentHashMap<String, Flight<V>> inFlight = new ConcurrentHashMap<>();
    /** Loads finished so far, so a caller can tell whether one ended (and stored its value) meanwhile. */
    private final AtomicLong finished = new AtomicLong();
    /** The keys whose loader this thread is calling now, to refuse a loader that asks for its own key. */
    private final ThreadLocal<Set<String>> loadingHere = ThreadLocal.withInitial(HashSet::new);

    /** Returns the flight of {@code key} now, or {@code null}. */
    public Flight<V> get(String key) {
        return inFlight.get(key);
    }

    /**
     * Returns the shared result of the flight of {@code key} running its loader now, or {@code null}
     * when there is none, it does not share (see the class comment), or this thread is calling its
     * loader (a loader asking for its own key must not wait for itself). Hand callers a
     * {@link CompletableFuture#copy() copy}, never this future.
     */
    public CompletableFuture<V> running(String key) {
        Flight<V> running = inFlight.get(key);
        if (running == null || !running.shared || isLoadingHere(key)) {
            return null;
        }
        return running.result;
    }

    /** Installs {@code mine} as the flight of {@code key} unless one is there; returns the one that was there, or {@code null}. */
    public Flight<V> tryStart(String key, Flight<V> mine) {
        return inFlight.putIfAbsent(key, mine);
    }

    /** Ends the flight {@code mine} of {@code key} with its outcome, and counts it as finished. */
    public void finish(String key, Flight<V> mine, V value, Throwable failure) {
        finished.incrementAndGet(); // before it leaves the map: a caller that no longer finds it sees it finished
        inFlight.remove(key, mine);
        mine.end(value, failure);
    }

    /** Returns whether this thread is calling the loader of {@code key} now. */
    public boolean isLoadingHere(String key) {
        return loadingHere.get().contains(key);
    }

    /** Calls {@code loader}, marking this thread as loading {@code key} while it runs. */
    <T> T callMarked(String key, Supplier<T> loader) {
        Set<String> here = loadingHere.get();
        boolean added = here.add(key);
        try {
            return loader.get();
        } finally {
            if (added) {
                here.remove(key);
            }
        }
    }

    /** Returns how many loads have finished since this instance was made; it only grows. */
    public long finishedLoads() {
        return finished.get();
    }

    /** Returns the number of loads in flight now. */
    public int inFlight() {
        return inFlight.size();
    }

    /**
     * A load in flight: its result, and whether callers arriving now share it.
     *
     * @param <V> the type of the loaded values
     */
    public static final class Flight<V> {
        private final CompletableFuture<V> result = new CompletableFuture<>();
        private volatile boolean shared = true;

        /** Makes a flight that shares its result until {@link #stopSharing}. */
        public Flight() {
        }

        /** Returns whether callers arriving now share this flight's result. */
        public boolean shared() {
            return shared;
        }

        /** Returns the flight's result; hand callers a copy. */
        public CompletableFuture<V> result() {
            return result;
        }

        /** Stops sharing this flight before it reads the key. */
        public void stopSharing() {
            shared = false;
        }

        /**
         * Starts {@code loader}, the load proper of this flight: callers arriving until the future it
         * returns completes share this flight's result. A loader that throws or returns {@code null}
         * stops the sharing at once.
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

    /** Fails the wait of a caller that waited {@link com.netrunsystems.cache.LoadPolicy#loadTimeout()} for another caller's load of its key. */
    public static final class WaitTimeoutException extends com.netrunsystems.cache.CacheException {
        private static final long serialVersionUID = 1L;

        WaitTimeoutException(String message) {
            super(message, new java.util.concurrent.TimeoutException(message));
        }
    }
}
