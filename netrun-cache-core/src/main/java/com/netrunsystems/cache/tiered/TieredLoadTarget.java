package com.netrunsystems.cache.tiered;

import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.CacheLock;
import com.netrunsystems.cache.CacheUnavailableException;
import com.netrunsystems.cache.internal.StatsCounter;
import com.netrunsystems.cache.internal.TtlValue;
import com.netrunsystems.cache.load.LoadTarget;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link LoadTarget} of a two-level cache: loads go into both layers for the TTL; the
 * stale-if-error grace copy lives in L2 only (in L1 when there is no L2), under its own key, read
 * only when a loader fails; the load lease is an L2 lock. Reads and writes are those of
 * {@link TieredReads} and {@link TieredWrites}, so nothing here blocks: an L1 answer completes at once,
 * an L2 one on the thread that receives the reply (the pipeline moves its next step off it), within
 * the {@link L2Guard}'s call timeout. Thread-safe.
 *
 * @param <V> the type of the cached values
 */
public final class TieredLoadTarget<V> implements LoadTarget<V> {

    private static final Logger log = LoggerFactory.getLogger("com.netrunsystems.cache.CacheManager");

    private final LocalLayer<V> l1;
    private final L1Coherence<V> coherence;
    private final L2Guard<V> l2;
    private final TieredReads<V> reads;
    private final TieredWrites<V> writes;
    private final StatsCounter stats;
    private final String namespace;

    /** Creates the target; {@code l2} is {@code null} for a memory-only cache. */
    public TieredLoadTarget(String namespace, LocalLayer<V> l1, L1Coherence<V> coherence, L2Guard<V> l2,
            TieredReads<V> reads, TieredWrites<V> writes, StatsCounter stats) {
        this.namespace = namespace;
        this.l1 = l1;
        this.coherence = coherence;
        this.l2 = l2;
        this.reads = reads;
        this.writes = writes;
        this.stats = stats;
    }

    @Override
    public CompletableFuture<TtlValue<V>> read(String key, boolean needTtl, Executor executor) {
        return reads.lookup(key, false, false);
    }

    /** A caller's lookup counts in the L1 and L2 statistics (and L2's shared ones) as a get's does. */
    @Override
    public CompletableFuture<TtlValue<V>> lookup(String key, boolean needTtl, Executor executor) {
        return reads.lookup(key, true, false);
    }

    @Override
    public CompletableFuture<Boolean> write(String key, V value, Duration ttl, Duration grace) {
        if (l2 == null) {
            return CompletableFuture.completedFuture(l1.setLoaded(key, value, ttl, grace));
        }
        return grace.isZero()
                ? writes.store(key, value, coherence.l1Ttl(ttl), () -> l2.layer().cache().async().set(key, value, ttl))
                : writes.store(key, value, coherence.l1Ttl(ttl), () -> l2.layer().setLoaded(key, value, ttl, grace));
    }

    /** The caller's L2 read just failed as unavailable: L1 alone, without waiting for L2 a second time. */
    @Override
    public void keepLocally(String key, V value, Duration ttl) {
        l1.cache().set(key, value, coherence.l1Ttl(ttl));
    }

    @Override
    public CompletableFuture<V> readStale(String key, Executor executor) {
        if (l2 == null) {
            return CompletableFuture.completedFuture(l1.graceCopy(key));
        }
        if (!l2.admits()) {
            return CompletableFuture.completedFuture(null);
        }
        return l2.call(() -> l2.layer().graceCopy(key)).handle((stale, error) -> {
            if (error == null) {
                l2.succeeded();
                return stale;
            }
            CacheException e = l2.failure(error, "GET", "the stale copy of key '" + key + "'");
            if (e instanceof CacheUnavailableException) {
                stats.recordError();
                l2.onUnavailable(e);
            }
            log.debug("stale copy of key '{}' in namespace '{}' unreadable: {}", key, namespace, e.getMessage());
            return null; // the loader's exception reaches the caller
        });
    }

    @Override
    public CompletableFuture<Optional<CacheLock>> tryLease(String key, Duration ttl) {
        if (l2 == null || !l2.admits()) {
            return CompletableFuture.completedFuture(null);
        }
        return l2.call(() -> l2.layer().tryLock(key, ttl)).handle((lease, error) -> {
            if (error == null) {
                l2.succeeded();
                return lease;
            }
            CacheException e = l2.failure(error, "SET NX", "the lease of key '" + key + "'");
            if (!(e instanceof CacheUnavailableException unavailable)) {
                throw e;
            }
            if (unavailable.kind() == CacheUnavailableException.Kind.UNAVAILABLE) {
                l2.onUnavailable(e);
            }
            return null; // load without a lease
        });
    }
}
