package com.netrunsystems.cache.micrometer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.netrunsystems.cache.MemoryCache;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.concurrent.CompletableFuture;
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
