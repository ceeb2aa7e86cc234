package com.netrunsystems.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.CacheStats;
import com.netrunsystems.cache.testsupport.RedisServer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What {@code l1Stats()} and {@code l2Stats()} count on a fresh two-level cache (issue 16, item 7):
 * every tracked read counts once in L1 (a miss also when L1 was skipped because its invalidation
 * channel was not subscribed yet), and L2 counts the reads that reached it.
 */
class CacheManagerLayerStatsIT {

    @Test
    void freshManager_getThenSet_countsTheReadInBothLayers() {
        try (RedisServer server = RedisServer.start()) {
            for (int round = 0; round < 3; round++) { // several fresh managers: the subscription races the first read
                CacheConfig config = CacheConfig.builder().namespace("layer-stats-" + round)
                        .redisHost("127.0.0.1").redisPort(server.port()).build();
                try (CacheManager<Object> cache = CacheManager.create(config)) {
                    assertThat(cache.get("k")).isNull();
                    cache.set("k", "v");
                    assertThat(cache.getMany(List.of("a", "b"))).isEmpty();

                    CacheStats l1 = cache.l1Stats();
                    CacheStats l2 = cache.l2Stats().orElseThrow();
                    assertThat(l1.totalRequests()).as("round %s: L1 counts every read", round).isEqualTo(3);
                    assertThat(l1.misses()).isEqualTo(3);
                    assertThat(l2.misses()).as("round %s: L2 counts the reads that reached it", round).isEqualTo(3);
                    assertThat(cache.stats().totalRequests()).isEqualTo(3);
                }
            }
        }
    }
}
