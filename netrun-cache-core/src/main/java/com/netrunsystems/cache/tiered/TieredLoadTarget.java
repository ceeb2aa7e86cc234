package com.netrunsystems.cache.tiered;

import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.CacheLock;
import com.netrunsystems.cache.CacheUnavailableException;
import com.netrunsystems.cache.internal.LoadTarget;
import com.netrunsystems.cache.internal.StatsCounter;
import com.netrunsystems.cache.internal.TtlValue;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link LoadTarget} of a two-level cache: loads go into both layers for the TTL; the
 * stale-if-error grace copy lives in L2 only (in L1 when there is no L2), under its own key, read
 * only when a loader fails; the load lease is an L2 lock. Thread-safe.
 *
 * @param <V> the type of the cached values
 */
public final class TieredLoadTarget<V> implements LoadTarget<V> {

    private static final Logger log = LoggerFactory.getLogger("com.netrunsystems.cache.CacheManager");

    /** The read and write paths of the two-level cache that a load goes through. */
    public interface Paths<V> {

        /** L1 (when trusted), then L2, filling L1; fail-open; counts statistics when {@code trackStats}. */
        TtlValue<V> lookup(String key, boolean trackStats);

        /** Writes through: L2 with {@code remote}, then L1 for {@code l1Ttl}; returns whether a layer stored it. */
        boolean store(String key, V value, Duration l1Ttl, Supplier<Boolean> remote);

        /** Returns the L1 TTL of an entry written for {@code ttl}: {@code min(ttl, l1Ttl)}. */
        Duration l1Ttl(Duration ttl);
    }

    private final LocalLayer<V> l1;
    private final L2Guard<V> l2;
    private final StatsCounter stats;
    private final Paths<V> paths;
    private final String namespace;

    /** Creates the target; {@code l2} is {@code null} for a memory-only cache. */
    public TieredLoadTarget(String namespace, LocalLayer<V> l1, L2Guard<V> l2, StatsCounter stats, Paths<V> paths) {
        this.namespace = namespace;
        this.l1 = l1;
        this.l2 = l2;
        this.stats = stats;
        this.paths = paths;
    }

    @Override
    public TtlValue<V> read(String key, boolean needTtl) {
        return paths.lookup(key, false);
    }

    /** A caller's lookup counts in the L1 and L2 statistics (and L2's shared ones) as a get's does. */
    @Override
    public TtlValue<V> lookup(String key, boolean needTtl) {
        return paths.lookup(key, true);
    }

    @Override
    public boolean write(String key, V value, Duration ttl, Duration grace) {
        if (l2 == null) {
            return l1.setLoaded(key, value, ttl, grace);
        }
        if (grace.isZero()) {
            return paths.store(key, value, paths.l1Ttl(ttl), () -> l2.layer().cache().set(key, value, ttl));
        }
        return paths.store(key, value, paths.l1Ttl(ttl), () -> l2.layer().setLoaded(key, value, ttl, grace));
    }

    /** The caller's L2 read just failed as unavailable: L1 alone, without waiting for L2 a second time. */
    @Override
    public void keepLocally(String key, V value, Duration ttl) {
        l1.cache().set(key, value, paths.l1Ttl(ttl));
    }

    @Override
    public V readStale(String key) {
        if (l2 == null) {
            return l1.graceCopy(key);
        }
        if (!l2.admits()) {
            return null;
        }
        try {
            V stale = l2.layer().graceCopy(key);
            l2.succeeded();
            return stale;
        } catch (CacheException e) {
            if (e instanceof CacheUnavailableException) {
                stats.recordError();
                l2.onUnavailable(e);
            }
            log.debug("stale copy of key '{}' in namespace '{}' unreadable: {}", key, namespace, e.getMessage());
            return null; // the loader's exception reaches the caller
        }
    }

    @Override
    public Optional<CacheLock> tryLease(String key, Duration ttl) {
        if (l2 == null || !l2.admits()) {
            return null;
        }
        try {
            Optional<CacheLock> lease = l2.layer().tryLock(key, ttl);
            l2.succeeded();
            return lease;
        } catch (CacheUnavailableException e) {
            if (e.kind() == CacheUnavailableException.Kind.UNAVAILABLE) {
                l2.onUnavailable(e);
            }
            return null;
        }
    }
}
