/**
 * {@link com.netrunsystems.cache.redis.RedisCache}: netrun-cache's Redis backend on Lettuce.
 * Adding this module to the classpath also lets {@code Caches.create} and {@code CacheManager}
 * find an L2.
 */
package com.netrunsystems.cache.redis;
