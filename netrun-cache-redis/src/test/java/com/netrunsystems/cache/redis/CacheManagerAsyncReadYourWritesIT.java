package com.netrunsystems.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.testsupport.RedisServer;
import com.netrunsystems.cache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A write sent through {@code CacheManager.async()} is seen by the next read in the same JVM before Redis
 * answers it: Spring's {@code @CachePut}/{@code @CacheEvict} send {@code put}/{@code evict} without waiting,
 * and the next {@code @Cacheable} call must not serve the value they replaced. Redis is frozen
 * ({@code kill -STOP}) so that the write's future is certainly still pending when the read runs.
 */
class CacheManagerAsyncReadYourWritesIT {

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.standalone();

    private final String namespace = "ryw-" + UUID.randomUUID().toString().substring(0, 8);

    @Test
    void asyncWrites_pendingInRedis_theNextReadInThisJvmSeesThem() throws Exception {
        RedisServer server = redis.server();
        try (CacheManager<Object> cache = CacheManager.create(CacheConfig.builder().namespace(namespace)
                .redisHost(RedisServer.HOST).redisPort(server.port()).socketTimeout(Duration.ofSeconds(5)).build())) {
            cache.initialize();
            assertThat(cache.set("put", "old")).isTrue();
            assertThat(cache.set("evicted", "old")).isTrue();
            assertThat(cache.set("many", "old")).isTrue();
            assertThat(cache.get("put")).isEqualTo("old"); // all three in L1 now
            server.faults().pause();
            CompletableFuture<Boolean> put;
            try {
                put = cache.async().set("put", "new");
                CompletableFuture<Boolean> evict = cache.async().delete("evicted");
                CompletableFuture<Integer> many = cache.async().setMany(Map.of("many", "new"));
                assertThat(put).isNotDone();
                assertThat(evict).isNotDone();
                assertThat(many).isNotDone();
                assertThat(cache.get("put")).isEqualTo("new");
                assertThat(cache.get("many")).isEqualTo("new");
                // Without L2 an L1 miss cannot be told from a hit here, so the read of the evicted key runs while a
                // second thread thaws Redis: a stale L1 copy would answer "old" at once; without it, the GET queues
                // behind the DEL and answers null once Redis runs again.
                CompletableFuture<Void> thaw = CompletableFuture.runAsync(() -> {
                    sleep(300);
                    server.faults().resume();
                });
                assertThat(cache.get("evicted")).isNull();
                thaw.get(10, TimeUnit.SECONDS);
            } finally {
                server.faults().resume();
            }
            assertThat(put.get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(cache.stats().errors()).isZero();
            assertThat(cache.async().set("put", "newer").get(10, TimeUnit.SECONDS)).isTrue();
            assertThat(cache.get("put")).isEqualTo("newer");
            assertThat(server.execute("GET", namespace + ":put")).isEqualTo("\"newer\"");
            assertThat(server.execute("EXISTS", namespace + ":evicted").toString()).isEqualTo("0");
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
