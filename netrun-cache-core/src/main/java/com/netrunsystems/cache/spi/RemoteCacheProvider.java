package com.netrunsystems.cache.spi;

import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.ValueCodec;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Creates remote (L2) caches for {@code Caches} and {@code CacheManager}. A module that provides
 * a remote backend, such as {@code netrun-cache-redis}, registers an implementation in
 * {@code META-INF/services/com.netrunsystems.cache.spi.RemoteCacheProvider}; core finds it with
 * {@link java.util.ServiceLoader} and runs memory-only when there is none. Not API.
 */
public interface RemoteCacheProvider {

    /** Returns the remote backend registered through {@link ServiceLoader}, if a module provides one. */
    static Optional<RemoteCacheProvider> find() {
        return ServiceLoader.load(RemoteCacheProvider.class, RemoteCacheProvider.class.getClassLoader()).findFirst();
    }

    /** Returns a remote cache for {@code config} whose values {@code codec} encodes; it connects lazily. */
    <V> Cache<V> create(CacheConfig config, ValueCodec<V> codec);

    /**
     * Returns the L2 of a two-level cache for {@code config}: its cache throws on every failure
     * (whatever {@code config.failOpen()} says), and it offers TTL-aware reads and invalidations.
     */
    <V> RemoteLayer<V> createLayer(CacheConfig config, ValueCodec<V> codec);

    /**
     * Deletes {@code key} from {@code cache}, one this provider created, but throws
     * {@code CacheUnavailableException} (counted in the cache's errors) when the backend was not
     * reached, whatever {@code failOpen} says; returns whether a key was removed.
     */
    default boolean deleteOrThrow(Cache<?> cache, String key) {
        return cache.delete(key);
    }
}
