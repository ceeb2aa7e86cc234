package com.netrunsystems.cache.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.testsupport.RedisServerExtension;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.cache.actuate.endpoint.CachesEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Spring Boot applications with the auto-configuration, a two-level cache and a real redis-server:
 * the caching annotations, single flight, async methods, nulls, coherence between two applications,
 * metrics per layer, the caches endpoint, and Redis dying and coming back.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SpringBootRedisIT {

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.standalone();

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @EnableCaching
    static class App {
        @Bean
        BookService bookService() {
            return new BookService();
        }

        @Bean
        CachesEndpoint cachesEndpoint(java.util.Map<String, org.springframework.cache.CacheManager> managers) {
            return new CachesEndpoint(managers);
        }
    }

    private static ConfigurableApplicationContext app;
    private static BookService books;

    static ConfigurableApplicationContext start() {
        return new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE)
                .properties("netrun.cache.backend=multi_layer", "netrun.cache.redis-url=" + redis.server().uri(),
                        "netrun.cache.cache-names=books,futures", "netrun.cache.default-ttl=10m",
                        "netrun.cache.socket-timeout=1s", "netrun.cache.socket-connect-timeout=1s",
                        "spring.main.banner-mode=off")
                .run();
    }

    @BeforeAll
    static void startApp() {
        app = start();
        books = app.getBean(BookService.class);
    }

    @AfterAll
    static void stopApp() {
        if (app != null) {
            app.close();
        }
    }

    @BeforeEach
    void clean() {
        books.evictAll();
        await().atMost(Duration.ofSeconds(10)).until(() -> redis.server().execute("KEYS", "books:*").toString().equals("[]"));
        books.resetCalls();
    }

    @Test
    @Order(1)
    void cacheable_cachePut_cacheEvictAllEntries() {
        assertThat(books.find("1")).isEqualTo("title of 1");
        assertThat(books.find("1")).isEqualTo("title of 1");
        assertThat(books.calls()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(redis.server().execute("GET", "books:1")).isEqualTo("\"title of 1\"")); // put/evict do not wait for Redis

        books.rename("1", "Dune");
        assertThat(books.find("1")).isEqualTo("Dune");
        assertThat(books.calls()).isEqualTo(1);

        books.evictAll();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(books.find("1")).isEqualTo("Dune");
            assertThat(books.calls()).isGreaterThan(1);
        });
    }

    @Test
    @Order(2)
    void syncCacheable_1000ConcurrentCalls_loadOnce() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            List<Future<String>> calls = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                calls.add(pool.submit(() -> books.findSync("hot")));
            }
            for (Future<String> call : calls) {
                assertThat(call.get(60, TimeUnit.SECONDS)).isEqualTo("synced hot");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(books.calls()).isEqualTo(1);
    }

    @Test
    @Order(3)
    void completableFutureCacheable_isCachedWhenTheFutureCompletes() {
        assertThat(books.findAsync("a").join()).isEqualTo("async a");
        assertThat(books.findAsync("a").join()).isEqualTo("async a");
        assertThat(books.calls()).isEqualTo(1);
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(redis.server().execute("GET", "futures:a")).isEqualTo("\"async a\"")); // put/evict do not wait for Redis
    }

    @Test
    @Order(4)
    void nullResult_isCached() {
        assertThat(books.find("none-1")).isNull();
        assertThat(books.find("none-1")).isNull();
        assertThat(books.calls()).isEqualTo(1);
        // put does not wait for Redis (Spring allows it) and the second find is an L1 hit, so the SET may still be
        // on its way when the second find returns
        await().atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(redis.server().execute("GET", "books:none-1")).isEqualTo("null"));
    }

    @Test
    @Order(5)
    void twoApplications_onOneNamespace_stayCoherent() {
        try (ConfigurableApplicationContext other = start()) {
            BookService otherBooks = other.getBean(BookService.class);
            assertThat(books.find("c")).isEqualTo("title of c");         // cached in this application's L1
            assertThat(otherBooks.find("c")).isEqualTo("title of c");    // read from Redis by the other
            otherBooks.rename("c", "Changed");                           // the other application updates it
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(books.find("c")).isEqualTo("Changed"));
            assertThat(books.calls()).isEqualTo(1);
        }
    }

    @Test
    @Order(6)
    void metrics_showExactlyTheWorkloadsHitsAndMisses_perLayer() {
        MeterRegistry registry = app.getBean(MeterRegistry.class);
        double hitsBefore = gets(registry, "all", "hit");
        double missesBefore = gets(registry, "all", "miss");
        double l1HitsBefore = gets(registry, "l1", "hit");
        double l2MissesBefore = gets(registry, "l2", "miss");
        books.find("m");   // miss on both layers, then a load
        books.find("m");   // L1 hit
        books.find("m");   // L1 hit
        assertThat(gets(registry, "all", "hit") - hitsBefore).isEqualTo(2);
        assertThat(gets(registry, "all", "miss") - missesBefore).isEqualTo(1);
        assertThat(gets(registry, "l1", "hit") - l1HitsBefore).isEqualTo(2);
        assertThat(gets(registry, "l2", "miss") - l2MissesBefore).isEqualTo(1);
    }

    @Test
    @Order(7)
    void cachesEndpoint_listsTheNetrunCaches() {
        assertThat(app.getBean(CachesEndpoint.class).caches().getCacheManagers().get("cacheManager").getCaches())
                .containsKeys("books", "futures");
    }

    @Test
    @Order(8)
    void redisKilled_applicationKeepsAnswering_healthShowsIt_andRecoversOnItsOwn() {
        NetrunCacheHealthIndicator health = app.getBean(NetrunCacheHealthIndicator.class);
        assertThat(books.find("k")).isEqualTo("title of k");
        assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);

        redis.server().kill();
        assertThat(books.find("k")).isEqualTo("title of k");            // served by L1
        assertThat(books.find("new")).isEqualTo("title of new");         // loaded, not cached in Redis
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                assertThat(health.health(true).getStatus()).isEqualTo(NetrunCacheHealthIndicator.DEGRADED));

        redis.server().restart();
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(health.health(true).getStatus()).isEqualTo(Status.UP));
        books.rename("k", "after");
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(redis.server().execute("GET", "books:k")).isEqualTo("\"after\"")); // put/evict do not wait for Redis
        assertThat(books.find("k")).isEqualTo("after");
    }

    private static double gets(MeterRegistry registry, String layer, String result) {
        return registry.get("cache.gets").tags("cache", "books", "layer", layer, "result", result).functionCounter().count();
    }
}
