package com.netrunsystems.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.CacheUnavailableException;
import com.netrunsystems.cache.CircuitState;
import com.netrunsystems.cache.testsupport.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Error replies that are not disconnects (issue 11, defects 1-4), on a real redis-server put into each fault by
 * {@link com.netrunsystems.cache.testsupport.RedisFaults}: write rejections ({@code MISCONF}, {@code OOM}) fail open
 * without opening the circuit, only the background probe closes the circuit, and calls into a frozen or sleeping
 * server return within {@code socketTimeout} plus the stated margin.
 */
class ErrorReplyIT {

    private static final Logger log = LoggerFactory.getLogger(ErrorReplyIT.class);
    private static final Duration SOCKET_TIMEOUT = Duration.ofMillis(500);
    /** The margin README and {@code RedisCache} state: a call returns within socketTimeout + 80 ms. */
    private static final Duration STATED_MARGIN = Duration.ofMillis(80);

    private final String namespace = "replies-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeResources() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    /** Defect 1: a server that cannot persist (failing BGSAVE) refuses writes; every write path answers false. */
    @Test
    void writes_misconfPersistenceFailure_answerFalseCountedAndLoadedValueKept() {
        RedisServer server = start();
        RedisCache<Object> redis = track(RedisCache.create(config(server.port(), SOCKET_TIMEOUT)));
        CacheManager<Object> manager = track(CacheManager.create(config(server.port(), SOCKET_TIMEOUT)));
        initialize(manager);
        assertThat(redis.set("held", "before")).isTrue();
        assertThat(manager.set("k", "old")).isTrue(); // in L1 and Redis
        server.faults().persistenceFailure();
        redis.resetStats();
        manager.resetStats();

        assertThat(redis.set("k", "v")).isFalse();
        assertThat(redis.async().set("k", "v").join()).isFalse();
        assertThat(redis.getOrLoad("loaded", key -> "value")).isEqualTo("value");
        assertThat(redis.get("held")).isEqualTo("before");
        assertThat(redis.stats().errors()).isEqualTo(3);

        // regression: each of these threw CacheException "rejected ... MISCONF", uncounted, breaker success
        assertThat(manager.set("k", "v")).isFalse();
        assertThat(manager.setIfAbsent("k2", "v")).isFalse();
        assertThat(manager.delete("held")).isFalse();
        assertThat(manager.setMany(Map.of("a", 1, "b", 2))).isZero();
        assertThat(manager.getOrLoad("loaded2", key -> "value2")).as("the loaded value is not lost")
                .isEqualTo("value2");
        assertThat(manager.async().set("k3", "v").join()).isFalse();
        assertThat(manager.stats().errors()).isEqualTo(6);
        assertThat(manager.get("held")).as("reads are unaffected").isEqualTo("before");
        assertThat(manager.l2Circuit()).contains(CircuitState.CLOSED);
        assertThat(manager.get("k")).as("a refused write is in no layer: L1 dropped the key, Redis keeps the old value, "
                + "as every peer sees it").isEqualTo("old");
        assertThat(manager.get("k2")).as("a refused SET NX is not in L1").isNull();
        assertThat(manager.get("a")).as("a refused setMany is not in L1").isNull();
        assertThat(manager.get("loaded2")).as("a loaded value Redis refused is returned uncached").isNull();

        server.faults().restorePersistence();
        assertThat(manager.set("k", "v2")).isTrue();
        assertThat(redis.get("k")).isEqualTo("v2");
    }

    /** With failOpen(false) a write rejection throws CacheUnavailableException of kind WRITE_REJECTED. */
    @Test
    void set_misconfWithoutFailOpen_throwsWriteRejected() {
        RedisServer server = start();
        CacheConfig strict = CacheConfig.builder().namespace(namespace).redisHost(RedisServer.HOST)
                .redisPort(server.port()).socketTimeout(SOCKET_TIMEOUT).failOpen(false).build();
        RedisCache<Object> redis = track(RedisCache.create(strict));
        CacheManager<Object> manager = track(CacheManager.create(strict));
        initialize(manager);
        server.faults().persistenceFailure();

        for (Runnable write : List.<Runnable>of(() -> redis.set("k", "v"), () -> manager.set("k", "v"))) {
            assertThatThrownBy(write::run).isInstanceOfSatisfying(CacheUnavailableException.class,
                    e -> assertThat(e.kind()).isEqualTo(CacheUnavailableException.Kind.WRITE_REJECTED))
                    .hasMessageContaining("MISCONF");
        }
        assertThat(manager.l2Circuit()).contains(CircuitState.CLOSED);
    }

    /**
     * Defect 2: memory full with noeviction. A burst of writes (all refused with OOM) leaves the circuit closed, and
     * a key that Redis still holds is read from it.
     */
    @Test
    void writeBurst_oomNoEviction_circuitStaysClosedAndRedisDataStaysReadable() {
        RedisServer server = start();
        RedisCache<Object> redis = track(RedisCache.create(config(server.port(), SOCKET_TIMEOUT)));
        CacheManager<Object> manager = track(CacheManager.create(config(server.port(), SOCKET_TIMEOUT)));
        initialize(manager);
        assertThat(manager.set("mine", "in L1 and L2")).isTrue();
        assertThat(redis.set("held", "only in Redis")).isTrue();
        server.faults().maxmemoryNoEviction();
        manager.resetStats();

        for (int i = 0; i < 20; i++) {
            assertThat(manager.set("burst-" + i, "v")).isFalse();
        }
        assertThat(redis.set("burst", "v")).isFalse();

        assertThat(manager.l2Circuit()).as("OOM is a write rejection, not unavailability")
                .contains(CircuitState.CLOSED);
        assertThat(manager.stats().errors()).isEqualTo(20);
        assertThat(manager.get("held")).as("regression: the open circuit hid it (null)").isEqualTo("only in Redis");
        assertThat(manager.get("mine")).isEqualTo("in L1 and L2");
        assertThat(redis.get("held")).isEqualTo("only in Redis");
        assertThatThrownBy(() -> manager.increment("counter")).as("counters have no safe default")
                .isInstanceOf(CacheUnavailableException.class).hasMessageContaining("OOM");
        assertThat(manager.l2Circuit()).contains(CircuitState.CLOSED);
    }

    /**
     * Defect 3: a call admitted while the circuit was closed, answered after the circuit opened, does not close it;
     * only the background probe does. Timeline with socketTimeout 2 s and a 3 s DEBUG SLEEP: call B (sent at 0)
     * times out at 2 s and opens the circuit (threshold 1); call A (sent at 1.2 s, still closed) is answered at 3 s.
     */
    @Test
    void lateSuccess_callAdmittedBeforeOpening_doesNotCloseCircuit() throws Exception {
        RedisServer server = start();
        Duration timeout = Duration.ofSeconds(2);
        CacheManager<Object> manager = track(CacheManager.builder(config(server.port(), timeout))
                .circuitBreaker(1, Duration.ofMinutes(5)).build());
        initialize(manager);
        assertThat(manager.set("k", "v")).isTrue();
        RedisCache<Object> other = track(RedisCache.create(config(server.port(), timeout)));
        assertThat(other.set("late", "answered late")).isTrue();

        server.faults().debugSleep(Duration.ofSeconds(3));
        CompletableFuture<Object> b = CompletableFuture.supplyAsync(() -> manager.get("b-key"));
        TimeUnit.MILLISECONDS.sleep(1_200);
        assertThat(manager.l2Circuit()).as("precondition: B has not timed out yet").contains(CircuitState.CLOSED);
        CompletableFuture<Object> a = CompletableFuture.supplyAsync(() -> manager.get("late"));

        assertThat(b.get(10, TimeUnit.SECONDS)).isNull();
        assertThat(a.get(10, TimeUnit.SECONDS)).as("precondition: A was answered by Redis after B's timeout")
                .isEqualTo("answered late");
        assertThat(manager.l2Circuit()).as("regression: A's late success closed the circuit")
                .contains(CircuitState.OPEN);
    }

    /**
     * Defect 4: a frozen server (kill -STOP). Calls return within socketTimeout plus the stated margin (the median is
     * asserted; the longest call is logged), and once the circuit is open no user call is the half-open probe.
     */
    @Test
    void calls_serverPaused_returnWithinSocketTimeoutAndUserCallsNeverProbe() {
        RedisServer server = start();
        RedisCache<Object> redis = track(RedisCache.create(config(server.port(), SOCKET_TIMEOUT)));
        CacheManager<Object> manager = track(CacheManager.create(config(server.port(), SOCKET_TIMEOUT)));
        redis.initialize();
        initialize(manager);
        server.faults().pause();

        List<Long> redisCalls = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int n = i;
            redisCalls.add(timed(() -> n % 2 == 0 ? redis.get("k") : redis.set("k", "v")));
        }
        List<Long> managerCalls = new ArrayList<>();
        long callsWhileOpen = 0;
        long longestWhileOpen = 0;
        AtomicInteger call = new AtomicInteger();
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() - until < 0) {
            boolean open = manager.l2Circuit().orElseThrow() != CircuitState.CLOSED;
            long took = timed(() -> call.incrementAndGet() % 2 == 0 ? manager.get("k") : manager.set("k", "v"));
            if (open) {
                callsWhileOpen++;
                longestWhileOpen = Math.max(longestWhileOpen, took);
            } else {
                managerCalls.add(took);
            }
        }
        assertThat(manager.l2Circuit()).isNotEqualTo(Optional.of(CircuitState.CLOSED));
        server.faults().resume();

        long bound = SOCKET_TIMEOUT.plus(STATED_MARGIN).toMillis();
        log.info("paused server, socketTimeout {} ms: RedisCache calls {} ms (median {}); CacheManager calls before "
                + "the circuit opened {} ms; {} calls while open/half-open, longest {} ms", SOCKET_TIMEOUT.toMillis(),
                redisCalls, median(redisCalls), managerCalls, callsWhileOpen, longestWhileOpen);
        assertThat(median(redisCalls)).as("RedisCache calls %s ms", redisCalls).isLessThan(bound);
        assertThat(median(managerCalls)).as("CacheManager calls %s ms", managerCalls).isLessThan(bound);
        assertThat(Collections.max(redisCalls)).isLessThan(SOCKET_TIMEOUT.plusSeconds(1).toMillis());
        assertThat(callsWhileOpen).isGreaterThan(10);
        assertThat(longestWhileOpen).as("regression: a user call was the half-open probe and waited ~socketTimeout")
                .isLessThan(SOCKET_TIMEOUT.toMillis() - 100);
    }

    /** Defect 4 with DEBUG SLEEP: the longest call of RedisCache stays within socketTimeout plus the margin. */
    @Test
    void calls_debugSleep_returnWithinSocketTimeout() {
        RedisServer server = start();
        RedisCache<Object> redis = track(RedisCache.create(config(server.port(), SOCKET_TIMEOUT)));
        redis.initialize();
        List<Long> calls = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            CompletableFuture<Void> awake = server.faults().debugSleep(Duration.ofMillis(1_500));
            calls.add(timed(() -> redis.get("k")));
            calls.add(timed(() -> redis.set("k", "v")));
            awake.join();
        }
        log.info("DEBUG SLEEP, socketTimeout {} ms: RedisCache calls {} ms (median {})", SOCKET_TIMEOUT.toMillis(),
                calls, median(calls));
        assertThat(median(calls)).as("calls %s ms", calls).isLessThan(SOCKET_TIMEOUT.plus(STATED_MARGIN).toMillis());
    }

    /** Caller errors still throw: incrementing a key that holds text names the key. */
    @Test
    void increment_nonInteger_throwsCallerErrorAndCircuitStaysClosed() {
        RedisServer server = start();
        CacheManager<Object> manager = track(CacheManager.create(config(server.port(), SOCKET_TIMEOUT)));
        initialize(manager);
        manager.set("text", "abc");
        for (int i = 0; i < 4; i++) {
            assertThatThrownBy(() -> manager.increment("text")).isInstanceOf(CacheException.class)
                    .isNotInstanceOf(CacheUnavailableException.class).hasMessageContaining("text");
        }
        assertThat(manager.l2Circuit()).contains(CircuitState.CLOSED);
    }

    /** A key holding another Redis type (a hash written by someone else) reads as a counted miss, never a throw. */
    @Test
    void get_keyHoldingAHash_isACountedMiss() {
        RedisServer server = start();
        RedisCache<Object> redis = track(RedisCache.create(config(server.port(), SOCKET_TIMEOUT)));
        CacheManager<Object> manager = track(CacheManager.create(config(server.port(), SOCKET_TIMEOUT)));
        initialize(manager);
        server.execute("HSET", namespace + ":hash", "field", "value");
        redis.resetStats();
        manager.resetStats();
        assertThat(redis.get("hash")).isNull();
        assertThat(redis.async().get("hash").join()).isNull();
        assertThat(manager.get("hash")).isNull();
        assertThat(redis.stats().errors()).isEqualTo(2);
        assertThat(manager.stats().errors()).isEqualTo(1);
        assertThat(manager.l2Circuit()).contains(CircuitState.CLOSED);
    }

    /** Connects the manager now; the tests need it connected (a busy machine must not turn it memory-only). */
    private static void initialize(CacheManager<Object> manager) {
        manager.initialize();
        assertThat(manager.l2Circuit()).as("precondition: Redis reached at start").contains(CircuitState.CLOSED);
    }

    private RedisServer start() {
        RedisServer server = RedisServer.start();
        resources.add(server);
        return server;
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    private CacheConfig config(int port, Duration socketTimeout) {
        return CacheConfig.builder().namespace(namespace).redisHost(RedisServer.HOST).redisPort(port)
                .socketTimeout(socketTimeout).socketConnectTimeout(Duration.ofSeconds(5)).build();
    }

    private static long timed(Supplier<?> call) {
        long started = System.nanoTime();
        call.get();
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
