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
import org.springframework.boot.micrometer.metrics.actuate.endpoint.MetricsEndpoint;
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

        /** What {@code /actuator/metrics} answers with (called directly: this application serves no HTTP). */
        @Bean
        MetricsEndpoint metricsEndpoint(MeterRegistry registry) {
            return new MetricsEndpoint(registry);
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
        double loadsBefore = metric("cache.load", "layer:all", "result:success");
        double waitsBefore = metric("cache.stampede.waits", "layer:all", "wait:flight");
        double hitsBefore = metric("cache.gets", "layer:all", "result:hit");
        double missesBefore = metric("cache.gets", "layer:all", "result:miss");
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
        // One load; every other call waited for it (a stampede wait, counted as a miss), came after it (a hit), or
        // missed just as it ended and found its value on a second read (a miss, no wait). 64 threads and a 200 ms
        // loader make waits all but certain; only their presence is asserted, not how many.
        double waits = metric("cache.stampede.waits", "layer:all", "wait:flight") - waitsBefore;
        double hits = metric("cache.gets", "layer:all", "result:hit") - hitsBefore;
        double misses = metric("cache.gets", "layer:all", "result:miss") - missesBefore;
        System.out.printf("1,000 sync calls: 1 load, %.0f stampede waits, %.0f hits, %.0f misses%n", waits, hits, misses);
        assertThat(metric("cache.load", "layer:all", "result:success") - loadsBefore).isEqualTo(1);
        assertThat(hits + misses).isEqualTo(1000);
        assertThat(waits).isPositive().isLessThanOrEqualTo(misses - 1);
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
        String[][] meters = {
            {"cache.gets", "layer:all", "result:hit"}, {"cache.gets", "layer:all", "result:miss"},
            {"cache.gets", "layer:l1", "result:hit"}, {"cache.gets", "layer:l1", "result:miss"},
            {"cache.gets", "layer:l2", "result:hit"}, {"cache.gets", "layer:l2", "result:miss"},
            {"cache.puts", "layer:all"}, {"cache.invalidations", "layer:all", "direction:sent"},
            {"cache.load", "layer:all", "result:success"}, {"cache.stampede.waits", "layer:all", "wait:flight"}};
        double[] before = new double[meters.length];
        for (int i = 0; i < meters.length; i++) {
            before[i] = metric(meters[i][0], java.util.Arrays.copyOfRange(meters[i], 1, meters[i].length));
        }
        books.find("m");   // miss on both layers; the method runs and Spring puts its value (one invalidation sent)
        books.find("m");   // L1 hit
        books.find("m");   // L1 hit
        double[] expected = {2, 1, 2, 1, 0, 1, 1, 1, 0, 0};
        // the invalidation is published once Redis answered the put, which Spring does not wait for
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            for (int i = 0; i < meters.length; i++) {
                double after = metric(meters[i][0], java.util.Arrays.copyOfRange(meters[i], 1, meters[i].length));
                assertThat(after - before[i]).as(String.join(" ", meters[i])).isEqualTo(expected[i]);
            }
        });
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

    /** {@code /actuator/metrics/<name>?tag=cache:books&tag=...}: the metric's COUNT of the books cache. */
    private static double metric(String name, String... tags) {
        List<String> query = new ArrayList<>(List.of("cache:books"));
        query.addAll(List.of(tags));
        MetricsEndpoint.MetricDescriptor metric = app.getBean(MetricsEndpoint.class).metric(name, query);
        assertThat(metric).as("%s %s", name, query).isNotNull();
        return metric.getMeasurements().stream().filter(sample -> sample.getStatistic() == io.micrometer.core.instrument.Statistic.COUNT)
                .mapToDouble(MetricsEndpoint.Sample::getValue).sum();
    }
}
