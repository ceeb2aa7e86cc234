package com.netrunsystems.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheLock;
import com.netrunsystems.cache.testsupport.RedisClusterExtension;
import com.netrunsystems.cache.testsupport.RedisClusterServers;
import com.netrunsystems.cache.testsupport.RedisServer;
import io.lettuce.core.cluster.SlotHash;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Redis Cluster specifics on a real 3-master cluster: {@code getMany} across hash slots without
 * falling back to one {@code GET} per key, {@code clearNamespace} on every master, counters and
 * locks routed by slot, and a killed master that leaves the other masters' keys readable.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisClusterIT {

    private static final Logger LOG = LoggerFactory.getLogger(RedisClusterIT.class);
    private static final Duration SOCKET_TIMEOUT = Duration.ofMillis(500);

    @RegisterExtension
    static final RedisClusterExtension redis = RedisClusterExtension.create();

    private final String namespace = "cluster-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<RedisCache<Object>> caches = new ArrayList<>();

    @AfterEach
    void closeCaches() {
        caches.forEach(RedisCache::close);
    }

    /** Regression: connectAsync on a fresh RedisClusterClient failed with "Partitions not initialized". */
    @Test
    void initialize_freshClusterClient_loadsTopologyAndConnects() {
        RedisCache<Object> cache = open(namespace);

        cache.initialize();

        assertThat(cache.isConnected()).isTrue();
        assertThat(cache.set("k", "v")).isTrue();
        assertThat(masterOf(namespace + ":k").execute("GET", namespace + ":k")).isEqualTo("\"v\"");
    }

    /**
     * Regression: setMany as the first call ran its batch dispatch on Lettuce's I/O thread right after
     * connecting; the Cluster connection blocked that thread waiting for a node connection only it
     * could open, so setMany timed out and the next close() hung for ever.
     */
    @Test
    void setMany_firstCallOfNewCache_storesEverythingAndCloseReturns() {
        Map<String, Object> items = new LinkedHashMap<>();
        for (int i = 0; i < 100; i++) {
            items.put("k" + i, i);
        }
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (RedisCache<Object> sync = RedisCache.create(config(namespace))) {
                assertThat(sync.setMany(items)).isEqualTo(100);
            }
            try (RedisCache<Object> async = RedisCache.create(config(namespace + "-async"))) {
                assertThat(async.async().setMany(items).get(10, TimeUnit.SECONDS)).isEqualTo(100);
            }
        });
        RedisCache<Object> reader = open(namespace);
        assertThat(reader.getMany(items.keySet())).containsExactlyInAnyOrderEntriesOf(items);
        assertThat(reader.stats().errors()).isZero();
    }

    @Test
    void getMany_hundredKeysAcrossSlots_returnsAllWithMgetsOnlyAndNoGet() {
        RedisCache<Object> cache = open(namespace);
        Map<String, Object> items = new LinkedHashMap<>();
        Set<Integer> slots = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            items.put("k" + i, i);
            slots.add(SlotHash.getSlot((namespace + ":k" + i).getBytes(StandardCharsets.UTF_8)));
        }
        assertThat(cache.setMany(items)).isEqualTo(100);
        List<String> requested = new ArrayList<>(items.keySet());
        requested.add("missing");
        cluster().resetStats();

        Map<String, Object> found = cache.getMany(requested);

        assertThat(found).containsExactlyInAnyOrderEntriesOf(items);
        Map<String, Long> commands = cluster().commandStats();
        assertThat(commands).doesNotContainKey("get");
        assertThat(commands.get("mget")).as("MGET calls, split by slot by Lettuce")
                .isBetween(1L, (long) slots.size() + 1); // + 1: the slot of "missing"
        LOG.info("cluster: getMany of 101 keys in {} slots took {} MGET calls", slots.size() + 1, commands.get("mget"));
        assertThat(cache.stats().hits()).isEqualTo(100);
        assertThat(cache.stats().misses()).isEqualTo(1);
    }

    @Test
    void clearNamespace_keysOnAllMasters_removesThemEverywhereAndKeepsOtherNamespace() {
        RedisCache<Object> cache = open(namespace);
        RedisCache<Object> other = open(namespace + "-other");
        Map<String, Object> items = new LinkedHashMap<>();
        for (int i = 0; i < 300; i++) {
            items.put("k" + i, i);
        }
        assertThat(cache.setMany(items)).isEqualTo(300);
        assertThat(other.setMany(Map.of("a", 1, "b", 2, "c", 3))).isEqualTo(3);
        List<Long> before = keysPerMaster(namespace + ":*");
        assertThat(before).as("keys of the namespace on each master").allSatisfy(n -> assertThat(n).isPositive());
        assertThat(before.stream().mapToLong(Long::longValue).sum()).isEqualTo(300);

        assertThat(cache.clearNamespace()).isEqualTo(300);

        assertThat(keysPerMaster(namespace + ":*")).containsOnly(0L);
        assertThat(keysPerMaster(namespace + "-other:*").stream().mapToLong(Long::longValue).sum()).isEqualTo(3);
        assertThat(other.getMany(List.of("a", "b", "c"))).hasSize(3);
        assertThat(cache.getMany(List.of("k1", "k2"))).isEmpty();
    }

    @Test
    void increment_concurrentOnCluster_isExactAndStoredAsPlainInteger() throws Exception {
        RedisCache<Object> cache = open(namespace);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 250; i++) {
                        cache.increment("hits");
                    }
                }));
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(cache.decrement("hits", 10)).isEqualTo(990);
        assertThat(masterOf(namespace + ":hits").execute("GET", namespace + ":hits")).isEqualTo("990");
        assertThat((Long) masterOf(namespace + ":hits").execute("PTTL", namespace + ":hits")).isPositive();
    }

    @Test
    void tryLock_onCluster_excludesSecondHolderUntilReleased() {
        RedisCache<Object> cache = open(namespace);
        RedisCache<Object> rival = open(namespace);

        Optional<CacheLock> first = cache.tryLock("lock:job", Duration.ofSeconds(30));
        assertThat(first).isPresent();
        assertThat(rival.tryLock("lock:job", Duration.ofSeconds(30))).isEmpty();
        assertThat(masterOf(namespace + ":lock:job").execute("GET", namespace + ":lock:job"))
                .isEqualTo(first.get().ownerToken());

        first.get().close();

        Optional<CacheLock> second = rival.tryLock("lock:job", Duration.ofSeconds(30));
        assertThat(second).isPresent();
        second.get().close();
    }

    /**
     * Runs last: it kills a master (no replicas, so its slots are down) and restarts it. Reads of
     * keys on the other masters are made right after the kill, well within the cluster's node
     * timeout (5 s), while the survivors still serve their slots.
     */
    @Test
    @Order(Integer.MAX_VALUE)
    void get_oneMasterKilled_otherMastersKeysStillServedAndKilledMastersKeysFailOpen() {
        RedisCache<Object> cache = open(namespace);
        RedisServer victim = cluster().masters().get(0);
        Map<String, Object> items = new LinkedHashMap<>();
        for (int i = 0; i < 60; i++) {
            items.put("k" + i, i);
        }
        assertThat(cache.setMany(items)).isEqualTo(60);
        List<String> onVictim = new ArrayList<>();
        List<String> onOthers = new ArrayList<>();
        for (String key : items.keySet()) {
            (masterOf(namespace + ":" + key) == victim ? onVictim : onOthers).add(key);
        }
        assertThat(onVictim).isNotEmpty();
        assertThat(onOthers).isNotEmpty();

        victim.kill();
        try {
            long killedAt = System.nanoTime();
            for (String key : onOthers) {
                assertThat(cache.get(key)).as("key %s on a surviving master", key).isEqualTo(items.get(key));
            }
            for (String key : onVictim.subList(0, Math.min(3, onVictim.size()))) {
                long start = System.nanoTime();
                assertThat(cache.get(key)).as("key %s on the killed master", key).isNull();
                assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThanOrEqualTo(SOCKET_TIMEOUT.plusSeconds(2));
            }
            LOG.info("cluster: {} reads during the kill took {} ms", onOthers.size() + Math.min(3, onVictim.size()),
                    TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt));
            assertThat(cache.stats().errors()).isEqualTo(Math.min(3, onVictim.size()));
        } finally {
            victim.restart();
        }
        awaitWholeAgain(cache, onVictim.get(0));
    }

    /**
     * Kills a master like the test above (run before it, also after every unordered test) and reads
     * all keys with one getMany: regression, the whole cluster MGET used to fail, so getMany returned
     * nothing, also the keys whose masters were up.
     */
    @Test
    @Order(Integer.MAX_VALUE - 1)
    void getMany_oneMasterKilled_returnsTheOtherMastersKeysAndCountsOneError() {
        RedisCache<Object> cache = open(namespace);
        RedisServer victim = cluster().masters().get(0);
        Map<String, Object> items = new LinkedHashMap<>();
        for (int i = 0; i < 60; i++) {
            items.put("k" + i, i);
        }
        assertThat(cache.setMany(items)).isEqualTo(60);
        Map<String, Object> onOthers = new LinkedHashMap<>();
        int onVictim = 0;
        String victimKey = null;
        for (Map.Entry<String, Object> item : items.entrySet()) {
            if (masterOf(namespace + ":" + item.getKey()) == victim) {
                onVictim++;
                victimKey = item.getKey();
            } else {
                onOthers.put(item.getKey(), item.getValue());
            }
        }
        assertThat(onVictim).isPositive();
        assertThat(onOthers).isNotEmpty();
        cache.resetStats();

        victim.kill();
        try {
            Map<String, Object> found = cache.getMany(items.keySet());

            assertThat(found).as("the keys on the surviving masters").containsExactlyInAnyOrderEntriesOf(onOthers);
            assertThat(cache.stats().errors()).as("one getMany, one failure counted").isEqualTo(1);
            assertThat(cache.stats().hits()).isEqualTo(onOthers.size());
            assertThat(cache.stats().misses()).isEqualTo(onVictim);
            LOG.info("cluster: getMany of {} keys with a master down returned the {} on the others",
                    items.size(), found.size());
        } finally {
            victim.restart();
        }
        awaitWholeAgain(cache, victimKey);
    }

    /** Waits until every master reports the cluster whole and the restarted master takes a write. */
    private static void awaitWholeAgain(RedisCache<Object> cache, String keyOnRestarted) {
        long restartedAt = System.nanoTime();
        await("the cluster is whole again").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> cluster().masters().stream().allMatch(RedisClusterIT::reportsClusterOk));
        await("the killed master's slots are served again").atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(200))
                .until(() -> cache.set(keyOnRestarted, "back"));
        LOG.info("cluster: the restarted master served writes {} ms after the restart",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - restartedAt));
        assertThat(cache.get(keyOnRestarted)).isEqualTo("back");
    }

    private static RedisClusterServers cluster() {
        return redis.cluster();
    }

    private RedisCache<Object> open(String cacheNamespace) {
        RedisCache<Object> cache = RedisCache.create(config(cacheNamespace));
        caches.add(cache);
        return cache;
    }

    private static CacheConfig config(String cacheNamespace) {
        return CacheConfig.builder()
                .namespace(cacheNamespace)
                .redisClusterNodes(cluster().nodes())
                .socketTimeout(SOCKET_TIMEOUT)
                .socketConnectTimeout(SOCKET_TIMEOUT)
                .build();
    }

    /** The master that serves {@code storedKey}, asked with {@code CLUSTER KEYSLOT} and {@code CLUSTER SLOTS}. */
    private static RedisServer masterOf(String storedKey) {
        int slot = SlotHash.getSlot(storedKey.getBytes(StandardCharsets.UTF_8));
        for (RedisServer master : cluster().masters()) {
            if (master.isRunning() && servesSlot(master, slot)) {
                return master;
            }
        }
        throw new AssertionError("no running master serves slot " + slot);
    }

    private static boolean servesSlot(RedisServer master, int slot) {
        String myself = ((String) master.execute("CLUSTER", "MYID"));
        for (Object range : (List<?>) master.execute("CLUSTER", "SLOTS")) {
            List<?> fields = (List<?>) range;
            long from = (Long) fields.get(0);
            long to = (Long) fields.get(1);
            String owner = (String) ((List<?>) fields.get(2)).get(2);
            if (slot >= from && slot <= to) {
                return myself.equals(owner);
            }
        }
        return false;
    }

    /** Counts the keys matching {@code pattern} on each master, with {@code SCAN}. */
    private static List<Long> keysPerMaster(String pattern) {
        List<Long> counts = new ArrayList<>();
        for (RedisServer master : cluster().masters()) {
            long count = 0;
            String cursor = "0";
            do {
                List<?> page = (List<?>) master.execute("SCAN", cursor, "MATCH", pattern, "COUNT", "1000");
                cursor = (String) page.get(0);
                count += ((List<?>) page.get(1)).size();
            } while (!"0".equals(cursor));
            counts.add(count);
        }
        return counts;
    }

    private static boolean reportsClusterOk(RedisServer master) {
        try {
            return ((String) master.execute("CLUSTER", "INFO")).contains("cluster_state:ok");
        } catch (IllegalStateException notYet) {
            return false;
        }
    }
}
