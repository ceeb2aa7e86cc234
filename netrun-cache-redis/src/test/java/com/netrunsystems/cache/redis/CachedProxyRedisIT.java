package com.netrunsystems.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheInvalidate;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.Cached;
import com.netrunsystems.cache.CachedProxy;
import com.netrunsystems.cache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@link CachedProxy} with {@code REDIS} and {@code MULTI_LAYER} backends against a real Redis: typed
 * JSON round trips, single flight, TTLs, cached nulls, invalidation across proxies that share no memory,
 * and closing. Each proxy is made with {@link CachedProxy#create(Class, Object, CacheConfig)}, so two
 * proxies share only what is in Redis.
 */
class CachedProxyRedisIT {

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.standalone();

    public record User(String id, String name, List<String> roles) {
    }

    /** The calls the tests make; each backend's interface redeclares them with its annotations. */
    public interface Users {
        User getUser(String id);

        User shortLived(String id);

        User find(String id);

        CompletableFuture<User> loadUser(String id);

        List<User> group(String name);

        void update(String id);
    }

    public interface RedisUsers extends Users {
        @Override
        @Cached(namespace = "it-users", backend = CacheBackend.REDIS, ttl = 60)
        User getUser(String id);

        @Override
        @Cached(namespace = "it-users", backend = CacheBackend.REDIS, ttl = 1)
        User shortLived(String id);

        @Override
        @Cached(namespace = "it-users", backend = CacheBackend.REDIS, ttl = 60, cacheNulls = true, nullTtl = 30)
        User find(String id);

        @Override
        @Cached(namespace = "it-users", backend = CacheBackend.REDIS, ttl = 60)
        CompletableFuture<User> loadUser(String id);

        @Override
        @Cached(namespace = "it-users", backend = CacheBackend.REDIS, ttl = 60)
        List<User> group(String name);

        @Override
        @CacheInvalidate(methods = "getUser")
        void update(String id);
    }

    public interface LayeredUsers extends Users {
        @Override
        @Cached(namespace = "it-users", backend = CacheBackend.MULTI_LAYER, ttl = 60, maxSize = 100)
        User getUser(String id);

        @Override
        @Cached(namespace = "it-users", backend = CacheBackend.MULTI_LAYER, ttl = 1, maxSize = 100)
        User shortLived(String id);

        @Override
        @Cached(namespace = "it-users", backend = CacheBackend.MULTI_LAYER, ttl = 60, cacheNulls = true, nullTtl = 30)
        User find(String id);

        @Override
        @Cached(namespace = "it-users", backend = CacheBackend.MULTI_LAYER, ttl = 60)
        CompletableFuture<User> loadUser(String id);

        @Override
        @Cached(namespace = "it-users", backend = CacheBackend.MULTI_LAYER, ttl = 60)
        List<User> group(String name);

        @Override
        @CacheInvalidate(methods = "getUser")
        void update(String id);
    }

    /** Counts calls per method. */
    static final class FakeUsers implements RedisUsers, LayeredUsers {
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        volatile CountDownLatch holdGetUser = new CountDownLatch(0);

        int calls(String method) {
            return calls.getOrDefault(method, new AtomicInteger()).get();
        }

        private void record(String method) {
            calls.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
        }

        static User user(String id) {
            return new User(id, "name-" + id, List.of("reader", "writer"));
        }

        @Override
        public User getUser(String id) {
            record("getUser");
            try {
                holdGetUser.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return user(id);
        }

        @Override
        public User shortLived(String id) {
            record("shortLived");
            return user(id);
        }

        @Override
        public User find(String id) {
            record("find");
            return null;
        }

        @Override
        public CompletableFuture<User> loadUser(String id) {
            record("loadUser");
            return CompletableFuture.supplyAsync(() -> user(id));
        }

        @Override
        public List<User> group(String name) {
            record("group");
            return List.of(user(name + "-1"), user(name + "-2"));
        }

        @Override
        public void update(String id) {
            record("update");
        }
    }

    @BeforeEach
    void flush() {
        redis.server().flushAll();
    }

    abstract static class BackendContract {

        private final List<Object> proxies = new ArrayList<>();

        abstract Class<? extends Users> iface();

        abstract CacheBackend backend();

        CacheConfig config() {
            return CacheConfig.builder().redisHost(redis.server().host()).redisPort(redis.server().port()).build();
        }

        @SuppressWarnings("unchecked")
        Users proxy(FakeUsers target) {
            Users proxy = CachedProxy.create((Class<Users>) iface(), target, config());
            proxies.add(proxy);
            return proxy;
        }

        String redisKey(String method, String arguments) {
            return "it-users:" + iface().getName() + "." + method + "(" + arguments + ")";
        }

        @AfterEach
        void closeProxies() {
            proxies.forEach(CachedProxy::close);
        }

        @Test
        void cachedRecord_secondProxyWithOwnCaches_readsTypedValueFromRedis() {
            FakeUsers first = new FakeUsers();
            FakeUsers second = new FakeUsers();

            User loaded = proxy(first).getUser("42");
            User fromRedis = proxy(second).getUser("42");

            assertThat(fromRedis).isInstanceOf(User.class).isEqualTo(FakeUsers.user("42")).isNotSameAs(loaded);
            assertThat(first.calls("getUser")).isEqualTo(1);
            assertThat(second.calls("getUser")).isZero();
            assertThat(redis.server().execute("GET", redisKey("getUser", "\"42\"")))
                    .isEqualTo("{\"id\":\"42\",\"name\":\"name-42\",\"roles\":[\"reader\",\"writer\"]}");
        }

        @Test
        void cachedGenericList_roundTripsAsListOfRecords() {
            proxy(new FakeUsers()).group("admins");
            FakeUsers second = new FakeUsers();

            List<User> fromRedis = proxy(second).group("admins");

            assertThat(fromRedis).containsExactly(FakeUsers.user("admins-1"), FakeUsers.user("admins-2"));
            assertThat(fromRedis.get(0)).isInstanceOf(User.class);
            assertThat(second.calls("group")).isZero();
        }

        @Test
        void futureMethod_cachedOnCompletionAndReadTypedByAnotherProxy() throws Exception {
            FakeUsers first = new FakeUsers();
            FakeUsers second = new FakeUsers();

            assertThat(proxy(first).loadUser("7").get(5, TimeUnit.SECONDS)).isEqualTo(FakeUsers.user("7"));
            User fromRedis = proxy(second).loadUser("7").get(5, TimeUnit.SECONDS);

            assertThat(fromRedis).isInstanceOf(User.class).isEqualTo(FakeUsers.user("7"));
            assertThat(second.calls("loadUser")).isZero();
        }

        @Test
        @Timeout(60)
        void cachedMethod_1000ConcurrentCallsOnColdKey_targetCalledOnce() throws Exception {
            int callers = 1000;
            FakeUsers target = new FakeUsers();
            CountDownLatch ready = new CountDownLatch(callers);
            target.holdGetUser = ready; // the load finishes only once every caller has arrived
            Users proxy = proxy(target);
            List<Future<User>> results = new ArrayList<>();
            ExecutorService pool = Executors.newFixedThreadPool(callers);
            try {
                for (int i = 0; i < callers; i++) {
                    results.add(pool.submit(() -> {
                        ready.countDown();
                        return proxy.getUser("cold");
                    }));
                }
                for (Future<User> result : results) {
                    assertThat(result.get(30, TimeUnit.SECONDS)).isEqualTo(FakeUsers.user("cold"));
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(target.calls("getUser")).isEqualTo(1);
        }

        @Test
        void shortTtl_entryExpiresInRedisAndMethodRunsAgain() {
            FakeUsers target = new FakeUsers();
            Users proxy = proxy(target);

            proxy.shortLived("x");

            assertThat((Long) redis.server().execute("PTTL", redisKey("shortLived", "\"x\""))).isBetween(1L, 1000L);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                proxy.shortLived("x");
                assertThat(target.calls("shortLived")).isEqualTo(2);
            });
        }

        @Test
        void cacheNulls_markerStoredWithNullTtlAndServedToAnotherProxy() {
            FakeUsers first = new FakeUsers();
            FakeUsers second = new FakeUsers();

            assertThat(proxy(first).find("missing")).isNull();
            assertThat(proxy(second).find("missing")).isNull();

            assertThat(second.calls("find")).isZero();
            String key = redisKey("find", "\"missing\"");
            assertThat(redis.server().execute("GET", key)).isEqualTo("netrun-cache:null");
            assertThat((Long) redis.server().execute("PTTL", key)).isBetween(1L, 30_000L);
        }

        @Test
        void invalidateFromAnotherProxy_removesEntryFromRedis() {
            FakeUsers reader = new FakeUsers();
            Users readerProxy = proxy(reader);
            readerProxy.getUser("1");
            readerProxy.getUser("2");

            proxy(new FakeUsers()).update("1");

            assertThat(redis.server().execute("EXISTS", redisKey("getUser", "\"1\""))).isEqualTo(0L);
            assertThat(redis.server().execute("EXISTS", redisKey("getUser", "\"2\""))).isEqualTo(1L);
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50)).untilAsserted(() -> {
                readerProxy.getUser("1"); // MULTI_LAYER: the reader's L1 drops the key on the invalidation message
                assertThat(reader.calls("getUser")).isEqualTo(3);
            });
            readerProxy.getUser("2");
            assertThat(reader.calls("getUser")).isEqualTo(3);
        }

        @Test
        void factoryClose_closesRedisBackedCaches() {
            CachedProxy.Factory factory = CachedProxy.factory(config());
            @SuppressWarnings("unchecked")
            Users proxy = factory.create((Class<Users>) iface(), new FakeUsers());
            proxy.getUser("1");
            assertThat(factory.caches()).allSatisfy(cache -> assertThat(cache.backend()).isEqualTo(backend()));

            factory.close();

            assertThatIllegalStateException().isThrownBy(() -> proxy.getUser("1")).withMessageContaining("closed");
        }
    }

    @Nested
    class Redis extends BackendContract {

        @Override
        Class<? extends Users> iface() {
            return RedisUsers.class;
        }

        @Override
        CacheBackend backend() {
            return CacheBackend.REDIS;
        }
    }

    @Nested
    class MultiLayer extends BackendContract {

        @Override
        Class<? extends Users> iface() {
            return LayeredUsers.class;
        }

        @Override
        CacheBackend backend() {
            return CacheBackend.MULTI_LAYER;
        }

        @Test
        void cachesAreTwoLevelManagersWithAnnotationSizedL1() {
            CachedProxy.Factory factory = CachedProxy.factory(config());
            try {
                factory.create(LayeredUsers.class, new FakeUsers());

                assertThat(factory.caches()).allSatisfy(cache -> {
                    assertThat(cache).isInstanceOf(CacheManager.class);
                    assertThat(((CacheManager<?>) cache).hasL2()).isTrue();
                });
            } finally {
                factory.close();
            }
        }
    }
}
