package com.netrunsystems.cache.spring;

import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.testsupport.RedisServerExtension;
import org.junit.jupiter.api.extension.RegisterExtension;

class MultiLayerSpringCacheIT extends NetrunSpringCacheContract {

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.standalone();

    @Override
    protected CacheConfig config() {
        return CacheConfig.builder().backend(CacheBackend.MULTI_LAYER).redisUrl(redis.server().uri()).build();
    }
}
