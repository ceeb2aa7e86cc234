package com.netrunsystems.cache.spring;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheSerializationException;
import com.netrunsystems.cache.testsupport.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MultiLayerSpringCacheIT extends NetrunSpringCacheContract {

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.standalone();

    record User(String name, int age) {
    }

    @Override
    protected CacheConfig config() {
        return CacheConfig.builder().backend(CacheBackend.MULTI_LAYER).redisUrl(redis.server().uri()).build();
    }

    /** The two-level cache's async() view completes at once: put rethrows its failure unwrapped. */
    @Test
    void put_recordWithoutValueType_failsWithAMessageNamingTheType() {
        assertThatExceptionOfType(CacheSerializationException.class)
                .isThrownBy(() -> cache.put("u1", new User("Ann", 30)))
                .withMessageContaining("User");
    }
}
