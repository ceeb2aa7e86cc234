package com.netrunsystems.cache.method;

import com.netrunsystems.cache.CacheInvalidate;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.CacheUnavailableException;
import com.netrunsystems.cache.CachedProxy;

/**
 * A {@link CacheManager}'s strict delete, for {@link CacheInvalidate}: like {@code delete}, but throws
 * {@link CacheUnavailableException} (counted as an error) when L2 did not take the delete, so that a
 * failed removal is not mistaken for an absent key. The operation is not API: {@code CacheManager} keeps
 * it package-private, and {@link CachedProxy} hands it to the {@link MethodCacheRegistry} as this
 * interface. Implementations are thread-safe.
 */
@FunctionalInterface
public interface StrictDelete {

    /**
     * Deletes {@code key} from {@code manager}; returns whether a key was removed.
     *
     * @throws CacheUnavailableException when L2 did not take the delete
     */
    boolean deleteOrThrow(CacheManager<Object> manager, String key);
}
