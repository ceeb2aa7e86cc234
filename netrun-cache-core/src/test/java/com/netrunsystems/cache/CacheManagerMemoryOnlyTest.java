package com.netrunsystems.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * {@link CacheContractTest} for a {@link CacheManager} with no L2 module on the classpath (core's
 * tests do not see netrun-cache-redis): it must behave as a plain memory cache.
 */
class CacheManagerMemoryOnlyTest extends CacheContractTest {

    private final FakeTicker ticker = new FakeTicker();

    @Override
    protected Cache<Object> newCache(String namespace, Duration defaultTtl) {
        return CacheManager.builder(CacheConfig.builder()
                        .namespace(namespace)
                        .defaultTtl(defaultTtl)
                        .l1MaxSize(10_000)
                        .build())
                .ticker(ticker)
                .build();
    }

    @Override
    protected void advanceTime(Duration duration) {
        ticker.advance(duration);
    }

    @Test
    void create_withoutRedisModule_isMemoryOnlyAndConnected() {
        CacheManager<Object> manager = (CacheManager<Object>) cache;
        assertThat(manager.hasL2()).isFalse();
        assertThat(manager.l2Circuit()).isEmpty();
        assertThat(manager.l2Stats()).isEmpty();
        assertThat(manager.backend()).isEqualTo(CacheBackend.MULTI_LAYER);
        assertThat(manager.stats().backend()).isEqualTo("multi_layer");
        assertThat(manager.stats().connected()).isTrue();
    }

    @Test
    void caches_multiLayerBackend_createsCacheManager() {
        try (Cache<Object> created = Caches.create(CacheConfig.builder().backend(CacheBackend.MULTI_LAYER).build())) {
            assertThat(created).isInstanceOf(CacheManager.class);
        }
    }

    @Test
    void stats_combinesLayers_l1StatsCountL1Lookups() {
        CacheManager<Object> manager = (CacheManager<Object>) cache;
        manager.set("a", "x");
        manager.get("a");
        manager.get("missing");
        assertThat(manager.stats().hits()).isEqualTo(1);
        assertThat(manager.stats().misses()).isEqualTo(1);
        assertThat(manager.l1Stats().hits()).isEqualTo(1);
        assertThat(manager.stats().cachedKeys()).isEqualTo(1);
    }
}
