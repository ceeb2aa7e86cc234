package com.netrunsystems.cache.redis;

import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheContractTest;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.testsupport.RedisServerExtension;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The shared cache contract for a two-level CacheManager: memory L1 over a real Redis L2. */
class CacheManagerContractIT extends CacheContractTest {

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.standalone();

    @Override
    protected Cache<Object> newCache(String namespace, Duration defaultTtl) {
        CacheManager<Object> manager = CacheManager.create(CacheConfig.builder()
                .namespace(namespace)
                .defaultTtl(defaultTtl)
                .l1MaxSize(10_000)
                .redisHost(redis.server().host())
                .redisPort(redis.server().port())
                .build());
        manager.initialize();
        return manager;
    }

    /** Real time on a real server: 400 ms, so that a few writes on a loaded 2-core machine finish before it runs out. */
    @Override
    protected Duration shortTtl() {
        return Duration.ofMillis(400);
    }

    @Override
    protected void advanceTime(Duration duration) {
        RealTime.pass(duration);
    }
}
