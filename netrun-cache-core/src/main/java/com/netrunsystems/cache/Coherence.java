package com.netrunsystems.cache;

import java.util.Locale;

/**
 * How a {@link CacheManager} keeps its L1 coherent with writes made by others on the same Redis
 * (see {@code docs/coherence.md}).
 *
 * <ul>
 *   <li>{@link #TRACKING} (default): Redis tells us itself about every change under the namespace's
 *       prefix, whoever made it (another manager, a plain {@code RedisCache}, the Python package,
 *       {@code redis-cli}, a Lua script, expiry, eviction, {@code FLUSHALL}): server-assisted client-side
 *       caching, {@code CLIENT TRACKING ON BCAST PREFIX <namespace>:} on one dedicated RESP3 connection per
 *       endpoint. Falls back to {@link #PUBSUB} (logged once) where the server refuses it (Redis before 6,
 *       an ACL user without {@code CLIENT}, a managed service) and, for now, on a Redis Cluster.</li>
 *   <li>{@link #PUBSUB}: only writes made through other {@code CacheManager}s are seen (their messages on
 *       the channel {@code netrun-cache:invalidate:<namespace>}); other writers' changes stay in L1 for up
 *       to {@code l1Ttl}.</li>
 *   <li>{@link #NONE}: no invalidation at all; an L1 copy lives up to {@code l1Ttl} whatever happens in Redis.</li>
 * </ul>
 * Every mode but {@code NONE} publishes its own writes on the pub/sub channel, so that managers in
 * {@code PUBSUB} mode (older versions, or a fallback) keep seeing them.
 */
public enum Coherence {
    /** Redis server-assisted invalidation of every writer's changes; falls back to {@link #PUBSUB}. */
    TRACKING,
    /** Invalidation messages between {@code CacheManager}s only. */
    PUBSUB,
    /** No invalidation: L1 copies expire after {@code l1Ttl}. */
    NONE;

    /** Parses {@code tracking}, {@code pubsub} (or {@code pub_sub}, {@code pub-sub}) or {@code none}, any case. */
    public static Coherence parse(String value) {
        String normalized = value.trim().toUpperCase(Locale.ROOT).replace("-", "").replace("_", "");
        for (Coherence mode : values()) {
            if (mode.name().equals(normalized)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("expected tracking, pubsub or none");
    }
}
