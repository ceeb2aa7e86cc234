package com.netrunsystems.cache.redis;

import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.testsupport.RedisClusterExtension;
import com.netrunsystems.cache.testsupport.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link ConnectionModelIT} on a three-master Cluster: the same caches open at most 2 connections plus one per
 * node (Lettuce's Cluster connection talks to each master on a node connection of its own), counted on every
 * node's {@code CLIENT LIST}, and the same fixed set of threads.
 */
class ClusterConnectionModelIT {

    @RegisterExtension
    static final RedisClusterExtension redis = RedisClusterExtension.create();

    @Test
    void manyCachesOnOneCluster_shareOneConnectionPerNodePlusTwo_andLeaveNothingWhenClosed() throws Exception {
        List<RedisServer> nodes = redis.cluster().masters();
        ConnectionModelIT.measure("cluster", namespace -> CacheConfig.builder().namespace(namespace)
                .redisClusterNodes(redis.cluster().nodes()).defaultTtl(Duration.ofMinutes(5)), () -> {
                    List<String> all = new ArrayList<>();
                    nodes.forEach(node -> all.addAll(ConnectionModelIT.jvmConnections(node)));
                    return all;
                }, 2 + nodes.size());
    }
}
