package com.netrunsystems.cache.config;

import static com.netrunsystems.cache.config.SettingChecks.check;
import static com.netrunsystems.cache.config.SettingChecks.requirePositive;

import com.netrunsystems.cache.Coherence;
import java.time.Duration;

/**
 * The L1 part of a {@code CacheConfig}, used by a {@code CacheManager}'s memory layer in front of
 * Redis. Internal, not part of the API: read the values through {@code CacheConfig}'s getters.
 * Immutable and thread-safe.
 *
 * @param l1MaxSize the most entries the L1 holds; positive
 * @param l1Ttl the longest time an entry stays in the L1; at least 1 ms
 * @param coherence how the L1 learns of other writers' changes; not null
 * @param coherenceHeartbeat how often the invalidation connection is pinged; at least 1 ms
 */
public record TieredOptions(long l1MaxSize, Duration l1Ttl, Coherence coherence, Duration coherenceHeartbeat) {

    /** Validates the values; throws an {@link IllegalArgumentException} naming the first invalid field. */
    public TieredOptions {
        check(l1MaxSize > 0, "l1MaxSize must be positive, was %s", l1MaxSize);
        requirePositive("l1Ttl", l1Ttl);
        check(coherence != null, "coherence must not be null");
        requirePositive("coherenceHeartbeat", coherenceHeartbeat);
    }

    /** Returns the fields as {@code CacheConfig#toString()} lists them. */
    public String fields() {
        return "l1MaxSize=" + l1MaxSize + ", l1Ttl=" + l1Ttl + ", coherence=" + coherence
                + ", coherenceHeartbeat=" + coherenceHeartbeat;
    }

    @Override
    public String toString() {
        return "TieredOptions{" + fields() + "}";
    }
}
