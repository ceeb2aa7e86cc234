package com.netrunsystems.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.CacheUnavailableException;
import com.netrunsystems.cache.CircuitState;
import com.netrunsystems.cache.redis.FailOpenMatrix.Cell;
import com.netrunsystems.cache.redis.FailOpenMatrix.Effect;
import com.netrunsystems.cache.redis.FailOpenMatrix.Operation;
import com.netrunsystems.cache.redis.FailOpenMatrix.Row;
import com.netrunsystems.cache.redis.FailOpenMatrix.RowKeys;
import com.netrunsystems.cache.testsupport.RedisSentinelServers;
import com.netrunsystems.cache.testsupport.RedisServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sentinel failover as a fault (issue 11): a {@link RedisCache} and {@link CacheManager}s connected through a Sentinel
 * ({@code redis-sentinel://…#mymaster}) to a master with one replica. The caches fail open while the master is gone
 * and follow the Sentinel to the promoted replica without being restarted. Two ways to fail over:
 * <ul>
 *   <li>the master is killed: a row of the fail-open table right after the kill (before the Sentinel promotes the
 *       replica, 1 s later), then, once the caches work again, a row on the new master;</li>
 *   <li>{@code SENTINEL FAILOVER} (the old master turns replica and drops its clients): calls from two threads during
 *       the failover must never throw (counters aside) and stay within the matrix's bound; then a row on the new
 *       master.</li>
 * </ul>
 * Each {@code CacheManager} row uses one manager per operation (as {@code FailOpenMatrixManagerIT}), so every cell
 * meets a closed circuit. Errors counted and answers are asserted exactly; durations within
 * {@link FailOpenMatrix#bound}. Writes its section of {@code target/fail-open-matrix.md}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FailOpenMatrixSentinelIT {

    private static final Logger log = LoggerFactory.getLogger(FailOpenMatrixSentinelIT.class);
    private static final Duration SOCKET_TIMEOUT = FailOpenMatrixRedisIT.SOCKET_TIMEOUT;
    /** How long the caches may take to reach the new master after the Sentinel reports it (reconnect back-off 1 s). */
    private static final Duration RECOVERY = Duration.ofSeconds(30);

    private static final List<Row> rows = new ArrayList<>();
    private final List<Cache<Object>> caches = new ArrayList<>();
    private RedisSentinelServers sentinel;

    @AfterEach
    void close() {
        caches.forEach(Cache::close);
        if (sentinel != null) {
            sentinel.close();
        }
    }

    @AfterAll
    static void writeReport() {
        FailOpenReport.write("sentinel", FailOpenMatrix.markdown("RedisCache and CacheManager on Sentinel failover",
                "A master, one replica and a Sentinel (quorum 1, master down after 1 s); the caches connect with "
                        + "`redis-sentinel://…#mymaster`, socketTimeout " + SOCKET_TIMEOUT.toMillis() + " ms; a "
                        + "`CacheManager` per operation. \"recovered\": the same cache instances, once they reach the "
                        + "promoted replica.",
                rows));
    }

    @Order(1)
    @Test
    void masterKilled_cachesFailOpenThenFollowTheSentinelToThePromotedReplica() {
        sentinel = RedisSentinelServers.startWithReplica();
        RedisCache<Object> redis = redisCache("sentinel-kill-redis");
        Map<Operation, Cache<Object>> managers = managers("sentinel-kill-manager");

        row("RedisCache, baseline (before the kill)", Effect.NONE, "kill-base", "sentinel-kill-redis", op -> redis);
        row("CacheManager, baseline (before the kill)", Effect.NONE, "kill-base", "sentinel-kill-manager", managers::get);
        seedBoth("kill-down", "sentinel-kill-redis", "sentinel-kill-manager");

        sentinel.killMaster();
        row("RedisCache, master killed (before the promotion)", Effect.UNAVAILABLE, "kill-down", null, op -> redis);
        row("CacheManager, master killed (before the promotion)", Effect.UNAVAILABLE, "kill-down", null, managers::get);
        long killed = System.nanoTime();
        RedisServer promoted = sentinel.awaitPromotion();
        long promotedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killed);

        long recoveredAfter = awaitWorking(promoted, killed);
        log.info("Sentinel, master killed: promoted after {} ms, every cache back on the new master after {} ms",
                promotedAfter, recoveredAfter);
        row("RedisCache, master killed: recovered on the promoted replica", Effect.NONE, "kill-after",
                "sentinel-kill-redis", op -> redis);
        row("CacheManager, master killed: recovered on the promoted replica", Effect.NONE, "kill-after",
                "sentinel-kill-manager", managers::get);
    }

    @Order(2)
    @Test
    void sentinelFailover_callsDuringItFailOpenAndTheCachesFollowToTheNewMaster() throws Exception {
        sentinel = RedisSentinelServers.startWithReplica();
        RedisCache<Object> redis = redisCache("sentinel-failover-redis");
        Map<Operation, Cache<Object>> managers = managers("sentinel-failover-manager");
        CacheManager<Object> loaded = manager("sentinel-failover-load");
        row("RedisCache, baseline (before SENTINEL FAILOVER)", Effect.NONE, "failover-base", "sentinel-failover-redis", op -> redis);
        row("CacheManager, baseline (before SENTINEL FAILOVER)", Effect.NONE, "failover-base", "sentinel-failover-manager", managers::get);

        Load load = new Load(List.of(redis, loaded));
        load.start();
        long started = System.nanoTime();
        RedisServer promoted = sentinel.failover();
        long promotedAfter = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        long recoveredAfter = awaitWorking(promoted, started);
        load.stop();
        log.info("Sentinel, SENTINEL FAILOVER: promoted after {} ms, every cache back on the new master after {} ms; "
                + "load during it: {} calls, {} counters threw CacheUnavailableException, longest {} ms, threw {}", promotedAfter,
                recoveredAfter, load.calls.get(), load.counterThrew.get(), load.longestMillis.get(), load.thrown);

        assertThat(load.thrown).as("exceptions from fail-open calls during the failover").isEmpty();
        assertThat(load.longestMillis.get()).as("longest call during the failover (ms)")
                .isLessThanOrEqualTo(FailOpenMatrix.bound(Operation.GET_OR_LOAD, SOCKET_TIMEOUT).toMillis());
        assertThat(load.calls.get()).as("calls made during the failover").isPositive();
        row("RedisCache, SENTINEL FAILOVER: recovered on the new master", Effect.NONE, "failover-after",
                "sentinel-failover-redis", op -> redis);
        row("CacheManager, SENTINEL FAILOVER: recovered on the new master", Effect.NONE, "failover-after",
                "sentinel-failover-manager", managers::get);
    }

    /**
     * Runs one row on {@code keys}; seeds them first on the current master (replicated, so that a promotion keeps
     * them) unless {@code seedNamespace} is {@code null} (seeded before the fault).
     */
    private void row(String label, Effect effect, String keysName, String seedNamespace,
            Function<Operation, Cache<Object>> cacheFor) {
        RowKeys keys = RowKeys.plain(keysName);
        if (seedNamespace != null) {
            seed(seedNamespace, keys);
        }
        List<Cell> cells = FailOpenMatrix.runRow(cacheFor, keys, effect, false, () -> { });
        Row row = new Row(label, effect, cells);
        rows.add(row);
        log.info("fail-open matrix, Sentinel, {}: {}", label, cells);
        FailOpenMatrixRedisIT.assertRow(row, SOCKET_TIMEOUT, false);
    }

    private void seedBoth(String keysName, String... namespaces) {
        for (String namespace : namespaces) {
            seed(namespace, RowKeys.plain(keysName));
        }
    }

    private void seed(String namespace, RowKeys keys) {
        RedisServer master = sentinel.currentMaster();
        keys.seeds().forEach((key, value) -> master.execute("SET", namespace + ":" + key, "\"" + value + "\"", "PX",
                "600000"));
        if (!((String) master.execute("INFO", "replication")).contains("connected_slaves:0")) {
            master.execute("WAIT", "1", "2000"); // on the replica too, before a fault promotes it
        }
    }

    /**
     * Waits until every cache writes to {@code master} again (checked there: a manager's {@code set} answers true when
     * its L1 alone took the value) and every manager's circuit is closed; returns the milliseconds since {@code since}.
     */
    private long awaitWorking(RedisServer master, long since) {
        for (Cache<Object> cache : caches) {
            await("a cache to write to the new master").atMost(RECOVERY).pollInterval(Duration.ofMillis(50))
                    .until(() -> {
                        String value = "x" + System.nanoTime();
                        boolean closed = !(cache instanceof CacheManager<Object> manager)
                                || manager.l2Circuit().orElse(CircuitState.CLOSED) == CircuitState.CLOSED;
                        return closed && cache.set("probe", value)
                                && ("\"" + value + "\"").equals(master.execute("GET", cache.namespace() + ":probe"));
                    });
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - since);
    }

    private RedisCache<Object> redisCache(String namespace) {
        RedisCache<Object> cache = RedisCache.create(config(namespace));
        caches.add(cache);
        FailOpenMatrix.warmUp(operation -> cache, RowKeys.plain("warm-up"));
        return cache;
    }

    private Map<Operation, Cache<Object>> managers(String namespace) {
        Map<Operation, Cache<Object>> managers = new EnumMap<>(Operation.class);
        for (Operation operation : Operation.values()) {
            managers.put(operation, manager(namespace));
        }
        awaitWorking(sentinel.currentMaster(), System.nanoTime());
        FailOpenMatrix.warmUp(managers::get, RowKeys.plain("warm-up"));
        return managers;
    }

    private CacheManager<Object> manager(String namespace) {
        CacheManager<Object> manager = CacheManager.create(config(namespace));
        caches.add(manager);
        return manager;
    }

    private CacheConfig config(String namespace) {
        return CacheConfig.builder().namespace(namespace).redisUrl(sentinel.sentinelUri())
                .socketTimeout(SOCKET_TIMEOUT).socketConnectTimeout(Duration.ofSeconds(1)).build();
    }

    /** Two threads calling get, set, getOrLoad and increment on the caches until stopped. */
    private static final class Load {
        final AtomicLong calls = new AtomicLong();
        final AtomicLong counterThrew = new AtomicLong();
        final AtomicLong longestMillis = new AtomicLong();
        final Set<String> thrown = ConcurrentHashMap.newKeySet();
        private final List<Cache<Object>> caches;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Thread> threads = new ArrayList<>();

        Load(List<Cache<Object>> caches) {
            this.caches = caches;
        }

        void start() {
            for (int i = 0; i < 2; i++) {
                Thread thread = new Thread(this::run, "sentinel-load-" + i);
                thread.setDaemon(true);
                thread.start();
                threads.add(thread);
            }
        }

        void stop() throws InterruptedException {
            running.set(false);
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            }
        }

        private void run() {
            for (long i = 0; running.get(); i++) {
                Cache<Object> cache = caches.get((int) (i % caches.size()));
                String key = "load-" + (i % 50);
                long started = System.nanoTime();
                try {
                    switch ((int) (i % 4)) {
                        case 0 -> cache.get(key);
                        case 1 -> cache.set(key, "v" + i);
                        case 2 -> cache.getOrLoad("loaded-" + (i % 50), k -> "L");
                        default -> cache.increment("counter");
                    }
                } catch (CacheUnavailableException e) {
                    counterThrew.incrementAndGet(); // a counter in an outage: allowed (API.md)
                } catch (RuntimeException e) {
                    thrown.add(cache.getClass().getSimpleName() + ": " + e);
                }
                calls.incrementAndGet();
                longestMillis.accumulateAndGet(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), Math::max);
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
