package com.netrunsystems.cache.redis;

import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheContractTest;
import com.netrunsystems.cache.testsupport.RedisClusterExtension;
import java.time.Duration;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The shared cache contract against a real 3-master Redis Cluster: keys of one namespace spread
 * over all masters, so getMany, setMany and clearNamespace cross hash slots and nodes.
 */
class RedisClusterContractIT extends CacheContractTest {

    @RegisterExtension
    static final RedisClusterExtension cluster = RedisClusterExtension.create();

    @Override
    protected Cache<Object> newCache(String namespace, Duration defaultTtl) {
        return RedisCache.create(CacheConfig.builder()
                .namespace(namespace)
                .defaultTtl(defaultTtl)
                .redisClusterNodes(cluster.cluster().nodes())
                .build());
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
