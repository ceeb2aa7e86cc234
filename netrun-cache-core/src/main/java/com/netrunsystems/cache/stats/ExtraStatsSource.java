package com.netrunsystems.cache.stats;

/**
 * A cache whose {@link ExtraStats} can be read: {@code MemoryCache}, {@code RedisCache} and
 * {@code CacheManager} implement it. Not API (see {@link ExtraStats}). Implementations are thread-safe
 * and cheap: they read counters, never the backend.
 */
public interface ExtraStatsSource {

    /** Returns the counts beyond {@code CacheStats}, as of now. */
    ExtraStats extraStats();
}
