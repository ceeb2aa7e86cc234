package com.netrunsystems.cache.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.CacheLock;
import com.netrunsystems.cache.CacheStats;
import com.netrunsystems.cache.LoadPolicy;
import com.netrunsystems.cache.internal.StatsCounter;
import com.netrunsystems.cache.internal.TtlValue;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Regressions of issue 11, defect 9: the load path under failures of its own machinery (a lease
 * that throws, a store that is refused, a hung loader, an interrupt).
 */
class LoadPathFailuresTest {

    private static final Duration TTL = Duration.ofMinutes(1);
    private static final Duration BOUND = Duration.ofSeconds(30); // only reached by the old, unbounded code

    private final Target target = new Target();
    private final StatsCounter stats = new StatsCounter();
    private final AtomicInteger loads = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void releaseLoaders() {
        release.countDown();
        Thread.interrupted(); // a test that interrupted this thread leaves it clean
    }

    private LoadPipeline<String> coordinator(LoadPolicy policy) {
        return new LoadPipeline<>(policy, target, stats, ForkJoinPool.commonPool());
    }

    private String load(String key) {
        return key + "#" + loads.incrementAndGet();
    }

    private CacheStats stats() {
        return stats.snapshot("ns", CacheBackend.MEMORY, true, 0);
    }

    @Test
    void refresh_leaseThrows_refreshingMarkIsClearedSoTheNextReadRefreshes() {
        LoadPolicy policy = LoadPolicy.builder().distributedSingleFlight(Duration.ofSeconds(10), Duration.ofSeconds(1))
                .refreshAhead(0.5).refreshExecutor(LoadPathFailuresTest::runOnAnotherThread).build();
        LoadPipeline<String> coordinator = coordinator(policy);
        target.values.put("k", new TtlValue<>("old", Duration.ofSeconds(10))); // past the refresh point
        target.lease = () -> {
            throw new IllegalStateException("lease script failed");
        };

        assertThat(coordinator.getOrLoad("k", TTL, this::load)).isEqualTo("old");
        assertThat(loads).hasValue(0);
        target.lease = () -> null;
        assertThat(coordinator.getOrLoad("k", TTL, this::load)).isEqualTo("old");

        assertThat(loads).as("the second read refreshes: the first one's failure left no mark").hasValue(1);
        assertThat(stats().refreshes()).isEqualTo(1);
    }

    @Test
    void getOrLoad_leaseRefusedByAnErrorReply_failsOpenAndLoadsWithoutLease() {
        LoadPipeline<String> coordinator = coordinator(LoadPolicy.builder()
                .distributedSingleFlight(Duration.ofSeconds(10), Duration.ofSeconds(1)).build());
        target.lease = () -> {
            throw new CacheException("Redis rejected acquire lock: MISCONF Redis is configured to save RDB snapshots");
        };

        assertThat(coordinator.getOrLoad("k", TTL, this::load)).isEqualTo("k#1");
        assertThat(target.values).containsKey("k");
    }

    @Test
    void getOrLoad_storeOfTheLoadedValueRefused_returnsTheValueAndCountsTheError() {
        LoadPipeline<String> coordinator = coordinator(LoadPolicy.defaults());
        target.writeFailure = new CacheException("Redis rejected SET: OOM command not allowed");

        assertThat(coordinator.getOrLoad("k", TTL, this::load)).isEqualTo("k#1");
        assertThat(stats().errors()).isEqualTo(1);
        assertThat(stats().loads()).isEqualTo(1);
    }

    @Test
    void getOrLoad_loaderHangs_waiterGivesUpAfterTheLoadTimeout() throws Exception {
        LoadPipeline<String> coordinator = coordinator(LoadPolicy.builder().loadTimeout(Duration.ofMillis(200)).build());
        CompletableFuture<String> hung = startHungLoad(coordinator);

        assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(() -> coordinator.getOrLoad("k", TTL, this::load))
                .isInstanceOf(CacheException.class)
                .hasCauseInstanceOf(TimeoutException.class)
                .hasMessageContaining("'k'")
                .hasMessageContaining("loadTimeout"));
        assertThat(loads).as("the waiter ran no loader of its own").hasValue(0);
        release.countDown();
        assertThat(hung.get()).isEqualTo("slow");
    }

    @Test
    void getOrLoad_loaderHangsWithAGraceCopy_waiterGetsTheStaleValue() {
        LoadPipeline<String> coordinator = coordinator(LoadPolicy.builder().loadTimeout(Duration.ofMillis(200))
                .staleIfError(Duration.ofMinutes(5)).build());
        target.stale.put("k", "stale");
        startHungLoad(coordinator);

        String served = assertTimeoutPreemptively(BOUND, () -> coordinator.getOrLoad("k", TTL, this::load));

        assertThat(served).isEqualTo("stale");
        assertThat(stats().staleServed()).isEqualTo(1);
    }

    @Test
    void getOrLoad_interruptedWhileAnotherProcessLoads_throwsKeepsTheFlagAndRunsNoLoader() {
        LoadPipeline<String> coordinator = coordinator(LoadPolicy.builder()
                .distributedSingleFlight(Duration.ofSeconds(10), Duration.ofSeconds(5)).build());
        target.lease = Optional::empty; // another process holds the lease: this caller waits for its value

        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> coordinator.getOrLoad("k", TTL, this::load))
                .isInstanceOf(CacheException.class)
                .hasCauseInstanceOf(InterruptedException.class);

        assertThat(Thread.currentThread().isInterrupted()).isTrue();
        assertThat(loads).hasValue(0);
    }

    @Test
    void getOrLoad_interruptedWhileWaitingForThisJvmsLoad_throwsKeepsTheFlagAndRunsNoLoader() {
        LoadPipeline<String> coordinator = coordinator(LoadPolicy.defaults());
        startHungLoad(coordinator);

        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> coordinator.getOrLoad("k", TTL, this::load))
                .isInstanceOf(CacheException.class)
                .hasCauseInstanceOf(InterruptedException.class);

        assertThat(Thread.currentThread().isInterrupted()).isTrue();
        assertThat(loads).hasValue(0);
    }

    @Test
    void getOrLoad_loadHangsWhileStoringItsValue_lateCallerGivesUpAfterTheLoadTimeout() {
        LoadPipeline<String> coordinator = coordinator(LoadPolicy.builder().loadTimeout(Duration.ofMillis(200)).build());
        CompletableFuture<String> hung = startLoadHungInItsWrite(coordinator);

        // The flight no longer shares its value (it is being written): this caller waits for its end, bounded.
        assertTimeoutPreemptively(BOUND, () -> assertThatThrownBy(() -> coordinator.getOrLoad("k", TTL, this::load))
                .isInstanceOf(CacheException.class)
                .hasCauseInstanceOf(TimeoutException.class)
                .hasMessageContaining("loadTimeout"));
        assertThat(loads).as("the late caller ran no loader of its own").hasValue(0);
        release.countDown();
        assertThat(hung.join()).isEqualTo("slow");
    }

    @Test
    void getOrLoad_loadHangsWhileStoringItsValueWithAGraceCopy_lateCallerGetsTheStaleValue() {
        LoadPipeline<String> coordinator = coordinator(LoadPolicy.builder().loadTimeout(Duration.ofMillis(200))
                .staleIfError(Duration.ofMinutes(5)).build());
        target.stale.put("k", "stale");
        startLoadHungInItsWrite(coordinator);

        String served = assertTimeoutPreemptively(BOUND, () -> coordinator.getOrLoad("k", TTL, this::load));

        assertThat(served).isEqualTo("stale");
        assertThat(stats().staleServed()).isEqualTo(1);
    }

    @Test
    void getOrLoad_interruptedWhileALoadStoresItsValue_throwsKeepsTheFlagAndRunsNoLoader() {
        LoadPipeline<String> coordinator = coordinator(LoadPolicy.defaults());
        startLoadHungInItsWrite(coordinator);

        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> coordinator.getOrLoad("k", TTL, this::load))
                .isInstanceOf(CacheException.class)
                .hasCauseInstanceOf(InterruptedException.class);

        assertThat(Thread.currentThread().isInterrupted()).isTrue();
        assertThat(loads).hasValue(0);
    }

    /** Runs a background refresh on a thread of its own and waits for it, as a pool would run it (minus the wait). */
    private static void runOnAnotherThread(Runnable refresh) {
        Thread thread = new Thread(refresh, "refresh");
        thread.setUncaughtExceptionHandler((t, e) -> { });
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** Starts a load of {@code k} on another thread that holds until released; returns once it runs. */
    private CompletableFuture<String> startHungLoad(LoadPipeline<String> coordinator) {
        CountDownLatch entered = new CountDownLatch(1);
        CompletableFuture<String> hung = CompletableFuture.supplyAsync(() -> coordinator.getOrLoad("k", TTL, key -> {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "slow";
        }), runnable -> new Thread(runnable, "hung-loader").start());
        try {
            entered.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return hung;
    }

    /** Starts a load of {@code k} on another thread whose loader returns at once and whose write holds until released. */
    private CompletableFuture<String> startLoadHungInItsWrite(LoadPipeline<String> coordinator) {
        CountDownLatch writing = new CountDownLatch(1);
        target.beforeWrite = () -> {
            writing.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        CompletableFuture<String> hung = CompletableFuture.supplyAsync(() -> coordinator.getOrLoad("k", TTL, key -> "slow"),
                runnable -> new Thread(runnable, "hung-writer").start());
        try {
            writing.await();
        } catch (InterruptedException e) {
            throw new AssertionError(e);
        }
        return hung;
    }

    /** A map target whose lease and writes the test can make fail, or hold. */
    private static final class Target implements LoadTarget<String> {
        final Map<String, TtlValue<String>> values = new ConcurrentHashMap<>();
        final Map<String, String> stale = new ConcurrentHashMap<>();
        volatile Supplier<Optional<CacheLock>> lease = () -> null;
        volatile RuntimeException writeFailure;
        volatile Runnable beforeWrite = () -> { };

        @Override
        public CompletableFuture<TtlValue<String>> read(String key, boolean needTtl, Executor executor) {
            return CompletableFuture.completedFuture(values.get(key));
        }

        @Override
        public CompletableFuture<Boolean> write(String key, String value, Duration ttl, Duration grace) {
            beforeWrite.run();
            if (writeFailure != null) {
                throw writeFailure;
            }
            values.put(key, new TtlValue<>(value, ttl));
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public CompletableFuture<String> readStale(String key, Executor executor) {
            return CompletableFuture.completedFuture(stale.get(key));
        }

        @Override
        public CompletableFuture<Optional<CacheLock>> tryLease(String key, Duration ttl) {
            return CompletableFuture.completedFuture(lease.get());
        }
    }
}
