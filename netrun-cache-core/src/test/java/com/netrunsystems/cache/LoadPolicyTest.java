package com.netrunsystems.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Stampede defences of {@link LoadPolicy} on a memory cache, with a fake ticker and a manual executor. */
class LoadPolicyTest {

    private final FakeTicker ticker = new FakeTicker();
    private final List<Runnable> background = new ArrayList<>();
    private final AtomicInteger loads = new AtomicInteger();

    private MemoryCache<Object> cache(LoadPolicy.Builder policy) {
        return MemoryCache.builder().namespace("policy").ticker(ticker)
                .loadPolicy(policy.refreshExecutor(background::add).build()).build();
    }

    private Object load(String key) {
        return key + "#" + loads.incrementAndGet();
    }

    private void runBackground() {
        List<Runnable> tasks = new ArrayList<>(background);
        background.clear();
        tasks.forEach(Runnable::run);
    }

    @Test
    void refreshAhead_readAfterFraction_servesCurrentValueWhileOneReloadRuns() {
        MemoryCache<Object> cache = cache(LoadPolicy.builder().refreshAhead(0.8));
        Duration ttl = Duration.ofSeconds(10);
        assertThat(cache.getOrLoad("k", ttl, this::load)).isEqualTo("k#1");

        ticker.advance(Duration.ofSeconds(7));
        assertThat(cache.getOrLoad("k", ttl, this::load)).isEqualTo("k#1");
        assertThat(background).isEmpty(); // 70 % elapsed: not yet

        ticker.advance(Duration.ofSeconds(2)); // 90 % elapsed
        assertThat(cache.getOrLoad("k", ttl, this::load)).isEqualTo("k#1");
        assertThat(cache.getOrLoad("k", ttl, this::load)).isEqualTo("k#1");
        assertThat(background).hasSize(1); // exactly one reload, however many readers

        runBackground();
        assertThat(cache.getOrLoad("k", ttl, this::load)).isEqualTo("k#2");
        assertThat(cache.stats().refreshes()).isEqualTo(1);
        ticker.advance(Duration.ofSeconds(9)); // the refreshed entry got a whole new TTL
        assertThat(cache.get("k")).isEqualTo("k#2");
    }

    @Test
    void refreshAhead_failingReload_keepsCurrentValueAndCountsFailure() {
        MemoryCache<Object> cache = cache(LoadPolicy.builder().refreshAhead(0.5));
        cache.getOrLoad("k", Duration.ofSeconds(10), this::load);
        ticker.advance(Duration.ofSeconds(6));
        cache.getOrLoad("k", Duration.ofSeconds(10), key -> {
            throw new IllegalStateException("backend down");
        });
        runBackground();
        assertThat(cache.get("k")).isEqualTo("k#1");
        assertThat(cache.stats().loadFailures()).isEqualTo(1);
    }

    @Test
    void probabilisticRefresh_atExpiryEdge_refreshesAndFarFromExpiryDoesNot() {
        MemoryCache<Object> cache = cache(LoadPolicy.builder().probabilisticRefresh(1.0));
        cache.getOrLoad("k", Duration.ofSeconds(100), this::load);
        for (int i = 0; i < 100; i++) {
            cache.getOrLoad("k", Duration.ofSeconds(100), this::load);
        }
        assertThat(background).isEmpty(); // a load took microseconds; 100 s remain
        ticker.advance(Duration.ofSeconds(100).minusNanos(1));
        cache.getOrLoad("k", Duration.ofSeconds(100), this::load);
        assertThat(background).hasSize(1);
    }

    @Test
    void ttlJitter_entriesLoadedTogether_expireAtDifferentTimesNeverLater() {
        MemoryCache<Object> cache = cache(LoadPolicy.builder().ttlJitter(0.5));
        for (int i = 0; i < 200; i++) {
            cache.getOrLoad("k" + i, Duration.ofSeconds(100), this::load);
        }
        Set<Integer> expiredAt = new HashSet<>();
        for (int second = 1; second <= 100; second++) {
            ticker.advance(Duration.ofSeconds(1));
            int alive = 0;
            for (int i = 0; i < 200; i++) {
                alive += cache.exists("k" + i) ? 1 : 0;
            }
            if (second < 50) {
                assertThat(alive).isEqualTo(200); // jitter 0.5 shortens by at most half
            }
            expiredAt.add(alive);
        }
        assertThat(expiredAt).hasSizeGreaterThan(10); // spread over many seconds, not one cliff
        assertThat(cache.stats().cachedKeys()).isLessThanOrEqualTo(200);
        for (int i = 0; i < 200; i++) {
            assertThat(cache.exists("k" + i)).isFalse(); // none outlives the requested 100 s
        }
    }

    @Test
    void staleIfError_loaderFailsAfterExpiry_servesStaleValueThenRecovers() {
        MemoryCache<Object> cache = cache(LoadPolicy.builder().staleIfError(Duration.ofMinutes(5)));
        Duration ttl = Duration.ofSeconds(10);
        cache.getOrLoad("k", ttl, this::load);
        ticker.advance(Duration.ofSeconds(11)); // expired, within the grace period

        Object served = cache.getOrLoad("k", ttl, key -> {
            throw new IllegalStateException("database down");
        });

        assertThat(served).isEqualTo("k#1");
        assertThat(cache.stats().staleServed()).isEqualTo(1);
        assertThat(cache.stats().loadFailures()).isEqualTo(1);
        assertThat(cache.getOrLoad("k", ttl, this::load)).isEqualTo("k#2"); // the loader works again
        assertThat(cache.stats().staleServed()).isEqualTo(1);
    }

    /** Regression (issue 11, defect 8): get, exists and getMany returned the grace copy after the TTL. */
    @Test
    void staleIfError_afterTheTtl_readsMissAndOnlyAFailedLoadGetsTheGraceCopy() {
        MemoryCache<Object> cache = cache(LoadPolicy.builder().staleIfError(Duration.ofMinutes(5)));
        cache.getOrLoad("k", Duration.ofSeconds(10), this::load);
        ticker.advance(Duration.ofSeconds(11));

        assertThat(cache.get("k")).isNull();
        assertThat(cache.exists("k")).isFalse();
        assertThat(cache.getMany(java.util.List.of("k"))).isEmpty();
        assertThat(cache.getOrLoad("k", Duration.ofSeconds(10), key -> {
            throw new IllegalStateException("database down");
        })).isEqualTo("k#1");
    }

    @Test
    void staleIfError_deletedKey_hasNoGraceCopy() {
        MemoryCache<Object> cache = cache(LoadPolicy.builder().staleIfError(Duration.ofMinutes(5)));
        cache.getOrLoad("k", Duration.ofSeconds(10), this::load);
        cache.delete("k");

        assertThatThrownBy(() -> cache.getOrLoad("k", Duration.ofSeconds(10), key -> {
            throw new IllegalStateException("database down");
        })).hasMessage("database down");
    }

    @Test
    void staleIfError_beyondGracePeriod_propagatesLoaderException() {
        MemoryCache<Object> cache = cache(LoadPolicy.builder().staleIfError(Duration.ofSeconds(5)));
        cache.getOrLoad("k", Duration.ofSeconds(10), this::load);
        ticker.advance(Duration.ofSeconds(16));
        assertThatThrownBy(() -> cache.getOrLoad("k", Duration.ofSeconds(10), key -> {
            throw new IllegalStateException("database down");
        })).isInstanceOf(IllegalStateException.class).hasMessage("database down");
        assertThat(cache.stats().staleServed()).isZero();
    }

    @Test
    void staleIfError_expiredEntry_isNotAFreshHitBeforeTheLoaderRuns() {
        MemoryCache<Object> cache = cache(LoadPolicy.builder().staleIfError(Duration.ofMinutes(5)));
        cache.getOrLoad("k", Duration.ofSeconds(10), this::load);
        ticker.advance(Duration.ofSeconds(11));
        assertThat(cache.getOrLoad("k", Duration.ofSeconds(10), this::load)).isEqualTo("k#2");
        assertThat(cache.stats().misses()).isEqualTo(2);
    }

    @Test
    void getOrLoad_loaderAsksForItsOwnKey_failsInsteadOfDeadlocking() {
        MemoryCache<Object> cache = cache(LoadPolicy.builder());
        assertThatThrownBy(() -> cache.getOrLoad("k", key -> cache.getOrLoad("k", this::load)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("recursive load")
                .hasMessageContaining("'k'");
    }

    @Test
    void getOrLoad_blockingAndAsyncCallersOfOneKey_shareOneLoad() {
        MemoryCache<Object> cache = cache(LoadPolicy.builder());
        CompletableFuture<Object> pending = new CompletableFuture<>();
        CompletableFuture<Object> async = cache.async().getOrLoad("k", key -> pending);
        CompletableFuture<Object> blocking = CompletableFuture.supplyAsync(() -> cache.getOrLoad("k", this::load));
        pending.complete("async value");
        assertThat(async.join()).isEqualTo("async value");
        assertThat(blocking.join()).isEqualTo("async value");
        assertThat(loads).hasValue(0);
    }

    @Test
    void builder_badValues_throwNamingTheSetting() {
        assertThatIllegalArgumentException().isThrownBy(() -> LoadPolicy.builder().refreshAhead(1.0))
                .withMessageContaining("refreshAhead").withMessageContaining("1.0");
        assertThatIllegalArgumentException().isThrownBy(() -> LoadPolicy.builder().ttlJitter(-0.1))
                .withMessageContaining("ttlJitter");
        assertThatIllegalArgumentException().isThrownBy(() -> LoadPolicy.builder().probabilisticRefresh(0))
                .withMessageContaining("beta");
        assertThatIllegalArgumentException()
                .isThrownBy(() -> LoadPolicy.builder().distributedSingleFlight(Duration.ZERO, Duration.ofSeconds(1)))
                .withMessageContaining("leaseTtl");
        assertThatIllegalArgumentException().isThrownBy(() -> LoadPolicy.builder().staleIfError(Duration.ofSeconds(-1)))
                .withMessageContaining("staleIfError");
        assertThatIllegalArgumentException().isThrownBy(() -> LoadPolicy.builder().loadTimeout(Duration.ZERO))
                .withMessageContaining("loadTimeout").withMessageContaining("PT0S");
    }

    @Test
    void loadTimeout_defaultsToSixtySeconds() {
        assertThat(LoadPolicy.defaults().loadTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(LoadPolicy.builder().loadTimeout(Duration.ofSeconds(5)).build())
                .isNotEqualTo(LoadPolicy.defaults())
                .asString().contains("loadTimeout=PT5S");
    }

    /** Regression (issue 11, defect 9) through MemoryCache: a hung loader held every caller of its key forever. */
    @Test
    void loadTimeout_memoryCacheCallerOfAHungLoad_getsTimeoutInsteadOfWaitingForever() throws Exception {
        MemoryCache<Object> cache = cache(LoadPolicy.builder().loadTimeout(Duration.ofMillis(200)));
        java.util.concurrent.CountDownLatch entered = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Thread holder = new Thread(() -> cache.getOrLoad("k", key -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "late";
        }), "hung-loader");
        holder.start();
        entered.await();
        try {
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(30), () ->
                    assertThatThrownBy(() -> cache.getOrLoad("k", this::load))
                            .isInstanceOf(CacheException.class)
                            .hasCauseInstanceOf(java.util.concurrent.TimeoutException.class));
        } finally {
            release.countDown();
            holder.join();
        }
        assertThat(cache.get("k")).isEqualTo("late"); // the hung load still cached its value
    }
}
