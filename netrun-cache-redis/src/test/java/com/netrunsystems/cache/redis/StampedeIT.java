package com.netrunsystems.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.LoadPolicy;
import com.netrunsystems.cache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Stampede defence across processes: several caches on one Redis namespace stand for several JVMs. */
class StampedeIT {

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.standalone();

    private final String namespace = "stampede-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<Cache<Object>> caches = new ArrayList<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(64);

    @AfterEach
    void close() {
        pool.shutdownNow();
        caches.forEach(Cache::close);
    }

    private CacheConfig config(LoadPolicy policy) {
        return CacheConfig.builder().namespace(namespace).redisHost(redis.server().host())
                .redisPort(redis.server().port()).loadPolicy(policy).build();
    }

    private Cache<Object> redisCache(LoadPolicy policy) {
        Cache<Object> cache = RedisCache.create(config(policy));
        cache.initialize();
        caches.add(cache);
        return cache;
    }

    private Cache<Object> manager(LoadPolicy policy) {
        Cache<Object> cache = CacheManager.create(config(policy));
        cache.initialize();
        caches.add(cache);
        return cache;
    }

    private static LoadPolicy lease(Duration ttl, Duration wait) {
        return LoadPolicy.builder().distributedSingleFlight(ttl, wait).build();
    }

    /** Waits until {@code latch} opens (at most 30 s, so a broken test fails rather than hangs). */
    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A loader that takes {@code millis} (it waits on a latch nobody opens) and counts its calls. */
    private static Function<String, Object> slowLoader(AtomicInteger calls, long millis) {
        CountDownLatch never = new CountDownLatch(1);
        return key -> {
            calls.incrementAndGet();
            try {
                never.await(millis, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "loaded:" + key;
        };
    }

    private List<Long> stampede(List<Cache<Object>> instances, int callersPerInstance, Function<String, Object> loader)
            throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Long>> calls = new ArrayList<>();
        for (Cache<Object> cache : instances) {
            for (int i = 0; i < callersPerInstance; i++) {
                calls.add(pool.submit(() -> {
                    start.await();
                    long began = System.nanoTime();
                    assertThat(cache.getOrLoad("hot", loader)).isEqualTo("loaded:hot");
                    return System.nanoTime() - began;
                }));
            }
        }
        start.countDown();
        List<Long> latencies = new ArrayList<>();
        for (Future<Long> call : calls) {
            latencies.add(call.get(30, TimeUnit.SECONDS));
        }
        Collections.sort(latencies);
        return latencies;
    }

    private static String percentiles(List<Long> sortedNanos) {
        long p50 = sortedNanos.get(sortedNanos.size() / 2) / 1_000_000;
        long p99 = sortedNanos.get((int) Math.ceil(sortedNanos.size() * 0.99) - 1) / 1_000_000;
        return "p50=" + p50 + "ms p99=" + p99 + "ms n=" + sortedNanos.size();
    }

    /**
     * Deterministic stampede of {@code callers} on one cold key of one cache: the first caller runs
     * alone until its loader has started (so its load is in flight), then the others call; the loader
     * holds until all of them are counted as misses (a caller is counted once it holds the running
     * load), then returns. Returns the Redis commands the stampede sent.
     */
    private Map<String, Long> heldStampede(Cache<Object> cache, int callers) throws Exception {
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch loaderStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Function<String, Object> loader = key -> {
            loads.incrementAndGet();
            loaderStarted.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "loaded:" + key;
        };
        redis.server().resetStats();
        List<Future<Object>> calls = new ArrayList<>();
        calls.add(pool.submit(() -> cache.getOrLoad("hot", loader)));
        assertThat(loaderStarted.await(30, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i < callers; i++) {
            calls.add(pool.submit(() -> cache.getOrLoad("hot", loader)));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> cache.stats().misses() == callers);
        release.countDown();
        for (Future<Object> call : calls) {
            assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo("loaded:hot");
        }
        assertThat(loads).hasValue(1);
        Map<String, Long> commands = new TreeMap<>(redis.server().commandStats());
        // administrative commands, CacheManager's health probe and invalidation subscription (it may be
        // sent after initialize() returns), RedisCache's background key count
        commands.keySet().removeIf(c -> c.equals("info") || c.startsWith("config") || c.equals("ping")
                || c.equals("subscribe") || c.equals("scan") || c.startsWith("client") || c.equals("hello"));
        return commands;
    }

    @Test
    void getOrLoad_callersArriveWhileTheKeyLoadsOnRedisCache_oneGetAndOneSet() throws Exception {
        Cache<Object> cache = redisCache(LoadPolicy.defaults());

        Map<String, Long> commands = heldStampede(cache, 50);

        System.out.println("STAMPEDE redis 50 callers joining a running load: " + commands);
        // The first caller reads once and loads; the other 49 join its load without reading
        // (before, each read Redis first: GET x 50).
        assertThat(commands).containsExactlyInAnyOrderEntriesOf(Map.of("get", 1L, "set", 1L));
        assertThat(cache.stats().misses()).isEqualTo(50);
        assertThat(cache.stats().loads()).isEqualTo(1);
    }

    @Test
    void getOrLoad_callersArriveWhileTheKeyLoadsOnCacheManager_oneL2ReadAndOneWrite() throws Exception {
        Cache<Object> cache = manager(LoadPolicy.defaults());

        Map<String, Long> commands = heldStampede(cache, 50);

        System.out.println("STAMPEDE multi_layer 50 callers joining a running load: " + commands);
        // one L2 read (GET+PTTL) by the first caller, one write-through (SET + invalidation PUBLISH)
        assertThat(commands).containsExactlyInAnyOrderEntriesOf(Map.of("get", 1L, "pttl", 1L, "set", 1L, "publish", 1L));
        assertThat(cache.stats().misses()).isEqualTo(50);
    }

    @Test
    void asyncGetOrLoad_callersArriveWhileTheKeyLoadsOnRedisCache_shareItWithoutReading() throws Exception {
        Cache<Object> cache = redisCache(LoadPolicy.defaults());
        CompletableFuture<Object> pending = new CompletableFuture<>();
        CompletableFuture<String> loaderCalled = new CompletableFuture<>();
        AtomicInteger loads = new AtomicInteger();
        Function<String, CompletableFuture<Object>> loader = key -> {
            loads.incrementAndGet();
            loaderCalled.complete(key);
            return pending;
        };
        redis.server().resetStats();
        List<CompletableFuture<Object>> calls = new ArrayList<>();
        calls.add(cache.async().getOrLoad("hot", loader));
        assertThat(loaderCalled.get(30, TimeUnit.SECONDS)).isEqualTo("hot");
        for (int i = 1; i < 50; i++) {
            calls.add(cache.async().getOrLoad("hot", loader));
        }
        pending.complete("loaded:hot");
        for (CompletableFuture<Object> call : calls) {
            assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo("loaded:hot");
        }
        Map<String, Long> commands = new TreeMap<>(redis.server().commandStats());
        commands.keySet().removeIf(c -> c.equals("info") || c.startsWith("config") || c.equals("scan"));

        System.out.println("STAMPEDE redis async 50 callers joining a running load: " + commands);
        assertThat(loads).hasValue(1);
        assertThat(commands).containsExactlyInAnyOrderEntriesOf(Map.of("get", 1L, "set", 1L));
        assertThat(cache.stats().misses()).isEqualTo(50);
    }

    @Test
    void getOrLoad_twoRedisCachesWithLease_loadOnceInTotal() throws Exception {
        LoadPolicy policy = lease(Duration.ofSeconds(10), Duration.ofSeconds(10));
        AtomicInteger calls = new AtomicInteger();
        List<Long> latencies = stampede(List.of(redisCache(policy), redisCache(policy)), 500, slowLoader(calls, 300));

        assertThat(calls).hasValue(1);
        System.out.println("STAMPEDE redis 2 instances x 500 callers: loads=" + calls.get() + " " + percentiles(latencies));
    }

    @Test
    void getOrLoad_twoCacheManagersWithLease_loadOnceInTotal() throws Exception {
        LoadPolicy policy = lease(Duration.ofSeconds(10), Duration.ofSeconds(10));
        AtomicInteger calls = new AtomicInteger();
        List<Long> latencies = stampede(List.of(manager(policy), manager(policy)), 500, slowLoader(calls, 300));

        assertThat(calls).hasValue(1);
        System.out.println("STAMPEDE multi_layer 2 instances x 500 callers: loads=" + calls.get() + " "
                + percentiles(latencies));
    }

    @Test
    void getOrLoad_withoutLease_eachInstanceLoadsOnce() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        stampede(List.of(redisCache(LoadPolicy.defaults()), redisCache(LoadPolicy.defaults())), 200,
                slowLoader(calls, 300));

        assertThat(calls.get()).isBetween(1, 2); // single flight per JVM only
    }

    @Test
    void getOrLoad_leaseHolderHangsPastItsLease_otherInstanceLoadsAfterBoundedWait() throws Exception {
        LoadPolicy policy = lease(Duration.ofMillis(500), Duration.ofSeconds(1));
        Cache<Object> stuck = redisCache(policy);
        Cache<Object> other = redisCache(policy);
        CountDownLatch holderStarted = new CountDownLatch(1);
        CountDownLatch releaseHolder = new CountDownLatch(1);
        Future<Object> holder = pool.submit(() -> stuck.getOrLoad("hot", key -> {
            holderStarted.countDown();
            try {
                releaseHolder.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "late";
        }));
        assertThat(holderStarted.await(10, TimeUnit.SECONDS)).isTrue();

        long began = System.nanoTime();
        Object value = other.getOrLoad("hot", key -> "fresh");
        long waitedMillis = (System.nanoTime() - began) / 1_000_000;

        assertThat(value).isEqualTo("fresh");
        assertThat(waitedMillis).isLessThan(10_000); // bounded: never waits for the hung holder
        System.out.println("STAMPEDE hung lease holder: other instance got its own value after " + waitedMillis + " ms");
        releaseHolder.countDown();
        assertThat(holder.get(10, TimeUnit.SECONDS)).isEqualTo("late");
    }

    @Test
    void getOrLoad_staleIfErrorOnRedis_servesExpiredValueWhenLoaderFails() {
        Cache<Object> cache = redisCache(LoadPolicy.builder().staleIfError(Duration.ofSeconds(30)).build());
        cache.getOrLoad("k", Duration.ofMillis(200), key -> "v1");
        await().atMost(Duration.ofSeconds(5)).until(() -> (Long) redis.server().execute("PTTL", namespace + ":k") == -2);

        Object served = cache.getOrLoad("k", Duration.ofMillis(200), key -> {
            throw new IllegalStateException("database down");
        });

        assertThat(served).isEqualTo("v1");
        assertThat(cache.stats().staleServed()).isEqualTo(1);
        assertThat(cache.getOrLoad("k", Duration.ofSeconds(60), key -> "v2")).isEqualTo("v2");
    }

    /**
     * Regression (issue 11, defect 8): entries were written for ttl + grace, so get, exists, getMany
     * and the two-level lookup returned them after their TTL. Now the grace copy lives under
     * {@code namespace:__netrun_stale__:key} and only getOrLoad's stale-if-error path reads it.
     */
    @Test
    void staleIfError_afterTheTtl_readsMissAndOnlyAFailedLoadGetsTheGraceCopy() {
        LoadPolicy policy = LoadPolicy.builder().staleIfError(Duration.ofMinutes(5)).build();
        for (Cache<Object> cache : List.of(redisCache(policy), manager(policy))) {
            String key = "grace-" + cache.backend();
            cache.getOrLoad(key, Duration.ofSeconds(1), k -> "v1");
            // the entry itself lives for the TTL only (-2 once expired), not for TTL + grace
            assertThat((Long) redis.server().execute("PTTL", namespace + ":" + key)).isLessThanOrEqualTo(1_000L);
            assertThat((Long) redis.server().execute("PTTL", namespace + ":__netrun_stale__:" + key))
                    .isGreaterThan(Duration.ofMinutes(4).toMillis());
            await().atMost(Duration.ofSeconds(10)).until(() -> cache.get(key) == null);

            assertThat(cache.get(key)).as(cache.backend() + " get").isNull();
            assertThat(cache.exists(key)).as(cache.backend() + " exists").isFalse();
            assertThat(cache.getMany(List.of(key))).as(cache.backend() + " getMany").isEmpty();
            assertThat(cache.getOrLoad(key, Duration.ofSeconds(60), k -> {
                throw new IllegalStateException("database down");
            })).as(cache.backend() + " stale-if-error").isEqualTo("v1");
            assertThat(cache.stats().staleServed()).isEqualTo(1);
        }
    }

    @Test
    void staleIfError_graceCopies_notCountedAsKeysAndRemovedByDeleteAndClear() {
        Cache<Object> cache = redisCache(LoadPolicy.builder().staleIfError(Duration.ofMinutes(5)).build());
        cache.getOrLoad("a", Duration.ofSeconds(60), k -> "va");
        cache.getOrLoad("b", Duration.ofSeconds(60), k -> "vb");
        await().atMost(Duration.ofSeconds(10)).until(() -> cache.stats().cachedKeys() == 2);

        cache.delete("a");
        assertThat(redis.server().execute("EXISTS", namespace + ":__netrun_stale__:a")).isEqualTo(0L);
        assertThatThrownByLoad(cache, "a");
        assertThat(cache.clearNamespace()).isEqualTo(1); // b; its grace copy goes too, uncounted
        assertThat(redis.server().execute("EXISTS", namespace + ":__netrun_stale__:b")).isEqualTo(0L);
    }

    /** Regression (issue 11, defect 9) on Redis: a hung loader held every blocking caller of its key forever. */
    @Test
    void loadTimeout_callerOfAHungLoadOnRedis_getsTimeoutAndTheLoadStillCaches() throws Exception {
        Cache<Object> cache = redisCache(LoadPolicy.builder().loadTimeout(Duration.ofMillis(300)).build());
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Future<Object> hung = pool.submit(() -> cache.getOrLoad("hung", key -> {
            entered.countDown();
            awaitQuietly(release);
            return "late";
        }));
        assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();

        long started = System.nanoTime();
        Future<Throwable> waiter = pool.submit(() -> {
            try {
                cache.getOrLoad("hung", key -> "mine");
                return null;
            } catch (RuntimeException e) {
                return e;
            }
        });
        Throwable thrown = waiter.get(30, TimeUnit.SECONDS); // the old code waited for ever
        System.out.println("STAMPEDE load timeout 300 ms: waiter gave up after "
                + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms");

        assertThat(thrown).isInstanceOf(com.netrunsystems.cache.CacheException.class)
                .hasCauseInstanceOf(java.util.concurrent.TimeoutException.class);
        release.countDown();
        assertThat(hung.get(30, TimeUnit.SECONDS)).isEqualTo("late");
        assertThat(cache.get("hung")).isEqualTo("late");
    }

    private static void assertThatThrownByLoad(Cache<Object> cache, String key) {
        org.assertj.core.api.Assertions.assertThatIllegalStateException().isThrownBy(() -> cache.getOrLoad(key,
                Duration.ofSeconds(60), k -> {
                    throw new IllegalStateException("database down");
                })).withMessage("database down");
    }

    @Test
    void getOrLoad_refreshAheadOnRedis_servesOldValueWhileOneReloadRuns() {
        AtomicInteger reloads = new AtomicInteger();
        Cache<Object> cache = redisCache(LoadPolicy.builder().refreshAhead(0.5).build());
        // Written with 30 s left while callers ask for 60 s: past the refresh point at once, far from expiry.
        cache.set("k", "v0", Duration.ofSeconds(30));

        // The reload is held until the loop ends: a reload that finished inside the loop could meet a
        // read sent before its SET, which still sees the old value past the refresh point and rightly
        // refreshes again.
        CountDownLatch release = new CountDownLatch(1);
        Function<String, Object> reload = key -> {
            awaitQuietly(release);
            return "v" + reloads.incrementAndGet();
        };
        for (int i = 0; i < 20; i++) {
            assertThat(cache.getOrLoad("k", Duration.ofSeconds(60), reload)).isEqualTo("v0");
        }
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> "v1".equals(cache.get("k")));
        assertThat(reloads).hasValue(1);
        assertThat(cache.stats().refreshes()).isEqualTo(1);
    }
}
