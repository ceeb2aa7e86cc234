package com.netrunsystems.cache.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.netrunsystems.cache.MemoryCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import static org.awaitility.Awaitility.await;

import io.micrometer.core.instrument.FunctionTimer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NetrunCacheMetricsTest {

    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void memoryCache_scriptedWorkload_showsExactlyItsHitsMissesEvictionsAndLoads() {
        try (MemoryCache<Object> cache = MemoryCache.builder().namespace("users").maxSize(2).build()) {
            NetrunCacheMetrics.binder(cache, "users", Tags.of("app", "demo"), () -> 7).bindTo(registry);
            cache.set("a", "1");
            cache.get("a");
            cache.get("a");
            cache.get("missing");
            cache.getOrLoad("b", key -> "2");                                      // a miss and a load
            assertThat(cache.async().getOrLoad("c", key -> CompletableFuture.failedFuture(new IllegalStateException())))
                    .isCompletedExceptionally();                                    // a miss and a failed load
            cache.set("d", "4");
            cache.set("e", "5");                                                    // more than maxSize: evictions
            cache.stats(); // lets the memory cache finish its pending evictions

            assertThat(count("cache.gets", "result", "hit")).isEqualTo(2);
            assertThat(count("cache.gets", "result", "miss")).isEqualTo(3);
            assertThat(count("cache.load", "result", "success")).isEqualTo(1);
            assertThat(count("cache.load", "result", "failure")).isEqualTo(1);
            FunctionTimer loadTime = registry.get("cache.load.duration").tags("cache", "users", "layer", "all").functionTimer();
            assertThat(loadTime.count()).isEqualTo(2);                             // the load and the failed load
            assertThat(loadTime.totalTime(TimeUnit.NANOSECONDS)).isPositive();
            assertThat(count("cache.stampede.waits", "wait", "flight")).isZero();
            assertThat(count("cache.stampede.waits", "wait", "lease")).isZero();
            assertThat(registry.find("cache.invalidations").meters()).isEmpty();   // a two-level cache's only
            assertThat(count("cache.puts")).isEqualTo(7);
            assertThat(count("cache.evictions")).isEqualTo(cache.stats().evictions()).isPositive();
            assertThat(registry.get("cache.size").tags("cache", "users", "layer", "all", "app", "demo").gauge().value())
                    .isEqualTo(cache.stats().cachedKeys()).isLessThanOrEqualTo(2);
            assertThat(registry.get("cache.connected").tag("layer", "all").gauge().value()).isEqualTo(1.0);
            assertThat(count("cache.errors")).isZero();
            assertThat(registry.find("cache.gets").tag("layer", "l1").meters()).isEmpty();
        }
    }

    @Test
    void concurrentGetOrLoad_ofOneKey_countsOneLoadAndTheOthersAsStampedeWaits() throws Exception {
        int callers = 8;
        try (MemoryCache<Object> cache = MemoryCache.builder().namespace("users").build()) {
            NetrunCacheMetrics.monitor(registry, cache, "users");
            AtomicInteger loaderCalls = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(callers);
            try {
                List<Future<Object>> calls = new ArrayList<>();
                for (int i = 0; i < callers; i++) {
                    calls.add(pool.submit(() -> cache.getOrLoad("hot", key -> {
                        loaderCalls.incrementAndGet();
                        // holds the flight until every other caller waits for it (the meter under test tells)
                        await().atMost(Duration.ofSeconds(30))
                                .until(() -> count("cache.stampede.waits", "wait", "flight") == callers - 1);
                        return "value";
                    })));
                }
                for (Future<Object> call : calls) {
                    assertThat(call.get(60, TimeUnit.SECONDS)).isEqualTo("value");
                }
            } finally {
                pool.shutdownNow();
            }
            assertThat(loaderCalls).hasValue(1);
            assertThat(count("cache.load", "result", "success")).isEqualTo(1);
            assertThat(registry.get("cache.load.duration").tag("cache", "users").functionTimer().count()).isEqualTo(1);
            assertThat(count("cache.stampede.waits", "wait", "flight")).isEqualTo(callers - 1);
            assertThat(count("cache.gets", "result", "miss")).isEqualTo(callers);
            assertThat(count("cache.stampede.waits", "wait", "lease")).isZero();
        }
    }

    @Test
    void monitor_registersOnlyLayerAll_forASingleLevelCache() {
        try (MemoryCache<Object> cache = MemoryCache.builder().namespace("n").build()) {
            NetrunCacheMetrics.monitor(registry, cache, "n");
            assertThat(registry.get("cache.gets").meters()).hasSize(2)
                    .allSatisfy(meter -> assertThat(meter.getId().getTag("layer")).isEqualTo("all"));
        }
    }

    @Test
    void layerL1_onASingleLevelCache_isRejected() {
        try (MemoryCache<Object> cache = MemoryCache.builder().namespace("n").build()) {
            assertThatIllegalArgumentException()
                    .isThrownBy(() -> new NetrunCacheMetrics(cache, "n", Tags.empty(), NetrunCacheMetrics.Layer.L1, null))
                    .withMessageContaining("two-level");
        }
    }

    private double count(String name, String... tags) {
        return registry.get(name).tags("cache", "users", "layer", "all").tags(tags).functionCounter().count();
    }
}
