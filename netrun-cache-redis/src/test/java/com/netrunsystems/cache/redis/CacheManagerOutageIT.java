package com.netrunsystems.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.CacheUnavailableException;
import com.netrunsystems.cache.CircuitState;
import com.netrunsystems.cache.testsupport.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A {@link CacheManager} while its Redis is killed (SIGKILL, no persistence), restarted on the same port, or not
 * there at all: reads never throw and L1 keeps serving, the circuit opens, and two layers come back on their own.
 * Each test starts its own redis-server, so killing it disturbs nobody.
 */
class CacheManagerOutageIT {

    private static final Duration SOCKET_TIMEOUT = Duration.ofMillis(500);
    /** A failed call answers within the socket timeout; the margin absorbs scheduling on a busy machine. */
    private static final Duration FAILURE_ANSWER_BOUND = SOCKET_TIMEOUT.plusSeconds(2);
    private static final Duration RECOVERY_DEADLINE = Duration.ofSeconds(5);
    private static final int PRELOADED = 50;

    private final String namespace = "outage-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeResources() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void operations_redisKilledAndRestartedUnderLoad_neverThrowServeL1AndRecoverOnTheirOwn() throws Exception {
        RedisServer server = startServer();
        CacheManager<Object> cache = manager(server.port(), b -> b);
        cache.initialize();
        List<String> keys = IntStream.range(0, PRELOADED).mapToObj(i -> "key-" + i).toList();
        for (String key : keys) {
            assertThat(cache.set(key, "value-" + key)).isTrue();
            assertThat(cache.get(key)).isEqualTo("value-" + key);
        }

        Set<CircuitState> statesSeen = Collections.synchronizedSet(EnumSet.noneOf(CircuitState.class));
        ConcurrentLinkedQueue<Throwable> thrown = new ConcurrentLinkedQueue<>();
        LongAdder outageReads = new LongAdder();
        LongAdder outageHits = new LongAdder();
        LongAdder reads = new LongAdder();
        Phase phase = new Phase();
        long startedAt = System.nanoTime();
        long stopAt = startedAt + TimeUnit.SECONDS.toNanos(10);

        ExecutorService threads = Executors.newFixedThreadPool(5);
        resources.add(threads::shutdownNow);
        Future<?> watcher = threads.submit(() -> {
            while (System.nanoTime() - stopAt < 0) {
                cache.l2Circuit().ifPresent(statesSeen::add);
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
            }
        });
        List<Future<?>> workers = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            workers.add(threads.submit(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                while (System.nanoTime() - stopAt < 0) {
                    String key = keys.get(random.nextInt(keys.size()));
                    int dice = random.nextInt(100);
                    try {
                        if (dice < 85) {
                            boolean duringOutage = phase.outage;
                            Object value = cache.get(key);
                            reads.increment();
                            if (duringOutage && phase.outage) {
                                outageReads.increment();
                                if (value != null) {
                                    outageHits.increment();
                                }
                            }
                        } else if (dice < 90) {
                            cache.getMany(List.of(key, keys.get(random.nextInt(keys.size())), "absent"));
                        } else if (dice < 95) {
                            cache.exists(key);
                        } else {
                            cache.set(key, "value-" + key);
                        }
                    } catch (Throwable e) {
                        thrown.add(e);
                    }
                }
            }));
        }

        letRealTimePassUntil(startedAt + TimeUnit.SECONDS.toNanos(2));
        server.kill();
        phase.outage = true;
        letRealTimePassUntil(startedAt + TimeUnit.SECONDS.toNanos(5));
        phase.outage = false;
        server.restart();
        long restartedAt = System.nanoTime();

        String storedKey = namespace + ":after-restart";
        await("the circuit to close and a write to land in Redis").atMost(RECOVERY_DEADLINE)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> cache.l2Circuit().equals(Optional.of(CircuitState.CLOSED))
                        && cache.set("after-restart", "v")
                        && "\"v\"".equals(server.execute("GET", storedKey)));
        System.out.printf("RECOVERED_AFTER_RESTART ms=%d%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartedAt));

        for (Future<?> worker : workers) {
            worker.get(30, TimeUnit.SECONDS);
        }
        watcher.get(30, TimeUnit.SECONDS);
        System.out.printf("OUTAGE_L1_HITS hits=%d reads=%d ratio=%.4f totalReads=%d%n", outageHits.sum(),
                outageReads.sum(), outageReads.sum() == 0 ? 0.0 : (double) outageHits.sum() / outageReads.sum(),
                reads.sum());

        assertThat(thrown).as("exceptions thrown by get/set/getMany/exists").isEmpty();
        assertThat(outageHits.sum()).as("reads answered from L1 during the outage").isPositive();
        assertThat(statesSeen).as("circuit states seen by the watcher").containsAnyOf(CircuitState.OPEN,
                CircuitState.HALF_OPEN);
        assertThat(cache.l2Circuit()).contains(CircuitState.CLOSED);
    }

    @Test
    void manager_redisUnreachableAtStart_servesMemoryOnlyThenUsesRedisOnceItAppears() {
        int port = RedisServer.freePort();
        CacheManager<Object> cache = manager(port, b -> b);
        assertThatCode(() -> {
            assertThat(cache.get("k")).isNull();
            assertThat(cache.set("k", "v")).as("L1 stored it, like a MemoryCache").isTrue(); // Redis did not...
            assertThat(cache.get("k")).isEqualTo("v"); // ...but L1 did
            assertThat(cache.setIfAbsent("nx", "first")).as("L1 had no such key").isTrue();
            assertThat(cache.setIfAbsent("nx", "second")).as("L1 has it").isFalse();
            assertThat(cache.get("nx")).isEqualTo("first");
            assertThat(cache.setMany(Map.of("m1", 1, "m2", 2))).as("both stored in L1").isEqualTo(2);
            assertThat(cache.stats().errors()).as("the L2 failures are counted").isPositive();
            assertThat(cache.getMany(List.of("k", "absent"))).containsExactly(Map.entry("k", "v"));
            assertThat(cache.exists("k")).isTrue();
            assertThat(cache.increment("counter")).isEqualTo(1); // never reached L2: memory-only counters
            assertThat(cache.increment("counter", 4)).isEqualTo(5);
            assertThat(cache.stats().connected()).isFalse();
        }).doesNotThrowAnyException();

        RedisServer server = startServer(port);
        long startedAt = System.nanoTime();

        await("the circuit to close and a write to land in Redis").atMost(RECOVERY_DEADLINE)
                .pollInterval(Duration.ofMillis(20))
                .until(() -> cache.l2Circuit().equals(Optional.of(CircuitState.CLOSED))
                        && cache.set("k2", "v2")
                        && "\"v2\"".equals(server.execute("GET", namespace + ":k2")));
        System.out.printf("RECOVERED_AFTER_LATE_START ms=%d%n", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startedAt));
        assertThat(cache.stats().connected()).isTrue();
        assertThat(cache.get("k2")).isEqualTo("v2");
    }

    @Test
    void increment_redisDownAfterItWasReached_throwsCacheUnavailableWhileReadsDoNot() {
        RedisServer server = startServer();
        CacheManager<Object> cache = manager(server.port(), b -> b);
        assertThat(cache.increment("counter")).isEqualTo(1);
        String endpoint = RedisServer.HOST + ":" + server.port();

        server.kill();

        for (int i = 0; i < 5; i++) { // the first calls fail in Redis, the later ones at the open circuit
            long before = System.nanoTime();
            assertThatThrownBy(() -> cache.increment("counter"))
                    .isInstanceOf(CacheUnavailableException.class)
                    .hasMessageContaining(endpoint)
                    .hasMessageContaining("'counter'")
                    .hasMessageContaining(namespace);
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(FAILURE_ANSWER_BOUND);
        }
        assertThatCode(() -> cache.get("counter")).doesNotThrowAnyException();
        assertThatCode(() -> cache.get("other")).doesNotThrowAnyException();
    }

    @Test
    void get_failOpenFalseDuringOutage_throwsCacheUnavailable() {
        RedisServer server = startServer();
        CacheManager<Object> cache = manager(server.port(), b -> b.failOpen(false));
        assertThat(cache.set("k", "v")).isTrue();

        server.kill();

        assertThatThrownBy(() -> cache.get("never-cached"))
                .isInstanceOf(CacheUnavailableException.class)
                .hasMessageContaining(RedisServer.HOST + ":" + server.port());
    }

    /** Regression: once the circuit opened, a failOpen(false) manager answered null / false instead of throwing. */
    @Test
    void operations_failOpenFalseAfterCircuitOpened_keepThrowing() {
        RedisServer server = startServer();
        CacheManager<Object> cache = manager(server.port(), b -> b.failOpen(false));
        assertThat(cache.set("k", "v")).isTrue();

        server.kill();

        List<String> outcomes = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String key = "never-cached-" + i;
            outcomes.add("get #" + i + " " + outcome(() -> cache.get(key)));
        }
        outcomes.add("set " + outcome(() -> cache.set("k", "v2")));
        outcomes.add("getMany " + outcome(() -> cache.getMany(List.of("a", "b"))));
        outcomes.add("exists " + outcome(() -> cache.exists("a")));
        outcomes.add("delete " + outcome(() -> cache.delete("k")));

        assertThat(outcomes).as("calls during the outage of a failOpen(false) manager (circuit now %s)",
                cache.l2Circuit().orElseThrow()).allMatch(line -> line.endsWith("threw CacheUnavailableException"));
    }

    @Test
    void manager_memoryOnly_hasNoL2AndWorks() {
        int nothingListens = RedisServer.freePort();
        CacheManager<Object> cache = CacheManager.builder(config(nothingListens, b -> b)).memoryOnly().build();
        resources.add(cache);

        assertThat(cache.hasL2()).isFalse();
        assertThat(cache.l2Circuit()).isEmpty();
        assertThat(cache.l2Stats()).isEmpty();
        assertThat(cache.set("k", "v")).isTrue();
        assertThat(cache.get("k")).isEqualTo("v");
        assertThat(cache.getMany(List.of("k", "absent"))).containsExactly(Map.entry("k", "v"));
        assertThat(cache.increment("counter", 3)).isEqualTo(3);
        assertThat(cache.delete("k")).isTrue();
        assertThat(cache.get("k")).isNull();
        assertThat(cache.stats().connected()).isTrue();
        assertThat(cache.l1Stats().hits()).isPositive();
    }

    // --- helpers ---------------------------------------------------------------------------------

    /** Whether the load test's Redis is down; read by the workers. */
    private static final class Phase {
        volatile boolean outage;
    }

    private static String outcome(Supplier<?> call) {
        try {
            return "returned " + call.get();
        } catch (RuntimeException e) {
            return "threw " + e.getClass().getSimpleName();
        }
    }

    private RedisServer startServer() {
        RedisServer server = RedisServer.start();
        resources.add(server);
        return server;
    }

    private RedisServer startServer(int port) {
        RedisServer server = RedisServer.startOnPort(port);
        resources.add(server);
        return server;
    }

    private CacheManager<Object> manager(int port, UnaryOperator<CacheConfig.Builder> customizer) {
        CacheManager<Object> manager = CacheManager.create(config(port, customizer));
        resources.add(manager);
        return manager;
    }

    private CacheConfig config(int port, UnaryOperator<CacheConfig.Builder> customizer) {
        return customizer.apply(CacheConfig.builder()
                .namespace(namespace)
                .defaultTtl(Duration.ofHours(1))
                .l1MaxSize(1_000)
                .l1Ttl(Duration.ofMinutes(5))
                .redisHost(RedisServer.HOST)
                .redisPort(port)
                .socketTimeout(SOCKET_TIMEOUT)
                .socketConnectTimeout(SOCKET_TIMEOUT))
                .build();
    }

    /** Lets real time pass on purpose while the workers run (the outage starts and ends at fixed times). */
    private static void letRealTimePassUntil(long nanoTime) throws InterruptedException {
        long remaining;
        while ((remaining = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(remaining);
        }
    }
}
