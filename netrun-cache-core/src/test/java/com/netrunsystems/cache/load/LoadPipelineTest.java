package com.netrunsystems.cache.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.netrunsystems.cache.CacheLock;
import com.netrunsystems.cache.internal.StatsCounter;
import com.netrunsystems.cache.internal.TtlValue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import com.netrunsystems.cache.LoadPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
import org.junit.jupiter.api.Test;

/**
 * The single flight of {@link LoadPipeline} against a target that counts its reads: callers that
 * arrive while a load of their key runs join it without reading. Deterministic: the loader holds
 * until every caller has been counted as a miss, and a caller is counted only once it holds the
 * running load (or is the loader).
 */
class LoadPipelineTest {

    private static final int CALLERS = 50;
    private static final Duration TTL = Duration.ofMinutes(1);

    private final CountingTarget target = new CountingTarget();
    private final StatsCounter stats = new StatsCounter();
    private final ExecutorService pool = Executors.newFixedThreadPool(CALLERS);
    private final AtomicInteger loaderCalls = new AtomicInteger();
    private final CountDownLatch loaderEntered = new CountDownLatch(1);
    private final CountDownLatch releaseLoader = new CountDownLatch(1);

    @AfterEach
    void shutdown() {
        releaseLoader.countDown();
        pool.shutdownNow();
    }

    private LoadPipeline<String> coordinator(LoadPolicy policy) {
        return new LoadPipeline<>(policy, target, stats, ForkJoinPool.commonPool());
    }

    /** A loader that holds until released, then answers {@code outcome}. */
    private Function<String, String> heldLoader(Function<String, String> outcome) {
        return key -> {
            loaderCalls.incrementAndGet();
            loaderEntered.countDown();
            try {
                releaseLoader.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return outcome.apply(key);
        };
    }

    /**
     * Starts one caller, waits until its loader runs, starts the others, waits until all are counted
     * (so each holds the running load), then releases the loader.
     */
    private List<Future<String>> stampede(LoadPipeline<String> coordinator, Function<String, String> loader)
            throws InterruptedException {
        List<Future<String>> calls = new ArrayList<>();
        calls.add(pool.submit(() -> coordinator.getOrLoad("hot", TTL, loader)));
        assertThat(loaderEntered.await(30, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i < CALLERS; i++) {
            calls.add(pool.submit(() -> coordinator.getOrLoad("hot", TTL, loader)));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> stats.misses() == CALLERS);
        releaseLoader.countDown();
        return calls;
    }

    @Test
    void getOrLoad_callersArriveWhileTheKeyLoads_joinWithoutReading() throws Exception {
        LoadPipeline<String> coordinator = coordinator(LoadPolicy.defaults());

        List<Future<String>> calls = stampede(coordinator, heldLoader(key -> "loaded:" + key));

        for (Future<String> call : calls) {
            assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo("loaded:hot");
        }
        assertThat(loaderCalls).hasValue(1);
        assertThat(target.reads).hasValue(1); // the first caller's; before the fix, one per caller
        assertThat(target.writes).hasValue(1);
        assertThat(stats.misses()).isEqualTo(CALLERS);
        assertThat(stats.hits()).isZero();
        assertThat(target.lookups).containsExactlyInAnyOrderEntriesOf(Map.of(false, CALLERS));
        assertThat(coordinator.getOrLoad("hot", TTL, key -> "again")).isEqualTo("loaded:hot");
        assertThat(target.reads).hasValue(2);
    }

    @Test
    void getOrLoad_loaderFailsWhileCallersWait_everyCallerGetsTheExceptionAndNothingIsStored() throws Exception {
        LoadPipeline<String> coordinator = coordinator(LoadPolicy.defaults());
        IllegalStateException failure = new IllegalStateException("database down");

        List<Future<String>> calls = stampede(coordinator, heldLoader(key -> {
            throw failure;
        }));

        for (Future<String> call : calls) {
            assertThatThrownBy(() -> call.get(30, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .cause().isSameAs(failure);
        }
        assertThat(loaderCalls).hasValue(1);
        assertThat(target.reads).hasValue(1);
        assertThat(target.writes).hasValue(0);
        assertThat(stats.snapshot("ns", com.netrunsystems.cache.CacheBackend.MEMORY, true, 0).loadFailures())
                .isEqualTo(1);
    }

    @Test
    void getOrLoad_staleIfErrorAndLoaderFails_joinersGetTheStaleValueTheFirstCallerRead() throws Exception {
        LoadPipeline<String> coordinator = coordinator(LoadPolicy.builder().staleIfError(Duration.ofMinutes(5)).build());
        // Expired, but its grace copy is still there: servable if the load fails.
        target.stale.put("hot", "old");

        List<Future<String>> calls = stampede(coordinator, heldLoader(key -> {
            throw new IllegalStateException("database down");
        }));

        for (Future<String> call : calls) {
            assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo("old");
        }
        assertThat(loaderCalls).hasValue(1);
        assertThat(target.reads).hasValue(1);
        assertThat(stats.snapshot("ns", com.netrunsystems.cache.CacheBackend.MEMORY, true, 0).staleServed())
                .isEqualTo(1);
    }

    @Test
    void getOrLoad_loaderAsksForItsOwnKey_stillFailsInsteadOfJoiningItself() {
        LoadPipeline<String> coordinator = coordinator(LoadPolicy.defaults());
        assertThatThrownBy(() -> coordinator.getOrLoad("k", TTL, key -> coordinator.getOrLoad("k", TTL, k -> "x")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("recursive load");
    }

    /** A read the remote layer did not answer (it timed out) is a miss, and the loaded value is not written there. */
    @Test
    void getOrLoad_readUnanswered_keepsTheLoadedValueLocallyWithoutWriting() {
        LoadPipeline<String> coordinator = coordinator(LoadPolicy.defaults());
        target.unanswered = true;

        assertThat(coordinator.getOrLoad("k", TTL, key -> "loaded")).isEqualTo("loaded");

        assertThat(target.writes).as("writes that would wait for the layer again").hasValue(0);
        assertThat(target.keptLocally).containsExactly(Map.entry("k", "loaded"));
        assertThat(stats.misses()).isEqualTo(1);

        target.unanswered = false; // answered again: the next load writes through
        assertThat(coordinator.getOrLoad("k2", TTL, key -> "loaded2")).isEqualTo("loaded2");
        assertThat(target.writes).hasValue(1);
    }

    @Test
    void getOrLoad_afterTheLoadFinished_readsAgainInsteadOfJoining() {
        LoadPipeline<String> coordinator = coordinator(LoadPolicy.defaults());
        assertThat(coordinator.getOrLoad("k", TTL, key -> "v")).isEqualTo("v");
        assertThat(coordinator.getOrLoad("k", TTL, key -> "other")).isEqualTo("v");
        assertThat(target.reads).hasValue(2);
        assertThat(stats.hits()).isEqualTo(1);
        assertThat(stats.misses()).isEqualTo(1);
        assertThat(target.lookups).containsExactlyInAnyOrderEntriesOf(Map.of(false, 1, true, 1));
    }

    // --- targets whose reads are round trips: callers share a read in flight ----------------------

    @Test
    void getOrLoad_remoteTargetStampedeOnColdKey_oneReadOneLoadForAllCallers() throws Exception {
        RemoteTarget remote = new RemoteTarget();
        LoadPipeline<String> coordinator = new LoadPipeline<>(LoadPolicy.defaults(), remote, stats, ForkJoinPool.commonPool());
        Flights<String> flights = coordinator.flights();
        Function<String, String> loader = heldLoader(key -> "loaded:" + key);

        List<Future<String>> calls = new ArrayList<>();
        calls.add(pool.submit(() -> coordinator.getOrLoad("hot", TTL, loader)));
        await().atMost(Duration.ofSeconds(30)).until(() -> remote.started.get() == 1);
        for (int i = 1; i < CALLERS; i++) {
            calls.add(pool.submit(() -> coordinator.getOrLoad("hot", TTL, loader)));
        }
        // every caller waits on the one read in flight; none sent its own
        await().atMost(Duration.ofSeconds(30)).until(() -> coordinator.waitingOnRead("hot") == CALLERS);
        remote.pending.complete(null); // the read finds nothing
        assertThat(loaderEntered.await(30, TimeUnit.SECONDS)).isTrue();
        // every other caller waits on the running load, then the load may finish
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            java.util.concurrent.CompletableFuture<String> load = flights.running("hot");
            return load != null && load.getNumberOfDependents() == CALLERS - 1;
        });
        releaseLoader.countDown();

        for (Future<String> call : calls) {
            assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo("loaded:hot");
        }
        assertThat(remote.started).hasValue(1);
        assertThat(loaderCalls).hasValue(1);
        assertThat(remote.writes).hasValue(1);
        assertThat(stats.misses()).isEqualTo(CALLERS);
    }

    @Test
    void getOrLoad_remoteTargetCallersArriveDuringAHitRead_shareItAndCountHits() throws Exception {
        RemoteTarget remote = new RemoteTarget();
        LoadPipeline<String> coordinator = new LoadPipeline<>(LoadPolicy.defaults(), remote, stats,
                ForkJoinPool.commonPool());
        Function<String, String> loader = key -> {
            loaderCalls.incrementAndGet();
            return "loaded";
        };

        List<Future<String>> calls = new ArrayList<>();
        calls.add(pool.submit(() -> coordinator.getOrLoad("hot", TTL, loader)));
        await().atMost(Duration.ofSeconds(30)).until(() -> remote.started.get() == 1);
        for (int i = 1; i < CALLERS; i++) {
            calls.add(pool.submit(() -> coordinator.getOrLoad("hot", TTL, loader)));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> coordinator.waitingOnRead("hot") == CALLERS);
        remote.pending.complete(new TtlValue<>("cached", null));

        for (Future<String> call : calls) {
            assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo("cached");
        }
        assertThat(remote.started).hasValue(1);
        assertThat(loaderCalls).hasValue(0);
        assertThat(stats.hits()).isEqualTo(CALLERS);
        assertThat(stats.misses()).isZero();
    }

    @Test
    void getOrLoad_remoteTargetReadAlreadyAnswered_isNotSharedWithALaterCaller() {
        RemoteTarget remote = new RemoteTarget();
        LoadPipeline<String> coordinator = new LoadPipeline<>(LoadPolicy.defaults(), remote, stats,
                ForkJoinPool.commonPool());
        remote.pending.complete(new TtlValue<>("first", null));
        assertThat(coordinator.getOrLoad("k", TTL, key -> "loaded")).isEqualTo("first");

        remote.pending = java.util.concurrent.CompletableFuture.completedFuture(new TtlValue<>("second", null));
        assertThat(coordinator.getOrLoad("k", TTL, key -> "loaded")).isEqualTo("second");
        assertThat(remote.started).hasValue(2);
    }

    @Test
    void getOrLoad_remoteTargetSharedReadFails_everyCallerSeesTheFailure() throws Exception {
        RemoteTarget remote = new RemoteTarget();
        LoadPipeline<String> coordinator = new LoadPipeline<>(LoadPolicy.defaults(), remote, stats,
                ForkJoinPool.commonPool());
        List<Future<String>> calls = new ArrayList<>();
        calls.add(pool.submit(() -> coordinator.getOrLoad("hot", TTL, key -> "loaded")));
        await().atMost(Duration.ofSeconds(30)).until(() -> remote.started.get() == 1);
        for (int i = 1; i < 5; i++) {
            calls.add(pool.submit(() -> coordinator.getOrLoad("hot", TTL, key -> "loaded")));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> coordinator.waitingOnRead("hot") == 5);
        IllegalStateException down = new IllegalStateException("redis down");
        remote.pending.completeExceptionally(down);

        for (Future<String> call : calls) {
            assertThatThrownBy(() -> call.get(30, TimeUnit.SECONDS)).cause().isSameAs(down);
        }
        assertThat(remote.started).hasValue(1);
    }

    /** A remote target whose one pending read the test answers; counts reads sent. */
    private static final class RemoteTarget implements LoadTarget<String> {
        volatile CompletableFuture<TtlValue<String>> pending = new CompletableFuture<>();
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger writes = new AtomicInteger();
        final Map<String, TtlValue<String>> stored = new ConcurrentHashMap<>();

        @Override
        public boolean readsRemotely() {
            return true;
        }

        @Override
        public CompletableFuture<TtlValue<String>> read(String key, boolean needTtl, Executor executor) {
            started.incrementAndGet(); // every read here is a caller's first: none reads again in these tests
            return pending;
        }

        @Override
        public CompletableFuture<Boolean> write(String key, String value, Duration ttl, Duration grace) {
            writes.incrementAndGet();
            stored.put(key, new TtlValue<>(value, null));
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public CompletableFuture<String> readStale(String key, Executor executor) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Optional<CacheLock>> tryLease(String key, Duration ttl) {
            return CompletableFuture.completedFuture(null);
        }
    }

    /** A map with remaining TTLs that counts reads, writes and the lookups reported to it. */
    private static final class CountingTarget implements LoadTarget<String> {
        final Map<String, TtlValue<String>> values = new ConcurrentHashMap<>();
        final Map<String, String> stale = new ConcurrentHashMap<>();
        final AtomicInteger reads = new AtomicInteger();
        final AtomicInteger writes = new AtomicInteger();
        final Map<Boolean, Integer> lookups = new ConcurrentHashMap<>();
        final Map<String, String> keptLocally = new ConcurrentHashMap<>();
        /** Whether reads answer {@link TtlValue#unanswered()}, as a target whose remote layer timed out. */
        volatile boolean unanswered;

        @Override
        public CompletableFuture<TtlValue<String>> read(String key, boolean needTtl, Executor executor) {
            reads.incrementAndGet();
            return CompletableFuture.completedFuture(unanswered ? TtlValue.unanswered() : values.get(key));
        }

        @Override
        public void keepLocally(String key, String value, Duration ttl) {
            keptLocally.put(key, value);
        }

        @Override
        public CompletableFuture<Boolean> write(String key, String value, Duration ttl, Duration grace) {
            writes.incrementAndGet();
            values.put(key, new TtlValue<>(value, ttl));
            if (!grace.isZero()) {
                stale.put(key, value);
            }
            return CompletableFuture.completedFuture(true);
        }

        @Override
        public CompletableFuture<String> readStale(String key, Executor executor) {
            return CompletableFuture.completedFuture(stale.get(key));
        }

        @Override
        public CompletableFuture<Optional<CacheLock>> tryLease(String key, Duration ttl) {
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public void recordLookup(boolean hit) {
            lookups.merge(hit, 1, Integer::sum);
        }
    }
}
