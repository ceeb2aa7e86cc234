package com.netrunsystems.cache.redis;

import static org.awaitility.Awaitility.await;

import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.redis.FailOpenMatrix.Cell;
import com.netrunsystems.cache.redis.FailOpenMatrix.Effect;
import com.netrunsystems.cache.redis.FailOpenMatrix.Row;
import com.netrunsystems.cache.redis.FailOpenMatrix.RowKeys;
import com.netrunsystems.cache.testsupport.RedisClusterServers;
import com.netrunsystems.cache.testsupport.RedisServer;
import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fail-open matrix of a {@link RedisCache} on a three-master Redis Cluster (no replicas): one master (the victim)
 * is killed, paused or made to refuse writes, and every operation works on keys of the victim's slots, except
 * {@code getMany}, which asks for one key on the victim and one on another master (the other master's key must still
 * be returned). The cluster node timeout is raised to 60 s so that the survivors never declare the cluster down
 * during a row. Writes its section of {@code target/fail-open-matrix.md}.
 */
class FailOpenMatrixClusterIT {

    /** The faults of a Cluster row, on the victim master. */
    enum ClusterFault {
        NONE("none (baseline)", Effect.NONE),
        KILLED("one master killed (its keys)", Effect.UNAVAILABLE),
        PAUSED("one master paused (kill -STOP)", Effect.UNAVAILABLE),
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

    private static final List<Row> rows = new ArrayList<>();
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
    }

    @AfterAll
    static void stop() {
        try {
            FailOpenReport.write("cluster", FailOpenMatrix.markdown("RedisCache on a Redis Cluster (3 masters)",
                    "One `RedisCache`; the fault hits the master of the keys (`getMany` asks for `a` on that master and "
                            + "`o` on another); socketTimeout " + SOCKET_TIMEOUT.toMillis() + " ms.",
                    rows));
        } finally {
            if (cache != null) {
                cache.close();
            }
            if (cluster != null) {
                cluster.close();
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(ClusterFault.class)
    void clusterCache_underFaultOfOneMaster_answersAsTheFailOpenTable(ClusterFault fault) {
        RowKeys keys = RowKeys.tagged(fault.name().toLowerCase(Locale.ROOT), victimTag, otherTag);
        keys.seeds().forEach((key, value) -> masterOf(slot(NAMESPACE + ":" + key))
                .execute("SET", NAMESPACE + ":" + key, "\"" + value + "\"", "PX", "600000"));
        inject(fault);
        List<Cell> cells;
        try {
            cells = FailOpenMatrix.runRow(operation -> cache, keys, fault.effect, true, () -> { });
        } finally {
            clear(fault);
        }
        awaitWorking(keys);
        Row row = new Row(fault.label, fault.effect, cells);
        rows.add(row);
        log.info("fail-open matrix, Cluster, {}: {}", fault.label, cells);
        FailOpenMatrixRedisIT.assertRow(row, SOCKET_TIMEOUT, true);
    }

    private static void inject(ClusterFault fault) {
        switch (fault) {
            case NONE -> { }
            case KILLED -> victim.kill();
            case PAUSED -> victim.faults().pause();
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
            case OOM -> victim.faults().clearMaxmemory();
            case MISCONF -> victim.faults().restorePersistence();
        }
    }

    /** Waits until every master reports the cluster whole and a write to the victim's slots lands. */
    private static void awaitWorking(RowKeys keys) {
        await("the cluster to be whole and the victim's slots writable").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> cluster.masters().stream().allMatch(FailOpenMatrixClusterIT::reportsClusterOk)
                        && cache.set(keys.written(), "probe"));
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
