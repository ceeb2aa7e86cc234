package com.netrunsystems.cache.config;

import static com.netrunsystems.cache.config.SettingChecks.check;

import com.netrunsystems.cache.EvictionPolicy;

/**
 * The memory-cache part of a {@code CacheConfig}: its size bound and eviction policy. Internal, not
 * part of the API: read the values through {@code CacheConfig}'s getters. Immutable and thread-safe.
 *
 * @param maxSize the most entries a memory cache holds; positive
 * @param evictionPolicy how a full memory cache chooses what to evict; not null
 */
public record MemoryOptions(long maxSize, EvictionPolicy evictionPolicy) {

    /** Validates the values; throws an {@link IllegalArgumentException} naming the first invalid field. */
    public MemoryOptions {
        check(maxSize > 0, "maxSize must be positive, was %s", maxSize);
        check(evictionPolicy != null, "evictionPolicy must not be null");
    }

    /** Returns the fields as {@code CacheConfig#toString()} lists them. */
    public String fields() {
        return "maxSize=" + maxSize + ", evictionPolicy=" + evictionPolicy;
    }

    @Override
    public String toString() {
        return "MemoryOptions{" + fields() + "}";
    }
}
