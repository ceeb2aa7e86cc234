package com.netrunsystems.cache;

import java.util.Objects;

/**
 * An immutable snapshot of a cache's statistics, named as the Python netrun-cache names them.
 *
 * <p>{@code hits} and {@code misses} count reads made with statistics on ({@link Cache#get(String)},
 * {@link Cache#getMany}, {@link Cache#getOrLoad}); {@code totalRequests} is their sum and
 * {@code hitRatePercent} the share of hits, 0–100 rounded to two decimals. {@code cachedKeys} is
 * the number of keys in the namespace as last measured (exact for memory; for Redis refreshed in
 * the background, see the backend's Javadoc). {@code errors} counts backend failures and values
 * that could not be decoded; {@code loads} and {@code loadFailures} count loader calls made by
 * {@code getOrLoad}; {@code refreshes} counts background reloads (refresh-ahead) and
 * {@code staleServed} values served past their expiry because a loader failed (stale-if-error).
 *
 * @param namespace      the cache's namespace
 * @param hits           reads that found a value
 * @param misses         reads that found nothing
 * @param totalRequests  {@code hits + misses}
 * @param hitRatePercent {@code 100 * hits / totalRequests}, two decimals; 0 when there were no reads
 * @param cachedKeys     keys currently held in the namespace (see above)
 * @param backend        {@code "memory"}, {@code "redis"} or {@code "multi_layer"}: the backend's
 *                       {@link CacheBackend#wireName() wire name}, a {@code String} as the Python package
 *                       reports it (the API fixes this type); {@link #backendType()} is the same backend as
 *                       the {@link CacheBackend} that {@link Cache#backend()} returns
 * @param connected      whether the backend is reachable now (always {@code true} for memory)
 * @param evictions      entries removed to respect the size bound
 * @param errors         backend failures, timeouts and undecodable values
 * @param loads          loader calls that returned (a value, or {@code null}, which caches nothing)
 * @param loadFailures   loader calls that threw
 * @param refreshes      background reloads that replaced an entry before it expired
 * @param staleServed    expired values served because the loader failed
 */
public record CacheStats(
        String namespace,
        long hits,
        long misses,
        long totalRequests,
        double hitRatePercent,
        long cachedKeys,
        String backend,
        boolean connected,
        long evictions,
        long errors,
        long loads,
        long loadFailures,
        long refreshes,
        long staleServed) {

    /** Requires a namespace and a backend name. */
    public CacheStats {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(backend, "backend");
    }

    /**
     * Builds a snapshot, deriving {@code totalRequests} and {@code hitRatePercent} from the hits and
     * misses.
     */
    public static CacheStats of(String namespace, CacheBackend backend, boolean connected, long hits, long misses,
            long cachedKeys, long evictions, long errors, long loads, long loadFailures, long refreshes,
            long staleServed) {
        long total = hits + misses;
        return new CacheStats(namespace, hits, misses, total, percent(hits, total), cachedKeys, backend.wireName(),
                connected, evictions, errors, loads, loadFailures, refreshes, staleServed);
    }

    /**
     * Returns {@link #backend()} as the enum {@link Cache#backend()} returns, so that
     * {@code cache.stats().backendType() == cache.backend()} for every cache.
     */
    public CacheBackend backendType() {
        return CacheBackend.parse(backend);
    }

    /** Returns the share of reads that hit, 0.0–1.0; 0.0 when there were no reads. */
    public double hitRate() {
        return totalRequests == 0 ? 0.0 : (double) hits / totalRequests;
    }

    private static double percent(long hits, long total) {
        return total == 0 ? 0.0 : Math.round(10_000.0 * hits / total) / 100.0;
    }
}
