package com.netrunsystems.cache.redis;

import static org.awaitility.Awaitility.await;

import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.CircuitState;
import com.netrunsystems.cache.redis.FailOpenMatrix.Cell;
import com.netrunsystems.cache.redis.FailOpenMatrix.Effect;
import com.netrunsystems.cache.redis.FailOpenMatrix.Operation;
import com.netrunsystems.cache.redis.FailOpenMatrix.Row;
import com.netrunsystems.cache.redis.FailOpenMatrix.RowKeys;
import com.netrunsystems.cache.testsupport.RedisClusterServers;
import com.netrunsystems.cache.testsupport.RedisServer;
import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fail-open matrix of a {@link RedisCache} and of {@link CacheManager}s (one per operation, as in
 * {@code FailOpenMatrixManagerIT}) on a three-master Redis Cluster (no replicas): one master (the victim) is killed,
 * paused, put to sleep or made to refuse writes, and every operation works on keys of the victim's slots, except
 * {@code getMany}, which asks for one key on the victim and one on another master (the other master's key must still
 * be returned). The cluster node timeout is raised to 60 s so that the survivors never declare the cluster down
 * during a row. Writes its sections of {@code target/fail-open-matrix.md}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailOpenMatrixClusterIT {

    /** The faults of a Cluster row, on the victim master. */
    enum ClusterFault {
        NONE("none (baseline)", Effect.NONE),
        KILLED("one master killed (its keys)", Effect.UNAVAILABLE),
        PAUSED("one master paused (kill -STOP)", Effect.UNAVAILABLE),
        DEBUG_SLEEP("one master busy (DEBUG SLEEP 4 s, renewed)", Effect.UNAVAILABLE),
        OOM("one master at maxmemory, noeviction (-OOM)", Effect.WRITE_REJECTED),
        MISCONF("one master failing to persist (-MISCONF)", Effect.WRITE_REJECTED);

        final String label;
        final Effect effect;

        ClusterFault(String label, Effect effect) {
            this.label = label;
            this.effect = effect;
        }
    }

    private static final Logger log = LoggerFactory.getLogger(FailOpenMatrixClusterIT.class);
    private static final Duration SOCKET_TIMEOUT = FailOpenMatrixRedisIT.SOCKET_TIMEOUT;
    private static final String NAMESPACE = "matrix-cluster";
    /** The key RedisFaults writes to check a write rejection: the victim must serve it. */
    private static final String FAULT_PROBE_KEY = "netrun-faults:probe";

    private static final String MANAGER_NAMESPACE = "matrix-cluster-manager";
    private static final Duration SLEEP = Duration.ofSeconds(4);
    private static final Duration SLEEP_RENEWAL = Duration.ofMillis(1_500);

    private static final List<Row> rows = new ArrayList<>();
    private static final List<Row> managerRows = new ArrayList<>();
    private static final Map<Operation, CacheManager<Object>> managers = new EnumMap<>(Operation.class);
    private static CompletableFuture<Void> awake;
    private static long sleepEndsNanos;
    private static RedisClusterServers cluster;
    private static RedisServer victim;
    private static String victimTag;
    private static String otherTag;
    private static RedisCache<Object> cache;

    @BeforeAll
    static void start() {
        cluster = RedisClusterServers.start();
        cluster.masters().forEach(FailOpenMatrixClusterIT::longNodeTimeout);
        victim = masterOf(slot(FAULT_PROBE_KEY));
        victimTag = tagServedBy(victim, true);
        otherTag = tagServedBy(victim, false);
        cache = RedisCache.create(CacheConfig.builder().namespace(NAMESPACE).redisClusterNodes(cluster.nodes())
                .socketTimeout(SOCKET_TIMEOUT).socketConnectTimeout(Duration.ofSeconds(1)).build());
        RowKeys warmUp = RowKeys.tagged("warm-up", victimTag, otherTag);
        awaitWorking(warmUp);
        FailOpenMatrix.warmUp(operation -> cache, warmUp);
        startManagers();
    }

    /**
     * Starts the managers, before the first row: they share the {@code RedisCache}'s client and connections, so the
     * {@code RedisCache} rows run with seven managers' probes, subscriptions and reconnects alive (once a first
     * {@code get} after the kill took 3,632 ms and counted 2 errors that way; see docs/reliability.md).
     */
    private static void startManagers() {
        for (Operation operation : Operation.values()) {
            managers.put(operation, CacheManager.create(CacheConfig.builder().namespace(MANAGER_NAMESPACE)
                    .redisClusterNodes(cluster.nodes()).socketTimeout(SOCKET_TIMEOUT)
                    .socketConnectTimeout(Duration.ofSeconds(1)).build()));
        }
        RowKeys warmUp = RowKeys.tagged("warm-up", victimTag, otherTag);
        awaitWorking(warmUp);
        FailOpenMatrix.warmUp(managers::get, warmUp);
    }

    @AfterAll
    static void stop() {
        try {
            FailOpenReport.write("cluster", FailOpenMatrix.markdown("RedisCache on a Redis Cluster (3 masters)",
                    "One `RedisCache`; the fault hits the master of the keys (`getMany` asks for `a` on that master and "
                            + "`o` on another); socketTimeout " + SOCKET_TIMEOUT.toMillis() + " ms.",
                    rows));
            FailOpenReport.write("cluster-manager", FailOpenMatrix.markdown("CacheManager on a Redis Cluster (3 masters)",
                    "One `CacheManager` per operation (default breaker), L2 on the Cluster; the fault hits the master "
                            + "of the keys (`getMany` asks for `a` on that master and `o` on another); socketTimeout "
                            + SOCKET_TIMEOUT.toMillis() + " ms.",
                    managerRows));
        } finally {
            managers.values().forEach(CacheManager::close);
            if (cache != null) {
                cache.close();
            }
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @EnumSource(ClusterFault.class)
    void clusterCache_underFaultOfOneMaster_answersAsTheFailOpenTable(ClusterFault fault) {
        runRow(fault, NAMESPACE, operation -> cache, rows, "RedisCache");
    }

    @Order(2)
    @ParameterizedTest(name = "{0}")
    @EnumSource(ClusterFault.class)
    void clusterManager_underFaultOfOneMaster_answersAsTheFailOpenTable(ClusterFault fault) {
        runRow(fault, MANAGER_NAMESPACE, managers::get, managerRows, "CacheManager");
    }

    private static void runRow(ClusterFault fault, String namespace, Function<Operation, Cache<Object>> cacheFor,
            List<Row> into, String name) {
        RowKeys keys = RowKeys.tagged(fault.name().toLowerCase(Locale.ROOT), victimTag, otherTag);
        keys.seeds().forEach((key, value) -> masterOf(slot(namespace + ":" + key))
                .execute("SET", namespace + ":" + key, "\"" + value + "\"", "PX", "600000"));
        inject(fault);
        List<Cell> cells;
        try {
            cells = FailOpenMatrix.runRow(cacheFor, keys, fault.effect, true, () -> beforeCell(fault));
        } finally {
            clear(fault);
        }
        awaitWorking(keys);
        Row row = new Row(fault.label, fault.effect, cells);
        into.add(row);
        log.info("fail-open matrix, Cluster, {}, {}: {}", name, fault.label, cells);
        FailOpenMatrixRedisIT.assertRow(row, SOCKET_TIMEOUT, cacheFor.apply(Operation.GET) == cache);
    }

    /** Renews a {@code DEBUG SLEEP} that might end during the next cell. */
    private static void beforeCell(ClusterFault fault) {
        if (fault == ClusterFault.DEBUG_SLEEP && sleepEndsNanos - System.nanoTime() < SLEEP_RENEWAL.toNanos()) {
            awake.join();
            sleep();
        }
    }

    private static void sleep() {
        awake = victim.faults().debugSleep(SLEEP);
        sleepEndsNanos = System.nanoTime() + SLEEP.toNanos() - Duration.ofMillis(50).toNanos();
    }

    private static void inject(ClusterFault fault) {
        switch (fault) {
            case NONE -> { }
            case KILLED -> victim.kill();
            case PAUSED -> victim.faults().pause();
            case DEBUG_SLEEP -> sleep();
            case OOM -> victim.faults().maxmemoryNoEviction();
            case MISCONF -> victim.faults().persistenceFailure();
        }
    }

    private static void clear(ClusterFault fault) {
        switch (fault) {
            case NONE -> { }
            case KILLED -> {
                victim.restart();
                longNodeTimeout(victim);
            }
            case PAUSED -> victim.faults().resume();
            case DEBUG_SLEEP -> awake.join();
            case OOM -> victim.faults().clearMaxmemory();
            case MISCONF -> victim.faults().restorePersistence();
        }
    }

    /**
     * Waits until every master reports the cluster whole and a write to the victim's slots lands, from the
     * {@code RedisCache} and from every manager (in Redis: a manager's {@code set} answers true when its L1 alone took
     * it), each manager's circuit closed.
     */
    private static void awaitWorking(RowKeys keys) {
        await("the cluster to be whole and the victim's slots writable").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> cluster.masters().stream().allMatch(FailOpenMatrixClusterIT::reportsClusterOk)
                        && cache.set(keys.written(), "probe"));
        for (CacheManager<Object> manager : managers.values()) {
            await("a manager to write to the victim again").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100)).until(() -> {
                        String value = "x" + System.nanoTime();
                        String key = MANAGER_NAMESPACE + ":" + keys.written();
                        return manager.l2Circuit().equals(Optional.of(CircuitState.CLOSED))
                                && manager.set(keys.written(), value)
                                && ("\"" + value + "\"").equals(masterOf(slot(key)).execute("GET", key));
                    });
        }
    }

    /** Survivors would declare a silent master failed after the node timeout (5 s) and the cluster down: 60 s. */
    private static void longNodeTimeout(RedisServer master) {
        master.execute("CONFIG", "SET", "cluster-node-timeout", "60000");
    }

    private static boolean reportsClusterOk(RedisServer master) {
        try {
            return ((String) master.execute("CLUSTER", "INFO")).contains("cluster_state:ok");
        } catch (IllegalStateException notYet) {
            return false;
        }
    }

    /** A hash tag whose slot {@code master} serves ({@code onIt}) or another master serves (not {@code onIt}). */
    private static String tagServedBy(RedisServer master, boolean onIt) {
        for (int i = 0; ; i++) {
            String tag = "t" + i;
            if ((masterOf(slot(tag)) == master) == onIt) {
                return tag;
            }
        }
    }

    private static int slot(String key) {
        return SlotHash.getSlot(key.getBytes(StandardCharsets.UTF_8));
    }

    /** The master serving {@code slot}, from {@code CLUSTER SLOTS} of the first master. */
    private static RedisServer masterOf(int slot) {
        for (Object range : (List<?>) cluster.masters().get(0).execute("CLUSTER", "SLOTS")) {
            List<?> fields = (List<?>) range;
            if (slot >= (Long) fields.get(0) && slot <= (Long) fields.get(1)) {
                long port = (Long) ((List<?>) fields.get(2)).get(1);
                return cluster.masters().stream().filter(m -> m.port() == port).findFirst().orElseThrow();
            }
        }
        throw new IllegalStateException("no master serves slot " + slot);
    }
}
