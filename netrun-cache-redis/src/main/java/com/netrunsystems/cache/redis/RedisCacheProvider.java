package com.netrunsystems.cache.redis;

import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.ValueCodec;
import com.netrunsystems.cache.internal.Checks;
import com.netrunsystems.cache.internal.RemoteCacheProvider;
import com.netrunsystems.cache.internal.RemoteLayer;

/** Registers {@link RedisCache} with core through {@link java.util.ServiceLoader}. Not API. */
public final class RedisCacheProvider implements RemoteCacheProvider {

    @Override
    public <V> Cache<V> create(CacheConfig config, ValueCodec<V> codec) {
        return RedisCache.builder(config).codec(codec).build();
    }

    @Override
    public boolean deleteOrThrow(Cache<?> cache, String key) {
        if (!(cache instanceof RedisCache<?> redis)) {
            return cache.delete(key);
        }
        byte[] storedKey = new RedisKeys(redis.namespace()).encode(Checks.key(key));
        Long removed = redis.strictCall("UNLINK", key, c -> c.commands().unlink(storedKey).toCompletableFuture());
        return removed != null && removed > 0;
    }

    @Override
    public <V> RemoteLayer<V> createLayer(CacheConfig config, ValueCodec<V> codec) {
        CacheConfig failClosed = config.toBuilder().failOpen(false).build();
        return new RedisLayer<>(RedisCache.builder(failClosed).codec(codec).build());
    }
}
