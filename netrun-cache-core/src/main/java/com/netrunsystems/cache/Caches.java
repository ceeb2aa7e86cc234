package com.netrunsystems.cache;

import com.netrunsystems.cache.internal.RemoteCacheProvider;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Creates the cache a {@link CacheConfig} names. Thread-safe.
 *
 * <pre>{@code
 * Cache<Object> cache = Caches.create(CacheConfig.fromEnvironment());
 * }</pre>
 */
public final class Caches {

    private Caches() {
    }

    /**
     * Returns a new cache of the config's {@link CacheConfig#backend() backend}, holding JSON-tree
     * values: a {@link MemoryCache} for {@code MEMORY}, a {@code RedisCache} for {@code REDIS} (needs
     * {@code netrun-cache-redis} on the classpath), a {@link CacheManager} for {@code MULTI_LAYER}.
     * The caller owns the cache and closes it.
     *
     * @throws CacheException when the backend's module is not on the classpath
     */
    public static Cache<Object> create(CacheConfig config) {
        return switch (config.backend()) {
            case MEMORY -> MemoryCache.create(config);
            case REDIS -> remoteProvider()
                    .orElseThrow(() -> new CacheException("backend redis needs netrun-cache-redis on the classpath: add "
                            + "the dependency com.netrunsystems:netrun-cache-redis, or choose backend memory"))
                    .create(config, Codecs.json());
            case MULTI_LAYER -> CacheManager.create(config);
        };
    }

    /** Returns the remote backend registered through {@link ServiceLoader}, if a module provides one. */
    static Optional<RemoteCacheProvider> remoteProvider() {
        return ServiceLoader.load(RemoteCacheProvider.class, Caches.class.getClassLoader()).findFirst();
    }
}
