package com.netrunsystems.cache.spring;

import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.CacheConfig;

class MemorySpringCacheTest extends NetrunSpringCacheContract {

    @Override
    protected CacheConfig config() {
        return CacheConfig.builder().backend(CacheBackend.MEMORY).build();
    }
}
