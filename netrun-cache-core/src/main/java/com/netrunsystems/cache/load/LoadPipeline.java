package com.netrunsystems.cache.load;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static java.util.concurrent.CompletableFuture.failedFuture;

import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.CacheLock;
import com.netrunsystems.cache.CacheSerializationException;
import com.netrunsystems.cache.CacheUnavailableException;
import com.netrunsystems.cache.LoadPolicy;
import com.netrunsystems.cache.check.Checks;
import com.netrunsystems.cache.stats.StatsCounter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one {@code getOrLoad} of every cache and both its views, under a {@link LoadPolicy}: single
 * flight in the JVM (with reads in flight shared), and on demand a cross-JVM lease, refresh-ahead
 * (fixed or XFetch), TTL jitter and stale-if-error. Written once over futures:
 * {@link #getOrLoadAsync} is the algorithm; the blocking {@link #getOrLoad} runs the same steps with a
 * {@link CallerRuns} executor, so that its loader and every step after an I/O reply run on the caller's
 * thread, and waits for them. Every wait is bounded: reads by the target's timeout, a wait for another
 * caller's load by {@link LoadPolicy#loadTimeout()}, a wait for another process by its lease wait; only
 * the caller's own loader is not. Steps after an I/O reply run on the executor of the call, never on the
 * I/O thread (see {@link Stages}). Counts hits, misses, loads, load failures, load time, refreshes, stale
 * values served, and callers that waited for another's load (in this JVM, or under another process's lease).
 * Thread-safe. Not API.
 *
 * @param <V> the type of the cached values
 */
public final class LoadPipeline<V> {

    private static final Logger log = LoggerFactory.getLogger(LoadPipeline.class);
    /** Prefix of lease keys, so that a lease never collides with a cached key. */
    public static final String LEASE_PREFIX = "__netrun_lease__:";
    /** Prefix of the stale-if-error grace copies kept beside a loaded key (on Redis {@code namespace:__netrun_stale__:key}). */
    public static final String STALE_PREFIX = "__netrun_stale__:";

    private final LoadPolicy policy;
    private final LoadTarget<V> target;
    private final StatsCounter stats;
    private final Executor executor;
    private final Flights<V> flights = new Flights<>();
    private final SharedReads<V> reads;
    private final RefreshAhead<V> refresh;
    private final Leases<V> leases;
    private final long loadTimeoutNanos;
    private final boolean needsTtl;

    /**
     * Makes the pipeline of one cache. {@code executor} runs the asynchronous view's steps after an I/O
     * reply (and is where a blocking call's leftover steps go once its caller stopped waiting).
     */
    public LoadPipeline(LoadPolicy policy, LoadTarget<V> target, StatsCounter stats, Executor executor) {
        this.policy = policy;
        this.target = target;
        this.stats = stats;
        this.executor = executor;
        this.needsTtl = policy.refreshes();
        this.loadTimeoutNanos = Checks.capped(policy.loadTimeout()).toNanos();
        this.reads = new SharedReads<>(target, flights, needsTtl);
        this.refresh = new RefreshAhead<>(this, policy, stats);
        this.leases = new Leases<>(policy, target, needsTtl);
    }

    /** Returns the loads in flight. */
    public Flights<V> flights() {
        return flights;
    }

    /**
     * The blocking {@code getOrLoad}: runs {@code loader} on this thread (when this caller loads) and
     * returns the value, or throws what the load threw (the same instance); an interrupt while waiting
     * throws a {@link CacheException} caused by an {@link InterruptedException}, keeps the flag, and runs
     * no loader.
     */
    public V getOrLoad(String key, Duration ttl, Function<? super String, ? extends V> loader) {
        Checks.key(key);
        Checks.loader(loader);
        Duration capped = Checks.capped(Checks.ttl(ttl));
        CallerRuns here = new CallerRuns(executor);
        Call call = new Call();
        CompletableFuture<V> result = Stages.call(() -> start(key, capped,
                k -> CompletableFuture.<V>completedFuture(loader.apply(k)), here, call));
        try {
            return here.await(result, Long.MAX_VALUE); // returns at once when answered at once (memory, a load here)
        } catch (ExecutionException e) {
            throw Stages.rethrow("the loader of key '" + key + "'", e.getCause());
        } catch (InterruptedException e) {
            call.cancelled = true;
            Runnable abandonRead = call.abandonRead;
            if (abandonRead != null) {
                abandonRead.run(); // its late reply or timeout counts nowhere: the interrupt says nothing about the backend
            }
            Thread.currentThread().interrupt();
            throw new CacheException("interrupted while waiting for the load of key '" + key + "'", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new IllegalStateException(e); // no limit
        }
    }

    /** The asynchronous {@code getOrLoad}: steps after I/O replies run on the pipeline's executor. */
    public CompletableFuture<V> getOrLoadAsync(String key, Duration ttl,
            Function<? super String, ? extends CompletableFuture<V>> loader) {
        Checks.key(key);
        Checks.loader(loader);
        Duration capped = Checks.capped(Checks.ttl(ttl));
        return Stages.call(() -> start(key, capped, loader, executor, new Call()));
    }

    private CompletableFuture<V> start(String key, Duration ttl, Function<? super String, ? extends CompletableFuture<V>> loader,
            Executor ex, Call call) {
        // A load of this key is running in this JVM: its value answers this caller too, without a read.
        CompletableFuture<V> running = flights.running(key);
        if (running != null) {
            recordLookup(false);
            stats.recordFlightWait();
            return join(key, running, System.nanoTime() + loadTimeoutNanos, ex);
        }
        long finishedBefore;
        CompletableFuture<TtlValue<V>> read;
        if (target.readsRemotely()) {
            SharedReads.Read<V> shared = reads.read(key, ex);
            finishedBefore = shared.finishedBefore();
            read = shared.result();
            call.abandonRead = () -> reads.abandon(key, shared);
        } else {
            finishedBefore = flights.finishedLoads();
            CompletableFuture<TtlValue<V>> lookup = Stages.call(() -> target.lookup(key, needsTtl, ex));
            read = lookup;
            call.abandonRead = () -> Abandonable.abandon(lookup);
        }
        return Stages.then(read, ex, found -> {
            if (found != null && isFresh(found)) {
                recordLookup(true);
                refresh.maybeRefresh(key, ttl, found, loader);
                return completedFuture(found.value());
            }
            recordLookup(false);
            boolean unanswered = found != null && found.isUnanswered();
            return fly(key, 0L, ex, flight -> load(key, ttl, loader, finishedBefore, unanswered, flight, ex, call));
        });
    }

    /**
     * Runs {@code load} as the flight of {@code key}, unless one is there: then joins it while it shares,
     * or waits for its end and starts over; all in all at most the load timeout from the first wait.
     */
    private CompletableFuture<V> fly(String key, long deadline, Executor ex,
            Function<Flights.Flight<V>, CompletableFuture<V>> load) {
        Flights.Flight<V> mine = new Flights.Flight<>();
        Flights.Flight<V> running = flights.tryStart(key, mine);
        if (running == null) {
            CompletableFuture<V> loaded = Stages.call(() -> load.apply(mine));
            CompletableFuture<V> answer = mine.result().copy(); // a caller cancelling its copy leaves the flight alone
            loaded.whenComplete((value, error) -> flights.finish(key, mine, value, error == null ? null : Stages.unwrap(error)));
            return answer;
        }
        if (flights.isLoadingHere(key)) {
            return failedFuture(new IllegalStateException("recursive load: the loader of key '" + key
                    + "' asked for the same key, which would wait for itself forever"));
        }
        if (deadline == 0) {
            stats.recordFlightWait(); // once per caller, not again when it starts over
        }
        long until = deadline != 0 ? deadline : System.nanoTime() + loadTimeoutNanos;
        if (running.shared()) {
            return join(key, running.result(), until, ex);
        }
        // It is re-reading or writing: wait for its end, then start over (the cache holds what it wrote).
        CompletableFuture<Object> ended = bounded(key, running.result().handle((value, error) -> null), until, ex);
        return Stages.handle(ended, ex, (ignored, error) -> error instanceof Flights.WaitTimeoutException timeout
                ? staleOr(key, timeout, ex) : fly(key, until, ex, load));
    }

    /** Waits for another caller's load, until {@code deadline}; then the grace copy answers, or a timeout. */
    private CompletableFuture<V> join(String key, CompletableFuture<V> running, long deadline, Executor ex) {
        return Stages.handle(bounded(key, running, deadline, ex), ex, (value, error) -> {
            if (error == null) {
                return completedFuture(value);
            }
            return error instanceof Flights.WaitTimeoutException timeout ? staleOr(key, timeout, ex) : failedFuture(error);
        });
    }

    /**
     * A copy of {@code running} that fails with a {@link Flights.WaitTimeoutException} at {@code deadline} for a
     * blocking caller ({@link LoadPolicy#loadTimeout()} bounds the blocking view; an asynchronous caller bounds
     * its future itself, with {@code orTimeout}).
     */
    private <T> CompletableFuture<T> bounded(String key, CompletableFuture<T> running, long deadline, Executor ex) {
        CompletableFuture<T> copy = running.copy();
        long left = deadline - System.nanoTime();
        if (ex instanceof CallerRuns && !copy.isDone()) {
            CallerRuns.later(ex, Math.max(0, left), () ->
                    copy.completeExceptionally(new Flights.WaitTimeoutException("the load of key '" + key
                            + "' did not finish within " + Duration.ofNanos(loadTimeoutNanos)
                            + " (LoadPolicy.loadTimeout); it goes on in the thread that runs it")));
        }
        return copy;
    }

    /** A caller gave up waiting for a hung load: the grace copy answers it if there is one, else {@code timeout}. */
    private CompletableFuture<V> staleOr(String key, Flights.WaitTimeoutException timeout, Executor ex) {
        return Stages.then(graceCopy(key, ex), ex, stale -> {
            if (stale == null) {
                return failedFuture(timeout);
            }
            stats.recordStaleServed();
            log.debug("gave up waiting for the load of key '{}'; serving the stale value", key);
            return completedFuture(stale);
        });
    }

    /**
     * Loads after a miss, as the flight of {@code key}. Reads again only if a load finished since the
     * first read (it may have stored this key); otherwise a miss costs one read, not two.
     * {@code unanswered}: the caller's read found the remote layer unavailable, so nothing asks it again
     * (no second read, no lease, no grace copy) and the loaded value is kept locally: the call waits out
     * one timeout, not two (issue 11: with a 500 ms socketTimeout, a read that timed out while another
     * key's load finished was read again, and the call took 1,011-1,021 ms).
     */
    private CompletableFuture<V> load(String key, Duration ttl, Function<? super String, ? extends CompletableFuture<V>> loader,
            long finishedBefore, boolean unanswered, Flights.Flight<V> flight, Executor ex, Call call) {
        if (unanswered || flights.finishedLoads() == finishedBefore) {
            return loadAfterMiss(key, ttl, loader, unanswered, flight, ex, call);
        }
        flight.stopSharing(); // a caller arriving after this read must not get its value
        return Stages.then(Stages.call(() -> target.read(key, needsTtl, ex)), ex, raced -> raced != null && isFresh(raced)
                ? completedFuture(raced.value())
                : loadAfterMiss(key, ttl, loader, raced != null && raced.isUnanswered(), flight, ex, call));
    }

    private CompletableFuture<V> loadAfterMiss(String key, Duration ttl,
            Function<? super String, ? extends CompletableFuture<V>> loader, boolean unanswered, Flights.Flight<V> flight,
            Executor ex, Call call) {
        if (!policy.distributed() || unanswered) {
            return callLoader(key, ttl, loader, unanswered, flight, ex, call);
        }
        return Stages.then(tryLease(key, ex), ex, lease -> {
            if (lease == null) {
                return callLoader(key, ttl, loader, unanswered, flight, ex, call);
            }
            if (lease.isEmpty()) { // another process loads: wait for its value, bounded, then load here
                flight.stopSharing();
                stats.recordLeaseWait();
                return Stages.then(leases.awaitOtherLoader(key, ex, () -> call.cancelled), ex,
                        awaited -> awaited != null ? completedFuture(awaited)
                                : callLoader(key, ttl, loader, false, flight, ex, call));
            }
            flight.stopSharing();
            CompletableFuture<V> underLease = Stages.then(Stages.call(() -> target.read(key, needsTtl, ex)), ex,
                    loadedElsewhere -> loadedElsewhere != null && isFresh(loadedElsewhere)
                            ? completedFuture(loadedElsewhere.value())
                            : callLoader(key, ttl, loader, false, flight, ex, call));
            return Stages.handle(underLease, ex, (value, error) -> {
                Leases.release(lease.get());
                return error == null ? completedFuture(value) : failedFuture(error);
            });
        });
    }

    private CompletableFuture<V> callLoader(String key, Duration ttl,
            Function<? super String, ? extends CompletableFuture<V>> loader, boolean unanswered, Flights.Flight<V> flight,
            Executor ex, Call call) {
        if (call.cancelled) {
            return failedFuture(interrupted(key));
        }
        long started = System.nanoTime();
        CompletableFuture<V> loading;
        try {
            // Callers arriving while the loader runs share its value; the write below is not shared.
            loading = flight.share(() -> flights.callMarked(key, () -> loader.apply(key)));
            if (loading == null) {
                throw new IllegalStateException("loader returned a null future for key '" + key + "'");
            }
        } catch (Throwable e) {
            loading = failedFuture(e);
        }
        return Stages.handle(loading, ex, (value, error) -> {
            stats.recordLoadTime(System.nanoTime() - started);
            if (error != null) {
                stats.recordLoadFailure();
                CompletableFuture<V> graceCopy = unanswered ? completedFuture(null) : graceCopy(key, ex); // not asked twice
                return Stages.then(graceCopy, ex, stale -> {
                    if (stale == null) {
                        return failedFuture(error);
                    }
                    stats.recordStaleServed();
                    log.debug("loader of key '{}' failed ({}); serving the stale value", key, error.toString());
                    return completedFuture(stale);
                });
            }
            refresh.recordLoadTime(System.nanoTime() - started);
            stats.recordLoad();
            if (value == null) {
                return completedFuture(null);
            }
            Duration jittered = jittered(ttl);
            if (unanswered) {
                target.keepLocally(key, value, jittered);
                return completedFuture(value);
            }
            // Stored only if the key is still absent: a set made while the loader ran wins, and is returned.
            return store(key, value, () -> target.writeLoaded(key, value, jittered, policy.staleIfError()), ex);
        });
    }

    CompletableFuture<Optional<CacheLock>> tryLease(String key, Executor ex) {
        return leases.tryLease(key, ex);
    }

    /**
     * Stores a loaded value with {@code write} and answers the value the key holds then. A store the backend
     * refuses (a write rejection) does not lose the value: the caller gets {@code loaded}, and the error is
     * counted. An unreachable backend (when the cache does not fail open) and an unencodable value fail.
     */
    CompletableFuture<V> store(String key, V loaded, Supplier<CompletableFuture<V>> write, Executor ex) {
        return Stages.handle(Stages.call(write), ex, (held, error) -> {
            if (error == null) {
                return completedFuture(held);
            }
            if (error instanceof CacheUnavailableException || error instanceof CacheSerializationException
                    || !(error instanceof CacheException e) || isInterrupt(e)) {
                return failedFuture(error);
            }
            stats.recordError();
            log.warn("the loaded value of key '{}' was not cached ({}); returned to the caller uncached", key,
                    e.getMessage());
            return completedFuture(loaded);
        });
    }

    /** The grace copy of {@code key}, or {@code null} when the policy keeps none, there is none, or it is unreadable. */
    private CompletableFuture<V> graceCopy(String key, Executor ex) {
        if (policy.staleIfError().isZero()) {
            return completedFuture(null);
        }
        return Stages.handle(Stages.call(() -> target.readStale(key, ex)), ex, (stale, error) -> {
            if (error == null) {
                return completedFuture(stale);
            }
            if (error instanceof CacheException) {
                log.debug("stale copy of key '{}' unreadable: {}", key, error.getMessage());
                return completedFuture(null);
            }
            return failedFuture(error);
        });
    }

    /** Returns how many callers wait on the shared read of {@code key} in flight now (for tests). */
    int waitingOnRead(String key) {
        return reads.waiting(key);
    }

    LoadTarget<V> target() {
        return target;
    }

    boolean needsTtl() {
        return needsTtl;
    }

    Duration jittered(Duration ttl) {
        if (policy.ttlJitter() == 0) {
            return ttl;
        }
        long millis = ttl.toMillis();
        long cut = (long) (millis * policy.ttlJitter() * java.util.concurrent.ThreadLocalRandom.current().nextDouble());
        return Duration.ofMillis(Math.max(1, millis - cut));
    }

    private void recordLookup(boolean hit) {
        if (hit) {
            stats.recordHit();
        } else {
            stats.recordMiss();
        }
        target.recordLookup(hit);
    }

    private static boolean isFresh(TtlValue<?> found) {
        return found.remaining() == null || found.remaining().toNanos() > 0;
    }

    static boolean isInterrupt(CacheException e) {
        return e.getCause() instanceof InterruptedException;
    }

    static CacheException interrupted(String key) {
        return new CacheException("interrupted while waiting for the load of key '" + key + "'", new InterruptedException());
    }

    /**
     * One blocking call: {@code cancelled} is set when its caller stopped waiting (interrupted), so that no loader
     * runs for it; {@code abandonRead} abandons its first read if that is still in flight (the reads and writes of
     * a load, which other callers may share, and the lease, which must be released, are left to finish).
     */
    private static final class Call {
        volatile boolean cancelled;
        volatile Runnable abandonRead;
    }
}
