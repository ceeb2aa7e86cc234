package com.netrunsystems.cache.redis;

import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.LoadPolicy;
import com.netrunsystems.cache.LoadPolicyContractTest;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.testsupport.RedisServerExtension;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every LoadPolicy case on both views of a two-level CacheManager (memory L1 over a real Redis L2). */
class CacheManagerLoadPolicyContractIT extends LoadPolicyContractTest {

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.standalone();

    @Override
    protected Cache<Object> newCache(String namespace, LoadPolicy policy) {
        // L1 entries live 500 ms, so that the L2 reads that see the remaining TTL (refresh-ahead) come soon
        CacheManager<Object> cache = CacheManager.create(CacheConfig.builder().namespace(namespace)
                .l1Ttl(Duration.ofMillis(500)).redisHost(redis.server().host()).redisPort(redis.server().port())
                .loadPolicy(policy).build());
        cache.initialize();
        return cache;
    }

    @Override
    protected void advanceTime(Duration duration) {
        RealTime.pass(duration);
    }

    @Override
    protected boolean sharesEntriesAcrossInstances() {
        return true;
    }
}
