package com.netrunsystems.cache;

import java.util.Locale;

/**
 * The storage a cache uses. The lower-case {@link #wireName()} is how the Python netrun-cache
 * spells each backend, in configuration and in {@link CacheStats#backend()}.
 */
public enum CacheBackend {
    /** In-process memory ({@link MemoryCache}); nothing survives the JVM. */
    MEMORY("memory"),
    /** A Redis server, Sentinel set or Cluster ({@code RedisCache} in {@code netrun-cache-redis}). */
    REDIS("redis"),
    /** Two levels: an in-memory L1 in front of a Redis L2 ({@link CacheManager}). */
    MULTI_LAYER("multi_layer");

    private final String wireName;

    CacheBackend(String wireName) {
        this.wireName = wireName;
    }

    /** Returns the seed's lower-case name: {@code memory}, {@code redis} or {@code multi_layer}. */
    public String wireName() {
        return wireName;
    }

    /**
     * Parses a backend written as the seed writes it ({@code memory}, {@code redis},
     * {@code multi_layer}) or as the enum constant, in any case; {@code multi-layer} is accepted too.
     *
     * @throws IllegalArgumentException naming the accepted values when {@code text} matches none
     */
    public static CacheBackend parse(String text) {
        if (text != null) {
            String normalized = text.trim().toLowerCase(Locale.ROOT).replace('-', '_');
            for (CacheBackend backend : values()) {
                if (backend.wireName.equals(normalized)) {
                    return backend;
                }
            }
        }
        throw new IllegalArgumentException(
                "backend must be one of memory, redis, multi_layer, was " + (text == null ? "null" : "'" + text + "'"));
    }
}
