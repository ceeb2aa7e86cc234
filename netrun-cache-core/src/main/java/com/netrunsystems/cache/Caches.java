package com.netrunsystems.cache;

import com.netrunsystems.cache.spi.RemoteCacheProvider;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the cache a {@link CacheConfig} names. Thread-safe.
 *
 * <pre>{@code
 * Cache<Object> cache = Caches.create(CacheConfig.fromEnvironment());
 * }</pre>
 */
public final class Caches {

    private static final Logger log = LoggerFactory.getLogger(Caches.class);

    private Caches() {
    }

    /**
     * Returns a new cache of the config's {@link CacheConfig#backend() backend}, holding JSON-tree
     * values: a {@link MemoryCache} for {@code MEMORY}, a {@code RedisCache} for {@code REDIS} (needs
     * {@code netrun-cache-redis} on the classpath), a {@link CacheManager} for {@code MULTI_LAYER}.
     * The caller owns the cache and closes it. Logs at INFO which cache it built and why, and when a
     * memory backend leaves Redis settings unused, says how to use them.
     *
     * @throws CacheException when the backend's module is not on the classpath
     */
    public static Cache<Object> create(CacheConfig config) {
        log.info("Caches.create: {}", choice(config, remoteProvider().isPresent()));
        return switch (config.backend()) {
            case MEMORY -> MemoryCache.create(config);
            case REDIS -> remoteProvider()
                    .orElseThrow(() -> new CacheException("backend redis needs netrun-cache-redis on the classpath: add "
                            + "the dependency com.netrunsystems:netrun-cache-redis, or choose backend memory"))
                    .create(config, Codecs.json());
            case MULTI_LAYER -> CacheManager.create(config);
        };
    }

    /** Says which cache {@link #create} builds for {@code config} and why; never shows a password. */
    static String choice(CacheConfig config, boolean redisModulePresent) {
        String namespace = "namespace '" + config.namespace() + "'";
        return switch (config.backend()) {
            case MEMORY -> "MemoryCache (" + namespace + ") because the config's backend is memory, the default"
                    + (redisConfigured(config)
                            ? "; its Redis settings (" + config.redisEndpoint() + ") are not used: set backend redis "
                                    + "or multi_layer (NETRUN_CACHE_BACKEND, netrun.cache.backend) to use them"
                            : "");
            case REDIS -> "RedisCache (" + namespace + ") on " + config.redisEndpoint()
                    + " because the config's backend is redis";
            case MULTI_LAYER -> "CacheManager (" + namespace + ") because the config's backend is multi_layer: L1 in memory"
                    + (redisModulePresent ? ", L2 on Redis at " + config.redisEndpoint()
                            : " only, since netrun-cache-redis is not on the classpath");
        };
    }

    private static boolean redisConfigured(CacheConfig config) {
        CacheConfig defaults = CacheConfig.defaults();
        return config.redisUrl().isPresent() || config.isCluster() || !config.redisHost().equals(defaults.redisHost())
                || config.redisPort() != defaults.redisPort() || config.redisPassword().isPresent();
    }

    /** Returns the remote backend registered through {@link java.util.ServiceLoader}, if a module provides one. */
    static Optional<RemoteCacheProvider> remoteProvider() {
        return RemoteCacheProvider.find();
    }
}
