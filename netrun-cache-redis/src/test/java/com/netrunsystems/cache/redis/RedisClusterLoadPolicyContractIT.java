package com.netrunsystems.cache.redis;

import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.LoadPolicy;
import com.netrunsystems.cache.LoadPolicyContractTest;
import com.netrunsystems.cache.testsupport.RedisClusterExtension;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every LoadPolicy case on both views of a 3-master Redis Cluster. */
class RedisClusterLoadPolicyContractIT extends LoadPolicyContractTest {

    @RegisterExtension
    static final RedisClusterExtension cluster = RedisClusterExtension.create();

    @Override
    protected Cache<Object> newCache(String namespace, LoadPolicy policy) {
        RedisCache<Object> cache = RedisCache.create(CacheConfig.builder().namespace(namespace)
                .redisClusterNodes(cluster.cluster().nodes()).loadPolicy(policy).build());
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
