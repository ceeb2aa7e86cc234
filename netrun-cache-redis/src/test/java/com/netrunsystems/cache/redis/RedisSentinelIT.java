package com.netrunsystems.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheUnavailableException;
import com.netrunsystems.cache.testsupport.RedisSentinelExtension;
import com.netrunsystems.cache.testsupport.RedisSentinelServers;
import com.netrunsystems.cache.testsupport.RedisServerOptions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * RedisCache through Redis Sentinel ({@code redis-sentinel://host:port#mymaster}): the cache asks
 * the Sentinel for the master and stores there; the config's password authenticates to the master.
 */
class RedisSentinelIT {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @RegisterExtension
    static final RedisSentinelExtension redis = RedisSentinelExtension.create();

    private final String namespace = "sentinel-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void setAndGet_sentinelUrl_storeOnMonitoredMaster() {
        RedisSentinelServers sentinel = redis.sentinel();
        try (RedisCache<Object> cache = RedisCache.create(config(sentinel.sentinelUri()).build())) {
            cache.initialize();

            assertThat(cache.set("k", "v")).isTrue();
            assertThat(cache.get("k")).isEqualTo("v");
            assertThat(cache.setMany(Map.of("a", 1, "b", 2))).isEqualTo(2);
            assertThat(cache.getMany(List.of("a", "b", "missing"))).containsExactlyInAnyOrderEntriesOf(Map.of("a", 1, "b", 2));
            assertThat(cache.increment("n", 5)).isEqualTo(5);

            assertThat(sentinel.master().execute("GET", namespace + ":k")).isEqualTo("\"v\"");
            assertThat(sentinel.master().execute("GET", namespace + ":n")).isEqualTo("5");
            assertThat(cache.clearNamespace()).isEqualTo(4);
            assertThat(sentinel.master().execute("EXISTS", namespace + ":k")).isEqualTo(0L);
            assertThat(cache.stats().connected()).isTrue();
            assertThat(cache.stats().errors()).isZero();
        }
    }

    @Test
    void setAndGet_passwordProtectedMaster_configPasswordAuthenticatesToMaster() {
        String password = "m4ster-pw-" + UUID.randomUUID().toString().substring(0, 6);
        try (RedisSentinelServers sentinel = RedisSentinelServers.start(
                     RedisServerOptions.builder().requirePass(password).build());
             RedisCache<Object> cache = RedisCache.create(config(sentinel.sentinelUri()).redisPassword(password).build());
             RedisCache<Object> withoutPassword = RedisCache.create(config(sentinel.sentinelUri()).build())) {
            cache.initialize();

            assertThat(cache.set("k", "v")).isTrue();
            assertThat(cache.get("k")).isEqualTo("v");
            assertThat(sentinel.master().execute("GET", namespace + ":k")).isEqualTo("\"v\"");

            assertThatThrownBy(withoutPassword::initialize)
                    .isInstanceOf(CacheUnavailableException.class)
                    .hasMessageContaining(sentinel.sentinelUri())
                    .hasMessageNotContaining(password);
            assertThat(withoutPassword.get("k")).isNull();
        }
    }

    /** Regression: the message read "cannot connect to Redis at …: null", hiding Lettuce's reason deeper in the chain. */
    @Test
    void initialize_unknownMasterName_throwsCacheUnavailableNamingSentinelAndReason() {
        String uri = "redis-sentinel://127.0.0.1:" + redis.sentinel().sentinelPort() + "#no-such-master";
        try (RedisCache<Object> cache = RedisCache.create(config(uri).build())) {
            Throwable thrown = catchThrowable(cache::initialize);

            assertThat(thrown).isInstanceOf(CacheUnavailableException.class)
                    .hasMessageContaining(uri)
                    .hasMessageNotContaining("null");
            assertThat(thrown.getMessage()).contains(rootCause(thrown).getMessage());
            assertThat(cache.get("k")).isNull();
            assertThat(cache.set("k", "v")).isFalse();
        }
    }

    private static Throwable rootCause(Throwable thrown) {
        Throwable root = thrown;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root;
    }

    private CacheConfig.Builder config(String sentinelUri) {
        return CacheConfig.builder().namespace(namespace).redisUrl(sentinelUri)
                .socketTimeout(TIMEOUT).socketConnectTimeout(TIMEOUT);
    }
}
