package com.netrunsystems.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.CircuitState;
import com.netrunsystems.cache.Codecs;
import com.netrunsystems.cache.ValueCodec;
import com.netrunsystems.cache.testsupport.RedisServer;
import com.netrunsystems.cache.testsupport.RedisServerExtension;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Several {@link CacheManager}s on one namespace and one Redis, standing for several JVMs: a change made through one
 * makes the others drop their L1 copy (Redis pub/sub), so none keeps serving an old value. Each test uses its own
 * namespace; the tests that kill Redis start a server of their own.
 */
class CacheManagerCoherenceIT {

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.standalone();

    private static final Duration SOCKET_TIMEOUT = Duration.ofMillis(500);
    /** How long a peer may take to see a change (the bound; pub/sub on localhost takes well under 1 ms). */
    private static final Duration VISIBLE_WITHIN = Duration.ofSeconds(2);
    private static final Duration SUBSCRIBED_WITHIN = Duration.ofSeconds(5);
    private static final Duration RECOVERY_DEADLINE = Duration.ofSeconds(5);

    private final String namespace = "coherence-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<AutoCloseable> resources = new ArrayList<>();
    private StatefulRedisConnection<String, String> rawConnection;

    @AfterEach
    void closeResources() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void set_byOnePeer_othersDropTheirL1CopyAndReadTheNewValue() {
        CacheManager<Object> m1 = coherentManager(redis.server());
        CacheManager<Object> m2 = coherentManager(redis.server());

        assertThat(m1.set("user:1", "v1")).isTrue();
        assertThat(m2.get("user:1")).isEqualTo("v1");
        awaitInL1(m2, "user:1", "v1");

        assertThat(m1.set("user:1", "v2")).isTrue();

        awaitPeerSees(m2, "user:1", "v2");
    }

    @Test
    void delete_byOnePeer_othersReturnNull() {
        CacheManager<Object> m1 = coherentManager(redis.server());
        CacheManager<Object> m2 = coherentManager(redis.server());
        m1.set("user:1", "v1");
        assertThat(m2.get("user:1")).isEqualTo("v1");
        awaitInL1(m2, "user:1", "v1");

        assertThat(m1.delete("user:1")).isTrue();

        awaitPeerSees(m2, "user:1", null);
    }

    @Test
    void increment_byOnePeer_othersReadTheNewCount() {
        CacheManager<Object> m1 = coherentManager(redis.server());
        CacheManager<Object> m2 = coherentManager(redis.server());
        assertThat(m1.increment("hits")).isEqualTo(1);
        Object one = m2.get("hits");
        assertThat(asLong(one)).isEqualTo(1);
        awaitInL1(m2, "hits", one);

        assertThat(m1.increment("hits", 41)).isEqualTo(42);

        await("m2 to see the count 42").atMost(VISIBLE_WITHIN).pollInterval(Duration.ofMillis(1))
                .until(() -> asLong(m2.get("hits")) == 42L);
    }

    @Test
    void expire_shortenedByOnePeer_othersNeverServePastTheNewExpiry() {
        CacheManager<Object> m1 = coherentManager(redis.server());
        CacheManager<Object> m2 = coherentManager(redis.server());
        m1.set("session", "s1", Duration.ofHours(1));
        assertThat(m2.get("session")).isEqualTo("s1");
        awaitInL1(m2, "session", "s1"); // cached for min(l1Ttl 5 min, 1 h) unless told otherwise

        // 1 s: long enough for m2 to read and refill its L1 before Redis drops the entry on a loaded machine
        assertThat(m1.expire("session", Duration.ofSeconds(1))).isTrue();
        // m2 drops its 5-minute copy; a new read refills L1 for at most the remaining ~1 s
        awaitPeerSees(m2, "session", "s1");
        awaitInL1(m2, "session", "s1");

        assertThat(servedAfterRedisExpiryMicros(m2, "session"))
                .as("microseconds m2 kept serving the entry after Redis expired it").isEqualTo(-1);
    }

    @Test
    void clearNamespace_byOnePeer_othersReturnNullForEveryKey() {
        CacheManager<Object> m1 = coherentManager(redis.server());
        CacheManager<Object> m2 = coherentManager(redis.server());
        List<String> keys = IntStream.range(0, 5).mapToObj(i -> "k" + i).toList();
        keys.forEach(key -> m1.set(key, "value-" + key));
        keys.forEach(key -> assertThat(m2.get(key)).isEqualTo("value-" + key));
        Map<String, Object> expected = new LinkedHashMap<>();
        keys.forEach(key -> expected.put(key, "value-" + key));
        awaitInL1(m2, expected);

        assertThat(m1.clearNamespace()).isEqualTo(keys.size());

        await("m2 to drop every key").atMost(VISIBLE_WITHIN).pollInterval(Duration.ofMillis(1))
                .until(() -> keys.stream().allMatch(key -> m2.get(key) == null));
    }

    @Test
    void setMany_byOnePeer_othersReadEveryNewValue() {
        CacheManager<Object> m1 = coherentManager(redis.server());
        CacheManager<Object> m2 = coherentManager(redis.server());
        assertThat(m1.setMany(Map.of("a", "1", "b", "2", "c", "3"))).isEqualTo(3);
        awaitInL1(m2, Map.of("a", "1", "b", "2", "c", "3"));

        assertThat(m1.setMany(Map.of("a", "10", "b", "20", "c", "30"))).isEqualTo(3);

        await("m2 to see every new value").atMost(VISIBLE_WITHIN).pollInterval(Duration.ofMillis(1))
                .until(() -> m2.getMany(List.of("a", "b", "c")), map -> map.equals(Map.of("a", "10", "b", "20", "c", "30")));
    }

    @Test
    void getMany_halfInL1_servesL1HitsAndFetchesTheRestWithOneMget() {
        CacheManager<Object> m1 = coherentManager(redis.server());
        CacheManager<Object> m2 = coherentManager(redis.server());
        Map<String, Object> items = new LinkedHashMap<>();
        IntStream.range(0, 10).forEach(i -> items.put("item:" + i, "value-" + i));
        assertThat(m1.setMany(items)).isEqualTo(10);
        List<String> keys = new ArrayList<>(items.keySet());
        Map<String, Object> warm = new LinkedHashMap<>();
        keys.subList(0, 5).forEach(key -> warm.put(key, items.get(key)));
        awaitInL1(m2, warm);
        long l1HitsBefore = m2.l1Stats().hits();
        redis.server().resetStats();

        Map<String, Object> found = m2.getMany(keys);

        Map<String, Long> commands = redis.server().commandStats();
        assertThat(found).containsExactlyEntriesOf(items);
        assertThat(commands).containsEntry("mget", 1L).doesNotContainKey("get");
        assertThat(m2.l1Stats().hits()).isEqualTo(l1HitsBefore + 5);
    }

    @Test
    void get_l2HitWithShortTtl_l1CopyNeverOutlivesTheRedisEntry() {
        CacheManager<Object> m1 = coherentManager(redis.server());
        CacheManager<Object> m2 = coherentManager(redis.server());
        int rounds = 10; // an L1 entry outliving Redis by a millisecond shows in some rounds only
        List<Long> overshoots = new ArrayList<>();
        rawRedis(); // connect before the clock starts
        for (int round = 0; round < rounds; round++) {
            String key = "token-" + round;
            // 500 ms: m2 must read and fill its L1 before Redis drops the entry, also on a loaded machine
            assertThat(m1.set(key, "t1", Duration.ofMillis(500))).isTrue();
            assertThat(m2.get(key)).isEqualTo("t1");
            awaitInL1(m2, key, "t1"); // filled for min(l1Ttl, remaining), not for l1Ttl

            long overshoot = servedAfterRedisExpiryMicros(m2, key);
            if (overshoot >= 0) {
                overshoots.add(overshoot);
            }
        }
        System.out.printf("L1_SERVED_AFTER_REDIS_EXPIRY rounds=%d/%d overshootsUs=%s%n", overshoots.size(), rounds,
                overshoots);
        assertThat(overshoots).as("microseconds m2's L1 kept serving an entry Redis had expired, per round").isEmpty();
    }

    /**
     * The L1 copy must expire with the Redis entry even when time passes between Redis answering PTTL and the fill:
     * here each decode takes 50 ms (a large value, or a GC pause), so a fill that counts the remaining TTL from its own
     * clock instead of from when the read was sent keeps serving the value about 50 ms after Redis dropped it.
     */
    @Test
    void get_slowDecodeBetweenRedisAnswerAndL1Fill_l1CopyStillExpiresWithTheRedisEntry() {
        CacheManager<Object> m1 = coherentManager(redis.server(), Codecs.json());
        CacheManager<Object> m2 = coherentManager(redis.server(), new SlowDecodingJson(Duration.ofMillis(50)));
        rawRedis(); // connect before the clock starts

        assertThat(m1.set("token", "t1", Duration.ofSeconds(1))).isTrue(); // room for 50 ms decodes under load
        assertThat(m2.get("token")).isEqualTo("t1");
        awaitInL1(m2, "token", "t1");

        assertThat(servedAfterRedisExpiryMicros(m2, "token"))
                .as("microseconds m2 kept serving the entry after Redis expired it").isEqualTo(-1);
    }

    @Test
    void get_afterOwnSet_hitsL1BecauseOwnInvalidationsAreIgnored() {
        CacheManager<Object> m1 = coherentManager(redis.server());
        CacheManager<Object> m2 = coherentManager(redis.server());
        m1.set("profile", "p1");
        assertThat(m2.get("profile")).isEqualTo("p1");

        assertThat(m1.set("profile", "p2")).isTrue();
        // m2 seeing p2 means the invalidation went round; m1 received the same message.
        awaitPeerSees(m2, "profile", "p2");

        for (int i = 0; i < 20; i++) {
            assertServedFromL1(m1, "profile", "p2");
        }
        assertThat(m1.get("profile")).isEqualTo("p2");
    }

    @Test
    void set_oneThousandUpdatesByOnePeer_everyOneSeenByTheOther() {
        CacheManager<Object> m1 = coherentManager(redis.server());
        CacheManager<Object> m2 = coherentManager(redis.server());
        m1.set("hot", "warmup");
        for (int i = 0; i < 200; i++) { // warm up JIT and connections; not measured
            measureVisibility(m1, m2, "hot", "warmup-" + i);
        }

        int updates = 1_000;
        long[] delays = new long[updates];
        int unseen = 0;
        for (int i = 0; i < updates; i++) {
            delays[i] = measureVisibility(m1, m2, "hot", "value-" + i);
            if (delays[i] < 0) {
                unseen++;
            }
        }

        long[] seen = Arrays.stream(delays).filter(d -> d >= 0).sorted().toArray();
        if (seen.length > 0) {
            System.out.printf("INVALIDATION_DELAY p50=%dus p99=%dus max=%dus n=%d%n",
                    micros(percentile(seen, 0.50)), micros(percentile(seen, 0.99)), micros(seen[seen.length - 1]),
                    seen.length);
        }
        assertThat(unseen).as("updates m2 never saw within %s", VISIBLE_WITHIN).isZero();
    }

    @Test
    void get_subscriberDisconnectedByRedisRestart_neverServesOldValueOnceBackAndCaughtUp() {
        RedisServer server = RedisServer.start();
        resources.add(server); // closed after the managers
        CacheManager<Object> m1 = coherentManager(server);
        CacheManager<Object> m2 = coherentManager(server);
        m1.set("k", "v1");
        assertThat(m2.get("k")).isEqualTo("v1");
        awaitInL1(m2, "k", "v1");

        server.kill();
        RealTime.pass(Duration.ofSeconds(1)); // an outage nobody reads or writes in
        server.restart();

        checkRecovery("RECOVERY_VISIBLE_AFTER_RESTART", server, m1, m2);
    }

    @Test
    void get_subscriberReadingThroughOutage_neverServesOldValueOnceBackAndCaughtUp() {
        RedisServer server = RedisServer.start();
        resources.add(server); // closed after the managers
        CacheManager<Object> m1 = coherentManager(server);
        CacheManager<Object> m2 = coherentManager(server);
        m1.set("k", "v1");
        assertThat(m2.get("k")).isEqualTo("v1");
        awaitInL1(m2, "k", "v1");

        server.kill();
        // m2 keeps reading: its circuit opens and it serves its L1 (v1), which is all it has.
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (System.nanoTime() - until < 0) {
            assertThat(m2.get("k")).isEqualTo("v1");
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        assertThat(m2.l2Circuit()).isNotEqualTo(Optional.of(CircuitState.CLOSED));
        server.restart();

        checkRecovery("RECOVERY_VISIBLE_AFTER_RESTART_BUSY_SUBSCRIBER", server, m1, m2);
    }

    @Test
    void set_concurrentWritersOfOneKey_everyL1AgreesWithRedisAfterwards() throws Exception {
        CacheManager<Object> m1 = coherentManager(redis.server());
        CacheManager<Object> m2 = coherentManager(redis.server());
        ExecutorService writers = Executors.newFixedThreadPool(3);
        resources.add(writers::shutdownNow);
        CyclicBarrier start = new CyclicBarrier(3);
        String storedKey = namespace + ":race";
        int rounds = 300;
        List<String> disagreements = new ArrayList<>();
        for (int round = 0; round < rounds && disagreements.isEmpty(); round++) {
            String a = "m1-first-" + round;
            String b = "m1-second-" + round;
            String c = "m2-" + round;
            Future<?> w1 = writers.submit(() -> awaitAndRun(start, () -> m1.set("race", a)));
            Future<?> w2 = writers.submit(() -> awaitAndRun(start, () -> m1.set("race", b)));
            Future<?> w3 = writers.submit(() -> awaitAndRun(start, () -> m2.set("race", c)));
            w1.get(5, TimeUnit.SECONDS);
            w2.get(5, TimeUnit.SECONDS);
            w3.get(5, TimeUnit.SECONDS);
            String inRedis = (String) redis.server().execute("GET", storedKey);
            String expected = inRedis.substring(1, inRedis.length() - 1); // stored as a JSON string
            try {
                await().atMost(VISIBLE_WITHIN).pollInterval(Duration.ofMillis(5))
                        .until(() -> expected.equals(m1.get("race")) && expected.equals(m2.get("race")));
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                disagreements.add("round " + round + ": Redis holds " + expected + ", m1 serves " + m1.get("race")
                        + ", m2 serves " + m2.get("race"));
            }
        }
        assertThat(disagreements).as("rounds after which an L1 kept a value Redis no longer holds").isEmpty();
    }

    // --- helpers ---------------------------------------------------------------------------------

    private void checkRecovery(String label, RedisServer server, CacheManager<Object> m1, CacheManager<Object> m2) {
        long restartedAt = System.nanoTime();
        await("m1 to write to the restarted Redis").atMost(RECOVERY_DEADLINE).pollInterval(Duration.ofMillis(10))
                .until(() -> m1.set("k", "v2") && "\"v2\"".equals(server.execute("GET", namespace + ":k"))); // set is true on L1 alone

        // From here on, record every read of m2; v1 after m2 was closed and had shown v2 is a stale read.
        List<String> staleReads = new ArrayList<>();
        boolean[] caughtUp = {false};
        long[] firstV2At = {-1};
        await("m2 to read v2").atMost(RECOVERY_DEADLINE).pollInSameThread().pollInterval(Duration.ofMillis(2)).until(() -> {
            Object value = readAndCheck(m2, "k", caughtUp, staleReads);
            if ("v2".equals(value) && firstV2At[0] < 0) {
                firstV2At[0] = System.nanoTime();
            }
            return caughtUp[0];
        });
        System.out.printf("%s ms=%d%n", label, TimeUnit.NANOSECONDS.toMillis(firstV2At[0] - restartedAt));

        for (int i = 0; i < 200; i++) {
            readAndCheck(m2, "k", caughtUp, staleReads);
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        assertThat(staleReads).as("reads of the old value after m2 was back and had seen the new one").isEmpty();
        assertThat(m2.get("k")).isEqualTo("v2");
        assertThat(server.execute("GET", namespace + ":k")).isEqualTo("\"v2\"");
    }

    private static Object readAndCheck(CacheManager<Object> m2, String key, boolean[] caughtUp, List<String> staleReads) {
        boolean closedBefore = m2.l2Circuit().equals(Optional.of(CircuitState.CLOSED));
        Object value = m2.get(key);
        if (caughtUp[0] && !"v2".equals(value)) {
            staleReads.add(String.valueOf(value));
        }
        if (closedBefore && "v2".equals(value)) {
            caughtUp[0] = true;
        }
        return value;
    }

    /** Returns the nanoseconds from m1's set returning until m2 reads {@code value}, or -1 past the deadline. */
    private static long measureVisibility(CacheManager<Object> m1, CacheManager<Object> m2, String key, String value) {
        m1.set(key, value);
        long setReturned = System.nanoTime();
        long deadline = setReturned + VISIBLE_WITHIN.toNanos();
        while (!value.equals(m2.get(key))) {
            if (System.nanoTime() - deadline > 0) {
                return -1;
            }
        }
        return System.nanoTime() - setReturned;
    }

    /**
     * Busy-polls Redis ({@code EXISTS} on a connection of its own) until the key is gone, then reads it through
     * {@code peer}: returns -1 when that read misses, as it must, or else how many microseconds after Redis dropped
     * the key the peer kept serving it.
     */
    private long servedAfterRedisExpiryMicros(CacheManager<Object> peer, String key) {
        RedisCommands<String, String> raw = rawRedis();
        String storedKey = namespace + ":" + key;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (raw.exists(storedKey) != 0) {
            assertThat(System.nanoTime() - deadline).as("%s to expire in Redis", key).isNegative();
        }
        long goneAt = System.nanoTime();
        if (peer.get(key) == null) {
            return -1;
        }
        while (peer.get(key) != null) {
            assertThat(System.nanoTime() - deadline).as("%s to expire in the peer's L1", key).isNegative();
        }
        return micros(System.nanoTime() - goneAt);
    }

    private RedisCommands<String, String> rawRedis() {
        if (rawConnection == null) {
            RedisClient client = RedisClient.create(redis.server().uri());
            resources.add(client::shutdown);
            rawConnection = client.connect();
            resources.add(rawConnection);
        }
        return rawConnection.sync();
    }

    /**
     * Reads {@code key} through {@code manager} until a read is an L1 hit. The first read after a peer's write may
     * fetch from L2 without filling L1: the write's invalidation can arrive while that read is in flight, and then the
     * manager does not cache what it read.
     */
    private static void awaitInL1(CacheManager<Object> manager, String key, Object expected) {
        awaitInL1(manager, Map.of(key, expected));
    }

    /** Reads every key until one round of reads is all L1 hits of the expected values. */
    private static void awaitInL1(CacheManager<Object> manager, Map<String, Object> expected) {
        await("L1 to hold " + expected.keySet()).atMost(VISIBLE_WITHIN).pollInterval(Duration.ofMillis(1)).until(() -> {
            long hits = manager.l1Stats().hits();
            for (Map.Entry<String, Object> entry : expected.entrySet()) {
                assertThat(manager.get(entry.getKey())).isEqualTo(entry.getValue());
            }
            return manager.l1Stats().hits() - hits == expected.size();
        });
    }

    private static void assertServedFromL1(CacheManager<Object> manager, String key, Object expected) {
        long hits = manager.l1Stats().hits();
        assertThat(manager.get(key)).isEqualTo(expected);
        assertThat(manager.l1Stats().hits()).as("L1 hits after reading %s again", key).isEqualTo(hits + 1);
    }

    private static void awaitPeerSees(CacheManager<Object> peer, String key, Object expected) {
        await("peer to read " + expected + " under " + key).atMost(VISIBLE_WITHIN).pollInterval(Duration.ofMillis(1))
                .until(() -> java.util.Objects.equals(peer.get(key), expected));
    }

    private CacheManager<Object> coherentManager(RedisServer server) {
        return coherentManager(server, Codecs.json());
    }

    /** Returns a manager whose invalidation subscription is confirmed: a key it wrote is served from its L1. */
    private CacheManager<Object> coherentManager(RedisServer server, ValueCodec<Object> codec) {
        CacheManager<Object> manager = CacheManager.builder(CacheConfig.builder()
                .namespace(namespace)
                .defaultTtl(Duration.ofHours(1))
                .l1MaxSize(1_000)
                .l1Ttl(Duration.ofMinutes(5))
                .redisHost(server.host())
                .redisPort(server.port())
                .socketTimeout(SOCKET_TIMEOUT)
                .socketConnectTimeout(SOCKET_TIMEOUT)
                .build()).codec(codec).build();
        resources.add(manager);
        manager.initialize();
        String probe = "__subscribed-" + UUID.randomUUID();
        manager.set(probe, "probe");
        await("the invalidation subscription of a new manager").atMost(SUBSCRIBED_WITHIN)
                .pollInterval(Duration.ofMillis(10)).until(() -> {
                    long hits = manager.l1Stats().hits();
                    manager.get(probe); // L1 is trusted (and filled) only once the subscription is confirmed
                    return manager.l1Stats().hits() > hits;
                });
        manager.delete(probe);
        return manager;
    }

    /** JSON whose every decode takes {@code delay}: time passing between Redis's answer and the L1 fill. */
    private static final class SlowDecodingJson implements ValueCodec<Object> {
        private final ValueCodec<Object> json = Codecs.json();
        private final Duration delay;

        SlowDecodingJson(Duration delay) {
            this.delay = delay;
        }

        @Override
        public byte[] encode(Object value) {
            return json.encode(value);
        }

        @Override
        public Object decode(byte[] bytes) {
            RealTime.pass(delay);
            return json.decode(bytes);
        }
    }

    private static void awaitAndRun(CyclicBarrier barrier, Runnable action) {
        try {
            barrier.await(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("writers did not meet", e);
        }
        action.run();
    }

    private static long asLong(Object value) {
        return value instanceof Number number ? number.longValue() : -1;
    }

    private static long percentile(long[] sorted, double fraction) {
        int index = (int) Math.ceil(fraction * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }

    private static long micros(long nanos) {
        return TimeUnit.NANOSECONDS.toMicros(nanos);
    }
}
