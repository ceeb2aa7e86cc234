package com.netrunsystems.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every {@link LoadPolicy} case on both views ({@link Cache#getOrLoad} and {@link AsyncCache#getOrLoad}) of
 * a backend: single flight, the cross-JVM lease, refresh-ahead (fixed and XFetch), TTL jitter and
 * stale-if-error. One load pipeline runs both views of every backend, so each case holds for each.
 */
public abstract class LoadPolicyContractTest {

    /** The two views of a cache. */
    public enum View {
        BLOCKING, ASYNC
    }

    private static final Duration WAIT = Duration.ofSeconds(30);

    private final List<Cache<Object>> caches = new ArrayList<>();
    private final ExecutorService pool = Executors.newFixedThreadPool(32);
    /** The namespace of this test's caches. */
    protected final String namespace = "policy-" + UUID.randomUUID().toString().substring(0, 8);

    /** Returns a new cache of the backend under test with {@code policy}, on {@link #namespace}. */
    protected abstract Cache<Object> newCache(String namespace, LoadPolicy policy);

    /** Moves the cache's time forward: a fake ticker in memory, a sleep on Redis. */
    protected abstract void advanceTime(Duration duration);

    /** Returns whether two caches of this backend on one namespace share their entries (two JVMs on one Redis). */
    protected abstract boolean sharesEntriesAcrossInstances();

    /** Returns a TTL long enough for a few calls on a loaded machine, short enough to wait out on Redis. */
    protected Duration ttl() {
        return Duration.ofSeconds(2);
    }

    @AfterEach
    void closeCaches() {
        pool.shutdownNow();
        for (Cache<Object> cache : caches) {
            try {
                cache.clearNamespace();
            } catch (RuntimeException closed) {
                // nothing left to clear
            }
            cache.close();
        }
    }

    private Cache<Object> cache(LoadPolicy.Builder policy) {
        Cache<Object> cache = newCache(namespace, policy.build());
        caches.add(cache);
        return cache;
    }

    /** Calls {@code getOrLoad} through {@code view}; an async loader completes on another thread. */
    private Object getOrLoad(View view, Cache<Object> cache, String key, Duration ttl, Function<String, Object> loader) {
        if (view == View.BLOCKING) {
            return cache.getOrLoad(key, ttl, loader);
        }
        try {
            return cache.async().getOrLoad(key, ttl, k -> CompletableFuture.supplyAsync(() -> loader.apply(k), pool))
                    .get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @ParameterizedTest
    @EnumSource(View.class)
    void singleFlight_concurrentCallersOnAColdKey_oneLoad(View view) throws Exception {
        Cache<Object> cache = cache(LoadPolicy.builder());
        AtomicInteger loads = new AtomicInteger();
        CountDownLatch callers = new CountDownLatch(16);
        List<Future<Object>> calls = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            calls.add(pool.submit(() -> {
                callers.countDown();
                return getOrLoad(view, cache, "hot", ttl(), key -> {
                    loads.incrementAndGet();
                    awaitQuietly(callers);
                    sleep(100); // hold the flight open while the others arrive
                    return "loaded";
                });
            }));
        }
        for (Future<Object> call : calls) {
            assertThat(call.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("loaded");
        }
        assertThat(loads).hasValue(1);
        assertThat(cache.get("hot")).isEqualTo("loaded");
    }

    @ParameterizedTest
    @EnumSource(View.class)
    void lease_twoInstancesOnOneNamespace_loadOnceInTotalWhereEntriesAreShared(View view) throws Exception {
        LoadPolicy.Builder lease = LoadPolicy.builder().distributedSingleFlight(Duration.ofSeconds(10), Duration.ofSeconds(10));
        Cache<Object> first = cache(lease);
        Cache<Object> second = cache(lease);
        AtomicInteger loads = new AtomicInteger();
        Function<String, Object> slow = key -> {
            loads.incrementAndGet();
            sleep(300);
            return "loaded";
        };
        List<Future<Object>> calls = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            Cache<Object> target = i % 2 == 0 ? first : second;
            calls.add(pool.submit(() -> getOrLoad(view, target, "hot", ttl(), slow)));
        }
        for (Future<Object> call : calls) {
            assertThat(call.get(WAIT.toMillis(), TimeUnit.MILLISECONDS)).isEqualTo("loaded");
        }
        // Two JVMs on one Redis: the lease lets one of them load. Memory caches share nothing: each loads once.
        assertThat(loads).hasValue(sharesEntriesAcrossInstances() ? 1 : 2);
        // the lease was released: the next load of another key is not held up by it
        assertThat(getOrLoad(view, first, "next", ttl(), key -> "next")).isEqualTo("next");
    }

    @ParameterizedTest
    @EnumSource(View.class)
    void refreshAhead_hitPastTheFraction_servesTheCurrentValueAndReloadsInTheBackground(View view) {
        Cache<Object> cache = cache(LoadPolicy.builder().refreshAhead(0.5));
        AtomicInteger loads = new AtomicInteger();
        Function<String, Object> loader = key -> "v" + loads.incrementAndGet();
        assertThat(getOrLoad(view, cache, "k", ttl(), loader)).isEqualTo("v1");
        assertThat(getOrLoad(view, cache, "k", ttl(), loader)).as("before the fraction").isEqualTo("v1");
        assertThat(loads).hasValue(1);

        advanceTime(ttl().multipliedBy(6).dividedBy(10));

        assertThat(getOrLoad(view, cache, "k", ttl(), loader)).as("past the fraction: still the current value")
                .isEqualTo("v1");
        await().atMost(WAIT).until(() -> "v2".equals(cache.get("k")));
        assertThat(cache.stats().refreshes()).isEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(View.class)
    void probabilisticRefresh_slowLoaderNearExpiry_reloadsInTheBackground(View view) {
        Cache<Object> cache = cache(LoadPolicy.builder().probabilisticRefresh(1_000));
        AtomicInteger loads = new AtomicInteger();
        Function<String, Object> loader = key -> {
            sleep(50); // XFetch weighs the load time: with beta 1000, a 50 ms load refreshes a 2 s entry early
            return "v" + loads.incrementAndGet();
        };
        assertThat(getOrLoad(view, cache, "k", ttl(), loader)).isEqualTo("v1");
        advanceTime(ttl().dividedBy(2));

        await().atMost(WAIT).until(() -> {
            assertThat(getOrLoad(view, cache, "k", ttl(), loader)).isIn("v1", "v2", "v3");
            return loads.get() >= 2;
        });
        assertThat(cache.stats().refreshes()).isGreaterThanOrEqualTo(1);
    }

    @ParameterizedTest
    @EnumSource(View.class)
    void ttlJitter_entriesLoadedTogether_expireAtDifferentTimesNeverLater(View view) {
        Cache<Object> cache = cache(LoadPolicy.builder().ttlJitter(0.9));
        int keys = 20;
        for (int i = 0; i < keys; i++) {
            assertThat(getOrLoad(view, cache, "k" + i, ttl(), key -> "v")).isEqualTo("v");
        }
        advanceTime(ttl().multipliedBy(11).dividedBy(20)); // 55% of the TTL: about half are gone (1 in 10^6: none or all)
        long alive = countAlive(cache, keys);
        assertThat(alive).as("alive at 55%% of the TTL").isBetween(1L, keys - 1L);

        advanceTime(ttl().multipliedBy(11).dividedBy(20)); // 110%: jitter only shortens
        assertThat(countAlive(cache, keys)).as("alive past the TTL").isZero();
    }

    private static long countAlive(Cache<Object> cache, int keys) {
        long alive = 0;
        for (int i = 0; i < keys; i++) {
            if (cache.get("k" + i) != null) {
                alive++;
            }
        }
        return alive;
    }

    @ParameterizedTest
    @EnumSource(View.class)
    void staleIfError_loaderFailsAfterTheTtl_servesTheGraceCopy(View view) {
        Cache<Object> cache = cache(LoadPolicy.builder().staleIfError(Duration.ofMinutes(5)));
        assertThat(getOrLoad(view, cache, "k", ttl(), key -> "old")).isEqualTo("old");
        advanceTime(ttl().plusMillis(200));
        assertThat(cache.get("k")).as("reads never return the grace copy").isNull();

        Object served = getOrLoad(view, cache, "k", ttl(), key -> {
            throw new IllegalStateException("database down");
        });

        assertThat(served).isEqualTo("old");
        assertThat(cache.stats().staleServed()).isEqualTo(1);
        assertThat(getOrLoad(view, cache, "k", ttl(), key -> "new")).as("recovers").isEqualTo("new");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
