package com.netrunsystems.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import com.netrunsystems.cache.config.UnknownSettings;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** Configuration mistakes that used to pass in silence (issue 16, item 6) now say what is wrong. */
class ConfigMistakesTest {

    @Test
    void fromEnvironment_misspelledVariable_warnsWithTheClosestName() {
        try (CapturedLog log = CapturedLog.start()) {
            CacheConfig config = CacheConfig.fromEnvironment(Map.of(
                    "NETRUN_CACHE_REDISPORT", "6380",
                    "NETRUN_CACHE_NAMESPACE", "known",
                    "PATH", "/usr/bin"));

            assertThat(config.redisPort()).isEqualTo(6379);
            assertThat(log.lines("WARN")).singleElement().asString()
                    .contains("NETRUN_CACHE_REDISPORT is not a netrun-cache setting and is ignored")
                    .contains("did you mean NETRUN_CACHE_REDIS_PORT?")
                    .doesNotContain("6380");
        }
    }

    @Test
    void fromProperties_camelCaseProperty_warnsWithTheKebabCaseName() {
        Properties properties = new Properties();
        properties.setProperty("netrun.cache.redisPort", "6380");
        properties.setProperty("netrun.cache.default-ttl", "30s");
        properties.setProperty("other.setting", "x");
        try (CapturedLog log = CapturedLog.start()) {
            CacheConfig config = CacheConfig.fromProperties(properties);

            assertThat(config.redisPort()).isEqualTo(6379);
            assertThat(log.lines("WARN")).singleElement().asString()
                    .contains("netrun.cache.redisPort is not a netrun-cache setting")
                    .contains("did you mean netrun.cache.redis-port?");
        }
    }

    @Test
    void fromEnvironment_unrelatedUnknownVariable_warnsWithoutAGuess() {
        try (CapturedLog log = CapturedLog.start()) {
            CacheConfig.fromEnvironment(Map.of("NETRUN_CACHE_COLOUR_SCHEME", "dark"));

            assertThat(log.lines("WARN")).singleElement().asString()
                    .contains("NETRUN_CACHE_COLOUR_SCHEME is not a netrun-cache setting")
                    .doesNotContain("did you mean")
                    .contains("CacheConfig.fromEnvironment");
        }
    }

    @Test
    void fromEnvironment_everyKnownVariable_noWarning() {
        try (CapturedLog log = CapturedLog.start()) {
            CacheConfig.fromEnvironment(Map.of("NETRUN_CACHE_REDIS_PORT", "6380", "NETRUN_CACHE_L1_TTL", "1m",
                    "NETRUN_CACHE_REDIS_TLS_CA_CERTIFICATE", "", "NETRUN_CACHE_KEY_COUNT_REFRESH", "10s"));

            assertThat(log.lines("WARN")).isEmpty();
        }
    }

    @Test
    void closest_comparesLettersOnly() {
        List<String> known = List.of("NETRUN_CACHE_REDIS_PORT", "NETRUN_CACHE_REDIS_HOST", "NETRUN_CACHE_L1_TTL");
        assertThat(UnknownSettings.closest("NETRUN_CACHE_REDIS_POST", known)).isEqualTo("NETRUN_CACHE_REDIS_PORT");
        assertThat(UnknownSettings.closest("NETRUN_CACHE_L1TTL", known)).isEqualTo("NETRUN_CACHE_L1_TTL");
        assertThat(UnknownSettings.closest("NETRUN_CACHE_SOMETHING_ELSE", known)).isNull();
    }

    @Test
    void redisUrl_portNotANumber_saysThePortIsWrong() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CacheConfig.builder().redisUrl("redis://127.0.0.1:abc").build())
                .withMessageContaining("redisUrl port must be a number 1-65535, was 'abc'");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CacheConfig.builder().redisUrl("redis://user:pw@127.0.0.1:99999999999/0").build())
                .withMessageContaining("redisUrl port")
                .withMessageNotContaining("pw@");
    }

    @Test
    void fromEnvironment_negativeDefaultTtl_saysMustBePositive() {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CacheConfig.fromEnvironment(Map.of("NETRUN_CACHE_DEFAULT_TTL", "-5")))
                .withMessageContaining("NETRUN_CACHE_DEFAULT_TTL")
                .withMessageContaining("must be positive");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CacheConfig.fromEnvironment(Map.of("NETRUN_CACHE_L1_TTL", "-5m")))
                .withMessageContaining("must be positive");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> CacheConfig.fromEnvironment(Map.of("NETRUN_CACHE_DEFAULT_TTL", "PT-5S")))
                .withMessageContaining("must be positive");
    }

    @Test
    void cachesCreate_memoryWithRedisSettings_logsTheChoiceAndThatRedisIsUnused() {
        CacheConfig config = CacheConfig.builder().namespace("chosen").redisHost("redis.example").build();
        try (CapturedLog log = CapturedLog.start(); Cache<Object> cache = Caches.create(config)) {
            assertThat(cache).isInstanceOf(MemoryCache.class);
            assertThat(log.lines("INFO")).singleElement().asString()
                    .contains("MemoryCache (namespace 'chosen')", "backend is memory", "redis.example:6379",
                            "not used", "NETRUN_CACHE_BACKEND");
        }
    }

    @Test
    void cachesChoice_namesTheCacheAndWhy() {
        CacheConfig redis = CacheConfig.builder().backend(CacheBackend.REDIS)
                .redisUrl("redis://user:" + "s3cret" + "@h:6380").build();
        assertThat(Caches.choice(redis, true)).contains("RedisCache", "backend is redis", "h:6380")
                .doesNotContain("s3cret");
        CacheConfig layered = CacheConfig.builder().backend(CacheBackend.MULTI_LAYER).build();
        assertThat(Caches.choice(layered, true)).contains("CacheManager", "L2 on Redis at localhost:6379");
        assertThat(Caches.choice(layered, false)).contains("L1 in memory only", "netrun-cache-redis is not on the classpath");
        assertThat(Caches.choice(CacheConfig.defaults(), false)).contains("MemoryCache").doesNotContain("not used");
    }
}
