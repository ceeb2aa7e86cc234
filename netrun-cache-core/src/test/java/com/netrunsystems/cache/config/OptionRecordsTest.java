package com.netrunsystems.cache.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.netrunsystems.cache.EvictionPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The option records behind {@code CacheConfig}, used on their own. */
class OptionRecordsTest {

    private static RedisOptions redis(String url, String password, List<String> nodes) {
        return new RedisOptions(url, "localhost", 6379, 0, "app", password, nodes, false, true, null,
                Duration.ofSeconds(5), Duration.ofSeconds(5));
    }

    @Test
    void redisOptionsNeverPrintThePassword() {
        RedisOptions options = redis("redis://app:s3cret@127.0.0.1:6380/2", "hunter2", List.of());

        assertThat(options.toString()).doesNotContain("s3cret").doesNotContain("hunter2")
                .contains("redisUrl=redis://app:****@127.0.0.1:6380/2").contains("redisPassword=****");
        assertThat(options.endpoint()).isEqualTo("redis://app:****@127.0.0.1:6380/2");
    }

    @Test
    void redisOptionsCopyTheClusterNodes() {
        List<String> nodes = new ArrayList<>(List.of("127.0.0.1:7000"));
        RedisOptions options = redis(null, null, nodes);
        nodes.add("127.0.0.1:7001");

        assertThat(options.clusterNodes()).containsExactly("127.0.0.1:7000");
        assertThat(options.endpoint()).isEqualTo("cluster 127.0.0.1:7000");
        assertThat(options).isEqualTo(redis(null, null, List.of("127.0.0.1:7000")));
    }

    @Test
    void invalidValuesAreNamedByTheirCacheConfigNames() {
        assertThatIllegalArgumentException().isThrownBy(() -> redis("redis://a:b@h:1", null, List.of("h:1")))
                .withMessageContaining("redisUrl and redisClusterNodes are exclusive").withMessageNotContaining(":b@");
        assertThatIllegalArgumentException().isThrownBy(() -> new MemoryOptions(0, EvictionPolicy.LRU))
                .withMessage("maxSize must be positive, was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> new TieredOptions(1, Duration.ofNanos(10), com.netrunsystems.cache.Coherence.TRACKING, Duration.ofSeconds(1)))
                .withMessageStartingWith("l1Ttl must be at least 1 ms");
    }
}
