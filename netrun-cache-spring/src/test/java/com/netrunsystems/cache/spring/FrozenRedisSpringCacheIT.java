package com.netrunsystems.cache.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The adapter's non-blocking calls while Redis is frozen ({@code kill -STOP}: connections open, no reply):
 * {@code retrieve} returns a future that is not done yet (it did not wait for the reply), and {@code put},
 * {@code evict} and {@code clear} return without waiting; once Redis runs again the futures complete.
 */
class FrozenRedisSpringCacheIT {

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.standalone();

    @ParameterizedTest
    @EnumSource(value = CacheBackend.class, names = {"REDIS", "MULTI_LAYER"})
    void retrieve_put_evict_clear_doNotWaitForAFrozenRedis(CacheBackend backend) throws Exception {
        // A socket timeout far above the test's bound: a call that waited for Redis would be seen waiting.
        CacheConfig config = CacheConfig.builder().backend(backend).redisUrl(redis.server().uri())
                .socketTimeout(Duration.ofSeconds(60)).build();
        try (NetrunCacheManager manager = NetrunCacheManager.builder(config).namespacePrefix("frozen-").build()) {
            NetrunSpringCache cache = (NetrunSpringCache) manager.getCache("items-" + backend.wireName());
            cache.getNativeCache().initialize();
            assertThat(cache.get("warm")).isNull();   // connected (and, two-level, subscribed) before the freeze

            redis.server().faults().pause();
            CompletableFuture<?> retrieved;
            CompletableFuture<String> loaded;
            long started = System.nanoTime();
            try {
                retrieved = cache.retrieve("missing");
                loaded = cache.retrieve("loaded", () -> CompletableFuture.completedFuture("value"));
                cache.put("put", "value");
                cache.evict("evicted");
                cache.clear();
                long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
                System.out.printf("%s: retrieve x2, put, evict, clear returned in %d ms with Redis frozen%n", backend,
                        elapsedMillis);
                assertThat(retrieved).as("retrieve waits for no reply").isNotDone();
                assertThat(loaded).as("retrieve with a loader waits for no reply").isNotDone();
                assertThat(elapsedMillis).as("generous bound, far below the 60 s socket timeout").isLessThan(30_000);
            } finally {
                redis.server().faults().resume();
            }
            assertThat(retrieved.get(30, TimeUnit.SECONDS)).isNull();
            assertThat(loaded.get(30, TimeUnit.SECONDS)).isEqualTo("value");
        }
    }
}
