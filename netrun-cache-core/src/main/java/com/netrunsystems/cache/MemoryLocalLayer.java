package com.netrunsystems.cache;

import com.netrunsystems.cache.tiered.LocalLayer;
import java.time.Duration;

/**
 * A {@link MemoryCache} as the L1 of a {@link CacheManager}: exposes its non-API operations (skipped-read
 * counting, grace copies) to the two-level parts without making them public. Thread-safe as the cache.
 */
final class MemoryLocalLayer<V> implements LocalLayer<V> {

    private final MemoryCache<V> cache;

    MemoryLocalLayer(MemoryCache<V> cache) {
        this.cache = cache;
    }

    @Override
    public Cache<V> cache() {
        return cache;
    }

    @Override
    public void recordSkippedReads(long count) {
        cache.recordSkippedReads(count);
    }

    @Override
    public boolean setLoaded(String key, V value, Duration ttl, Duration grace) {
        return cache.setLoaded(key, value, ttl, grace);
    }

    @Override
    public V graceCopy(String key) {
        return cache.graceCopy(key);
    }
}
