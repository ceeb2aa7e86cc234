package com.netrunsystems.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.CircuitState;
import com.netrunsystems.cache.testsupport.RedisClusterServers;
import com.netrunsystems.cache.testsupport.RedisServer;
import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 11, defect 3 on a Cluster: one master frozen ({@code kill -STOP}) while the others answer. The circuit opens
 * and stays open until the frozen master answers again: neither a late success on a healthy master nor a probe
 * answered by a healthy master closes it (each close flushed L1, so the circuit used to flap and empty L1 every
 * second or so). Runs on a cluster of its own, since it freezes a node.
 */
class ClusterSlowMasterIT {

    private static final Logger log = LoggerFactory.getLogger(ClusterSlowMasterIT.class);
    private static final Duration SOCKET_TIMEOUT = Duration.ofMillis(500);
    /** Well below the cluster's node timeout (5 s), so the others do not mark the frozen master as failed. */
    private static final Duration FROZEN = Duration.ofMillis(3_000);

    @Test
    void circuit_oneMasterFrozen_opensOnceAndDoesNotFlapUntilItAnswers() throws Exception {
        String namespace = "slow-" + UUID.randomUUID().toString().substring(0, 8);
        try (RedisClusterServers cluster = RedisClusterServers.start();
                CacheManager<Object> manager = CacheManager.builder(CacheConfig.builder().namespace(namespace)
                        .redisClusterNodes(cluster.nodes()).socketTimeout(SOCKET_TIMEOUT)
                        .socketConnectTimeout(Duration.ofSeconds(5)).build())
                        .circuitBreaker(1, Duration.ofMillis(500)).build()) {
            cluster.masters().forEach(RedisServer::resetStats);
            manager.initialize(); // on a busy machine the first topology load may time out: the probe then retries
            await("precondition: the cluster reached").atMost(Duration.ofSeconds(15))
                    .until(() -> manager.l2Circuit().equals(Optional.of(CircuitState.CLOSED)));
            // The victim is the master that answered the fewest PINGs so far: with a probe that asks one node, a
            // healthy node would answer it and close the circuit while the victim is still frozen.
            RedisServer victim = cluster.masters().stream()
                    .min(Comparator.comparing(master -> master.commandStats().getOrDefault("ping", 0L))).orElseThrow();
            List<String> onVictim = new ArrayList<>();
            List<String> onOthers = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String key = "key-" + i;
                (servesSlot(victim, namespace + ":" + key) ? onVictim : onOthers).add(key);
                assertThat(manager.set(key, i)).isTrue(); // opens the connections to every master
            }
            assertThat(onVictim).isNotEmpty();
            assertThat(onOthers).isNotEmpty();

            ExecutorService threads = Executors.newFixedThreadPool(3);
            AtomicInteger closes = new AtomicInteger();
            AtomicInteger writes = new AtomicInteger();
            List<Future<?>> running = new ArrayList<>();
            long until;
            try {
                victim.faults().pause();
                long pausedAt = System.nanoTime();
                until = pausedAt + FROZEN.toNanos();
                running.add(threads.submit(() -> {
                    CircuitState last = CircuitState.CLOSED;
                    boolean opened = false;
                    while (System.nanoTime() - until < 0) {
                        CircuitState now = manager.l2Circuit().orElseThrow();
                        if (now != last && now == CircuitState.CLOSED && opened) {
                            closes.incrementAndGet();
                        }
                        opened |= now != CircuitState.CLOSED;
                        last = now;
                        sleepMillis(2);
                    }
                }));
                for (List<String> keys : List.of(onVictim, onOthers)) {
                    running.add(threads.submit(() -> {
                        int i = 0;
                        while (System.nanoTime() - until < 0) {
                            manager.set(keys.get(i++ % keys.size()), "v");
                            writes.incrementAndGet();
                        }
                    }));
                }
                for (Future<?> future : running) {
                    future.get(FROZEN.toMillis() + 10_000, TimeUnit.MILLISECONDS);
                }
                log.info("cluster, one master frozen for {} ms: {} writes, circuit closed again {} times while it "
                        + "was frozen, state at the end {}", FROZEN.toMillis(), writes, closes, manager.l2Circuit());
                assertThat(closes).as("regression: the circuit closed while a master was still frozen (flapping)")
                        .hasValue(0);
                assertThat(manager.l2Circuit()).isNotEqualTo(Optional.of(CircuitState.CLOSED));
            } finally {
                victim.faults().resume();
                threads.shutdownNow();
            }
            await("the circuit to close once the master answers").atMost(Duration.ofSeconds(10))
                    .until(() -> manager.l2Circuit().equals(Optional.of(CircuitState.CLOSED)));
        }
    }

    private static boolean servesSlot(RedisServer master, String storedKey) {
        int slot = SlotHash.getSlot(storedKey.getBytes(StandardCharsets.UTF_8));
        String myself = (String) master.execute("CLUSTER", "MYID");
        for (Object range : (List<?>) master.execute("CLUSTER", "SLOTS")) {
            List<?> fields = (List<?>) range;
            if (slot >= (Long) fields.get(0) && slot <= (Long) fields.get(1)) {
                return myself.equals(((List<?>) fields.get(2)).get(2));
            }
        }
        return false;
    }

    private static void sleepMillis(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
