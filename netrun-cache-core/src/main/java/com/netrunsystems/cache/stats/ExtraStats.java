package com.netrunsystems.cache.stats;

/**
 * Counts a cache keeps beyond {@link com.netrunsystems.cache.CacheStats}, read by the Micrometer module
 * (netrun-cache-micrometer) for its netrun meters. Not API: {@code CacheStats} is fixed by the API
 * contract, so these live here, exported only to the netrun modules that read them. Immutable.
 *
 * @param timedLoads            loader calls of {@code getOrLoad} that returned or threw (background
 *                              refreshes not included); reset by {@code resetStats()}
 * @param loadNanos             the time those calls took, in nanoseconds; reset by {@code resetStats()}
 * @param flightWaits           callers that waited for a load of their key already running in this JVM
 *                              instead of loading (single flight); reset by {@code resetStats()}
 * @param leaseWaits            callers that waited for the value another process loaded under the key's
 *                              lease ({@code LoadPolicy.distributed()}); reset by {@code resetStats()}
 * @param invalidationsSent     invalidation messages a two-level cache published to its peers (0 for
 *                              other caches); never reset
 * @param invalidationsReceived invalidation messages a two-level cache received from its peers, its own
 *                              not counted (0 for other caches); never reset
 */
public record ExtraStats(long timedLoads, long loadNanos, long flightWaits, long leaseWaits, long invalidationsSent,
        long invalidationsReceived) {
}
