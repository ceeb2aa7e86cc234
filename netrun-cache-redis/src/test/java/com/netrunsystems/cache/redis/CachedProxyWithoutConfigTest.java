package com.netrunsystems.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.Cached;
import com.netrunsystems.cache.CachedProxy;
import com.netrunsystems.cache.MemoryCache;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * With netrun-cache-redis on the classpath, a proxy made without a config still never connects to
 * Redis (regression, issue 16: it reached for localhost:6379): its REDIS methods cache in memory.
 */
class CachedProxyWithoutConfigTest {

    public interface Products {
        @Cached(namespace = "products-no-config", backend = CacheBackend.REDIS)
        String product(String id);
    }

    @Test
    void factoryWithoutConfig_redisMethod_cachesInMemory() {
        AtomicInteger loads = new AtomicInteger();
        try (CachedProxy.Factory caching = CachedProxy.factory()) {
            Products products = caching.create(Products.class, id -> "product " + id + " #" + loads.incrementAndGet());

            assertThat(products.product("1")).isEqualTo("product 1 #1");
            assertThat(products.product("1")).isEqualTo("product 1 #1");
            assertThat(caching.caches()).singleElement().isInstanceOf(MemoryCache.class);
        }
    }
}
