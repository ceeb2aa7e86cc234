package com.netrunsystems.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.testsupport.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, defect 6: a value a {@link CacheManager} wrote or read is served from its L1 when Redis dies right after,
 * whether or not {@code initialize()} was called (API.md). Before the fix, the first subscription confirmation,
 * arriving just after the first write, flushed L1, so {@code get} answered {@code null} once Redis was gone. Each
 * round uses a new manager and kills a server of its own.
 */
class CacheManagerFirstCallOutageIT {

    /** Generous, so that a slow start on a loaded machine does not open the circuit (which this test is not about). */
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(2);
    private static final int ROUNDS = 3;

    private final String namespace = "first-call-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeResources() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void get_setRightAfterCreateThenRedisKilled_servesTheWrittenValueFromL1() {
        RedisServer server = startServer();
        List<String> lost = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            server.restart();
            CacheManager<Object> manager = manager(server);
            assertThat(manager.set("k", "v" + round)).isTrue();

            server.kill();

            Object served = manager.get("k");
            if (!("v" + round).equals(served)) {
                lost.add("round " + round + ": get returned " + served);
            }
            manager.close();
        }
        assertThat(lost).as("rounds in which the value the manager wrote was not served in the outage").isEmpty();
    }

    @Test
    void get_readRightAfterCreateThenRedisKilled_servesTheReadValueFromL1() {
        RedisServer server = startServer();
        List<String> lost = new ArrayList<>();
        for (int round = 0; round < ROUNDS; round++) {
            server.restart();
            server.execute("SET", namespace + ":k", "\"r" + round + "\"");
            CacheManager<Object> manager = manager(server);
            assertThat(manager.get("k")).isEqualTo("r" + round);

            server.kill();

            Object served = manager.get("k");
            if (!("r" + round).equals(served)) {
                lost.add("round " + round + ": get returned " + served);
            }
            manager.close();
        }
        assertThat(lost).as("rounds in which the value the manager read was not served in the outage").isEmpty();
    }

    @Test
    void get_setRightAfterInitializeThenRedisKilled_servesTheWrittenValueFromL1() {
        RedisServer server = startServer();
        CacheManager<Object> manager = manager(server);
        manager.initialize();
        assertThat(manager.set("k", "v")).isTrue();

        server.kill();

        assertThat(manager.get("k")).isEqualTo("v");
    }

    private RedisServer startServer() {
        RedisServer server = RedisServer.start();
        resources.add(server);
        return server;
    }

    private CacheManager<Object> manager(RedisServer server) {
        CacheManager<Object> manager = CacheManager.create(CacheConfig.builder()
                .namespace(namespace)
                .defaultTtl(Duration.ofHours(1))
                .l1Ttl(Duration.ofMinutes(5))
                .redisHost(server.host())
                .redisPort(server.port())
                .socketTimeout(SOCKET_TIMEOUT)
                .socketConnectTimeout(SOCKET_TIMEOUT)
                .build());
        resources.add(manager);
        return manager;
    }
}
