package com.netrunsystems.cache.config;

/**
 * Every setting of a {@code CacheConfig}, validated, in its four groups. Internal, not part of the API:
 * read the values through {@code CacheConfig}'s getters. Equal when every group is (the executor aside,
 * see {@link CacheOptions}). Immutable and thread-safe.
 *
 * @param cache the general settings
 * @param memory the memory-cache settings
 * @param redis the Redis settings
 * @param tiered the L1 settings of a two-level cache
 */
public record ConfigOptions(CacheOptions cache, MemoryOptions memory, RedisOptions redis, TieredOptions tiered) {

    /** Returns every field as {@code CacheConfig#toString()} lists them: never a password. */
    public String fields() {
        return cache.identityFields() + ", " + memory.fields() + ", " + redis.fields() + ", " + tiered.fields()
                + ", " + cache.policyFields();
    }

    @Override
    public String toString() {
        return "ConfigOptions{" + fields() + "}";
    }
}
