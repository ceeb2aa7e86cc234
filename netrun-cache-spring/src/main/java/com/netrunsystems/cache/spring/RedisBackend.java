package com.netrunsystems.cache.spring;

import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.ValueCodec;
import com.netrunsystems.cache.redis.RedisCache;

/** Creates Redis caches; a class of its own so that netrun-cache-redis is loaded only when used. */
final class RedisBackend {

    private RedisBackend() {
    }

    static Cache<Object> create(CacheConfig config, ValueCodec<Object> codec) {
        try {
            Class.forName("com.netrunsystems.cache.redis.RedisCache", false, RedisBackend.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new CacheException("backend redis (namespace '" + config.namespace() + "') needs netrun-cache-redis "
                    + "on the classpath: add the dependency com.netrunsystems:netrun-cache-redis, or choose backend memory");
        }
        return Redis.create(config, codec);
    }

    /** Refers to RedisCache; loaded only once the class is known to be present. */
    private static final class Redis {
        static Cache<Object> create(CacheConfig config, ValueCodec<Object> codec) {
            return com.netrunsystems.cache.redis.RedisCache.builder(config).codec(codec).build();
        }
    }
}
