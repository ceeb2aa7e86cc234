package com.netrunsystems.cache.redis;

import static org.awaitility.Awaitility.await;

import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.CircuitState;
import com.netrunsystems.cache.redis.FailOpenMatrix.Cell;
import com.netrunsystems.cache.redis.FailOpenMatrix.Effect;
import com.netrunsystems.cache.redis.FailOpenMatrix.Operation;
import com.netrunsystems.cache.redis.FailOpenMatrix.Row;
import com.netrunsystems.cache.redis.FailOpenMatrix.RowKeys;
import com.netrunsystems.cache.redis.StandaloneFaultRig.Fault;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fail-open matrix of a {@link CacheManager} (L1 + Redis L2, default circuit breaker) on a standalone server:
 * the faults of {@link StandaloneFaultRig.Fault} and an open circuit × the matrix operations. Each operation has its
 * own manager, so every cell is the first L2 failure its manager sees (the circuit is closed, L2 is asked); the last
 * row shows the answers once the circuit is open (L2 not asked, nothing counted). The keys exist in Redis only,
 * never in the managers' L1. Writes its section of {@code target/fail-open-matrix.md}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailOpenMatrixManagerIT {

    private static final Logger log = LoggerFactory.getLogger(FailOpenMatrixManagerIT.class);
    private static final Duration SOCKET_TIMEOUT = FailOpenMatrixRedisIT.SOCKET_TIMEOUT;
    private static final String NAMESPACE = "matrix-manager";

    private static final List<Row> rows = new ArrayList<>();
    private static final Map<Operation, CacheManager<Object>> managers = new EnumMap<>(Operation.class);
    private static StandaloneFaultRig rig;

    @BeforeAll
    static void start() {
        rig = new StandaloneFaultRig();
        for (Operation operation : Operation.values()) {
            managers.put(operation, CacheManager.create(FailOpenMatrixRedisIT.config(NAMESPACE, rig.port())));
        }
        awaitWorking();
        FailOpenMatrix.warmUp(managers::get, RowKeys.plain("warm-up"));
    }

    @AfterAll
    static void stop() {
        try {
            FailOpenReport.write("cache-manager", FailOpenMatrix.markdown("CacheManager (L1 + Redis L2)",
                    "One `CacheManager` per operation through a loopback proxy, default breaker (opens after 3 "
                            + "consecutive failures); socketTimeout " + SOCKET_TIMEOUT.toMillis() + " ms. `async()` "
                            + "of a `CacheManager` returns its future at once (asserted under half a socketTimeout) "
                            + "and completes it when Redis answers or the call times out.",
                    rows));
        } finally {
            managers.values().forEach(Cache::close);
            rig.close();
        }
    }

    @Order(1)
    @ParameterizedTest(name = "{0}")
    @EnumSource(Fault.class)
    void cacheManager_underFault_answersAsTheFailOpenTable(Fault fault) {
        RowKeys keys = RowKeys.plain(fault.name().toLowerCase());
        rig.seed(NAMESPACE, keys.seeds());
        rig.inject(fault, NAMESPACE, keys.seeds());
        List<Cell> cells;
        try {
            cells = FailOpenMatrix.runRow(managers::get, keys, fault.effect, false, () -> rig.beforeCell(fault));
        } finally {
            rig.clear(fault);
        }
        record(new Row(fault.label, fault.effect, cells));
    }

    /** Once the circuit is open, L2 is not asked: reads miss (L1 has none of the keys), nothing is counted. */
    @Order(2)
    @Test
    void cacheManager_circuitOpen_answersFromL1WithoutAskingRedis() {
        RowKeys keys = RowKeys.plain("open");
        rig.seed(NAMESPACE, keys.seeds());
        rig.inject(Fault.KILLED, NAMESPACE, keys.seeds());
        List<Cell> cells;
        try {
            managers.values().forEach(FailOpenMatrixManagerIT::tripCircuit);
            cells = FailOpenMatrix.runRow(managers::get, keys, Effect.CIRCUIT_OPEN, false, () -> { });
        } finally {
            rig.clear(Fault.KILLED);
        }
        record(new Row("server killed, circuit open (after 3 failures)", Effect.CIRCUIT_OPEN, cells));
    }

    private static void record(Row row) {
        awaitWorking();
        rows.add(row);
        log.info("fail-open matrix, CacheManager, {}: {}", row.fault(), row.cells());
        FailOpenMatrixRedisIT.assertRow(row, SOCKET_TIMEOUT, true); // async() never blocks (issue 10, item 3)
    }

    /** Fails calls until the circuit opens (3 consecutive failures with the default breaker). */
    private static void tripCircuit(CacheManager<Object> manager) {
        for (int i = 0; i < 10 && manager.l2Circuit().equals(Optional.of(CircuitState.CLOSED)); i++) {
            manager.get("trip-" + i);
        }
        await("the circuit to open").atMost(Duration.ofSeconds(5))
                .until(() -> !manager.l2Circuit().equals(Optional.of(CircuitState.CLOSED)));
    }

    /**
     * Waits until every manager's circuit is closed and its writes reach Redis again (checked in Redis: a manager's
     * {@code set} answers true when its L1 alone stored the value).
     */
    private static void awaitWorking() {
        for (CacheManager<Object> manager : managers.values()) {
            await("a manager to use Redis again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        String value = "x" + System.nanoTime();
                        return manager.l2Circuit().equals(Optional.of(CircuitState.CLOSED))
                                && manager.set("probe", value)
                                && ("\"" + value + "\"").equals(rig.server().execute("GET", NAMESPACE + ":probe"));
                    });
        }
    }
}
