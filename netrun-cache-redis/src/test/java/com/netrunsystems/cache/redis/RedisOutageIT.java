package com.netrunsystems.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheStats;
import com.netrunsystems.cache.CacheUnavailableException;
import com.netrunsystems.cache.testsupport.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fault tests: the Redis process is killed (SIGKILL, no persistence) and restarted on the same port
 * while a {@link RedisCache} is in use. Each test owns its server, so killing it disturbs nobody.
 * During the outage reads miss and writes report "not stored" within socketTimeout + 2 s, counters
 * and locks throw, every failure is counted; after the restart the same cache works again on its
 * own, with no manual call.
 */
class RedisOutageIT {

    private static final Logger LOG = LoggerFactory.getLogger(RedisOutageIT.class);
    private static final Duration SOCKET_TIMEOUT = Duration.ofMillis(500);
    private static final Duration OUTAGE_ANSWER_BOUND = SOCKET_TIMEOUT.plusSeconds(2);
    private static final Duration RECOVERY_DEADLINE = Duration.ofSeconds(15);
    /** How long the server stays down: long enough for Lettuce's reconnect back-off to reach seconds. */
    private static final Duration OUTAGE = Duration.ofSeconds(2);

    private final String namespace = "outage-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<AutoCloseable> resources = new ArrayList<>();
    private long slowestOutageAnswerMillis;

    @AfterEach
    void closeResources() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void operations_serverKilledThenRestarted_failOpenDuringOutageAndRecoverWithoutManualCall() throws Exception {
        RedisServer server = startServer();
        String endpoint = RedisServer.HOST + ":" + server.port();
        RedisCache<Object> cache = open(config(server.port()));
        cache.initialize();
        assertThat(cache.set("k", "v")).isTrue();
        assertThat(cache.get("k")).isEqualTo("v");
        assertThat(cache.stats().connected()).isTrue();
        cache.resetStats();

        server.kill();
        long killedAt = System.nanoTime();

        int failures = 0;
        assertThat(withinOutageBound(() -> cache.get("k"))).isNull();
        failures++;
        assertThat(withinOutageBound(() -> cache.getMany(List.of("k", "other")))).isEmpty();
        failures++;
        assertThat(withinOutageBound(() -> cache.exists("k"))).isFalse();
        failures++;
        assertThat(withinOutageBound(() -> cache.set("k", "v2"))).isFalse();
        failures++;
        assertThat(withinOutageBound(() -> cache.setIfAbsent("fresh", "v"))).isFalse();
        failures++;
        assertThat(withinOutageBound(() -> cache.delete("k"))).isFalse();
        failures++;
        assertThat(withinOutageBound(() -> cache.expire("k", Duration.ofMinutes(1)))).isFalse();
        failures++;
        assertThat(withinOutageBound(() -> cache.setMany(Map.of("a", 1, "b", 2)))).isZero();
        failures++;
        assertThat(withinOutageBound(cache::clearNamespace)).isZero();
        failures++;
        assertThatThrownBy(() -> withinOutageBound(() -> cache.increment("counter")))
                .isInstanceOf(CacheUnavailableException.class)
                .hasMessageContaining(endpoint)
                .hasMessageContaining("'counter'");
        failures++;
        assertThatThrownBy(() -> withinOutageBound(() -> cache.decrement("counter", 3)))
                .isInstanceOf(CacheUnavailableException.class)
                .hasMessageContaining(endpoint);
        failures++;
        assertThatThrownBy(() -> withinOutageBound(() -> cache.tryLock("lock", Duration.ofSeconds(10))))
                .isInstanceOf(CacheUnavailableException.class)
                .hasMessageContaining(endpoint)
                .hasMessageContaining("'lock'");
        failures++;
        assertThat(withinOutageBound(() -> join(cache.async().get("k")))).isNull();
        failures++;

        CacheStats duringOutage = cache.stats();
        assertThat(duringOutage.errors()).isEqualTo(failures);
        assertThat(duringOutage.connected()).isFalse();
        assertThat(duringOutage.hits()).isZero();
        LOG.info("outage: slowest of {} failed operations answered in {} ms", failures, slowestOutageAnswerMillis);

        // Keep Redis down long enough for Lettuce's reconnect back-off to grow; reads keep missing meanwhile.
        await("an outage of " + OUTAGE.toMillis() + " ms").atMost(OUTAGE.plusSeconds(10))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> withinOutageBound(() -> cache.get("k")) == null && millisSince(killedAt) >= OUTAGE.toMillis());
        assertThat(cache.stats().connected()).isFalse();

        server.restart();
        long restartedAt = System.nanoTime();

        await("the same cache writes and reads again after the restart")
                .atMost(RECOVERY_DEADLINE)
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    assertThat(cache.set("k", "v")).isTrue();
                    assertThat(cache.get("k")).isEqualTo("v");
                });
        LOG.info("outage: recovered {} ms after the restart", millisSince(restartedAt));
        assertThat(cache.stats().connected()).isTrue();
        assertThat(server.execute("GET", namespace + ":k")).as("written to the restarted server").isEqualTo("\"v\"");
        assertThat(cache.increment("counter")).isEqualTo(1);
    }

    @Test
    void getAndSet_concurrentLoadAcrossKillAndRestart_neverThrowAndRecover() throws Exception {
        RedisServer server = startServer();
        RedisCache<Object> cache = open(config(server.port()));
        cache.initialize();
        AtomicBoolean running = new AtomicBoolean(true);
        LongAdder storedWrites = new LongAdder();
        LongAdder failedWrites = new LongAdder();
        AtomicLong slowestCallNanos = new AtomicLong();
        Queue<Throwable> thrown = new ConcurrentLinkedQueue<>();
        ExecutorService workers = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int worker = t;
                done.add(workers.submit(() -> {
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); // a backstop only
                    for (int i = 0; running.get() && System.nanoTime() < deadline; i++) {
                        String key = "k" + (i % 50);
                        long start = System.nanoTime();
                        try {
                            boolean stored = cache.set(key, worker + ":" + i);
                            (stored ? storedWrites : failedWrites).increment();
                            cache.get(key);
                        } catch (Throwable e) {
                            thrown.add(e);
                        }
                        slowestCallNanos.accumulateAndGet(System.nanoTime() - start, Math::max);
                    }
                }));
            }
            long startedAt = System.nanoTime();
            await("writes before the kill").atMost(Duration.ofSeconds(10))
                    .until(() -> storedWrites.sum() >= 200 && millisSince(startedAt) >= 1_000);

            server.kill();
            long killedAt = System.nanoTime();
            await("writes failing during the outage").atMost(Duration.ofSeconds(10))
                    .until(() -> failedWrites.sum() >= 200 && millisSince(killedAt) >= OUTAGE.toMillis());
            long failedBeforeRestart = failedWrites.sum();

            server.restart();
            long restartedAt = System.nanoTime();
            long storedAtRestart = storedWrites.sum();
            await("writes succeeding again after the restart").atMost(RECOVERY_DEADLINE)
                    .until(() -> storedWrites.sum() >= storedAtRestart + 200);
            LOG.info("outage under load: {} writes failed during an outage of {} ms; writes succeeded again {} ms"
                    + " after the restart", failedBeforeRestart, TimeUnit.NANOSECONDS.toMillis(restartedAt - killedAt),
                    millisSince(restartedAt));

            running.set(false);
            for (Future<?> worker : done) {
                worker.get(10, TimeUnit.SECONDS);
            }
        } finally {
            running.set(false);
            workers.shutdownNow();
            assertThat(workers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }

        assertThat(thrown).as("exceptions thrown by get/set in the workers").isEmpty();
        LOG.info("outage under load: slowest get+set pair took {} ms", TimeUnit.NANOSECONDS.toMillis(slowestCallNanos.get()));
        assertThat(Duration.ofNanos(slowestCallNanos.get())).isLessThanOrEqualTo(OUTAGE_ANSWER_BOUND.multipliedBy(2));
        assertThat(cache.stats().errors()).isGreaterThanOrEqualTo(200);
        assertThat(cache.set("after", "restart")).isTrue();
        assertThat(cache.get("after")).isEqualTo("restart");
    }

    @Test
    void getAndSet_failOpenFalseDuringOutage_throwCacheUnavailableNamingEndpoint() {
        RedisServer server = startServer();
        String endpoint = RedisServer.HOST + ":" + server.port();
        RedisCache<Object> cache = open(config(server.port()).failOpen(false));
        assertThat(cache.set("k", "v")).isTrue();

        server.kill();

        assertThatThrownBy(() -> withinOutageBound(() -> cache.get("k")))
                .isInstanceOf(CacheUnavailableException.class)
                .hasMessageContaining(endpoint)
                .hasMessageContaining("'k'");
        assertThatThrownBy(() -> withinOutageBound(() -> cache.set("k", "v2")))
                .isInstanceOf(CacheUnavailableException.class)
                .hasMessageContaining(endpoint);
        assertThatThrownBy(() -> withinOutageBound(() -> cache.getMany(List.of("k"))))
                .isInstanceOf(CacheUnavailableException.class);
        assertThatThrownBy(() -> withinOutageBound(() -> cache.delete("k")))
                .isInstanceOf(CacheUnavailableException.class);
        assertThat(cache.stats().errors()).isEqualTo(4);

        server.restart();

        await("recovery after the restart").atMost(RECOVERY_DEADLINE).pollInterval(Duration.ofMillis(100))
                .ignoreException(CacheUnavailableException.class)
                .until(() -> cache.set("k", "v3"));
        assertThat(cache.get("k")).isEqualTo("v3");
    }

    @Test
    void operations_redisNeverReachableAtCreation_failOpenThenWorkOnceServerStarts() {
        int port = RedisServer.freePort();
        String endpoint = RedisServer.HOST + ":" + port;
        RedisCache<Object> cache = open(config(port));

        assertThat(withinOutageBound(() -> cache.get("k"))).isNull();
        assertThat(withinOutageBound(() -> cache.set("k", "v"))).isFalse();
        assertThatThrownBy(() -> withinOutageBound(() -> {
            cache.initialize();
            return null;
        }))
                .isInstanceOf(CacheUnavailableException.class)
                .hasMessageContaining(endpoint);
        assertThatThrownBy(() -> cache.increment("n"))
                .isInstanceOf(CacheUnavailableException.class)
                .hasMessageContaining(endpoint);
        CacheStats unreachable = cache.stats();
        assertThat(unreachable.connected()).isFalse();
        assertThat(unreachable.errors()).isEqualTo(3);

        RedisServer server = track(RedisServer.startOnPort(port));
        long startedAt = System.nanoTime();

        await("the same cache connects once Redis listens").atMost(RECOVERY_DEADLINE)
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() -> {
                    assertThat(cache.set("k", "v")).isTrue();
                    assertThat(cache.get("k")).isEqualTo("v");
                });
        LOG.info("never reachable: connected {} ms after the server started", millisSince(startedAt));
        assertThat(cache.stats().connected()).isTrue();
        assertThat(server.execute("GET", namespace + ":k")).isEqualTo("\"v\"");
        cache.initialize(); // idempotent once connected
    }

    private RedisServer startServer() {
        return track(RedisServer.start());
    }

    private CacheConfig.Builder config(int port) {
        return CacheConfig.builder()
                .namespace(namespace)
                .redisHost(RedisServer.HOST)
                .redisPort(port)
                .socketTimeout(SOCKET_TIMEOUT)
                .socketConnectTimeout(SOCKET_TIMEOUT);
    }

    private RedisCache<Object> open(CacheConfig.Builder config) {
        return track(RedisCache.create(config.build()));
    }

    private <T extends AutoCloseable> T track(T resource) {
        resources.add(resource);
        return resource;
    }

    /** Runs a call made during an outage and checks that it answered within socketTimeout + 2 s. */
    private <T> T withinOutageBound(Supplier<T> call) {
        long start = System.nanoTime();
        try {
            return call.get();
        } finally {
            long millis = millisSince(start);
            slowestOutageAnswerMillis = Math.max(slowestOutageAnswerMillis, millis);
            assertThat(Duration.ofMillis(millis)).as("time to answer during the outage")
                    .isLessThanOrEqualTo(OUTAGE_ANSWER_BOUND);
        }
    }

    private static <T> T join(CompletableFuture<T> future) {
        return future.orTimeout(OUTAGE_ANSWER_BOUND.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    private static long millisSince(long startNanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }
}
