package com.netrunsystems.cache.tiered;

import com.netrunsystems.cache.Cache;
import java.time.Duration;

/**
 * What the two-level parts need from the in-memory L1 beyond {@link Cache}: counting skipped reads
 * and keeping stale-if-error grace copies. The facade adapts its {@code MemoryCache} to it, so that
 * those operations stay off the public API. Implementations are thread-safe.
 *
 * @param <V> the type of the cached values
 */
public interface LocalLayer<V> {

    /** Returns the L1 cache. */
    Cache<V> cache();

    /** Counts {@code count} reads sent past L1 without reading it (L1 not trusted) as its misses. */
    void recordSkippedReads(long count);

    /** Stores a loaded value for {@code ttl} and its grace copy for {@code ttl + grace}; returns true. */
    boolean setLoaded(String key, V value, Duration ttl, Duration grace);

    /** Returns the stale-if-error grace copy of {@code key}, or {@code null}. */
    V graceCopy(String key);
}
