package com.netrunsystems.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.Codecs;
import com.netrunsystems.cache.testsupport.RedisServer;
import com.netrunsystems.cache.testsupport.RedisServerExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulRedisConnection;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10, item 4: what sharing one connection must not change. Per-cache settings hold per call (each cache's
 * commands are bounded by its own {@code socketTimeout}, not the other's), and a client the user passes in is used
 * as it is: caches on it share one connection on it, and closing them leaves the client open.
 */
class SharedConnectionIT {

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.standalone();

    private final String namespace = "shared-" + UUID.randomUUID().toString().substring(0, 8);

    @AfterEach
    void resume() {
        redis.server().faults().resume();
    }

    @Test
    void get_serverPaused_eachCacheOnTheSharedConnectionWaitsItsOwnTimeout() {
        RedisServer server = redis.server();
        try (RedisCache<String> fast = cache(server, Duration.ofMillis(300));
             RedisCache<String> slow = cache(server, Duration.ofMillis(1_500))) {
            assertThat(fast.set("k", "v")).isTrue();
            assertThat(slow.get("k")).isEqualTo("v");
            assertThat(ConnectionModelIT.jvmConnections(server)).as("one connection for both").hasSize(1);

            server.faults().pause();
            CompletableFuture<Long> slowCall = CompletableFuture.supplyAsync(() -> timed(() -> slow.get("k")));
            long fastMillis = timed(() -> assertThat(fast.get("k")).isNull());
            long slowMillis = slowCall.join();
            System.out.printf("SHARED_CONNECTION_TIMEOUTS fast (300 ms): %d ms, slow (1500 ms): %d ms%n", fastMillis,
                    slowMillis);

            assertThat(fastMillis).as("the 300 ms cache did not wait for the 1500 ms one's timeout").isLessThan(1_200);
            assertThat(slowMillis).as("the 1500 ms cache was not cut short by the 300 ms one's").isGreaterThanOrEqualTo(1_400);
            assertThat(fast.stats().errors()).isEqualTo(1);
            assertThat(slow.stats().errors()).isEqualTo(1);
        }
    }

    @Test
    void suppliedClient_cachesShareOneConnectionOnIt_andClosingThemLeavesTheClientOpen() {
        RedisServer server = redis.server();
        RedisClient client = RedisClient.create(RedisURI.create(server.host(), server.port()));
        try {
            CacheConfig config = CacheConfig.builder().namespace(namespace).redisHost(server.host())
                    .redisPort(server.port()).build();
            RedisCache<String> first = RedisCache.builder(config).codec(Codecs.string()).client(client).build();
            RedisCache<String> second = RedisCache.builder(config.toBuilder().namespace(namespace + "-2").build())
                    .codec(Codecs.string()).client(client).build();
            assertThat(first.set("k", "1")).isTrue();
            assertThat(second.set("k", "2")).isTrue();
            assertThat(ConnectionModelIT.jvmConnections(server)).as("one connection on the supplied client").hasSize(1);

            first.close();
            assertThat(second.get("k")).as("the other cache keeps the connection").isEqualTo("2");
            second.close();
            await("the caches' connection closed").atMost(Duration.ofSeconds(10))
                    .until(() -> ConnectionModelIT.jvmConnections(server).isEmpty());

            try (StatefulRedisConnection<String, String> own = client.connect()) {
                assertThat(own.sync().exists(namespace + ":k")).as("the client is still usable").isEqualTo(1L);
            }
        } finally {
            client.shutdown();
        }
    }

    private RedisCache<String> cache(RedisServer server, Duration socketTimeout) {
        return RedisCache.builder(CacheConfig.builder().namespace(namespace).redisHost(server.host())
                .redisPort(server.port()).socketTimeout(socketTimeout).build()).codec(Codecs.string()).build();
    }

    private static long timed(Runnable call) {
        long start = System.nanoTime();
        call.run();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
    }
}
