package com.netrunsystems.cache.redis;

import io.lettuce.core.AbstractRedisClient;
import java.util.HashMap;
import java.util.Map;

/**
 * The JVM's table of shared Redis endpoints: caches that point at the same endpoint (see
 * {@link RedisEndpoint#identity}) get the same {@link SharedEndpoint}, counted; the release of the
 * last one removes and closes it.
 *
 * <p>This is the module's one piece of static mutable state, on purpose: caches are built
 * independently ({@code RedisCache.create}, {@code CacheManager.create}, {@code @Cached} proxies,
 * Spring beans, each from a config), and a JVM-wide table is the only place where they can find each
 * other's connection without the user handing one around. Lettuce's own advice is the same: one
 * client (and its threads) per process, one multiplexed connection shared by every thread. Nothing
 * else here is static; the table holds only endpoints in use, so it is empty once every cache is
 * closed. Thread-safe: one lock guards the table and the counts; closing an endpoint (which waits for
 * Lettuce) happens outside it.
 */
final class EndpointRegistry {

    private static final Map<RedisEndpoint.Identity, SharedEndpoint> ENDPOINTS = new HashMap<>(); // guarded by itself

    private EndpointRegistry() {
    }

    /**
     * Returns the shared endpoint for {@code endpoint} (on {@code supplied}, or on a client of our own
     * when {@code null}), opening it if no cache uses it yet, and counts one more user; each call needs
     * one {@link #release}.
     */
    static SharedEndpoint acquire(RedisEndpoint endpoint, AbstractRedisClient supplied) {
        RedisEndpoint.Identity identity = endpoint.identity(supplied);
        synchronized (ENDPOINTS) {
            SharedEndpoint shared = ENDPOINTS.get(identity);
            if (shared == null || !shared.retain()) {
                shared = new SharedEndpoint(identity, endpoint, supplied);
                shared.retain();
                ENDPOINTS.put(identity, shared);
            }
            return shared;
        }
    }

    /** Counts one user less; the last one closes the endpoint (its connections and, when owned, its client). */
    static void release(SharedEndpoint shared) {
        boolean last;
        synchronized (ENDPOINTS) {
            last = shared.release();
            if (last) {
                ENDPOINTS.remove(shared.identity(), shared);
            }
        }
        if (last) {
            shared.close();
        }
    }

    /** Returns how many endpoints are open now; for tests and diagnostics. */
    static int openEndpoints() {
        synchronized (ENDPOINTS) {
            return ENDPOINTS.size();
        }
    }
}
