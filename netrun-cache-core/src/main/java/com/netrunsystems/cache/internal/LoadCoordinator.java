package com.netrunsystems.cache.internal;

import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.CacheLock;
import com.netrunsystems.cache.CacheSerializationException;
import com.netrunsystems.cache.CacheUnavailableException;
import com.netrunsystems.cache.LoadPolicy;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@code getOrLoad} for every backend under a {@link LoadPolicy}: single flight in the JVM, and
 * on demand a cross-JVM lease, refresh-ahead, TTL jitter and stale-if-error. Counts hits, misses,
 * loads, load failures, refreshes and stale values served. Thread-safe. Not API.
 *
 * @param <V> the type of the cached values
 */
public final class LoadCoordinator<V> {

    private static final Logger log = LoggerFactory.getLogger(LoadCoordinator.class);
    /** Prefix of lease keys, so that a lease never collides with a cached key. */
    public static final String LEASE_PREFIX = "__netrun_lease__:";
    /**
     * Prefix of the stale-if-error grace copies that backends keep beside a loaded key (on Redis
     * {@code namespace:__netrun_stale__:key}); never returned by a read, and not counted as entries.
     */
    public static final String STALE_PREFIX = "__netrun_stale__:";
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final LoadPolicy policy;
    private final LoadTarget<V> target;
    private final StatsCounter stats;
    private final SingleFlight<V> flights;
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
    /** Reads in flight per key, shared by the callers that arrive while they are (targets that read remotely). */
    private final ConcurrentHashMap<String, SharedRead<V>> reads = new ConcurrentHashMap<>();
    private final AtomicLong averageLoadNanos = new AtomicLong();
    private final boolean needsTtl;

    public LoadCoordinator(LoadPolicy policy, LoadTarget<V> target, StatsCounter stats, SingleFlight<V> flights) {
        this.policy = policy;
        this.target = target;
        this.stats = stats;
        this.flights = flights;
        this.needsTtl = policy.refreshes();
    }

    /** See {@link com.netrunsystems.cache.Cache#getOrLoad(String, Duration, Function)}. */
    public V getOrLoad(String key, Duration ttl, Function<? super String, ? extends V> loader) {
        Checks.key(key);
        Checks.loader(loader);
        Duration capped = Checks.capped(Checks.ttl(ttl));
        return load(key, capped, loader);
    }

    private V load(String key, Duration ttl, Function<? super String, ? extends V> loader) {
        // A load of this key is running in this JVM: its value (or exception) answers this caller
        // too, so reading the cache first would only cost a round trip per caller in a stampede.
        CompletableFuture<V> running = flights.running(key);
        if (running != null) {
            recordLookup(false);
            try {
                return flights.join(key, running);
            } catch (SingleFlight.WaitTimeoutException e) {
                return staleOr(key, e);
            }
        }
        long finishedBefore;
        TtlValue<V> found;
        if (target.readsRemotely()) {
            SharedRead<V> shared = sharedRead(key);
            finishedBefore = shared.finishedBefore();
            found = target.awaitRead(key, needsTtl, shared.result());
        } else {
            finishedBefore = flights.finishedLoads();
            found = target.lookup(key, needsTtl);
        }
        if (found != null && isFresh(found)) {
            recordLookup(true);
            maybeRefresh(key, ttl, found, loader);
            return found.value();
        }
        recordLookup(false);
        boolean unanswered = found != null && found.isUnanswered();
        try {
            return flights.run(key, () -> load(key, ttl, loader, finishedBefore, unanswered));
        } catch (SingleFlight.WaitTimeoutException e) {
            return staleOr(key, e);
        }
    }

    /** A caller gave up waiting for a hung load: the grace copy answers it if there is one, else {@code e}. */
    private V staleOr(String key, SingleFlight.WaitTimeoutException e) {
        V stale = graceCopy(key);
        if (stale == null) {
            throw e;
        }
        stats.recordStaleServed();
        log.debug("gave up waiting for the load of key '{}'; serving the stale value", key);
        return stale;
    }

    /**
     * Returns the read of {@code key} that is on its way now, or sends one: callers that arrive while
     * a read of their key is in flight share its answer instead of sending the same read again (in a
     * stampede on a cold key, every caller would otherwise read before the first one could start the
     * load the others join). A read that has completed is never shared: a caller that wrote the key
     * and then calls sees its write, as the reply to a read sent before the write arrives before the
     * write's own reply on the connection.
     */
    private SharedRead<V> sharedRead(String key) {
        while (true) {
            SharedRead<V> current = reads.get(key);
            if (current != null && !current.result().isDone()) {
                return current;
            }
            SharedRead<V> mine = new SharedRead<>(new CompletableFuture<>(), flights.finishedLoads());
            boolean installed = current == null ? reads.putIfAbsent(key, mine) == null : reads.replace(key, current, mine);
            if (!installed) {
                continue;
            }
            CompletableFuture<TtlValue<V>> sent;
            try {
                sent = Objects.requireNonNull(target.startRead(key, needsTtl), "startRead returned null");
            } catch (RuntimeException | Error e) {
                reads.remove(key, mine);
                mine.result().completeExceptionally(e); // callers that joined meanwhile fail as this one does
                throw e;
            }
            sent.whenComplete((value, error) -> {
                reads.remove(key, mine);
                if (error != null) {
                    mine.result().completeExceptionally(error);
                } else {
                    mine.result().complete(value);
                }
            });
            return mine;
        }
    }

    /** A read in flight, and how many loads had finished when it was sent. */
    private record SharedRead<V>(CompletableFuture<TtlValue<V>> result, long finishedBefore) {
    }

    /**
     * Loads after a miss. {@code unanswered}: the caller's read found the remote layer unavailable, so the
     * loaded value is kept locally ({@link LoadTarget#keepLocally}) instead of waiting for that layer again,
     * and nothing else asks it either (no second read, no lease, no grace copy): the call waits out one
     * timeout, not two (with a 500 ms socketTimeout, a read that timed out while another key's load
     * finished was read again, and the call took 1,011-1,021 ms).
     */
    private V load(String key, Duration ttl, Function<? super String, ? extends V> loader, long finishedBefore,
            boolean unanswered) {
        // Read again only if a load finished since the first read: it may have stored this key.
        // Otherwise a miss costs one read, not two.
        if (!unanswered && flights.finishedLoads() != finishedBefore) {
            flights.stopSharing(key); // a caller arriving after this read must not get its value
            TtlValue<V> raced = target.read(key, needsTtl);
            if (raced != null && isFresh(raced)) {
                return raced.value();
            }
            unanswered = raced != null && raced.isUnanswered(); // the latest read decides
        }
        if (!policy.distributed() || unanswered) {
            return callLoader(key, ttl, loader, unanswered);
        }
        Optional<CacheLock> lease = tryLease(key);
        if (lease == null) {
            return callLoader(key, ttl, loader, unanswered);
        }
        if (lease.isPresent()) {
            try (CacheLock held = lease.get()) {
                flights.stopSharing(key);
                TtlValue<V> loadedElsewhere = target.read(key, needsTtl);
                if (loadedElsewhere != null && isFresh(loadedElsewhere)) {
                    return loadedElsewhere.value();
                }
                return callLoader(key, ttl, loader, false);
            }
        }
        V awaited = awaitOtherLoader(key);
        return awaited != null ? awaited : callLoader(key, ttl, loader, false);
    }

    /**
     * Polls for the value another JVM is loading, at most the policy's wait; {@code null} if it does
     * not come. An interrupt stops the wait: the caller gets an exception, not a load of its own.
     */
    private V awaitOtherLoader(String key) {
        flights.stopSharing(key);
        long deadline = System.nanoTime() + policy.leaseWait().toNanos();
        while (System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(POLL_NANOS);
            if (Thread.currentThread().isInterrupted()) {
                throw new CacheException("interrupted while waiting for another process to load key '" + key + "'",
                        new InterruptedException());
            }
            TtlValue<V> found = target.read(key, needsTtl);
            if (found != null && isFresh(found)) {
                return found.value();
            }
        }
        log.debug("waited {} for another process to load key '{}'; loading here", policy.leaseWait(), key);
        return null;
    }

    private V callLoader(String key, Duration ttl, Function<? super String, ? extends V> loader, boolean unanswered) {
        long started = System.nanoTime();
        V loaded;
        try {
            // Callers arriving while the loader runs share its value; the write below is not shared.
            loaded = flights.share(key, () -> loader.apply(key));
        } catch (RuntimeException | Error e) {
            stats.recordLoadFailure();
            V stale = unanswered ? null : graceCopy(key); // the remote layer just failed: not asked a second time
            if (stale != null) {
                stats.recordStaleServed();
                log.debug("loader of key '{}' failed ({}); serving the stale value", key, e.toString());
                return stale;
            }
            throw e;
        }
        recordLoadTime(System.nanoTime() - started);
        stats.recordLoad();
        if (loaded == null) {
            return null;
        }
        if (unanswered) {
            target.keepLocally(key, loaded, jittered(ttl));
            return loaded;
        }
        // Stored only if the key is still absent: a set made while the loader ran wins, and is returned.
        return store(key, loaded, () -> target.writeLoaded(key, loaded, jittered(ttl), policy.staleIfError()));
    }

    /**
     * Takes the load lease of {@code key}: held, empty (another process loads), or {@code null} to
     * load without one. A backend that refuses the lease (an error reply, not a lost connection,
     * which targets answer {@code null} already) fails open: the caller loads without a lease.
     */
    private Optional<CacheLock> tryLease(String key) {
        try {
            return target.tryLease(LEASE_PREFIX + key, policy.leaseTtl());
        } catch (CacheException e) {
            if (isInterrupt(e)) {
                throw e;
            }
            log.debug("load lease of key '{}' refused ({}); loading without one", key, e.getMessage());
            return null;
        }
    }

    /**
     * Stores a loaded value with {@code write}, and returns the value the key holds then. A store the
     * backend refuses (a write rejection) does not lose the value: the caller gets {@code loaded}, and
     * the error is counted. An unreachable backend reaches here only when the cache does not fail
     * open, and a value the codec cannot encode is the caller's error: both throw.
     */
    private V store(String key, V loaded, Supplier<V> write) {
        try {
            return write.get();
        } catch (CacheUnavailableException | CacheSerializationException e) {
            throw e;
        } catch (CacheException e) {
            if (isInterrupt(e)) {
                throw e;
            }
            stats.recordError();
            log.warn("the loaded value of key '{}' was not cached ({}); returned to the caller uncached", key,
                    e.getMessage());
            return loaded;
        }
    }

    /**
     * Returns the stale-if-error grace copy of {@code key}, or {@code null} when the policy keeps
     * none, there is none, or it cannot be read: the caller then gets the failure it already has.
     */
    private V graceCopy(String key) {
        if (policy.staleIfError().isZero()) {
            return null;
        }
        try {
            return target.readStale(key);
        } catch (CacheException e) {
            log.debug("stale copy of key '{}' unreadable: {}", key, e.getMessage());
            return null;
        }
    }

    private static boolean isInterrupt(CacheException e) {
        return e.getCause() instanceof InterruptedException;
    }

    private void maybeRefresh(String key, Duration ttl, TtlValue<V> found,
            Function<? super String, ? extends V> loader) {
        if (!policy.refreshes() || found.remaining() == null) {
            return;
        }
        long remaining = found.remaining().toNanos();
        boolean due;
        if (policy.refreshAheadFraction() > 0) {
            due = ttl.toNanos() - remaining >= policy.refreshAheadFraction() * ttl.toNanos();
        } else {
            double random = 1.0 - ThreadLocalRandom.current().nextDouble(); // (0, 1]
            due = -averageLoadNanos.get() * policy.refreshBeta() * Math.log(random) >= remaining;
        }
        if (due && refreshing.add(key)) {
            try {
                policy.refreshExecutor().execute(() -> refresh(key, ttl, loader));
            } catch (RuntimeException rejected) {
                refreshing.remove(key);
            }
        }
    }

    private void refresh(String key, Duration ttl, Function<? super String, ? extends V> loader) {
        Optional<CacheLock> lease = null;
        try { // everything in here, the lease included: whatever throws, the key's refreshing mark goes
            lease = policy.distributed() ? tryLease(key) : null;
            if (lease != null && lease.isEmpty()) {
                return; // another process refreshes it
            }
            long started = System.nanoTime();
            V loaded = loader.apply(key);
            recordLoadTime(System.nanoTime() - started);
            stats.recordRefresh();
            if (loaded != null) {
                store(key, loaded, () -> {
                    target.write(key, loaded, jittered(ttl), policy.staleIfError());
                    return loaded;
                });
            }
        } catch (RuntimeException | Error e) {
            stats.recordLoadFailure();
            log.debug("background refresh of key '{}' failed: {}", key, e.toString());
        } finally {
            if (lease != null) {
                lease.ifPresent(CacheLock::close);
            }
            refreshing.remove(key);
        }
    }

    private void recordLookup(boolean hit) {
        if (hit) {
            stats.recordHit();
        } else {
            stats.recordMiss();
        }
        target.recordLookup(hit);
    }

    private boolean isFresh(TtlValue<V> found) {
        return found.remaining() == null || found.remaining().toNanos() > 0;
    }

    private Duration jittered(Duration ttl) {
        if (policy.ttlJitter() == 0) {
            return ttl;
        }
        long millis = ttl.toMillis();
        long cut = (long) (millis * policy.ttlJitter() * ThreadLocalRandom.current().nextDouble());
        return Duration.ofMillis(Math.max(1, millis - cut));
    }

    private void recordLoadTime(long nanos) {
        averageLoadNanos.updateAndGet(average -> average == 0 ? nanos : average + (nanos - average) / 8);
    }
}
