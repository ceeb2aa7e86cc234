package com.netrunsystems.cache.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.Caches;
import com.netrunsystems.cache.LoadPolicy;
import com.netrunsystems.cache.testsupport.RedisServerExtension;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The netrun meters beyond Micrometer's standard cache meters (loads and load time, invalidations sent
 * and received, stampede waits) after scripted workloads on a real redis-server, with exact counts per
 * layer; prints the scrape of a two-level cache (the sample in the closing note).
 */
class NetrunMetersIT {

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.standalone();

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void twoManagersOnOneNamespace_scriptedWorkload_countsEveryMeterOfEachExactly() {
        CacheConfig config = CacheConfig.builder().backend(CacheBackend.MULTI_LAYER).namespace("meters")
                .redisUrl(redis.server().uri()).build();
        try (CacheManager<Object> p1 = CacheManager.create(config); CacheManager<Object> p2 = CacheManager.create(config)) {
            p1.initialize();
            p2.initialize();
            NetrunCacheMetrics.binder(p1, "p1", Tags.of("app", "demo"), null).bindTo(registry);
            NetrunCacheMetrics.binder(p2, "p2", Tags.of("app", "demo"), null).bindTo(registry);

            assertThat(p1.getOrLoad("a", key -> "A")).isEqualTo("A");    // p1: miss on both layers, a load, one message
            await().atMost(Duration.ofSeconds(10)).until(() -> count("p2", "all", "cache.invalidations", "direction", "received") == 1);
            p1.get("a");                                                // p1: L1 hit
            p1.get("a");                                                // p1: L1 hit
            assertThat(p2.get("a")).isEqualTo("A");                      // p2: L1 miss, L2 hit
            p2.set("a", "B");                                           // p2: one message
            await().atMost(Duration.ofSeconds(10)).until(() -> count("p1", "all", "cache.invalidations", "direction", "received") == 1);
            assertThat(p1.get("a")).isEqualTo("B");                      // p1: L1 dropped by the message: L1 miss, L2 hit
            assertThat(p1.get("missing")).isNull();                      // p1: miss on both layers

            System.out.println("Scrape of two CacheManagers on one namespace after the workload:\n"
                    + registry.getMetersAsString());

            assertGets("p1", "all", 3, 2);
            assertGets("p1", "l1", 2, 3);
            assertGets("p1", "l2", 1, 2);
            assertGets("p2", "all", 1, 0);
            assertGets("p2", "l1", 0, 1);
            assertGets("p2", "l2", 1, 0);
            assertThat(count("p1", "all", "cache.load", "result", "success")).isEqualTo(1);
            assertThat(count("p1", "all", "cache.load", "result", "failure")).isZero();
            assertThat(registry.get("cache.load.duration").tags("cache", "p1", "layer", "all").functionTimer().count())
                    .isEqualTo(1);
            assertThat(registry.get("cache.load.duration").tags("cache", "p2", "layer", "all").functionTimer().count())
                    .isZero();
            assertThat(count("p1", "all", "cache.invalidations", "direction", "sent")).isEqualTo(1);
            assertThat(count("p1", "all", "cache.invalidations", "direction", "received")).isEqualTo(1);
            assertThat(count("p2", "all", "cache.invalidations", "direction", "sent")).isEqualTo(1);
            assertThat(count("p2", "all", "cache.invalidations", "direction", "received")).isEqualTo(1);
            assertThat(count("p1", "all", "cache.stampede.waits", "wait", "flight")).isZero();
            assertThat(count("p1", "all", "cache.stampede.waits", "wait", "lease")).isZero();
            for (String layer : new String[] {"l1", "l2", "all"}) {
                assertThat(count("p1", layer, "cache.errors")).isZero();
            }
            assertThat(registry.get("cache.circuit.state").tags("cache", "p1", "layer", "l2").gauge().value()).isZero();
            assertThat(registry.find("cache.invalidations").tag("layer", "l1").meters()).isEmpty();
            p1.clearNamespace();
        }
    }

    @Test
    void distributedSingleFlight_aSecondProcessWaitsOnTheLease_andIsCountedAsALeaseWait() throws Exception {
        LoadPolicy policy = LoadPolicy.builder().distributedSingleFlight(Duration.ofSeconds(30), Duration.ofSeconds(30)).build();
        CacheConfig config = CacheConfig.builder().backend(CacheBackend.REDIS).namespace("leased")
                .redisUrl(redis.server().uri()).loadPolicy(policy).build();
        // Two caches with a Redis connection each stand for two processes: the lease is a Redis key.
        try (Cache<Object> first = Caches.create(config); Cache<Object> second = Caches.create(config)) {
            NetrunCacheMetrics.monitor(registry, first, "first");
            NetrunCacheMetrics.monitor(registry, second, "second");
            long setUp = System.nanoTime();
            first.initialize();
            second.initialize();
            System.out.printf("two Redis caches initialized in %.1f ms%n", (System.nanoTime() - setUp) / 1e6);
            CountDownLatch loading = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                Future<Object> loader = pool.submit(() -> first.getOrLoad("k", key -> {
                    loading.countDown();
                    // holds the lease until the other process waits on it (the meter under test tells)
                    await().atMost(Duration.ofSeconds(20))
                            .until(() -> count("second", "all", "cache.stampede.waits", "wait", "lease") == 1);
                    return "loaded once";
                }));
                assertThat(loading.await(20, TimeUnit.SECONDS)).isTrue();
                Future<Object> waiter = pool.submit(() -> second.getOrLoad("k", key -> "loaded twice"));
                long started = System.nanoTime();
                assertThat(loader.get(60, TimeUnit.SECONDS)).isEqualTo("loaded once");
                System.out.printf("lease holder answered after %.1f ms%n", (System.nanoTime() - started) / 1e6);
                assertThat(waiter.get(60, TimeUnit.SECONDS)).isEqualTo("loaded once");
                System.out.printf("lease waiter answered after %.1f ms%n", (System.nanoTime() - started) / 1e6);
            } finally {
                pool.shutdownNow();
            }
            assertThat(count("first", "all", "cache.load", "result", "success")).isEqualTo(1);
            assertThat(count("second", "all", "cache.load", "result", "success")).isZero();
            assertThat(count("second", "all", "cache.stampede.waits", "wait", "lease")).isEqualTo(1);
            assertThat(count("first", "all", "cache.stampede.waits", "wait", "lease")).isZero();
            assertThat(count("second", "all", "cache.stampede.waits", "wait", "flight")).isZero();
            assertThat(count("second", "all", "cache.gets", "result", "miss")).isEqualTo(1);
            first.clearNamespace();
        }
    }

    private void assertGets(String cache, String layer, long hits, long misses) {
        assertThat(count(cache, layer, "cache.gets", "result", "hit")).as("%s %s hits", cache, layer).isEqualTo(hits);
        assertThat(count(cache, layer, "cache.gets", "result", "miss")).as("%s %s misses", cache, layer).isEqualTo(misses);
    }

    private double count(String cache, String layer, String name, String... tags) {
        return registry.get(name).tags("cache", cache, "layer", layer).tags(tags).functionCounter().count();
    }
}
