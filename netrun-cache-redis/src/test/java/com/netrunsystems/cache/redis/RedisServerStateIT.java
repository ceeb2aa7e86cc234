package com.netrunsystems.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.testsupport.RedisServer;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;

/**
 * Redis error replies that mean "cannot serve now" (a replica whose master is gone) fail open like a
 * lost connection; and TTLs beyond Redis's range are capped, not refused.
 */
class RedisServerStateIT {

    private static CacheConfig config(int port, String namespace) {
        return CacheConfig.builder().namespace(namespace).redisHost("127.0.0.1").redisPort(port)
                .socketTimeout(Duration.ofMillis(500)).socketConnectTimeout(Duration.ofMillis(500)).build();
    }

    @Test
    void operations_replicaAnsweringMasterDownAndReadOnly_failOpenInsteadOfThrowing() {
        int nobody = RedisServer.freePort();
        try (RedisServer replica = RedisServer.start();
                RedisCache<Object> redis = RedisCache.create(config(replica.port(), "md"));
                CacheManager<Object> manager = CacheManager.create(config(replica.port(), "md"))) {
            manager.initialize();
            redis.initialize();
            replica.execute("CONFIG", "SET", "replica-serve-stale-data", "no");
            replica.execute("REPLICAOF", "127.0.0.1", String.valueOf(nobody));
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() ->
                    assertThatThrownBy(() -> replica.execute("GET", "md:k")).hasMessageContaining("MASTERDOWN"));

            assertThat(redis.get("k")).isNull();
            assertThat(redis.set("k", "v")).isFalse();
            assertThat(manager.get("k")).isNull();       // regression: threw CacheException "rejected ... MASTERDOWN"
            assertThat(manager.set("k", "v")).isFalse(); // regression: threw "READONLY You can't write against a replica"
            assertThat(redis.stats().errors()).isEqualTo(2);
        }
    }

    @Test
    void set_ttlBeyondRedisRange_isCappedAndStored() {
        try (RedisServer server = RedisServer.start();
                RedisCache<Object> cache = RedisCache.create(config(server.port(), "ttl"))) {
            assertThat(cache.set("forever", "v", ChronoUnit.FOREVER.getDuration())).isTrue();
            assertThat(cache.set("long", "v", Duration.ofMillis(Long.MAX_VALUE))).isTrue();
            assertThat((Long) server.execute("PTTL", "ttl:forever")).isGreaterThan(Duration.ofDays(365 * 99).toMillis());
            assertThat(cache.stats().errors()).isZero();
        }
    }
}
