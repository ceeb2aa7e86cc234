package com.netrunsystems.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.CapturedLog;
import com.netrunsystems.cache.testsupport.RedisServer;
import org.junit.jupiter.api.Test;

/**
 * Closing a two-level cache logs nothing at WARN. Regression (issue 16, tried as a new user): every
 * {@code CacheManager} closed at the end of the README's snippet logged Lettuce's
 * "WARN RedisChannelHandler - Connection is already closed", because the client was shut down while
 * the pub/sub connection's close was still running, and the shutdown closed it a second time.
 */
class CacheManagerCloseLogIT {

    @Test
    void close_afterReadsAndWrites_logsNoWarning() {
        try (RedisServer server = RedisServer.start()) {
            CacheConfig config = CacheConfig.builder().namespace("close-log")
                    .redisHost("127.0.0.1").redisPort(server.port()).build();
            try (CapturedLog log = CapturedLog.start()) {
                for (int round = 0; round < 3; round++) { // each round opens and closes the endpoint
                    try (CacheManager<Object> cache = CacheManager.create(config)) {
                        cache.get("user:789");
                        cache.set("user:789", "Ada");
                        assertThat(cache.get("user:789")).isEqualTo("Ada");
                    }
                }
                assertThat(log.lines("WARN")).as("WARN lines logged while closing").isEmpty();
            }
        }
    }
}
