package com.netrunsystems.cache.redis;

import static org.awaitility.Awaitility.await;

import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.redis.FailOpenMatrix.Cell;
import com.netrunsystems.cache.redis.FailOpenMatrix.Row;
import com.netrunsystems.cache.redis.FailOpenMatrix.RowKeys;
import com.netrunsystems.cache.redis.StandaloneFaultRig.Fault;
import com.netrunsystems.cache.testsupport.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fail-open matrix of a {@link RedisCache} on a standalone server (issue 11): every fault of
 * {@link StandaloneFaultRig.Fault} × {get, set, getMany, getOrLoad, increment, async get/set}, asserting what each
 * call answers or throws, the errors counted, and that it returns within its bound. One server, one proxy and one
 * cache serve every row; each row injects its fault once. Writes its table to {@code target/fail-open-matrix.md}.
 */
class FailOpenMatrixRedisIT {

    private static final Logger log = LoggerFactory.getLogger(FailOpenMatrixRedisIT.class);
    static final Duration SOCKET_TIMEOUT = Duration.ofMillis(500);
    private static final String NAMESPACE = "matrix-redis";

    private static final List<Row> rows = new ArrayList<>();
    private static StandaloneFaultRig rig;
    private static RedisCache<Object> cache;

    @BeforeAll
    static void start() {
        rig = new StandaloneFaultRig();
        cache = RedisCache.create(config(NAMESPACE, rig.port()));
        awaitWorking(cache);
        FailOpenMatrix.warmUp(operation -> cache, RowKeys.plain("warm-up"));
    }

    @AfterAll
    static void stop() {
        try {
            FailOpenReport.write("redis-cache", FailOpenMatrix.markdown("RedisCache (standalone)",
                    "One `RedisCache` through a loopback proxy; socketTimeout " + SOCKET_TIMEOUT.toMillis() + " ms.",
                    rows));
        } finally {
            cache.close();
            rig.close();
        }
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Fault.class)
    void redisCache_underFault_answersAsTheFailOpenTable(Fault fault) {
        RowKeys keys = RowKeys.plain(fault.name().toLowerCase());
        rig.seed(NAMESPACE, keys.seeds());
        rig.inject(fault, NAMESPACE, keys.seeds());
        List<Cell> cells;
        try {
            cells = FailOpenMatrix.runRow(operation -> cache, keys, fault.effect, false, () -> rig.beforeCell(fault));
        } finally {
            rig.clear(fault);
        }
        awaitWorking(cache);
        Row row = new Row(fault.label, fault.effect, cells);
        rows.add(row);
        log.info("fail-open matrix, RedisCache, {}: {}", fault.label, cells);
        assertRow(row, SOCKET_TIMEOUT, true);
    }

    /**
     * Asserts every cell of {@code row}: answer, errors counted, duration within its bound, and when
     * {@code asyncNeverBlocks}, that each async call returned its future without waiting for Redis.
     */
    static void assertRow(Row row, Duration socketTimeout, boolean asyncNeverBlocks) {
        SoftAssertions softly = new SoftAssertions();
        for (Cell cell : row.cells()) {
            String where = row.fault() + " × " + cell.operation().label;
            softly.assertThat(cell.answer()).as("%s: answer", where).isEqualTo(cell.expected().answer());
            softly.assertThat(cell.errors()).as("%s: errors counted", where).isEqualTo(cell.expected().errors());
            softly.assertThat(cell.millis()).as("%s: duration (ms)", where)
                    .isLessThanOrEqualTo(FailOpenMatrix.bound(cell.operation(), socketTimeout).toMillis());
            if (asyncNeverBlocks && cell.operation().isAsync()) {
                softly.assertThat(cell.returnedMillis()).as("%s: the future was returned after (ms)", where)
                        .isLessThan(socketTimeout.toMillis() / 2);
            }
        }
        softly.assertAll();
    }

    /** Waits until {@code redis} stores a value again. */
    static void awaitWorking(RedisCache<Object> redis) {
        await("the cache to work again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> redis.set("probe", "x"));
    }

    static CacheConfig config(String namespace, int port) {
        return CacheConfig.builder().namespace(namespace).redisHost(RedisServer.HOST).redisPort(port)
                .socketTimeout(SOCKET_TIMEOUT).socketConnectTimeout(Duration.ofSeconds(1)).build();
    }
}
