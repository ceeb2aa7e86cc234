package com.netrunsystems.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.CircuitState;
import com.netrunsystems.cache.redis.connection.RedisInvalidationChannel;
import com.netrunsystems.cache.testsupport.FaultProxy.Direction;
import com.netrunsystems.cache.testsupport.FaultProxy;
import com.netrunsystems.cache.testsupport.ProxiedConnection;
import com.netrunsystems.cache.testsupport.RedisServer;
import com.netrunsystems.cache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 11, defect 5: a pub/sub connection that stalls without closing (a NAT or load balancer silently dropping the
 * idle socket) must not be trusted forever. Manager B reaches Redis through a {@link FaultProxy}; only B's subscriber
 * connection is stalled, both ways, while B's command connection stays healthy, so the one thing that can make B
 * drop its stale L1 copy is noticing that its subscription is dead (the heartbeat). Manager A writes directly.
 */
class CacheManagerStalledSubscriberIT {

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.standalone();

    /**
     * How long B may serve the old value: the documented bound (heartbeat interval + timeout, 3 s) with a generous
     * margin for a loaded machine; far below B's l1Ttl (5 min), which was the bound before the heartbeat.
     */
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(15);

    private final String namespace = "stalled-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeResources() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    /**
     * With a socketTimeout below the heartbeat timeout, Lettuce's command timeout fails the PING first; with the
     * default-like 5 s, the heartbeat's own timeout (2 s) does.
     */
    @ParameterizedTest(name = "socketTimeout {0} ms")
    @ValueSource(longs = {500, 5_000})
    void get_subscriberStalledBothWays_stopsServingTheStaleL1CopyWithinTheHeartbeatBound(long socketTimeoutMillis) {
        Duration socketTimeout = Duration.ofMillis(socketTimeoutMillis);
        RedisServer server = redis.server();
        FaultProxy proxy = FaultProxy.start(server);
        resources.add(proxy);
        CacheManager<Object> a = manager(server.host(), server.port(), socketTimeout);
        CacheManager<Object> b = manager(proxy.host(), proxy.port(), socketTimeout);
        awaitCircuitClosed(a);
        awaitCircuitClosed(b);
        awaitSubscribed(a);
        awaitSubscribed(b);
        a.set("k", "v1");
        awaitInL1(b, "k", "v1");
        proxy.awaitConnection(server, FaultProxy::isSubscriber, Duration.ofSeconds(5));
        // Every subscribed connection of B: a slow start can leave a second one (a reconnected earlier attempt),
        // and stalling only one of them let an earlier version of this test pass without any heartbeat.
        List<ProxiedConnection> subscribers = proxy.findConnections(server, FaultProxy::isSubscriber);
        List<ProxiedConnection> commands = proxy.openConnections().stream().filter(c -> !subscribers.contains(c)).toList();
        assertThat(commands).as("B's command connection").isNotEmpty();

        // L1 must be trusted because B is subscribed, not because its circuit is open (an open circuit also trusts
        // L1, and its closing flushes L1: a slow start on a loaded machine made an earlier version of this test
        // pass without any heartbeat).
        assertThat(b.l2Circuit()).isEqualTo(Optional.of(CircuitState.CLOSED));

        subscribers.forEach(subscriber -> subscriber.stall(Direction.BOTH));
        assertThat(a.set("k", "v2")).isTrue();
        long setAt = System.nanoTime();

        await("B to stop serving v1").atMost(VISIBLE_WITHIN).pollInterval(Duration.ofMillis(5))
                .until(() -> "v2".equals(b.get("k")));
        long staleMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - setAt);
        System.out.printf("STALLED_SUBSCRIBER_STALE_MS socketTimeout=%d ms: %d (bound: heartbeat interval + timeout = %d ms)%n",
                socketTimeoutMillis, staleMillis,
                RedisInvalidationChannel.HEARTBEAT_INTERVAL.plus(RedisInvalidationChannel.HEARTBEAT_TIMEOUT).toMillis());

        assertThat(subscribers).as("the stalled sockets were never closed by the proxy or the server")
                .allMatch(ProxiedConnection::isOpen);
        assertThat(commands).as("B's command connection stayed up").allMatch(ProxiedConnection::isOpen);
        System.out.printf("STALLED_SUBSCRIBER_CONNECTIONS %d%n", subscribers.size());
        assertThat(b.l2Circuit()).isEqualTo(Optional.of(CircuitState.CLOSED));
        // B resubscribed over a new connection: a later change reaches it again, and its L1 is trusted again.
        awaitInL1(b, "k", "v2");
        a.set("k", "v3");
        await("B to see v3 through its new subscription").atMost(VISIBLE_WITHIN).pollInterval(Duration.ofMillis(5))
                .until(() -> "v3".equals(b.get("k")));
    }

    private CacheManager<Object> manager(String host, int port, Duration socketTimeout) {
        CacheManager<Object> manager = CacheManager.create(CacheConfig.builder()
                .namespace(namespace)
                .defaultTtl(Duration.ofHours(1))
                .l1Ttl(Duration.ofMinutes(5))
                .redisHost(host)
                .redisPort(port)
                .socketTimeout(socketTimeout)
                .socketConnectTimeout(Duration.ofSeconds(2))
                .build());
        resources.add(manager);
        manager.initialize();
        return manager;
    }

    private static void awaitCircuitClosed(CacheManager<Object> manager) {
        await("the L2 circuit to close").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(10))
                .until(() -> manager.l2Circuit().equals(Optional.of(CircuitState.CLOSED)));
    }

    /** Waits until the manager trusts its L1: a key it wrote is then served from L1. */
    private static void awaitSubscribed(CacheManager<Object> manager) {
        String probe = "__subscribed-" + UUID.randomUUID();
        manager.set(probe, "probe");
        await("the invalidation subscription").atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    long hits = manager.l1Stats().hits();
                    manager.get(probe);
                    return manager.l1Stats().hits() > hits;
                });
        manager.delete(probe);
    }

    private static void awaitInL1(CacheManager<Object> manager, String key, Object expected) {
        await("L1 to hold " + key).atMost(VISIBLE_WITHIN).pollInterval(Duration.ofMillis(5)).until(() -> {
            long hits = manager.l1Stats().hits();
            return expected.equals(manager.get(key)) && manager.l1Stats().hits() > hits;
        });
    }
}
