package com.netrunsystems.cache.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheSerializationException;
import com.netrunsystems.cache.testsupport.RedisServerExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.springframework.cache.Cache;

class RedisSpringCacheIT extends NetrunSpringCacheContract {

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.standalone();

    record User(String name, int age) {
    }

    @Override
    protected CacheConfig config() {
        return CacheConfig.builder().backend(CacheBackend.REDIS).redisUrl(redis.server().uri()).build();
    }

    @Test
    void put_null_isStoredAsJsonNull_whichAPythonReaderDecodesAsNone() {
        cache.putIfAbsent("k", null);
        assertThat(redis.server().execute("GET", "contract-items:k")).isEqualTo("null");
    }

    @Test
    void put_string_isStoredAsJson_underNamespaceAndKeyText() {
        cache.putIfAbsent(42L, "v");
        assertThat(redis.server().execute("GET", "contract-items:42L")).isEqualTo("\"v\"");
    }

    @Test
    void valueType_storesRecordsAsJson_andReadsThemBack() {
        try (NetrunCacheManager typed = NetrunCacheManager.builder(config()).valueType("users", User.class).build()) {
            Cache users = typed.getCache("users");
            users.put("u1", new User("Ann", 30));
            assertThat(users.putIfAbsent("u2", new User("Bob", 40))).isNull(); // waits, unlike put
            assertThat(redis.server().execute("GET", "users:u2")).isEqualTo("{\"name\":\"Bob\",\"age\":40}");
            assertThat(users.get("u1", User.class)).isEqualTo(new User("Ann", 30));
            try (NetrunCacheManager other = NetrunCacheManager.builder(config()).valueType("users", User.class).build()) {
                assertThat(other.getCache("users").get("u1", User.class)).isEqualTo(new User("Ann", 30));
            }
            users.invalidate();
        }
    }

    @Test
    void put_recordWithoutValueType_failsWithAMessageNamingTheType() {
        assertThatExceptionOfType(CacheSerializationException.class)
                .isThrownBy(() -> cache.put("u1", new User("Ann", 30)))
                .withMessageContaining("User");
    }
}
