package com.netrunsystems.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.Cached;
import com.netrunsystems.cache.CachedProxy;
import com.netrunsystems.cache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10 leftover: method caching reuses its factory's caches, one per namespace, backend and size, whatever the
 * methods return (each method decodes its own type). A 10-method proxy with 3 return types in one namespace opens
 * one cache per backend; the counts are printed. Each method's values round-trip through Redis with their own type.
 */
class MethodCacheCountIT {

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.standalone();

    public interface RedisMethods {
        @Cached(namespace = "count-redis", backend = CacheBackend.REDIS) String s0(String key);
        @Cached(namespace = "count-redis", backend = CacheBackend.REDIS) String s1(String key);
        @Cached(namespace = "count-redis", backend = CacheBackend.REDIS) String s2(String key);
        @Cached(namespace = "count-redis", backend = CacheBackend.REDIS) String s3(String key);
        @Cached(namespace = "count-redis", backend = CacheBackend.REDIS) Integer i0(String key);
        @Cached(namespace = "count-redis", backend = CacheBackend.REDIS) Integer i1(String key);
        @Cached(namespace = "count-redis", backend = CacheBackend.REDIS) Integer i2(String key);
        @Cached(namespace = "count-redis", backend = CacheBackend.REDIS) List<String> l0(String key);
        @Cached(namespace = "count-redis", backend = CacheBackend.REDIS) List<String> l1(String key);
        @Cached(namespace = "count-redis", backend = CacheBackend.REDIS) List<String> l2(String key);
    }

    public interface LayeredMethods {
        @Cached(namespace = "count-layered", backend = CacheBackend.MULTI_LAYER) String s0(String key);
        @Cached(namespace = "count-layered", backend = CacheBackend.MULTI_LAYER) String s1(String key);
        @Cached(namespace = "count-layered", backend = CacheBackend.MULTI_LAYER) String s2(String key);
        @Cached(namespace = "count-layered", backend = CacheBackend.MULTI_LAYER) String s3(String key);
        @Cached(namespace = "count-layered", backend = CacheBackend.MULTI_LAYER) Integer i0(String key);
        @Cached(namespace = "count-layered", backend = CacheBackend.MULTI_LAYER) Integer i1(String key);
        @Cached(namespace = "count-layered", backend = CacheBackend.MULTI_LAYER) Integer i2(String key);
        @Cached(namespace = "count-layered", backend = CacheBackend.MULTI_LAYER) List<String> l0(String key);
        @Cached(namespace = "count-layered", backend = CacheBackend.MULTI_LAYER) List<String> l1(String key);
        @Cached(namespace = "count-layered", backend = CacheBackend.MULTI_LAYER) List<String> l2(String key);
    }

    private static final class Target implements RedisMethods, LayeredMethods {
        @Override public String s0(String key) { return "s0-" + key; }
        @Override public String s1(String key) { return "s1-" + key; }
        @Override public String s2(String key) { return "s2-" + key; }
        @Override public String s3(String key) { return "s3-" + key; }
        @Override public Integer i0(String key) { return key.length(); }
        @Override public Integer i1(String key) { return key.length() + 1; }
        @Override public Integer i2(String key) { return key.length() + 2; }
        @Override public List<String> l0(String key) { return List.of("l0", key); }
        @Override public List<String> l1(String key) { return List.of("l1", key); }
        @Override public List<String> l2(String key) { return List.of("l2", key); }
    }

    @Test
    void tenMethodsThreeReturnTypes_oneCachePerNamespaceAndBackend_valuesTypedPerMethod() {
        CacheConfig config = CacheConfig.builder().redisHost(redis.server().host()).redisPort(redis.server().port())
                .build();
        int redisCaches;
        int layeredCaches;
        try (CachedProxy.Factory factory = CachedProxy.factory(config)) {
            RedisMethods onRedis = factory.create(RedisMethods.class, new Target());
            redisCaches = factory.caches().size();
            LayeredMethods layered = factory.create(LayeredMethods.class, new Target());
            layeredCaches = factory.caches().size() - redisCaches;
            System.out.printf("METHOD_CACHES 10 @Cached methods, 3 return types, one namespace: REDIS %d cache(s), "
                    + "MULTI_LAYER %d cache(s)%n", redisCaches, layeredCaches);
            for (int round = 0; round < 2; round++) { // the second round is served by the caches
                assertThat(onRedis.s3("k")).isEqualTo("s3-k");
                assertThat(onRedis.i2("abc")).isEqualTo(5);
                assertThat(onRedis.l1("k")).containsExactly("l1", "k");
                assertThat(layered.s0("k")).isEqualTo("s0-k");
                assertThat(layered.i0("abc")).isEqualTo(3);
                assertThat(layered.l2("k")).containsExactly("l2", "k");
            }
        }
        try (CachedProxy.Factory other = CachedProxy.factory(config)) { // reads what the first factory wrote
            RedisMethods onRedis = other.create(RedisMethods.class, new Unused());
            LayeredMethods layered = other.create(LayeredMethods.class, new Unused());
            assertThat(onRedis.s3("k")).isEqualTo("s3-k");
            assertThat(onRedis.i2("abc")).isEqualTo(5);
            assertThat(onRedis.l1("k")).containsExactly("l1", "k");
            assertThat(layered.s0("k")).isEqualTo("s0-k");
            assertThat(layered.i0("abc")).isEqualTo(3);
            assertThat(layered.l2("k")).containsExactly("l2", "k");
        }
        assertThat(redisCaches).as("REDIS caches of the proxy").isEqualTo(1);
        assertThat(layeredCaches).as("MULTI_LAYER caches of the proxy").isEqualTo(1);
    }

    /**
     * A value a method cannot decode as its return type (written by another type, or an older version of the method)
     * is a miss, as with a cache of that type: it is deleted and loaded again, and the new value is stored.
     */
    @Test
    void valueNotOfTheMethodsType_loadedAgainAndReplaced() {
        CacheConfig config = CacheConfig.builder().redisHost(redis.server().host()).redisPort(redis.server().port())
                .build();
        try (CachedProxy.Factory factory = CachedProxy.factory(config)) {
            RedisMethods onRedis = factory.create(RedisMethods.class, new Target());
            String key = "count-redis:" + RedisMethods.class.getName() + ".i0(\"abc\")";
            redis.server().execute("SET", key, "\"not a number\"");

            assertThat(onRedis.i0("abc")).isEqualTo(3);
            assertThat(redis.server().execute("GET", key)).isEqualTo("3");
            assertThat(onRedis.i0("abc")).isEqualTo(3);

            AsyncMethods async = factory.create(AsyncMethods.class, text -> CompletableFuture.completedFuture(text.length()));
            String asyncKey = "count-redis:" + AsyncMethods.class.getName() + ".f0(\"abcd\")";
            redis.server().execute("SET", asyncKey, "[\"not\", \"a number\"]");
            assertThat(async.f0("abcd")).succeedsWithin(Duration.ofSeconds(30)).isEqualTo(4);
            assertThat(redis.server().execute("GET", asyncKey)).isEqualTo("4");
        }
    }

    public interface AsyncMethods {
        @Cached(namespace = "count-redis", backend = CacheBackend.REDIS) CompletableFuture<Integer> f0(String key);
    }

    /** A target that must not be called: every value comes from Redis. */
    private static final class Unused implements RedisMethods, LayeredMethods {
        private static <T> T fail() {
            throw new AssertionError("the value should come from Redis");
        }

        @Override public String s0(String key) { return fail(); }
        @Override public String s1(String key) { return fail(); }
        @Override public String s2(String key) { return fail(); }
        @Override public String s3(String key) { return fail(); }
        @Override public Integer i0(String key) { return fail(); }
        @Override public Integer i1(String key) { return fail(); }
        @Override public Integer i2(String key) { return fail(); }
        @Override public List<String> l0(String key) { return fail(); }
        @Override public List<String> l1(String key) { return fail(); }
        @Override public List<String> l2(String key) { return fail(); }
    }
}
