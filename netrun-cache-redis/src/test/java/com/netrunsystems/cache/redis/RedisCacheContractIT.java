package com.netrunsystems.cache.redis;

import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheContractTest;
import com.netrunsystems.cache.testsupport.RedisServerExtension;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared cache contract, against a real standalone redis-server started for this class. */
class RedisCacheContractIT extends CacheContractTest {

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.standalone();

    @Override
    protected Cache<Object> newCache(String namespace, Duration defaultTtl) {
        return RedisCache.create(CacheConfig.builder()
                .namespace(namespace)
                .defaultTtl(defaultTtl)
                .redisHost(redis.server().host())
                .redisPort(redis.server().port())
                .build());
    }

    @Override
    protected void advanceTime(Duration duration) {
        RealTime.pass(duration);
    }
}
