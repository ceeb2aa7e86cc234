package com.netrunsystems.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.CircuitState;
import com.netrunsystems.cache.testsupport.RedisServer;
import com.netrunsystems.cache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10 leftover: a blocking {@code getOrLoad} interrupted while its first read waits for a frozen Redis
 * ({@code kill -STOP}) abandons that read, not only its own wait. It throws at once with the interrupt flag set and
 * runs no loader; when the abandoned command's {@code socketTimeout} has passed, no error was counted and (on a
 * {@link CacheManager} whose breaker opens after one failure) the circuit is still closed. A control call that is
 * not interrupted then times out and is counted (the circuit opens), so the counting itself works in this setup.
 * Times are printed; none is asserted.
 */
class InterruptedGetOrLoadIT {

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.standalone();

    private static final Duration SOCKET_TIMEOUT = Duration.ofMillis(1_500);

    @AfterEach
    void resume() {
        redis.server().faults().resume();
    }

    @Test
    void redisCache_getOrLoadInterruptedWhileRedisFrozen_readAbandonedAndItsTimeoutNotCounted() throws Exception {
        try (RedisCache<Object> cache = RedisCache.create(config())) {
            assertThat(cache.set("warm", "w")).isTrue();
            long errorsBefore = interruptGetOrLoad("RedisCache", cache);
            assertThat(cache.stats().errors() - errorsBefore).as("errors counted for the abandoned read").isZero();

            long started = System.nanoTime();
            assertThat(cache.get("control")).isNull(); // not interrupted: its timeout is a failure, counted
            System.out.printf("INTERRUPT RedisCache: a control get on the frozen server failed open after %d ms%n",
                    ms(System.nanoTime() - started));
            assertThat(cache.stats().errors() - errorsBefore).as("errors counted for the control get").isEqualTo(1);
        }
    }

    @Test
    void cacheManager_getOrLoadInterruptedWhileRedisFrozen_readAbandonedAndBreakerNotCounted() throws Exception {
        try (CacheManager<Object> manager = CacheManager.builder(config()).circuitBreaker(1, Duration.ofMinutes(10))
                .build()) {
            manager.initialize();
            String namespace = manager.namespace();
            await().atMost(Duration.ofSeconds(30)).until(() -> manager.set("probe", "p")
                    && "\"p\"".equals(redis.server().execute("GET", namespace + ":probe")));
            long errorsBefore = interruptGetOrLoad("CacheManager", manager);
            assertThat(manager.stats().errors() - errorsBefore).as("errors counted for the abandoned read").isZero();
            assertThat(manager.l2Circuit()).as("circuit after the abandoned read's timeout").contains(CircuitState.CLOSED);

            long started = System.nanoTime();
            assertThat(manager.get("control")).isNull(); // not interrupted: its timeout counts, and opens the circuit
            System.out.printf("INTERRUPT CacheManager: a control get on the frozen server failed open after %d ms; "
                    + "circuit %s%n", ms(System.nanoTime() - started), manager.l2Circuit().orElseThrow());
            assertThat(manager.l2Circuit()).as("circuit after the control get").contains(CircuitState.OPEN);
        }
    }

    /**
     * Freezes Redis, calls {@code getOrLoad} on a thread of its own, interrupts it 300 ms into its wait, checks what
     * it threw, and waits until the abandoned read's own timeout has passed; returns the errors counted before.
     */
    private static long interruptGetOrLoad(String name, Cache<Object> cache) throws Exception {
        long errorsBefore = cache.stats().errors();
        AtomicInteger loads = new AtomicInteger();
        redis.server().faults().pause();
        CompletableFuture<String> outcome = new CompletableFuture<>();
        Thread caller = new Thread(() -> {
            try {
                cache.getOrLoad("k", key -> {
                    loads.incrementAndGet();
                    return "loaded";
                });
                outcome.complete("returned, interrupted flag " + Thread.currentThread().isInterrupted());
            } catch (RuntimeException e) {
                outcome.complete("threw " + e.getClass().getSimpleName() + " (cause "
                        + (e.getCause() == null ? null : e.getCause().getClass().getSimpleName()) + "), interrupted flag "
                        + Thread.currentThread().isInterrupted());
            }
        }, "interrupted-getOrLoad");
        caller.start();
        Thread.sleep(300); // waiting for the frozen server by now
        long interrupted = System.nanoTime();
        caller.interrupt();
        String result = outcome.get(30, TimeUnit.SECONDS);
        long threw = System.nanoTime();
        Thread.sleep(SOCKET_TIMEOUT.toMillis() + 1_500); // the abandoned GET times out meanwhile
        System.out.printf("INTERRUPT %s.getOrLoad on a frozen server (socketTimeout %d ms): %s, %.2f ms after the "
                + "interrupt; loader calls %d; errors counted %d after the read's timeout passed%n", name,
                SOCKET_TIMEOUT.toMillis(), result, (threw - interrupted) / 1e6, loads.get(),
                cache.stats().errors() - errorsBefore);
        assertThat(result).isEqualTo("threw CacheException (cause InterruptedException), interrupted flag true");
        assertThat(loads).as("loader calls").hasValue(0);
        return errorsBefore;
    }

    private static CacheConfig config() {
        return CacheConfig.builder().namespace("interrupted-" + UUID.randomUUID().toString().substring(0, 8))
                .redisHost(RedisServer.HOST).redisPort(redis.server().port()).socketTimeout(SOCKET_TIMEOUT)
                .socketConnectTimeout(SOCKET_TIMEOUT).build();
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
