package com.netrunsystems.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.CacheStats;
import com.netrunsystems.cache.CapturedLog;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A two-level cache whose Redis is down from the start (a port nothing listens on): what the stats and
 * the log tell a user. Regression (issue 16, item 2): the combined stats showed 0 errors while L2 had
 * counted them, and the log read "PING of key 'null'".
 */
class CacheManagerDeadRedisTest {

    @Test
    void deadRedis_stats_countL2ErrorsAndTheLogNamesNoNullKey() throws IOException {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        CacheConfig config = CacheConfig.builder().backend(com.netrunsystems.cache.CacheBackend.MULTI_LAYER)
                .namespace("dead-redis").redisHost("127.0.0.1").redisPort(deadPort)
                .socketTimeout(Duration.ofSeconds(2)).socketConnectTimeout(Duration.ofSeconds(2)).build();
        try (CapturedLog log = CapturedLog.start(); CacheManager<Object> cache = CacheManager.create(config)) {
            cache.initialize();
            cache.set("user:1", "Ann");
            assertThat(cache.get("user:1")).isEqualTo("Ann"); // served from L1
            cache.setIfAbsent("lock:1", "held");

            CacheStats combined = cache.stats();
            CacheStats l2 = cache.l2Stats().orElseThrow();
            assertThat(l2.errors()).isPositive();
            assertThat(combined.errors()).isGreaterThanOrEqualTo(l2.errors() + cache.l1Stats().errors());
            assertThat(combined.connected()).isFalse();
            assertThat(log.lines()).noneMatch(line -> line.contains("key 'null'"))
                    .anyMatch(line -> line.contains("PING in namespace 'dead-redis'"));
        }
    }
}
