package com.netrunsystems.cache;

import com.netrunsystems.cache.internal.Checks;
import com.netrunsystems.cache.internal.ImmediateAsyncCache;
import com.netrunsystems.cache.internal.LoadCoordinator;
import com.netrunsystems.cache.internal.LoadTarget;
import com.netrunsystems.cache.internal.RemoteCacheProvider;
import com.netrunsystems.cache.internal.RemoteLayer;
import com.netrunsystems.cache.internal.TtlValue;
import com.netrunsystems.cache.internal.SingleFlight;
import com.netrunsystems.cache.internal.StatsCounter;
import com.netrunsystems.cache.tiered.L2Guard;
import com.netrunsystems.cache.tiered.LocalLayer;
import com.netrunsystems.cache.tiered.TieredLoadTarget;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A two-level cache: an in-memory L1 ({@link MemoryCache}, {@code l1MaxSize}, {@code l1Ttl}) in
 * front of a Redis L2 ({@code RedisCache}, found through {@link java.util.ServiceLoader} when
 * {@code netrun-cache-redis} is on the classpath; without it the manager is memory-only).
 *
 * <pre>{@code
 * CacheManager<Object> cache = CacheManager.create(config);
 * cache.get("user:789");          // L1, then L2; an L2 hit fills L1 for min(l1Ttl, remaining TTL)
 * cache.set("user:789", value);   // L2, then L1 for min(ttl, l1Ttl); other JVMs drop their copy
 * }</pre>
 *
 * <h2>Coherence across JVMs</h2>
 * Every write ({@code set*}, {@code delete}, {@code expire}, counters, {@code clearNamespace})
 * publishes the changed keys on the Redis pub/sub channel {@code netrun-cache:invalidate:<namespace>};
 * every other manager of the namespace drops them from its L1. L1 is trusted only while this
 * manager's subscription is confirmed, or while L2 is down (then nobody can change L2): after a
 * disconnection L1 is bypassed, and flushed as soon as the subscription is back, since messages sent
 * meanwhile are lost. Staleness bound: a change made by another manager is visible here once its
 * message arrives (pub/sub latency, typically well under a millisecond on a LAN); an L1 entry never
 * outlives its L2 entry nor {@code l1Ttl}. A read that races with an invalidation does not fill L1.
 * One window remains: while this manager cannot reach Redis it serves L1, so after Redis returns it
 * may serve an entry another manager has since changed until it reconnects itself (Lettuce's
 * reconnect back-off, capped at 1 s, plus at most 500 ms until the circuit's next probe); at that
 * moment L1 is flushed.
 *
 * <p>A subscription can also stall without closing (a NAT or load balancer silently dropping the idle
 * socket). A heartbeat catches it: {@code PING} on the subscribed connection every second, whose reply
 * follows every message published before it; when a reply is missing for 2 s (or {@code socketTimeout},
 * if shorter), L1 is bypassed at once, a warning is logged, and the manager subscribes again on a new
 * connection and flushes L1. So a change by another manager is missed for at most 3 s (interval +
 * timeout), also over a stalled connection.
 *
 * <h2>Outages</h2>
 * A circuit breaker guards L2 (open after 3 consecutive failures; while open, one probe every 500 ms,
 * run by a background thread so that recovery needs no traffic). Only that probe's success closes the
 * circuit: user calls are never the probe, and a late success of a call admitted before the circuit
 * opened does not close it. Only unavailability (no connection, a timeout, {@code LOADING},
 * {@code MASTERDOWN}, ...) counts towards opening it; a write rejection ({@code OOM}, {@code MISCONF},
 * {@code READONLY}, ...; {@link CacheUnavailableException.Kind#WRITE_REJECTED}) is counted as an error,
 * and since Redis answered "no", no layer keeps the value: L1 drops the key and the write answers
 * {@code false} ({@code setMany} 0), so this manager never serves a value its peers cannot see; reads keep
 * going to L2. While L2 is unreachable (a failed or timed-out call, or an open circuit) reads never throw
 * and are served by L1; writes go to L1 and answer {@code true} ({@code setMany}: the number L1 stored),
 * since one layer stored the value; the failure is counted in {@code errors} (a call the open circuit
 * skipped counts nothing). {@code setIfAbsent} that could not ask L2 is decided by L1 alone ({@code true}
 * when L1 held no such key), so during an outage it guards nothing across JVMs. When L2 is back, L1 is
 * flushed, so nothing written or filled during the outage can shadow a newer value another manager wrote.
 * Counters: a manager that has never reached L2 keeps them in L1 (as the seed does); once it has reached
 * L2, counters live there, and a counter call while L2 is down throws {@link CacheUnavailableException}.
 * With {@code failOpen(false)}, reads and writes throw too.
 * A value this manager wrote or read is served from L1 when Redis dies right after, also straight
 * after {@link #create}: the first call (or {@link #initialize()}) waits once, at most
 * {@code socketConnectTimeout + socketTimeout}, until the first subscription attempt has ended, so
 * that the confirmation's flush does not remove what that call puts into L1.
 *
 * <p>Values in L1 are stored by reference. {@link #async()} runs each call on the caller's thread
 * and returns a completed future. Thread-safe.
 *
 * @param <V> the type of the cached values
 */
public final class CacheManager<V> implements Cache<V> {

    private static final Logger log = LoggerFactory.getLogger(CacheManager.class);
    private static final long PROBE_INTERVAL_MILLIS = 100;

    private final CacheConfig config;
    private final Ticker ticker;
    private final MemoryCache<V> l1;
    private final RemoteLayer<V> l2;
    private final RemoteLayer.InvalidationChannel channel;
    private final L2Guard<V> guard;
    private final RemoteLayer.Scheduled prober;
    private final String id = UUID.randomUUID().toString();
    private final StatsCounter stats = new StatsCounter();
    private final LoadCoordinator<V> loading;
    private final AsyncCache<V> async;
    private final AtomicLong invalidations = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Whether the first call has waited for the first subscription attempt (see {@link #awaitFirstSubscription}). */
    private volatile boolean subscriptionAwaited;

    private CacheManager(Builder<V> builder) {
        this.config = builder.config;
        this.ticker = builder.ticker;
        this.l1 = MemoryCache.<V>builder()
                .namespace(config.namespace())
                .defaultTtl(config.defaultTtl()) // used by counters kept in L1 alone; writes pass their own TTL
                .commonTtl(config.l1Ttl())       // the TTL of most L1 writes and fills
                .maxSize(config.l1MaxSize())
                .evictionPolicy(config.evictionPolicy())
                .ticker(builder.ticker)
                .build();
        this.l2 = builder.withL2 ? Caches.remoteProvider().map(p -> p.createLayer(config, builder.codec)).orElse(null) : null;
        String name = "netrun-cache '" + config.namespace() + "'";
        this.guard = l2 == null ? null : new L2Guard<>(l2, config.namespace(), config.redisEndpoint(), config.failOpen(),
                builder.failureThreshold, builder.openDuration, builder.ticker, stats, this::flushL1);
        SingleFlight<V> flights = new SingleFlight<>(config.loadPolicy().loadTimeout());
        this.loading = new LoadCoordinator<>(config.loadPolicy(), new TieredLoadTarget<>(config.namespace(),
                localLayer(l1), guard, stats, new LoadPaths()), stats, flights);
        this.async = new ImmediateAsyncCache<>(this, this::ensureOpen, stats, flights);
        if (l2 == null) {
            this.channel = null;
            this.prober = null;
            this.subscriptionAwaited = true;
            log.debug("{}: no L2 on the classpath, memory-only", name);
        } else {
            this.channel = l2.subscribe("netrun-cache:invalidate:" + config.namespace(), this::onInvalidation,
                    this::flushL1);
            // one probe thread per endpoint, shared by every manager on it
            this.prober = l2.scheduleProbe(this::probe, Duration.ofMillis(PROBE_INTERVAL_MILLIS));
        }
    }

    /** Returns a manager of JSON-tree values for {@code config}; memory-only when no L2 module is present. */
    public static CacheManager<Object> create(CacheConfig config) {
        return builder(config).build();
    }

    /** Returns a builder for {@code config}, with the JSON-tree codec for L2 until {@link Builder#codec} changes it. */
    public static Builder<Object> builder(CacheConfig config) {
        return new Builder<>(Objects.requireNonNull(config, "config"), Codecs.json());
    }

    @Override
    public String namespace() {
        return config.namespace();
    }

    @Override
    public Duration defaultTtl() {
        return config.defaultTtl();
    }

    @Override
    public CacheBackend backend() {
        return CacheBackend.MULTI_LAYER;
    }

    /** Returns whether an L2 module was found (it may still be unreachable). */
    public boolean hasL2() {
        return l2 != null;
    }

    /** Returns the state of the circuit breaker around L2, or empty when there is no L2. */
    public Optional<CircuitState> l2Circuit() {
        return l2 == null ? Optional.empty() : Optional.of(guard.state());
    }

    /**
     * Connects L2 now; when it cannot be reached, opens the circuit (the manager then serves from L1
     * and keeps probing) instead of throwing, unless the config says {@code failOpen(false)}.
     *
     * @throws CacheUnavailableException when L2 is unreachable and the cache does not fail open
     */
    @Override
    public void initialize() {
        ensureOpen();
        if (l2 == null) {
            return;
        }
        try {
            l2.ping();
            l2Succeeded(); // never closes an open circuit: only the background probe does
        } catch (CacheException e) {
            guard.forceOpen("unreachable at start: " + e.getMessage());
            if (!config.failOpen()) {
                throw e;
            }
        }
    }

    @Override
    public V get(String key, boolean trackStats) {
        ensureOpen();
        Checks.key(key);
        boolean trusted = l1Trusted();
        if (trusted) { // the fast path: an L1 hit allocates nothing
            V local = l1.get(key, trackStats);
            if (local != null) {
                return record(trackStats, local);
            }
        }
        TtlValue<V> found = lookup(key, trackStats, trusted);
        return record(trackStats, found == null ? null : found.value());
    }

    /**
     * L1 (when trusted), then L2 with its remaining TTL, filling L1; on an L2 failure, L1 whatever
     * its trust. The remaining TTL is {@code null} for values served from L1.
     */
    private TtlValue<V> lookup(String key, boolean trackStats, boolean l1AlreadyMissed) {
        boolean trusted = l1AlreadyMissed || l1Trusted();
        if (trusted && !l1AlreadyMissed) {
            V local = l1.get(key, trackStats);
            if (local != null) {
                return new TtlValue<>(local, null);
            }
        } else if (!trusted && trackStats) {
            l1.recordSkippedReads(1); // L1 not consulted: counted as its miss, so that L1 counts every read
        }
        if (l2 == null || !l2Allowed("GET", key)) {
            return trusted ? null : fromL1(key);
        }
        long epoch = invalidations.get();
        long sentAt = ticker.read();
        try {
            TtlValue<V> remote = l2.getWithTtl(key, trackStats);
            l2Succeeded();
            if (remote != null) {
                fillL1(key, remote, epoch, sentAt);
            }
            return remote;
        } catch (CacheException e) {
            l2Failed(e, "GET", key);
            TtlValue<V> local = fromL1(key); // L2 down: L1 is all we have
            return local != null ? local : TtlValue.unanswered(); // a miss; a getOrLoad keeps its value in L1
        }
    }

    private TtlValue<V> fromL1(String key) {
        V local = l1.get(key, false);
        return local == null ? null : new TtlValue<>(local, null);
    }

    @Override
    public boolean set(String key, V value, Duration ttl) {
        ensureOpen();
        Checks.key(key);
        Checks.value(key, value);
        Checks.ttl(ttl);
        if (l2 == null) {
            return l1.set(key, value, ttl);
        }
        return store(key, value, ttl, l1Ttl(ttl));
    }

    /** Writes through: L2 for {@code l2Ttl}, then L1 for {@code l1Ttl}; returns whether a layer stored it. */
    private boolean store(String key, V value, Duration l2Ttl, Duration l1Ttl) {
        return store(key, value, l1Ttl, () -> l2.cache().set(key, value, l2Ttl));
    }

    /**
     * Writes through: L2 with {@code remote}, then L1 for {@code l1Ttl}; returns whether a layer stored it.
     * When L2 refused it (a write rejection), L1 drops the key instead, and the answer is {@code false}.
     */
    private boolean store(String key, V value, Duration l1Ttl, Supplier<Boolean> remote) {
        long epoch = invalidations.get();
        L2Outcome<Boolean> outcome = l2Write("SET", key, remote, false);
        boolean local;
        if (outcome.state() == L2State.REJECTED) {
            l1.delete(key);
            local = false;
        } else {
            local = l1.set(key, value, l1Ttl);
        }
        settle(List.of(key), epoch, outcome);
        return outcome.value() || local;
    }

    @Override
    public boolean setIfAbsent(String key, V value, Duration ttl) {
        ensureOpen();
        Checks.key(key);
        Checks.value(key, value);
        Checks.ttl(ttl);
        if (l2 == null) {
            return l1.setIfAbsent(key, value, ttl);
        }
        long epoch = invalidations.get();
        L2Outcome<Boolean> outcome = l2Write("SET NX", key, () -> l2.cache().setIfAbsent(key, value, ttl), false);
        boolean stored;
        if (outcome.state() == L2State.SKIPPED || outcome.state() == L2State.FAILED) {
            stored = l1.setIfAbsent(key, value, l1Ttl(ttl)); // L2 could not be asked: L1 alone decides
        } else if (outcome.value()) {
            stored = l1.set(key, value, l1Ttl(ttl));
        } else {
            l1.delete(key); // the key exists in L2, or L2 refused the write
            stored = false;
        }
        settle(List.of(key), epoch, outcome);
        return stored;
    }

    @Override
    public boolean delete(String key) {
        ensureOpen();
        Checks.key(key);
        if (l2 == null) {
            return l1.delete(key);
        }
        return deleteBothLayers(key).value();
    }

    /**
     * Deletes like {@link #delete}, but throws when L2 was not reached (circuit open, or the call
     * failed), counting it as an error; for {@code @CacheInvalidate}, which must not mistake a failed
     * delete for a key that was absent.
     *
     * @throws CacheUnavailableException when L2 did not take the delete
     */
    boolean deleteOrThrow(String key) {
        ensureOpen();
        Checks.key(key);
        if (l2 == null) {
            return l1.delete(key);
        }
        L2Outcome<Boolean> outcome = deleteBothLayers(key);
        if (outcome.state() == L2State.SKIPPED) {
            stats.recordError(); // a failed call was counted by l2Failed already
        }
        if (outcome.state() != L2State.DONE) {
            throw new CacheUnavailableException("DELETE of '" + key + "' in namespace '" + namespace() + "' did not reach "
                    + "Redis at " + config.redisEndpoint() + " (L2 circuit " + guard.state() + ")");
        }
        return outcome.value();
    }

    private L2Outcome<Boolean> deleteBothLayers(String key) {
        long epoch = invalidations.get();
        L2Outcome<Boolean> outcome = l2Write("DELETE", key, () -> l2.cache().delete(key), false);
        l1.delete(key);
        settle(List.of(key), epoch, outcome);
        return outcome;
    }

    @Override
    public boolean exists(String key) {
        ensureOpen();
        Checks.key(key);
        if (l1Trusted() && l1.exists(key)) {
            return true;
        }
        if (l2 == null || !l2Allowed("EXISTS", key)) {
            return l1.exists(key);
        }
        try {
            boolean found = l2.cache().exists(key);
            l2Succeeded();
            return found;
        } catch (CacheException e) {
            l2Failed(e, "EXISTS", key);
            return l1.exists(key);
        }
    }

    @Override
    public boolean expire(String key, Duration ttl) {
        ensureOpen();
        Checks.key(key);
        Checks.ttl(ttl);
        if (l2 == null) {
            return l1.expire(key, ttl);
        }
        long epoch = invalidations.get();
        L2Outcome<Boolean> outcome = l2Write("EXPIRE", key, () -> l2.cache().expire(key, ttl), false);
        boolean done = outcome.value();
        l1.delete(key);
        settle(List.of(key), epoch, outcome); // refilled from L2 on the next read, with the new remaining TTL
        return done;
    }

    @Override
    public Map<String, V> getMany(Collection<String> keys) {
        ensureOpen();
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(Checks.keys(keys)));
        Map<String, V> found = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        boolean trusted = l1Trusted();
        if (!trusted) {
            l1.recordSkippedReads(distinct.size());
        }
        for (String key : distinct) {
            V local = trusted ? l1.get(key, true) : null;
            if (local != null) {
                found.put(key, local);
            } else {
                missing.add(key);
            }
        }
        if (!missing.isEmpty() && l2 != null && l2Allowed("MGET", missing.size() + " keys")) {
            long epoch = invalidations.get();
            long sentAt = ticker.read();
            try {
                Map<String, TtlValue<V>> remote = l2.getManyWithTtl(missing);
                l2Succeeded();
                remote.forEach((key, value) -> {
                    found.put(key, value.value());
                    fillL1(key, value, epoch, sentAt);
                });
            } catch (CacheException e) {
                l2Failed(e, "MGET", missing.size() + " keys");
                missing.forEach(key -> addFromL1(key, found));
            }
        } else if (!missing.isEmpty() && !trusted) {
            missing.forEach(key -> addFromL1(key, found));
        }
        stats.recordHits(found.size());
        stats.recordMisses(distinct.size() - found.size());
        Map<String, V> ordered = new LinkedHashMap<>();
        for (String key : distinct) {
            V value = found.get(key);
            if (value != null) {
                ordered.put(key, value);
            }
        }
        return ordered;
    }

    @Override
    public int setMany(Map<String, ? extends V> items, Duration ttl) {
        ensureOpen();
        Checks.items(items);
        Checks.ttl(ttl);
        if (items.isEmpty()) {
            return 0;
        }
        if (l2 == null) {
            return l1.setMany(items, ttl);
        }
        long epoch = invalidations.get();
        L2Outcome<Integer> outcome = l2Write("SET (pipelined)", items.size() + " keys",
                () -> l2.cache().setMany(items, ttl), 0);
        int stored;
        if (outcome.state() == L2State.REJECTED) {
            items.keySet().forEach(l1::delete);
            stored = 0;
        } else {
            int local = l1.setMany(items, l1Ttl(ttl));
            stored = outcome.state() == L2State.DONE ? outcome.value() : local;
        }
        settle(new ArrayList<>(items.keySet()), epoch, outcome);
        return stored;
    }

    @Override
    public long increment(String key, long amount) {
        ensureOpen();
        Checks.key(key);
        if (l2 == null) {
            return l1.increment(key, amount);
        }
        if (guard.admits()) {
            try {
                long value = l2.cache().increment(key, amount);
                l2Succeeded();
                invalidations.incrementAndGet();
                l1.delete(key);
                publish(List.of(key));
                return value;
            } catch (CacheUnavailableException e) {
                l2Failed(e, "INCRBY", key);
                if (guard.reached()) {
                    throw e;
                }
            }
        } else if (guard.reached()) {
            throw new CacheUnavailableException("counter '" + key + "' in namespace '" + namespace()
                    + "' lives in Redis (" + config.redisEndpoint() + "), which is unavailable: the L2 circuit is "
                    + guard.state());
        }
        return l1.increment(key, amount); // L2 never reached: memory-only, as the seed does
    }

    @Override
    public long clearNamespace() {
        ensureOpen();
        if (l2 == null) {
            return l1.clearNamespace();
        }
        L2Outcome<Long> outcome = l2Write("SCAN+UNLINK", "*", () -> l2.cache().clearNamespace(), 0L);
        l1.clearNamespace();
        if (outcome.state() != L2State.SKIPPED) {
            channel.publish(InvalidationMessage.all(id).encode());
        }
        return outcome.value();
    }

    /**
     * {@inheritDoc}
     *
     * <p>Follows {@link CacheConfig#loadPolicy()}: with a distributed policy, one process loads under a
     * Redis lease while the others wait for its value. Refresh-ahead looks at the remaining TTL of
     * values read from L2, so for a key served from L1 it triggers at the next L2 read (at most
     * {@code l1Ttl} later). When this call's L2 read failed as unavailable (a timeout, a lost connection),
     * the loaded value goes to L1 only, without a second L2 call: the call waits for one timeout, not two,
     * and counts one error.
     */
    @Override
    public V getOrLoad(String key, Duration ttl, Function<? super String, ? extends V> loader) {
        ensureOpen();
        return loading.getOrLoad(key, ttl, loader);
    }

    /** The read and write paths a load goes through. */
    private final class LoadPaths implements TieredLoadTarget.Paths<V> {
        @Override
        public TtlValue<V> lookup(String key, boolean trackStats) {
            return CacheManager.this.lookup(key, trackStats, false);
        }

        @Override
        public boolean store(String key, V value, Duration l1Ttl, Supplier<Boolean> remote) {
            return CacheManager.this.store(key, value, l1Ttl, remote);
        }

        @Override
        public Duration l1Ttl(Duration ttl) {
            return CacheManager.this.l1Ttl(ttl);
        }
    }

    private static <V> LocalLayer<V> localLayer(MemoryCache<V> l1) {
        return new LocalLayer<>() {
            @Override
            public Cache<V> cache() {
                return l1;
            }

            @Override
            public void recordSkippedReads(long count) {
                l1.recordSkippedReads(count);
            }

            @Override
            public boolean setLoaded(String key, V value, Duration ttl, Duration grace) {
                return l1.setLoaded(key, value, ttl, grace);
            }

            @Override
            public V graceCopy(String key) {
                return l1.graceCopy(key);
            }
        };
    }

    /**
     * Returns the statistics of the L1 alone. L1 counts every read of this manager that tracks
     * statistics, once: a hit when L1 answered, else a miss, also when L1 was not consulted (until the
     * invalidation channel is subscribed, L1 copies are not trusted and reads go to L2). So
     * {@code l1Stats().totalRequests()} equals {@code stats().totalRequests()} for {@code get} and
     * {@code getMany}, and {@link #l2Stats()} counts the L1 misses that reached Redis.
     */
    public CacheStats l1Stats() {
        return l1.stats();
    }

    /**
     * Returns the statistics of the L2 alone, or empty without an L2: its hits and misses are the reads
     * that reached Redis (L1 misses while Redis is up), its errors every failed Redis call.
     */
    public Optional<CacheStats> l2Stats() {
        return l2 == null ? Optional.empty() : Optional.of(l2.cache().stats());
    }

    /**
     * Returns the combined statistics: a read is a hit when either layer served it. {@code errors} is
     * every failure of either layer: what {@link #l2Stats()} counts (failed Redis commands, including
     * the connection checks of {@link #initialize()} and of the background probe while Redis is down,
     * and values that could not be decoded), plus L1's, plus the rare wait for L2 that ran out
     * before Redis answered; so a manager whose Redis is down shows errors, also while its circuit is
     * open. {@code cachedKeys} is L2's count while it is up, else L1's.
     */
    @Override
    public CacheStats stats() {
        CacheStats local = l1.stats();
        CacheStats remote = l2 == null ? null : l2.cache().stats();
        boolean l2Up = l2 != null && guard.state() == CircuitState.CLOSED && l2.isConnected();
        long cachedKeys = l2Up ? remote.cachedKeys() : local.cachedKeys();
        CacheStats own = stats.snapshot(namespace(), CacheBackend.MULTI_LAYER, l2 == null || l2Up, cachedKeys,
                local.evictions());
        long errors = own.errors() + local.errors() + (remote == null ? 0 : remote.errors());
        return new CacheStats(own.namespace(), own.hits(), own.misses(), own.totalRequests(), own.hitRatePercent(),
                own.cachedKeys(), own.backend(), own.connected(), own.evictions(), errors, own.loads(),
                own.loadFailures(), own.refreshes(), own.staleServed());
    }

    @Override
    public void resetStats() {
        stats.reset();
        l1.resetStats();
        if (l2 != null) {
            l2.cache().resetStats();
        }
    }

    @Override
    public AsyncCache<V> async() {
        return async;
    }

    /** Closes L2, the invalidation subscription, the background probe and L1; idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (prober != null) {
            prober.close();
        }
        if (channel != null) {
            channel.close();
        }
        if (l2 != null) {
            l2.close();
        }
        l1.close();
    }

    @Override
    public String toString() {
        return "CacheManager{namespace='" + namespace() + "', l2=" + (l2 == null ? "none" : config.redisEndpoint()
                + " " + guard.state()) + "}";
    }

    // --- internals ------------------------------------------------------------------------------

    /** Whether an L1 hit may be served: no peers can have changed it unseen. */
    private boolean l1Trusted() {
        return l2 == null || channel.isSubscribed() || guard.state() != CircuitState.CLOSED;
    }

    /** What happened to an L2 write. */
    private enum L2State {
        /** L2 applied it. */
        DONE,
        /** L2 was unavailable (failed or timed out): it may or may not have applied it. */
        FAILED,
        /** L2 answered and refused it (a write rejection: {@code OOM}, {@code READONLY}, ...): not applied. */
        REJECTED,
        /** The circuit is open: L2 was not asked. */
        SKIPPED
    }

    /** The answer of an L2 write ({@code fallback} unless {@link L2State#DONE}) and what happened. */
    private record L2Outcome<T>(T value, L2State state) {
    }

    /**
     * Runs a write on L2 when the circuit lets it through. Unless it was skipped, it then counts as an
     * invalidation at once, before the caller touches L1, so that a read racing with it does not fill
     * L1 with the value it replaced. Fails open ({@code fallback}) when L2 is skipped or fails.
     */
    private <T> L2Outcome<T> l2Write(String operation, String subject, Supplier<T> remote, T fallback) {
        if (!l2Allowed(operation, subject)) {
            return new L2Outcome<>(fallback, L2State.SKIPPED);
        }
        try {
            T result = remote.get();
            invalidations.incrementAndGet();
            l2Succeeded();
            return new L2Outcome<>(result, L2State.DONE);
        } catch (CacheException e) {
            invalidations.incrementAndGet();
            l2Failed(e, operation, subject);
            boolean rejected = L2Guard.isRejection(e);
            return new L2Outcome<>(fallback, rejected ? L2State.REJECTED : L2State.FAILED);
        }
    }

    /**
     * Finishes a write after L1 was updated. Drops {@code keys} from L1 again when another
     * invalidation (a peer's message, or another local writer) arrived since {@code epoch} was read
     * before the L2 write, since the L1 copy might then be older than Redis. Then tells peers whenever
     * L2 was asked, also when the write failed: a timed-out write may still have been applied.
     * (A failed write stays in this L1, as the outage rules say, for at most {@code l1Ttl}, or until the
     * circuit closes again after an outage and L1 is flushed; a refused one was dropped from L1.)
     */
    private void settle(List<String> keys, long epoch, L2Outcome<?> outcome) {
        long own = outcome.state() == L2State.SKIPPED ? 0 : 1;
        if (invalidations.get() != epoch + own) {
            keys.forEach(l1::delete);
        }
        if (outcome.state() != L2State.SKIPPED) {
            publish(keys);
        }
    }

    private boolean l2Allowed(String operation, String subject) {
        return guard.allow(operation, subject);
    }

    /** Tells peers that {@code keys} changed in L2. */
    private void publish(List<String> keys) {
        channel.publish(InvalidationMessage.keys(id, keys).encode());
    }

    /**
     * Fills L1 after an L2 read sent at {@code sentAt}: Redis measured the remaining TTL before the
     * reply travelled back, so the time since sending is taken off, and an L1 copy never outlives
     * the Redis entry. Skipped when an invalidation raced with the read.
     */
    private void fillL1(String key, TtlValue<V> remote, long epoch, long sentAt) {
        if (!l1Trusted() || invalidations.get() != epoch) {
            return;
        }
        Duration ttl = remote.remaining() == null
                ? config.l1Ttl()
                : l1Ttl(remote.remaining().minusNanos(ticker.read() - sentAt)); // time since Redis measured it
        if (ttl.toMillis() <= 0) {
            return;
        }
        l1.set(key, remote.value(), ttl);
        if (invalidations.get() != epoch) {
            l1.delete(key); // an invalidation raced with this fill
        }
    }

    private void addFromL1(String key, Map<String, V> found) {
        V local = l1.get(key, false);
        if (local != null) {
            found.put(key, local);
        }
    }

    private Duration l1Ttl(Duration ttl) {
        return ttl.compareTo(config.l1Ttl()) < 0 ? ttl : config.l1Ttl();
    }

    private V record(boolean trackStats, V value) {
        if (trackStats) {
            if (value == null) {
                stats.recordMiss();
            } else {
                stats.recordHit();
            }
        }
        return value;
    }

    private void l2Succeeded() {
        guard.succeeded();
    }

    private void l2Failed(CacheException e, String operation, String key) {
        guard.failed(e, operation, key);
    }

    private void onInvalidation(byte[] payload) {
        InvalidationMessage message;
        try {
            message = InvalidationMessage.decode(payload);
        } catch (IOException e) {
            log.debug("ignored a malformed invalidation message in namespace '{}'", namespace());
            return;
        }
        if (id.equals(message.sender()) || closed.get()) {
            return;
        }
        invalidations.incrementAndGet();
        if (message.all()) {
            l1.clearNamespace();
        } else {
            for (String key : message.keys()) {
                if (key != null && !key.isEmpty()) { // no such key can be in L1; another client's message may carry one
                    l1.delete(key);
                }
            }
        }
    }

    private void flushL1() {
        invalidations.incrementAndGet();
        if (!closed.get()) {
            l1.clearNamespace();
        }
    }

    private void probe() {
        try {
            if (channel != null && !channel.isSubscribed()) {
                channel.reconnect();
            }
            if (guard.breaker().tryProbe()) { // the half-open probe: the only call that closes the circuit
                try {
                    l2.ping();
                    guard.markReached();
                    guard.breaker().onProbeSuccess();
                } catch (CacheException e) {
                    guard.breaker().onProbeFailure(e);
                }
            } else if (!guard.reached()) {
                l2.ping();
                l2Succeeded();
            }
        } catch (RuntimeException e) {
            log.debug("L2 probe in namespace '{}' failed: {}", namespace(), e.toString());
        }
    }

    private void ensureOpen() {
        if (closed.get()) {
            throw new IllegalStateException("cache '" + namespace() + "' is closed");
        }
        if (!subscriptionAwaited) {
            awaitFirstSubscription();
        }
    }

    /**
     * Makes the first call wait (once per manager, at most socketConnectTimeout + socketTimeout) until
     * the first attempt to subscribe has ended: the confirmation flushes L1, so a value written or read
     * before it would be flushed right after, and could not be served if Redis then died.
     */
    private void awaitFirstSubscription() {
        channel.awaitFirstAttempt(config.socketConnectTimeout().plus(config.socketTimeout()));
        subscriptionAwaited = true;
    }

    /**
     * Builds a {@link CacheManager}. Not thread-safe; the built manager is.
     *
     * @param <V> the type of the cached values
     */
    public static final class Builder<V> {
        private final CacheConfig config;
        private final ValueCodec<V> codec;
        private boolean withL2 = true;
        private Ticker ticker = Ticker.system();
        private int failureThreshold = 3;
        private Duration openDuration = Duration.ofMillis(500);

        private Builder(CacheConfig config, ValueCodec<V> codec) {
            this.config = config;
            this.codec = codec;
        }

        /** Returns a builder whose L2 stores values with {@code codec}, such as {@code Codecs.json(User.class)}. */
        public <T> Builder<T> codec(ValueCodec<T> codec) {
            Builder<T> typed = new Builder<>(config, Objects.requireNonNull(codec, "codec"));
            typed.withL2 = withL2;
            typed.ticker = ticker;
            typed.failureThreshold = failureThreshold;
            typed.openDuration = openDuration;
            return typed;
        }

        /** Builds a memory-only manager even when an L2 module is on the classpath. */
        public Builder<V> memoryOnly() {
            this.withL2 = false;
            return this;
        }

        /** Sets the time source of L1 expiry and the circuit breaker; tests pass a fake one. */
        public Builder<V> ticker(Ticker ticker) {
            this.ticker = Objects.requireNonNull(ticker, "ticker");
            return this;
        }

        /**
         * Sets when the L2 circuit opens (after {@code failureThreshold} consecutive failures) and how
         * long it stays open before a probe; defaults 3 and 500 ms.
         */
        public Builder<V> circuitBreaker(int failureThreshold, Duration openDuration) {
            if (failureThreshold < 1) {
                throw new IllegalArgumentException("failureThreshold must be at least 1, was " + failureThreshold);
            }
            this.failureThreshold = failureThreshold;
            this.openDuration = Checks.ttl(openDuration, "openDuration");
            return this;
        }

        /**
         * Returns the manager; L2 connects in the background. The value type is the codec's (see
         * {@link #codec}), not inferred from the assignment, because the L2 codec decides what a read returns.
         */
        public CacheManager<V> build() {
            return new CacheManager<>(this);
        }
    }
}
