package com.netrunsystems.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link CachedProxy} on memory caches: what {@link Cached} caches, what {@link CacheInvalidate} removes, lifecycle. */
class CachedProxyTest {

    private static final String TYPE = "com.netrunsystems.cache.CachedProxyTest$UserService";

    public record User(String id, String name) {
    }

    public interface UserService {
        @Cached(namespace = "users", ttl = 60)
        User getUser(String id);

        @Cached(namespace = "users", ttl = 60)
        User getUserOrNull(String id);

        @Cached(namespace = "users", ttl = 60, cacheNulls = true, nullTtl = 5)
        User findUser(String id);

        @Cached(namespace = "users")
        Optional<User> lookup(String id);

        @Cached(namespace = "users", cacheNulls = true, nullTtl = 5)
        Optional<User> lookupCachingAbsence(String id);

        @Cached(namespace = "users")
        CompletableFuture<User> loadUser(String id);

        @Cached(namespace = "users", cacheNulls = true, nullTtl = 5)
        CompletableFuture<User> loadUserOrNull(String id);

        @Cached(namespace = "users")
        CompletionStage<Optional<User>> stageUser(String id);

        @Cached(namespace = "users")
        User readFile(String path) throws IOException;

        @Cached(namespace = "users", keyPrefix = "v2:")
        String greeting(String name);

        @Cached(namespace = "counts", maxSize = 10)
        int count(String id, long since);

        String uncached(String id);

        default String describe(String id) {
            return "interface default " + id;
        }

        default String label(String id) {
            return "label " + id + " " + uncached(id);
        }

        @CacheInvalidate(methods = "getUser")
        void updateUser(String id, User user);

        @CacheInvalidate(methods = {"getUser", "count"})
        void touch(String id, long since, String reason);

        @CacheInvalidate(namespace = "users", allEntries = true)
        void reset();

        @CacheInvalidate(namespace = "users", keys = {"manual:{0}", "manual-list"})
        void removeManual(String id);

        @CacheInvalidate(methods = "getUser", beforeInvocation = true)
        void deleteUser(String id) throws IOException;

        @CacheInvalidate(methods = "getUser")
        void failingUpdate(String id) throws IOException;

        @CacheInvalidate(methods = "getUser")
        @CacheInvalidate(namespace = "counts", allEntries = true)
        CompletableFuture<Void> updateAsync(String id);
    }

    /** Records calls per method; behaviour is set per test. */
    static class FakeUsers implements UserService {
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        volatile Function<String, CompletableFuture<User>> futures = id -> CompletableFuture.completedFuture(user(id));
        volatile Exception failure;
        volatile CompletableFuture<Void> updates = CompletableFuture.completedFuture(null);

        int calls(String method) {
            return calls.getOrDefault(method, new AtomicInteger()).get();
        }

        private void record(String method) {
            calls.computeIfAbsent(method, m -> new AtomicInteger()).incrementAndGet();
        }

        private void failIfAsked() throws IOException {
            Exception e = failure;
            if (e instanceof IOException io) {
                throw io;
            }
            if (e instanceof RuntimeException runtime) {
                throw runtime;
            }
        }

        static User user(String id) {
            return new User(id, "name-" + id);
        }

        @Override
        public User getUser(String id) {
            record("getUser");
            if (failure instanceof RuntimeException runtime) {
                throw runtime;
            }
            return user(id);
        }

        @Override
        public User getUserOrNull(String id) {
            record("getUserOrNull");
            return id.startsWith("known") ? user(id) : null;
        }

        @Override
        public User findUser(String id) {
            record("findUser");
            return id.startsWith("known") ? user(id) : null;
        }

        @Override
        public Optional<User> lookup(String id) {
            record("lookup");
            return id.startsWith("known") ? Optional.of(user(id)) : Optional.empty();
        }

        @Override
        public Optional<User> lookupCachingAbsence(String id) {
            record("lookupCachingAbsence");
            return id.startsWith("known") ? Optional.of(user(id)) : Optional.empty();
        }

        @Override
        public CompletableFuture<User> loadUser(String id) {
            record("loadUser");
            return futures.apply(id);
        }

        @Override
        public CompletableFuture<User> loadUserOrNull(String id) {
            record("loadUserOrNull");
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletionStage<Optional<User>> stageUser(String id) {
            record("stageUser");
            return CompletableFuture.completedFuture(id).thenApply(i -> Optional.of(user(i))).minimalCompletionStage();
        }

        @Override
        public User readFile(String path) throws IOException {
            record("readFile");
            failIfAsked();
            return user(path);
        }

        @Override
        public String greeting(String name) {
            record("greeting");
            return "hello " + name;
        }

        @Override
        public int count(String id, long since) {
            record("count");
            return id.length() + (int) since;
        }

        @Override
        public String uncached(String id) {
            record("uncached");
            return "uncached " + id;
        }

        @Override
        public String describe(String id) {
            record("describe");
            return "target " + id;
        }

        @Override
        public void updateUser(String id, User user) {
            record("updateUser");
        }

        @Override
        public void touch(String id, long since, String reason) {
            record("touch");
        }

        @Override
        public void reset() {
            record("reset");
        }

        @Override
        public void removeManual(String id) {
            record("removeManual");
        }

        @Override
        public void deleteUser(String id) throws IOException {
            record("deleteUser");
            failIfAsked();
        }

        @Override
        public void failingUpdate(String id) throws IOException {
            record("failingUpdate");
            failIfAsked();
        }

        @Override
        public CompletableFuture<Void> updateAsync(String id) {
            record("updateAsync");
            return updates;
        }

        @Override
        public String toString() {
            return "FakeUsers";
        }
    }

    private final FakeTicker ticker = new FakeTicker();
    private FakeUsers target;
    private CachedProxy.Factory factory;
    private UserService service;

    @BeforeEach
    void createProxy() {
        target = new FakeUsers();
        factory = new CachedProxy.Factory(CacheConfig.defaults(), ticker);
        service = factory.create(UserService.class, target);
    }

    @AfterEach
    void closeFactory() {
        factory.close();
    }

    private Cache<?> cache(String namespace) {
        return factory.caches().stream().filter(c -> c.namespace().equals(namespace)).findFirst().orElseThrow();
    }

    // --- read-through ------------------------------------------------------------------------------

    @Test
    void cachedMethod_secondCallWithEqualArguments_targetCalledOnce() {
        User first = service.getUser("42");
        User second = service.getUser(new String("42"));

        assertThat(second).isSameAs(first).isEqualTo(new User("42", "name-42"));
        assertThat(target.calls("getUser")).isEqualTo(1);
    }

    @Test
    void cachedMethod_differentArguments_eachLoadedOnce() {
        service.getUser("1");
        service.getUser("2");
        service.getUser("1");

        assertThat(target.calls("getUser")).isEqualTo(2);
    }

    @Test
    void cachedMethod_result_storedUnderDocumentedKeyInAnnotationNamespace() {
        service.getUser("42");
        service.greeting("Ada");
        service.count("abc", 5L);

        assertThat(cache("users").exists(TYPE + ".getUser(\"42\")")).isTrue();
        assertThat(cache("users").exists("v2:" + TYPE + ".greeting(\"Ada\")")).isTrue();
        assertThat(cache("counts").exists(TYPE + ".count(\"abc\",5L)")).isTrue();
    }

    @Test
    void cachedMethod_primitiveResult_cachedAndUnboxed() {
        assertThat(service.count("abc", 5L)).isEqualTo(8);
        assertThat(service.count("abc", 5L)).isEqualTo(8);
        assertThat(target.calls("count")).isEqualTo(1);
    }

    @Test
    @Timeout(30)
    void cachedMethod_1000ConcurrentCallsOnColdKey_targetCalledOnce() throws Exception {
        int callers = 1000;
        CountDownLatch ready = new CountDownLatch(callers);
        AtomicInteger loads = new AtomicInteger();
        UserService slow = factory.create(UserService.class, new FakeUsers() {
            @Override
            public User getUser(String id) {
                loads.incrementAndGet();
                awaitLatch(ready); // every caller has arrived before the load finishes
                return user(id);
            }
        });
        List<Future<User>> results = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(callers);
        try {
            for (int i = 0; i < callers; i++) {
                results.add(pool.submit(() -> {
                    ready.countDown();
                    return slow.getUser("cold");
                }));
            }
            for (Future<User> result : results) {
                assertThat(result.get(20, TimeUnit.SECONDS)).isEqualTo(FakeUsers.user("cold"));
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(loads).hasValue(1);
        assertThat(cache("users").stats().loads()).isEqualTo(1);
    }

    @Test
    void cachedMethod_afterTtl_loadsAgain() {
        service.getUser("42");
        ticker.advance(Duration.ofSeconds(59));
        service.getUser("42");
        assertThat(target.calls("getUser")).isEqualTo(1);

        ticker.advance(Duration.ofSeconds(2));
        service.getUser("42");

        assertThat(target.calls("getUser")).isEqualTo(2);
    }

    @Test
    void cachedMethod_sameMethodAndArgumentsThroughTwoProxiesOfOneFactory_shareTheEntry() {
        FakeUsers otherTarget = new FakeUsers();
        UserService other = factory.create(UserService.class, otherTarget);

        service.getUser("42");
        User fromOther = other.getUser("42");

        assertThat(fromOther).isEqualTo(FakeUsers.user("42"));
        assertThat(otherTarget.calls("getUser")).isZero();
    }

    // --- nulls and Optional ------------------------------------------------------------------------

    @Test
    void cachedMethod_nullResult_notCached() {
        assertThat(service.getUserOrNull("unknown")).isNull();
        assertThat(service.getUserOrNull("unknown")).isNull();

        assertThat(target.calls("getUserOrNull")).isEqualTo(2);
    }

    @Test
    void cachedMethod_cacheNullsAndNullResult_nullCachedForNullTtl() {
        assertThat(service.findUser("unknown")).isNull();
        ticker.advance(Duration.ofSeconds(4));
        assertThat(service.findUser("unknown")).isNull();
        assertThat(target.calls("findUser")).isEqualTo(1);

        ticker.advance(Duration.ofSeconds(2));
        assertThat(service.findUser("unknown")).isNull();

        assertThat(target.calls("findUser")).isEqualTo(2);
    }

    @Test
    void cachedMethod_cacheNullsAndValueResult_valueKeepsFullTtl() {
        service.findUser("known-1");
        ticker.advance(Duration.ofSeconds(30));

        assertThat(service.findUser("known-1")).isEqualTo(FakeUsers.user("known-1"));
        assertThat(target.calls("findUser")).isEqualTo(1);
    }

    @Test
    void cachedMethod_emptyOptional_notCached() {
        assertThat(service.lookup("unknown")).isEmpty();
        assertThat(service.lookup("unknown")).isEmpty();

        assertThat(target.calls("lookup")).isEqualTo(2);
    }

    @Test
    void cachedMethod_presentOptional_valueCachedAndRewrapped() {
        assertThat(service.lookup("known-1")).contains(FakeUsers.user("known-1"));
        assertThat(service.lookup("known-1")).contains(FakeUsers.user("known-1"));

        assertThat(target.calls("lookup")).isEqualTo(1);
    }

    @Test
    void cachedMethod_cacheNullsAndEmptyOptional_emptyCachedForNullTtl() {
        assertThat(service.lookupCachingAbsence("unknown")).isEmpty();
        assertThat(service.lookupCachingAbsence("unknown")).isEmpty();
        assertThat(target.calls("lookupCachingAbsence")).isEqualTo(1);

        ticker.advance(Duration.ofSeconds(6));
        assertThat(service.lookupCachingAbsence("unknown")).isEmpty();

        assertThat(target.calls("lookupCachingAbsence")).isEqualTo(2);
    }

    // --- exceptions --------------------------------------------------------------------------------

    @Test
    void cachedMethod_checkedException_reachesCallerUnchangedAndCachesNothing() {
        IOException failure = new IOException("disk gone");
        target.failure = failure;

        assertThatThrownBy(() -> service.readFile("a")).isSameAs(failure);
        assertThatThrownBy(() -> service.readFile("a")).isSameAs(failure);
        assertThat(target.calls("readFile")).isEqualTo(2);

        target.failure = null;
        assertThat(catching(() -> service.readFile("a"))).isEqualTo(FakeUsers.user("a"));
        assertThat(target.calls("readFile")).isEqualTo(3);
    }

    @Test
    void cachedMethod_runtimeException_reachesCallerUnchangedAndCachesNothing() {
        IllegalStateException failure = new IllegalStateException("database down");
        target.failure = failure;

        assertThatThrownBy(() -> service.getUser("a")).isSameAs(failure);

        target.failure = null;
        assertThat(service.getUser("a")).isEqualTo(FakeUsers.user("a"));
        assertThat(target.calls("getUser")).isEqualTo(2);
    }

    // --- futures -----------------------------------------------------------------------------------

    @Test
    void futureMethod_concurrentCallersWhileInFlight_shareOneCallAndCacheOnCompletion() throws Exception {
        CompletableFuture<User> pending = new CompletableFuture<>();
        target.futures = id -> pending;

        CompletableFuture<User> first = service.loadUser("42");
        CompletableFuture<User> second = service.loadUser("42");
        assertThat(first).isNotDone();
        assertThat(second).isNotDone().isNotSameAs(first);
        assertThat(target.calls("loadUser")).isEqualTo(1);

        pending.complete(FakeUsers.user("42"));

        assertThat(first.get(1, TimeUnit.SECONDS)).isEqualTo(FakeUsers.user("42"));
        assertThat(second.get(1, TimeUnit.SECONDS)).isEqualTo(FakeUsers.user("42"));
        CompletableFuture<User> third = service.loadUser("42");
        assertThat(third).isCompletedWithValue(FakeUsers.user("42"));
        assertThat(target.calls("loadUser")).isEqualTo(1);
    }

    @Test
    void futureMethod_oneCallerCancels_othersStillGetTheValue() throws Exception {
        CompletableFuture<User> pending = new CompletableFuture<>();
        target.futures = id -> pending;
        CompletableFuture<User> first = service.loadUser("42");
        CompletableFuture<User> second = service.loadUser("42");

        first.cancel(true);
        pending.complete(FakeUsers.user("42"));

        assertThat(second.get(1, TimeUnit.SECONDS)).isEqualTo(FakeUsers.user("42"));
        assertThat(service.loadUser("42")).isCompletedWithValue(FakeUsers.user("42"));
    }

    @Test
    void futureMethod_failedFuture_failsWithSameExceptionCachesNothingAndNextCallRetries() throws Exception {
        IOException failure = new IOException("remote down");
        target.futures = id -> CompletableFuture.failedFuture(failure);

        CompletableFuture<User> failed = service.loadUser("42");

        assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> failed.get(1, TimeUnit.SECONDS))
                .havingCause().isSameAs(failure);
        assertThat(failed.handle((value, error) -> error).get(1, TimeUnit.SECONDS)).isSameAs(failure);
        target.futures = id -> CompletableFuture.completedFuture(FakeUsers.user(id));
        assertThat(service.loadUser("42").get(1, TimeUnit.SECONDS)).isEqualTo(FakeUsers.user("42"));
        assertThat(target.calls("loadUser")).isEqualTo(2);
    }

    @Test
    void futureMethod_targetThrowsInsteadOfReturningFuture_futureFailsWithThatException() {
        IllegalArgumentException failure = new IllegalArgumentException("bad id");
        target.futures = id -> {
            throw failure;
        };

        CompletableFuture<User> result = service.loadUser("42");

        assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> result.get(1, TimeUnit.SECONDS))
                .havingCause().isSameAs(failure);
    }

    @Test
    void futureMethod_cacheNullsAndNullResult_nullCachedForNullTtl() throws Exception {
        assertThat(service.loadUserOrNull("x").get(1, TimeUnit.SECONDS)).isNull();
        assertThat(service.loadUserOrNull("x").get(1, TimeUnit.SECONDS)).isNull();
        assertThat(target.calls("loadUserOrNull")).isEqualTo(1);

        ticker.advance(Duration.ofSeconds(6));
        assertThat(service.loadUserOrNull("x").get(1, TimeUnit.SECONDS)).isNull();

        assertThat(target.calls("loadUserOrNull")).isEqualTo(2);
    }

    @Test
    void completionStageOfOptional_returnsCompletableFutureAndCachesTheValue() throws Exception {
        CompletionStage<Optional<User>> first = service.stageUser("7");
        CompletionStage<Optional<User>> second = service.stageUser("7");

        assertThat(first).isInstanceOf(CompletableFuture.class);
        assertThat(first.toCompletableFuture().get(1, TimeUnit.SECONDS)).contains(FakeUsers.user("7"));
        assertThat(second.toCompletableFuture().get(1, TimeUnit.SECONDS)).contains(FakeUsers.user("7"));
        assertThat(target.calls("stageUser")).isEqualTo(1);
    }

    @Test
    @Timeout(30)
    void futureMethod_1000ConcurrentCallsOnColdKey_targetCalledOnce() throws Exception {
        CompletableFuture<User> pending = new CompletableFuture<>();
        target.futures = id -> pending;
        int callers = 1000;
        List<Future<CompletableFuture<User>>> calls = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            for (int i = 0; i < callers; i++) {
                calls.add(pool.submit(() -> service.loadUser("cold")));
            }
            List<CompletableFuture<User>> futures = new ArrayList<>();
            for (Future<CompletableFuture<User>> call : calls) {
                futures.add(call.get(20, TimeUnit.SECONDS));
            }
            pending.complete(FakeUsers.user("cold"));
            for (CompletableFuture<User> future : futures) {
                assertThat(future.get(20, TimeUnit.SECONDS)).isEqualTo(FakeUsers.user("cold"));
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(target.calls("loadUser")).isEqualTo(1);
    }

    // --- pass-through, Object methods, default methods ----------------------------------------------

    @Test
    void unannotatedMethod_passesThroughEveryTime() {
        assertThat(service.uncached("a")).isEqualTo("uncached a");
        assertThat(service.uncached("a")).isEqualTo("uncached a");

        assertThat(target.calls("uncached")).isEqualTo(2);
    }

    @Test
    void defaultMethod_overriddenByTarget_runsTargetImplementation() {
        assertThat(service.describe("a")).isEqualTo("target a");
        assertThat(target.calls("describe")).isEqualTo(1);
    }

    @Test
    void defaultMethod_notOverridden_runsOnTargetAsADirectCallWould() {
        assertThat(service.label("a")).isEqualTo("label a uncached a");
        assertThat(target.calls("uncached")).isEqualTo(1);
    }

    @Test
    void objectMethods_behaveAsOnTarget() {
        UserService sameTarget = factory.create(UserService.class, target);
        UserService otherTarget = factory.create(UserService.class, new FakeUsers());

        assertThat(service.toString()).isEqualTo("FakeUsers");
        assertThat(service.hashCode()).isEqualTo(target.hashCode());
        assertThat(service).isEqualTo(service).isEqualTo(sameTarget).isNotEqualTo(otherTarget);
        assertThat(service.equals(target)).isFalse();
        assertThat(service.equals(null)).isFalse();
    }

    // --- @CacheInvalidate --------------------------------------------------------------------------

    @Test
    void invalidateMethods_afterReturn_removesEntryOfNamedMethodForSameArguments() {
        service.getUser("1");
        service.getUser("2");

        service.updateUser("1", FakeUsers.user("1"));
        service.getUser("1");
        service.getUser("2");

        assertThat(target.calls("getUser")).isEqualTo(3);
    }

    @Test
    void invalidateMethods_cachedMethodWithMoreParameters_usesFirstArguments() {
        service.getUser("abc");
        service.count("abc", 5L);
        service.count("abc", 6L);

        service.touch("abc", 5L, "because");
        service.getUser("abc");
        service.count("abc", 5L);
        service.count("abc", 6L);

        assertThat(target.calls("getUser")).isEqualTo(2);
        assertThat(target.calls("count")).isEqualTo(3);
    }

    @Test
    void invalidateAllEntries_clearsTheNamespaceOnly() {
        service.getUser("1");
        service.lookup("known-1");
        service.count("abc", 5L);

        service.reset();
        service.getUser("1");
        service.lookup("known-1");
        service.count("abc", 5L);

        assertThat(target.calls("getUser")).isEqualTo(2);
        assertThat(target.calls("lookup")).isEqualTo(2);
        assertThat(target.calls("count")).isEqualTo(1);
    }

    @Test
    void invalidateKeys_templatesWithArguments_removeThoseKeys() {
        @SuppressWarnings("unchecked")
        Cache<Object> users = (Cache<Object>) cache("users");
        users.set("manual:42", "x");
        users.set("manual:43", "x");
        users.set("manual-list", "x");

        service.removeManual("42");

        assertThat(users.exists("manual:42")).isFalse();
        assertThat(users.exists("manual-list")).isFalse();
        assertThat(users.exists("manual:43")).isTrue();
    }

    @Test
    void invalidate_methodThrows_nothingInvalidatedAndExceptionUnchanged() {
        service.getUser("1");
        IOException failure = new IOException("write failed");
        target.failure = failure;

        assertThatThrownBy(() -> service.failingUpdate("1")).isSameAs(failure);
        service.getUser("1");

        assertThat(target.calls("getUser")).isEqualTo(1);
    }

    @Test
    void invalidateBeforeInvocation_methodThrows_entriesAlreadyRemoved() {
        service.getUser("1");
        IOException failure = new IOException("delete failed");
        target.failure = failure;

        assertThatThrownBy(() -> service.deleteUser("1")).isSameAs(failure);
        target.failure = null;
        service.getUser("1");

        assertThat(target.calls("getUser")).isEqualTo(2);
    }

    @Test
    void invalidateFutureMethod_removesOnlyOnceTheFutureSucceeds() throws Exception {
        service.getUser("1");
        service.count("abc", 1L);
        CompletableFuture<Void> pending = new CompletableFuture<>();
        target.updates = pending;

        CompletableFuture<Void> update = service.updateAsync("1");
        service.getUser("1");
        assertThat(target.calls("getUser")).isEqualTo(1);

        pending.complete(null);
        update.get(1, TimeUnit.SECONDS);
        service.getUser("1");
        service.count("abc", 1L);

        assertThat(target.calls("getUser")).isEqualTo(2);
        assertThat(target.calls("count")).isEqualTo(2);
    }

    @Test
    void invalidateFutureMethod_futureFails_nothingInvalidatedAndSameException() {
        service.getUser("1");
        IOException failure = new IOException("update failed");
        target.updates = CompletableFuture.failedFuture(failure);

        CompletableFuture<Void> update = service.updateAsync("1");
        service.getUser("1");

        assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> update.get(1, TimeUnit.SECONDS))
                .havingCause().isSameAs(failure);
        assertThat(target.calls("getUser")).isEqualTo(1);
    }

    /** Another interface of the same factory, invalidating the first one's namespace. */
    public interface UserAdmin {
        @CacheInvalidate(namespace = "users", allEntries = true)
        void purge();
    }

    @Test
    void invalidate_fromAnotherProxyOfTheSameFactory_reachesSharedCache() {
        UserAdmin admin = factory.create(UserAdmin.class, () -> { });
        service.getUser("1");

        admin.purge();
        service.getUser("1");

        assertThat(target.calls("getUser")).isEqualTo(2);
    }

    // --- backends without Redis on the classpath ---------------------------------------------------

    public interface LayeredService {
        @Cached(namespace = "layered", backend = CacheBackend.MULTI_LAYER, maxSize = 10)
        User getUser(String id);

        @Cached(namespace = "redis-only", backend = CacheBackend.REDIS)
        User getRemote(String id);
    }

    public interface MultiLayerService {
        @Cached(namespace = "layered", backend = CacheBackend.MULTI_LAYER, maxSize = 10)
        User getUser(String id);
    }

    @Test
    void multiLayerBackend_withoutRedisModule_cachesInMemoryOnlyManager() {
        AtomicInteger loads = new AtomicInteger();
        MultiLayerService layered = factory.create(MultiLayerService.class, id -> {
            loads.incrementAndGet();
            return FakeUsers.user(id);
        });

        assertThat(layered.getUser("1")).isEqualTo(FakeUsers.user("1"));
        assertThat(layered.getUser("1")).isEqualTo(FakeUsers.user("1"));

        assertThat(loads).hasValue(1);
        assertThat(cache("layered")).isInstanceOf(CacheManager.class);
    }

    @Test
    void redisBackend_withoutRedisModule_createFailsNamingTheDependency() {
        LayeredService target = new LayeredService() {
            @Override
            public User getUser(String id) {
                return null;
            }

            @Override
            public User getRemote(String id) {
                return null;
            }
        };

        assertThatExceptionOfType(CacheException.class)
                .isThrownBy(() -> CachedProxy.create(LayeredService.class, target, CacheConfig.defaults()))
                .withMessageContaining("netrun-cache-redis");
    }

    // Regression (issue 16, item 1): without a config, a REDIS method reached for localhost:6379.
    @Test
    void createWithoutConfig_redisAndMultiLayerMethods_cacheInMemoryAndWarnOncePerMethod() {
        AtomicInteger loads = new AtomicInteger();
        LayeredService target = new LayeredService() {
            @Override
            public User getUser(String id) {
                loads.incrementAndGet();
                return FakeUsers.user(id);
            }

            @Override
            public User getRemote(String id) {
                loads.incrementAndGet();
                return FakeUsers.user(id);
            }
        };
        try (CapturedLog log = CapturedLog.start()) {
            LayeredService service = CachedProxy.create(LayeredService.class, target);
            LayeredService second = CachedProxy.create(LayeredService.class, target);
            for (int i = 0; i < 3; i++) {
                assertThat(service.getRemote("1")).isEqualTo(FakeUsers.user("1"));
                assertThat(service.getUser("1")).isEqualTo(FakeUsers.user("1"));
            }
            assertThat(loads).hasValue(2);
            CachedProxy.close(service);
            CachedProxy.close(second);

            List<String> warnings = log.lines("WARN");
            assertThat(warnings.stream().filter(line -> line.contains("LayeredService.getRemote"))).hasSize(2)
                    .allSatisfy(line -> assertThat(line).contains("REDIS", "in memory", "without a CacheConfig",
                            "CachedProxy.create(iface, target, CacheConfig"));
            assertThat(warnings.stream().filter(line -> line.contains("LayeredService.getUser"))).hasSize(2)
                    .allSatisfy(line -> assertThat(line).contains("MULTI_LAYER", "in memory"));
        }
        try (CachedProxy.Factory memoryOnly = CachedProxy.factory()) {
            memoryOnly.create(LayeredService.class, target);
            assertThat(memoryOnly.caches()).hasSize(2).allSatisfy(cache -> assertThat(cache).isInstanceOf(MemoryCache.class));
        }
    }

    // --- the config's LoadPolicy applies to @Cached methods ------------------------------------------

    @Nested
    class WithLoadPolicy {

        private final ExecutorService refresher = Executors.newSingleThreadExecutor();
        private CachedProxy.Factory policed;

        private UserService proxy(LoadPolicy policy) {
            policed = new CachedProxy.Factory(CacheConfig.builder().loadPolicy(policy).build(), ticker);
            return policed.create(UserService.class, target);
        }

        @AfterEach
        void close() {
            if (policed != null) {
                policed.close();
            }
            refresher.shutdownNow();
        }

        @Test
        void staleIfError_targetFailsAfterExpiry_staleResultServed() {
            UserService proxy = proxy(LoadPolicy.builder().staleIfError(Duration.ofMinutes(5)).build());
            User cached = proxy.getUser("1");
            ticker.advance(Duration.ofSeconds(61));
            target.failure = new IllegalStateException("database down");

            assertThat(proxy.getUser("1")).isEqualTo(cached);
            assertThat(target.calls("getUser")).isEqualTo(2);
        }

        @Test
        void staleIfError_cacheNulls_nullStillFreshForExactlyNullTtl() {
            UserService proxy = proxy(LoadPolicy.builder().staleIfError(Duration.ofMinutes(5)).build());

            proxy.findUser("unknown");
            ticker.advance(Duration.ofSeconds(4));
            proxy.findUser("unknown");
            assertThat(target.calls("findUser")).isEqualTo(1);

            ticker.advance(Duration.ofSeconds(2));
            proxy.findUser("unknown");
            assertThat(target.calls("findUser")).isEqualTo(2);
        }

        @Test
        void refreshAhead_backgroundRefreshReturnsNull_cachedNullStillExpiresAtNullTtl() {
            UserService proxy = proxy(LoadPolicy.builder().refreshAhead(0.5).refreshExecutor(refresher).build());
            proxy.findUser("unknown");
            ticker.advance(Duration.ofSeconds(1));

            proxy.findUser("unknown"); // a hit past half the 60 s TTL: refreshes in the background
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> target.calls("findUser") == 2);
            refresher.shutdown();
            await().atMost(Duration.ofSeconds(5)).until(refresher::isTerminated);
            ticker.advance(Duration.ofSeconds(4).plusMillis(500));
            proxy.findUser("unknown");

            assertThat(target.calls("findUser")).isEqualTo(3);
        }
    }

    // --- lifecycle ---------------------------------------------------------------------------------

    @Test
    void factory_sharesOneCachePerNamespaceBackendAndSize() {
        factory.create(UserAdmin.class, () -> { });

        assertThat(factory.caches()).extracting(Cache::namespace).containsExactlyInAnyOrder("users", "counts");
    }

    @Test
    void factoryClose_closesCachesAndLaterCachedCallsThrow() {
        service.getUser("1");
        List<Cache<?>> caches = factory.caches();

        factory.close();

        assertThat(factory.isClosed()).isTrue();
        assertThat(factory.caches()).isEmpty();
        assertThat(caches).allSatisfy(cache -> assertThatIllegalStateException().isThrownBy(() -> cache.get("x")));
        assertThatIllegalStateException().isThrownBy(() -> service.getUser("1")).withMessageContaining("closed");
        assertThatIllegalStateException().isThrownBy(() -> service.reset()).withMessageContaining("closed");
        assertThat(service.uncached("a")).isEqualTo("uncached a");
        assertThatIllegalStateException().isThrownBy(() -> factory.create(UserService.class, target));
        factory.close();
    }

    @Test
    void staticCreate_closeProxy_closesItsCaches() {
        UserService own = CachedProxy.create(UserService.class, target);
        own.getUser("1");
        own.getUser("1");
        assertThat(target.calls("getUser")).isEqualTo(1);

        CachedProxy.close(own);
        CachedProxy.close(own);

        assertThatIllegalStateException().isThrownBy(() -> own.getUser("1"));
    }

    @Test
    void close_proxyOfFactory_rejectedPointingToTheFactory() {
        assertThatIllegalArgumentException().isThrownBy(() -> CachedProxy.close(service))
                .withMessageContaining("close the factory");
        assertThatIllegalArgumentException().isThrownBy(() -> CachedProxy.close(target))
                .withMessageContaining("not a CachedProxy");
    }

    // --- invalid declarations ----------------------------------------------------------------------

    @Nested
    class Rejects {

        interface VoidCached {
            @Cached
            void run();
        }

        interface ZeroTtl {
            @Cached(ttl = 0)
            String get();
        }

        interface BothAnnotations {
            @Cached
            @CacheInvalidate(allEntries = true)
            String get();
        }

        interface UnknownMethod {
            @Cached
            String get(String id);

            @CacheInvalidate(methods = "fetch")
            void update(String id);
        }

        interface UnfitParameters {
            @Cached
            String get(long id);

            @CacheInvalidate(methods = "get")
            void update(String id);
        }

        interface Overloads {
            @Cached
            String find(String id);

            @Cached
            String find(CharSequence id);
        }

        interface OverloadsWithPrefix {
            @Cached
            String find(String id);

            @Cached(keyPrefix = "byText:")
            String find(CharSequence id);
        }

        interface PlaceholderOutOfRange {
            @CacheInvalidate(keys = "user:{1}")
            void update(String id);
        }

        interface PlaceholderOfObject {
            @CacheInvalidate(keys = "user:{0}")
            void update(User user);
        }

        interface WrongBackend {
            @Cached(namespace = "layered", backend = CacheBackend.MULTI_LAYER)
            String get(String id);

            @CacheInvalidate(namespace = "layered", allEntries = true)
            void reset();
        }

        interface PlainFuture {
            @Cached
            Future<String> get();
        }

        interface Plain {
            String get(String id);
        }

        interface NothingNamed {
            @CacheInvalidate
            void update();
        }

        @Test
        void create_cachedVoidMethod_rejected() {
            assertThatIllegalArgumentException().isThrownBy(() -> create(VoidCached.class, () -> { }))
                    .withMessageContaining("VoidCached.run").withMessageContaining("returns nothing");
        }

        @Test
        void create_nonPositiveTtl_rejectedNamingElement() {
            assertThatIllegalArgumentException().isThrownBy(() -> create(ZeroTtl.class, () -> "x"))
                    .withMessageContaining("ZeroTtl.get").withMessageContaining("ttl must be positive");
        }

        @Test
        void create_bothAnnotationsOnOneMethod_rejected() {
            assertThatIllegalArgumentException().isThrownBy(() -> create(BothAnnotations.class, () -> "x"))
                    .withMessageContaining("both @Cached and @CacheInvalidate");
        }

        @Test
        void create_invalidateNamesUnknownMethod_rejected() {
            assertThatIllegalArgumentException().isThrownBy(() -> create(UnknownMethod.class, new UnknownMethod() {
                @Override
                public String get(String id) {
                    return id;
                }

                @Override
                public void update(String id) {
                }
            })).withMessageContaining("'fetch'").withMessageContaining("no @Cached method of that name");
        }

        @Test
        void create_invalidateNamesMethodWhoseParametersDoNotFit_rejected() {
            assertThatIllegalArgumentException().isThrownBy(() -> create(UnfitParameters.class, new UnfitParameters() {
                @Override
                public String get(long id) {
                    return "x";
                }

                @Override
                public void update(String id) {
                }
            })).withMessageContaining("get(long)");
        }

        @Test
        void create_overloadsSharingKeys_rejectedSuggestingKeyPrefix() {
            assertThatIllegalArgumentException().isThrownBy(() -> create(Overloads.class, new Overloads() {
                @Override
                public String find(String id) {
                    return id;
                }

                @Override
                public String find(CharSequence id) {
                    return "text";
                }
            })).withMessageContaining("would share cache keys").withMessageContaining("keyPrefix");
        }

        @Test
        void create_overloadsWithDistinctKeyPrefixes_accepted() {
            OverloadsWithPrefix proxy = create(OverloadsWithPrefix.class, new OverloadsWithPrefix() {
                @Override
                public String find(String id) {
                    return "string";
                }

                @Override
                public String find(CharSequence id) {
                    return "text";
                }
            });

            assertThat(proxy.find("a")).isEqualTo("string");
            assertThat(proxy.find((CharSequence) "a")).isEqualTo("text");
        }

        @Test
        void create_placeholderBeyondParameters_rejected() {
            assertThatIllegalArgumentException().isThrownBy(() -> create(PlaceholderOutOfRange.class, id -> { }))
                    .withMessageContaining("{1}").withMessageContaining("1 parameter");
        }

        @Test
        void create_placeholderOfStructuredType_rejectedPointingToMethods() {
            assertThatIllegalArgumentException().isThrownBy(() -> create(PlaceholderOfObject.class, user -> { }))
                    .withMessageContaining("methods = ");
        }

        @Test
        void create_invalidateOnMemoryWhileNamespaceUsesAnotherBackend_rejected() {
            assertThatIllegalArgumentException().isThrownBy(() -> create(WrongBackend.class, new WrongBackend() {
                @Override
                public String get(String id) {
                    return id;
                }

                @Override
                public void reset() {
                }
            })).withMessageContaining("backend = CacheBackend.MULTI_LAYER");
        }

        @Test
        void create_unsupportedFutureType_rejected() {
            assertThatIllegalArgumentException().isThrownBy(() -> create(PlainFuture.class, () -> null))
                    .withMessageContaining("CompletableFuture and CompletionStage");
        }

        @Test
        void create_invalidateNamingNothing_rejected() {
            assertThatIllegalArgumentException().isThrownBy(() -> create(NothingNamed.class, () -> { }))
                    .withMessageContaining("names nothing to remove");
        }

        @Test
        void create_annotationsOnlyOnTargetClass_rejectedPointingToInterface() {
            class AnnotatedImplementation implements Plain {
                @Override
                @Cached
                public String get(String id) {
                    return id;
                }
            }

            assertThatIllegalArgumentException().isThrownBy(() -> create(Plain.class, new AnnotatedImplementation()))
                    .withMessageContaining("move them to").withMessageContaining("Plain.get");
        }

        @Test
        @SuppressWarnings({"unchecked", "rawtypes"})
        void create_classOrForeignTarget_rejected() {
            assertThatIllegalArgumentException().isThrownBy(() -> CachedProxy.create(String.class, "x"))
                    .withMessageContaining("interfaces");
            assertThatIllegalArgumentException().isThrownBy(() -> CachedProxy.create((Class) Plain.class, "x"))
                    .withMessageContaining("does not implement");
        }

        private <T> T create(Class<T> iface, T target) {
            return factory.create(iface, target);
        }
    }

    private static <T> T catching(ThrowingSupplier<T> call) {
        try {
            return call.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    @FunctionalInterface
    private interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    private static void awaitLatch(CountDownLatch latch) {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) {
                throw new AssertionError("callers did not arrive");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
