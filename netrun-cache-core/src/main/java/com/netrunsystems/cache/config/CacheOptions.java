package com.netrunsystems.cache.config;

import static com.netrunsystems.cache.config.SettingChecks.check;
import static com.netrunsystems.cache.config.SettingChecks.quoted;
import static com.netrunsystems.cache.config.SettingChecks.requirePositive;

import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.LoadPolicy;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;

/**
 * The settings of a {@code CacheConfig} that are not memory-, Redis- or L1-specific: which cache, its
 * namespace and default TTL, the failure policy, shared statistics, the key-count refresh, the load
 * policy and the executor of user code. Internal, not part of the API: read the values through
 * {@code CacheConfig}'s getters, which document them. The executor is not part of {@link #equals}: any
 * executor fits. Immutable and thread-safe (as the executor is).
 *
 * @param backend the backend {@code Caches.create} builds; not null
 * @param namespace the namespace that prefixes every key; non-blank
 * @param defaultTtl the TTL of entries written without one; at least 1 ms
 * @param failOpen whether reads and writes fail open when the backend is unreachable
 * @param sharedStats whether Redis caches keep the Python package's shared hit/miss counters
 * @param keyCountRefresh how often Redis caches recount their keys; at least 1 ms
 * @param loadPolicy how {@code getOrLoad} defends against stampedes; not null
 * @param executor where user code reached from Redis replies runs; not null
 */
public record CacheOptions(CacheBackend backend, String namespace, Duration defaultTtl, boolean failOpen,
        boolean sharedStats, Duration keyCountRefresh, LoadPolicy loadPolicy, Executor executor) {

    /** Validates the values; throws an {@link IllegalArgumentException} naming the first invalid field. */
    public CacheOptions {
        checkIdentity(backend, namespace, defaultTtl);
        requirePositive("keyCountRefresh", keyCountRefresh);
        check(loadPolicy != null, "loadPolicy must not be null");
        check(executor != null, "executor must not be null");
    }

    /**
     * Checks the backend, namespace and default TTL: {@code CacheConfig.Builder#build()} checks them
     * before any other setting, and the other fields of this record after the memory, Redis and L1 ones.
     */
    public static void checkIdentity(CacheBackend backend, String namespace, Duration defaultTtl) {
        check(backend != null, "backend must not be null");
        check(namespace != null && !namespace.isBlank(), "namespace must not be blank, was %s", quoted(namespace));
        requirePositive("defaultTtl", defaultTtl);
    }

    /** Returns the first fields as {@code CacheConfig#toString()} lists them. */
    public String identityFields() {
        return "backend=" + backend.wireName() + ", namespace='" + namespace + "', defaultTtl=" + defaultTtl;
    }

    /** Returns the other fields (but the executor) as {@code CacheConfig#toString()} lists them, last. */
    public String policyFields() {
        return "failOpen=" + failOpen + ", sharedStats=" + sharedStats + ", keyCountRefresh=" + keyCountRefresh
                + ", loadPolicy=" + loadPolicy;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof CacheOptions c && failOpen == c.failOpen && sharedStats == c.sharedStats
                && backend == c.backend && namespace.equals(c.namespace) && defaultTtl.equals(c.defaultTtl)
                && keyCountRefresh.equals(c.keyCountRefresh) && loadPolicy.equals(c.loadPolicy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(backend, namespace, defaultTtl, failOpen, sharedStats, keyCountRefresh, loadPolicy);
    }

    @Override
    public String toString() {
        return "CacheOptions{" + identityFields() + ", " + policyFields() + "}";
    }
}
