package com.netrunsystems.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.Codecs;
import org.junit.jupiter.api.Test;

/** The builder's value type, checked by the compiler; no Redis is contacted (building does not connect). */
class RedisCacheBuilderTest {

    private final CacheConfig config = CacheConfig.builder().namespace("builder-types").redisPort(1).build();

    @Test
    void builder_codec_choosesTheValueTypeOfTheBuiltCache() {
        RedisCache<String> strings = RedisCache.builder(config).codec(Codecs.string()).build();
        RedisCache<byte[]> bytes = RedisCache.builder(config).codec(Codecs.bytes()).build();
        RedisCache<Object> trees = RedisCache.builder(config).build();
        try (strings; bytes; trees) {
            assertThat(strings.namespace()).isEqualTo("builder-types");
            assertThat(bytes.namespace()).isEqualTo("builder-types");
            assertThat(trees.namespace()).isEqualTo("builder-types");
        }
    }
}
