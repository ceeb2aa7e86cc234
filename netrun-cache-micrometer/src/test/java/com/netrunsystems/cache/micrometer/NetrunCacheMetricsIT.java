package com.netrunsystems.cache.micrometer;

import static org.assertj.core.api.Assertions.assertThat;

import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.Caches;
import com.netrunsystems.cache.testsupport.RedisServerExtension;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Per-layer meters of a two-level cache on a real redis-server. */
class NetrunCacheMetricsIT {

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.standalone();

    private final MeterRegistry registry = new SimpleMeterRegistry();

    @Test
    void twoLevelCache_scriptedWorkload_showsItsHitsAndMissesPerLayer() {
        CacheConfig config = CacheConfig.builder().backend(CacheBackend.MULTI_LAYER).namespace("metrics")
                .redisUrl(redis.server().uri()).build();
        // The writer is a plain Redis cache: a second CacheManager would publish an invalidation for "a"
        // that may reach the reader after its first get filled L1, and drop that copy (a race, not a bug).
        try (Cache<Object> writer = Caches.create(config.toBuilder().backend(CacheBackend.REDIS).build());
                CacheManager<Object> reader = CacheManager.create(config)) {
            reader.initialize();
            NetrunCacheMetrics.binder(reader, "metrics", Tags.empty(), null).bindTo(registry);
            writer.set("a", "1");
            reader.get("a");        // L1 miss, L2 hit (fills L1)
            reader.get("a");        // L1 hit
            reader.get("a");        // L1 hit
            reader.get("missing");  // L1 miss, L2 miss

            assertThat(count("all", "hit")).isEqualTo(3);
            assertThat(count("all", "miss")).isEqualTo(1);
            assertThat(count("l1", "hit")).isEqualTo(2);
            assertThat(count("l1", "miss")).isEqualTo(2);
            assertThat(count("l2", "hit")).isEqualTo(1);
            assertThat(count("l2", "miss")).isEqualTo(1);
            assertThat(registry.get("cache.circuit.state").tag("layer", "l2").gauge().value()).isZero();
            assertThat(registry.get("cache.connected").tag("layer", "l2").gauge().value()).isEqualTo(1.0);
            assertThat(registry.get("cache.errors").tag("layer", "all").functionCounter().count()).isZero();
            writer.clearNamespace();
        }
    }

    private double count(String layer, String result) {
        return registry.get("cache.gets").tags("cache", "metrics", "layer", layer, "result", result).functionCounter().count();
    }
}
