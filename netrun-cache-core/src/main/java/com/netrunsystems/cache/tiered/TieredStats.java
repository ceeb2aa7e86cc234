package com.netrunsystems.cache.tiered;

import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.CacheStats;
import com.netrunsystems.cache.CircuitState;
import com.netrunsystems.cache.stats.ExtraStats;
import com.netrunsystems.cache.stats.StatsCounter;
import java.util.Optional;

/**
 * The statistics of a two-level cache: each layer's own, and the combined view, in which a read is a
 * hit when either layer served it and {@code errors} is every failure of either layer plus the
 * manager's own (waits for L2 that ran out). Cheap: reads counters, never scans. Thread-safe.
 *
 * @param <V> the type of the cached values
 */
public final class TieredStats<V> {

    private final String namespace;
    private final Cache<V> l1;
    private final L2Guard<V> l2;
    private final StatsCounter own;

    /** Combines {@code l1}'s, {@code l2}'s (none when {@code null}) and the manager's {@code own} counters. */
    public TieredStats(String namespace, Cache<V> l1, L2Guard<V> l2, StatsCounter own) {
        this.namespace = namespace;
        this.l1 = l1;
        this.l2 = l2;
        this.own = own;
    }

    /** Returns L1's statistics. */
    public CacheStats l1() {
        return l1.stats();
    }

    /** Returns L2's statistics, or empty without an L2. */
    public Optional<CacheStats> l2() {
        return l2 == null ? Optional.empty() : Optional.of(l2.layer().cache().stats());
    }

    /** Returns the combined statistics; {@code cachedKeys} is L2's count while it is up, else L1's. */
    public CacheStats combined() {
        CacheStats local = l1.stats();
        CacheStats remote = l2 == null ? null : l2.layer().cache().stats();
        boolean l2Up = l2 != null && l2.state() == CircuitState.CLOSED && l2.layer().isConnected();
        long cachedKeys = l2Up ? remote.cachedKeys() : local.cachedKeys();
        CacheStats mine = own.snapshot(namespace, CacheBackend.MULTI_LAYER, l2 == null || l2Up, cachedKeys,
                local.evictions());
        long errors = mine.errors() + local.errors() + (remote == null ? 0 : remote.errors());
        return new CacheStats(mine.namespace(), mine.hits(), mine.misses(), mine.totalRequests(), mine.hitRatePercent(),
                mine.cachedKeys(), mine.backend(), mine.connected(), mine.evictions(), errors, mine.loads(),
                mine.loadFailures(), mine.refreshes(), mine.staleServed());
    }

    /** Returns the manager's counts beyond {@code CacheStats}, with {@code coherence}'s invalidation counts. */
    public ExtraStats extra(L1Coherence<?> coherence) {
        return own.extra(coherence.sent(), coherence.received());
    }

    /** Resets every layer's counters and the manager's. */
    public void reset() {
        own.reset();
        l1.resetStats();
        if (l2 != null) {
            l2.layer().cache().resetStats();
        }
    }
}
