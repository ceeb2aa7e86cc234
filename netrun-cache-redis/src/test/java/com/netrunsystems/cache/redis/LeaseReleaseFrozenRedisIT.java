package com.netrunsystems.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.LoadPolicy;
import com.netrunsystems.cache.testsupport.RedisServer;
import com.netrunsystems.cache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10 leftover: the load lease of an {@code async().getOrLoad} is released without holding an executor
 * thread. The lease is taken while Redis answers; the loader then freezes the server ({@code kill -STOP}), so the
 * write of the loaded value and the release both go unanswered. With a one-thread executor, a sampler reads that
 * thread's stack every 10 ms while the call runs: it is never inside {@code RedisLock.close} (the blocking release,
 * which waited a whole {@code socketTimeout} there), and a task given to the executor right after the call
 * completed runs at once. The times are printed; none is asserted.
 */
class LeaseReleaseFrozenRedisIT {

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.standalone();

    private static final Duration SOCKET_TIMEOUT = Duration.ofMillis(1_000);

    @Test
    void redisCache_asyncGetOrLoadWithLease_redisFrozenAfterTheLease_releaseHoldsNoExecutorThread() throws Exception {
        assertReleaseHoldsNoThread("RedisCache", executor -> RedisCache.create(config(redis.server(), executor)));
    }

    @Test
    void cacheManager_asyncGetOrLoadWithLease_redisFrozenAfterTheLease_releaseHoldsNoExecutorThread() throws Exception {
        assertReleaseHoldsNoThread("CacheManager", executor -> {
            CacheManager<Object> manager = CacheManager.builder(config(redis.server(), executor))
                    .circuitBreaker(1_000, Duration.ofSeconds(1)).build();
            manager.initialize();
            return manager;
        });
    }

    private void assertReleaseHoldsNoThread(String name, Function<ExecutorService, Cache<Object>> open) throws Exception {
        RedisServer server = redis.server();
        AtomicReference<Thread> pool = new AtomicReference<>();
        ExecutorService executor = Executors.newSingleThreadExecutor(task -> {
            Thread thread = new Thread(task, "lease-release-executor");
            thread.setDaemon(true);
            pool.set(thread);
            return thread;
        });
        executor.submit(() -> { }).get(10, TimeUnit.SECONDS); // the thread exists now
        try (Cache<Object> cache = open.apply(executor)) {
            assertThat(cache.set("warm", "w")).isTrue();
            assertThat(cache.async().getOrLoad("warm-load", k -> CompletableFuture.completedFuture("x"))
                    .get(10, TimeUnit.SECONDS)).isEqualTo("x"); // the paths run once: classes loaded, script cached

            List<String> samples = new ArrayList<>();
            AtomicBoolean sampling = new AtomicBoolean(true);
            Thread sampler = new Thread(() -> {
                while (sampling.get()) {
                    String stack = Arrays.toString(pool.get().getStackTrace());
                    if (stack.contains("RedisLock.close") || stack.contains("CallWaiter.await")) {
                        synchronized (samples) {
                            samples.add(stack);
                        }
                    }
                    sleep(10);
                }
            }, "lease-release-sampler");
            sampler.start();
            long started = System.nanoTime();
            AtomicReference<Long> frozenAt = new AtomicReference<>();
            CompletableFuture<Object> call = cache.async().getOrLoad("k", k -> {
                server.faults().pause(); // the lease is held: the write and the release go unanswered
                frozenAt.set(System.nanoTime());
                return CompletableFuture.completedFuture("v");
            });
            try {
                assertThat(call.get(30, TimeUnit.SECONDS)).isEqualTo("v");
                long completed = System.nanoTime();
                Future<Long> probe = executor.submit(System::nanoTime);
                long probeRan = probe.get(30, TimeUnit.SECONDS);
                sleep(SOCKET_TIMEOUT.toMillis() + 500); // the release's own timeout comes and goes meanwhile
                sampling.set(false);
                sampler.join(10_000);
                System.out.printf("LEASE RELEASE %s, Redis frozen after the lease (socketTimeout %d ms): the call "
                        + "completed %d ms after the freeze (%d ms after the start); a task given to the one executor "
                        + "thread then ran after %.2f ms; samples of that thread inside a blocking release: %d%n", name,
                        SOCKET_TIMEOUT.toMillis(), ms(completed - frozenAt.get()), ms(completed - started),
                        (probeRan - completed) / 1e6, samples.size());
            } finally {
                sampling.set(false);
                server.faults().resume();
            }
            assertThat(samples).as("stacks of the executor thread inside a blocking release").isEmpty();
        } finally {
            executor.shutdownNow();
        }
    }

    private static CacheConfig config(RedisServer server, ExecutorService executor) {
        return CacheConfig.builder().namespace("lease-release-" + UUID.randomUUID().toString().substring(0, 8))
                .redisHost(RedisServer.HOST).redisPort(server.port()).socketTimeout(SOCKET_TIMEOUT)
                .socketConnectTimeout(SOCKET_TIMEOUT).executor(executor)
                .loadPolicy(LoadPolicy.builder().distributedSingleFlight(Duration.ofSeconds(30), Duration.ofSeconds(5))
                        .build())
                .build();
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
