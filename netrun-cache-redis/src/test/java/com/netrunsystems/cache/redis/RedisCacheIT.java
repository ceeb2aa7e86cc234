package com.netrunsystems.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.CacheKeys;
import com.netrunsystems.cache.CacheLock;
import com.netrunsystems.cache.CacheSerializationException;
import com.netrunsystems.cache.CacheUnavailableException;
import com.netrunsystems.cache.Codecs;
import com.netrunsystems.cache.ValueCodec;
import com.netrunsystems.cache.testsupport.RedisServerExtension;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** RedisCache behaviour beyond the shared contract: wire format, round trips, locks, security. */
class RedisCacheIT {

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.standalone();

    private final String namespace = "it-" + UUID.randomUUID().toString().substring(0, 8);
    private RedisCache<Object> cache;

    @BeforeEach
    void open() {
        cache = RedisCache.create(config().build());
        cache.initialize();
    }

    @AfterEach
    void close() {
        cache.close();
    }

    private CacheConfig.Builder config() {
        return CacheConfig.builder().namespace(namespace).redisHost(redis.server().host()).redisPort(redis.server().port());
    }

    private Object raw(String... command) {
        return redis.server().execute(command);
    }

    // --- wire format shared with the Python netrun-cache -----------------------------------------

    @Test
    void set_jsonTreeValues_storedAsPythonReadableJsonUnderNamespacedKey() {
        Map<String, Object> user = new LinkedHashMap<>();
        user.put("name", "Zoë");
        user.put("age", 42);
        user.put("tags", List.of("a", "b"));
        cache.set("user:1", user);
        cache.set("greeting", "hello");
        cache.set("pi", 3.5);
        cache.set("flag", true);

        assertThat(raw("GET", namespace + ":user:1")).isEqualTo("{\"name\":\"Zoë\",\"age\":42,\"tags\":[\"a\",\"b\"]}");
        assertThat(raw("GET", namespace + ":greeting")).isEqualTo("\"hello\"");
        assertThat(raw("GET", namespace + ":pi")).isEqualTo("3.5");
        assertThat(raw("GET", namespace + ":flag")).isEqualTo("true");
        assertThat((Long) raw("PTTL", namespace + ":user:1")).isBetween(3_500_000L, 3_600_000L);
    }

    @Test
    void get_valuesWrittenByPython_decodeAsPythonMeantThem() {
        raw("SET", namespace + ":dict", "{\"name\": \"Widget\", \"price\": 29.99}"); // json.dumps(dict)
        raw("SET", namespace + ":str", "Paris");                                   // str(value), not JSON
        raw("SET", namespace + ":int", "42");                                      // str(42)
        raw("SET", namespace + ":big", "123456789012345678901234567890");
        raw("SET", namespace + ":none", "None");                                   // str(None)

        assertThat(cache.get("dict")).isEqualTo(Map.of("name", "Widget", "price", 29.99));
        assertThat(cache.get("str")).isEqualTo("Paris");
        assertThat(cache.get("int")).isEqualTo(42);
        assertThat(cache.get("big")).isEqualTo(new BigInteger("123456789012345678901234567890"));
        assertThat(cache.get("none")).isEqualTo("None");
        assertThat(cache.stats().errors()).isZero();
    }

    @Test
    void increment_storesPlainIntegerStringWithDefaultTtlOnlyWhenNew() {
        assertThat(cache.increment("views", 5)).isEqualTo(5);
        assertThat(raw("GET", namespace + ":views")).isEqualTo("5");
        raw("PEXPIRE", namespace + ":views", "900000");
        assertThat(cache.decrement("views", 2)).isEqualTo(3);
        assertThat((Long) raw("PTTL", namespace + ":views")).isBetween(800_000L, 900_000L);
        raw("SET", namespace + ":python-counter", "10"); // written by Python without a TTL
        assertThat(cache.increment("python-counter")).isEqualTo(11);
        assertThat(raw("PTTL", namespace + ":python-counter")).isEqualTo(-1L);
    }

    @Test
    void increment_keyHoldingText_throwsCacheExceptionNamingKey() {
        cache.set("name", "alice");
        assertThatThrownBy(() -> cache.increment("name"))
                .isInstanceOf(CacheException.class)
                .isNotInstanceOf(CacheUnavailableException.class)
                .hasMessageContaining("'name'")
                .hasMessageContaining(namespace);
        assertThat(cache.get("name")).isEqualTo("alice");
    }

    @Test
    void sha256Key_usableAsKeyAndMatchesPythonHashKey() {
        String key = CacheKeys.sha256(Map.of("model", "gpt-4", "temperature", 0.7));
        cache.set(key, "AI response here");
        assertThat(key).hasSize(64);
        assertThat(raw("GET", namespace + ":" + key)).isEqualTo("\"AI response here\"");
    }

    // --- round trips ---------------------------------------------------------------------------

    @Test
    void operations_useTheDocumentedCommandsAndNoMore() {
        Map<String, Object> items = new LinkedHashMap<>();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            items.put("k" + i, i);
            keys.add("k" + i);
        }
        redis.server().resetStats();
        cache.get("k0");
        assertThat(commandsSinceReset()).containsExactlyEntriesOf(Map.of("get", 1L));

        redis.server().resetStats();
        assertThat(cache.setMany(items)).isEqualTo(100);
        assertThat(commandsSinceReset()).containsExactlyEntriesOf(Map.of("set", 100L));

        redis.server().resetStats();
        assertThat(cache.getMany(keys)).hasSize(100);
        assertThat(commandsSinceReset()).containsExactlyEntriesOf(Map.of("mget", 1L));

        redis.server().resetStats();
        assertThat(cache.getOrLoad("loaded", key -> "v")).isEqualTo("v");
        // regression: a miss used to read twice (GET, GET, SET)
        assertThat(commandsSinceReset()).containsExactlyInAnyOrderEntriesOf(Map.of("get", 1L, "set", 1L));

        redis.server().resetStats();
        cache.increment("counter");
        Map<String, Long> first = commandsSinceReset();
        redis.server().resetStats();
        cache.increment("counter");
        Map<String, Long> second = commandsSinceReset();
        System.out.println("COMMANDS increment: first call " + first + ", later calls " + second);
        assertThat(first).containsKeys("evalsha").doesNotContainKey("keys");
        // one round trip: EVALSHA (commandstats also counts the EXISTS/INCRBY the script runs inside)
        assertThat(second).containsEntry("evalsha", 1L).doesNotContainKeys("eval", "pexpire");
    }

    @Test
    void clearNamespace_tenThousandKeys_scansAndUnlinksInBatchesWithoutKeys() {
        Map<String, Object> items = new LinkedHashMap<>();
        for (int i = 0; i < 10_000; i++) {
            items.put("k" + i, i);
        }
        assertThat(cache.setMany(items)).isEqualTo(10_000);
        raw("SET", "other-" + namespace + ":k1", "1");
        redis.server().resetStats();

        assertThat(cache.clearNamespace()).isEqualTo(10_000);

        Map<String, Long> commands = commandsSinceReset();
        System.out.println("COMMANDS clearNamespace(10000 keys): " + commands);
        assertThat(commands).doesNotContainKey("keys").containsKeys("scan", "unlink");
        assertThat(commands.get("unlink")).isLessThanOrEqualTo(commands.get("scan"));
        assertThat(raw("GET", "other-" + namespace + ":k1")).isEqualTo("1");
    }

    private Map<String, Long> commandsSinceReset() {
        Map<String, Long> commands = new LinkedHashMap<>(redis.server().commandStats());
        commands.keySet().removeIf(c -> c.equals("info") || c.startsWith("config") || c.equals("ping")
                || c.equals("auth") || c.equals("hello") || c.startsWith("client"));
        return commands;
    }

    // --- close ---------------------------------------------------------------------------------

    /**
     * Regression: close() waited for Lettuce's blocking close and shutdown without a bound, so a stuck
     * Lettuce I/O thread (here: a codec blocking in decode, which runs on it) made it hang for ever.
     * Now it gives up after RedisLink.CLOSE_TIMEOUT; the get below is a guard against a hang only.
     */
    @Test
    void close_lettuceIoThreadStuck_returnsWhileItIsStillStuckAndIsIdempotent() throws Exception {
        CountDownLatch decoding = new CountDownLatch(1);
        CountDownLatch unblock = new CountDownLatch(1);
        Thread testThread = Thread.currentThread();
        ValueCodec<String> stuck = new ValueCodec<>() {
            @Override
            public byte[] encode(String value) {
                return value.getBytes(StandardCharsets.UTF_8);
            }

            @Override
            public String decode(byte[] bytes) {
                if (Thread.currentThread() == testThread) {
                    // the reply came before the future's callback was attached: nothing to block
                    return new String(bytes, StandardCharsets.UTF_8);
                }
                decoding.countDown();
                try {
                    unblock.await(120, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return new String(bytes, StandardCharsets.UTF_8);
            }
        };
        // A connect timeout of its own gives it an endpoint of its own: its close is the last on it, the one that
        // waits for Lettuce (caches on one endpoint share the client; see ConnectionModelIT).
        RedisCache<String> blocked = RedisCache.builder(config().socketConnectTimeout(Duration.ofMillis(4_321)).build())
                .codec(stuck).build();
        ExecutorService closer = Executors.newSingleThreadExecutor();
        try {
            assertThat(blocked.set("k", "v")).isTrue();
            CompletableFuture<String> read = blocked.async().get("k");
            for (int attempt = 0; attempt < 100 && !decoding.await(100, TimeUnit.MILLISECONDS); attempt++) {
                read = blocked.async().get("k"); // until a reply is decoded on (and blocks) Lettuce's I/O thread
            }
            assertThat(decoding.getCount()).isZero();

            closer.submit(blocked::close).get(60, TimeUnit.SECONDS);

            assertThat(read).as("the I/O thread is still stuck in decode").isNotDone();
            assertThat(blocked.isConnected()).isFalse();
            blocked.close(); // idempotent: returns at once
            assertThatThrownBy(() -> blocked.get("k")).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("closed");
        } finally {
            unblock.countDown();
            closer.shutdownNow();
        }
    }

    // --- locks ---------------------------------------------------------------------------------

    @Test
    void tryLock_heldBySomeoneElse_returnsEmptyUntilReleased() {
        RedisCache<Object> other = RedisCache.create(config().build());
        try (other) {
            Optional<CacheLock> first = cache.tryLock("lock:report", Duration.ofSeconds(30));
            assertThat(first).isPresent();
            assertThat(other.tryLock("lock:report", Duration.ofSeconds(30))).isEmpty();
            assertThat(first.get().isHeld()).isTrue();
            first.get().close();
            assertThat(first.get().isHeld()).isFalse();
            Optional<CacheLock> second = other.tryLock("lock:report", Duration.ofSeconds(30));
            assertThat(second).isPresent();
            second.get().close();
        }
    }

    /** The README's lock snippet, verbatim apart from returning what it printed. */
    private static String readmeLockSnippet(RedisCache<Object> cache, Runnable buildReport) {
        Optional<CacheLock> taken = cache.tryLock("lock:report", Duration.ofSeconds(30));
        if (taken.isEmpty()) {
            return "report: held by someone else, skipped";    // nothing to clean up
        }
        try (CacheLock lock = taken.get()) {                    // close() frees it only if still ours
            buildReport.run();
            return "report: built";
        }
    }

    @Test
    void readmeLockSnippet_heldBySomeoneElse_skipsWithoutAnException() {
        AtomicInteger builds = new AtomicInteger();
        RedisCache<Object> other = RedisCache.create(config().build());
        try (other; CacheLock held = other.tryLock("lock:report", Duration.ofSeconds(30)).orElseThrow()) {
            assertThat(readmeLockSnippet(cache, builds::incrementAndGet)).isEqualTo("report: held by someone else, skipped");
            assertThat(builds).hasValue(0);
        }
        assertThat(readmeLockSnippet(cache, builds::incrementAndGet)).isEqualTo("report: built");
        assertThat(builds).hasValue(1);
        assertThat(raw("EXISTS", namespace + ":lock:report")).isEqualTo(0L);
    }

    @Test
    void lockClose_afterLeaseExpiredAndTakenByOther_leavesOtherHolderAlone() {
        CacheLock expired = cache.tryLock("lock:job", Duration.ofSeconds(30)).orElseThrow();
        raw("DEL", namespace + ":lock:job"); // the lease ran out
        CacheLock current = cache.tryLock("lock:job", Duration.ofSeconds(30)).orElseThrow();

        assertThat(expired.renew(Duration.ofSeconds(60))).isFalse();
        expired.close();

        assertThat(current.isHeld()).isTrue();
        assertThat(raw("GET", namespace + ":lock:job")).isEqualTo(current.ownerToken());
        assertThat(current.renew(Duration.ofSeconds(60))).isTrue();
        assertThat((Long) raw("PTTL", namespace + ":lock:job")).isGreaterThan(30_000L);
        current.close();
        assertThat(raw("EXISTS", namespace + ":lock:job")).isEqualTo(0L);
    }

    // --- security ------------------------------------------------------------------------------

    @Test
    void get_payloadWithTypeHints_neverInstantiatesAClass() {
        raw("SET", namespace + ":gadget", "[\"java.lang.ProcessBuilder\",{\"command\":[\"touch\",\"/tmp/netrun-pwned\"]}]");
        raw("SET", namespace + ":class", "{\"@class\":\"java.lang.ProcessBuilder\",\"command\":[\"id\"]}");

        assertThat(cache.get("gadget")).isInstanceOf(List.class);
        assertThat(cache.get("class")).isInstanceOf(Map.class);
        RedisCache<Map> typed = RedisCache.builder(config().build()).codec(Codecs.json(Map.class)).build();
        try (typed) {
            assertThat(typed.get("class")).containsEntry("@class", "java.lang.ProcessBuilder");
        }
    }

    @Test
    void set_valueTheCodecCannotEncode_throwsSerializationExceptionNamingKeyAndType() {
        assertThatThrownBy(() -> cache.set("thread", new Object()))
                .isInstanceOf(CacheSerializationException.class)
                .hasMessageContaining("'thread'")
                .hasMessageContaining("java.lang.Object");
        assertThat(raw("EXISTS", namespace + ":thread")).isEqualTo(0L);
    }

    @Test
    void get_undecodableValue_isMissCountedAsError() {
        RedisCache<Point> points = RedisCache.builder(config().build()).codec(Codecs.json(Point.class)).build();
        try (points) {
            raw("SET", namespace + ":p", "not json");
            assertThat(points.get("p")).isNull();
            assertThat(points.stats().errors()).isEqualTo(1);
            assertThat(points.stats().misses()).isEqualTo(1);
        }
    }

    /** Regression (issue 11, defect 10): a cyclic value threw StackOverflowError from the codec. */
    @Test
    void setAndSetMany_cyclicMap_throwSerializationExceptionNamingKeyAndType() {
        Map<String, Object> cyclic = new LinkedHashMap<>();
        cyclic.put("self", cyclic);

        assertThatThrownBy(() -> cache.set("loop", cyclic))
                .isInstanceOf(CacheSerializationException.class)
                .hasMessageContaining("'loop'")
                .hasMessageContaining(LinkedHashMap.class.getName())
                .hasMessageContaining("contains itself");
        assertThatThrownBy(() -> cache.setMany(Map.of("loop", cyclic)))
                .isInstanceOf(CacheSerializationException.class)
                .hasMessageContaining("'loop'");
        assertThat(raw("EXISTS", namespace + ":loop")).isEqualTo(0L);
    }

    /** Regression (issue 11, defect 10), through the two-level cache. */
    @Test
    void cacheManagerSet_cyclicList_throwsSerializationExceptionNamingKeyAndType() {
        List<Object> cyclic = new ArrayList<>();
        cyclic.add(cyclic);
        try (var manager = com.netrunsystems.cache.CacheManager.create(config().build())) {
            assertThatThrownBy(() -> manager.set("loop", cyclic))
                    .isInstanceOf(CacheSerializationException.class)
                    .hasMessageContaining("'loop'")
                    .hasMessageContaining(ArrayList.class.getName());
        }
    }

    /** Regression (issue 11, defect 11): JSON deeper than the reader's limit came back as a raw String. */
    @Test
    void get_jsonDeeperThanTheReaderLimit_isMissCountedAsError() {
        raw("SET", namespace + ":deep", "[".repeat(100_000) + "]".repeat(100_000));
        raw("SET", namespace + ":long", "[" + "7".repeat(5_000) + "]");

        assertThat(cache.get("deep")).isNull();
        assertThat(cache.get("long")).isNull();
        assertThat(cache.stats().errors()).isEqualTo(2);
        assertThat(cache.stats().misses()).isEqualTo(2);
    }

    /** Regression (issue 11, defect 12): a huge TTL threw ArithmeticException instead of being capped. */
    @Test
    void tryLockAndRenew_hugeTtl_cappedLikeOtherTtls() {
        Optional<CacheLock> lock = cache.tryLock("lock:forever", Duration.ofSeconds(Long.MAX_VALUE));
        assertThat(lock).isPresent();
        try (CacheLock held = lock.get()) {
            assertThat((Long) raw("PTTL", namespace + ":lock:forever")).isPositive();
            assertThat(held.renew(Duration.ofSeconds(Long.MAX_VALUE))).isTrue();
            assertThat((Long) raw("PTTL", namespace + ":lock:forever")).isGreaterThan(Duration.ofDays(36_000).toMillis());
        }
    }

    /**
     * Regression (issue 11, defect 12): the first stats() waited for a SCAN of the whole namespace
     * (up to socketTimeout). Now it returns at once and the count arrives in the background.
     */
    @Test
    void stats_firstCallOnALargeNamespace_returnsBeforeTheScanAndTheCountFollows() {
        int keys = 50_000;
        raw("EVAL", "for i = 1, tonumber(ARGV[2]) do redis.call('SET', ARGV[1] .. i, '1') end", "0",
                namespace + ":bulk:", String.valueOf(keys));

        long started = System.nanoTime();
        long first = cache.stats().cachedKeys(); // 50 SCAN pages cannot all come back before this returns
        long firstMicros = TimeUnit.NANOSECONDS.toMicros(System.nanoTime() - started);
        org.awaitility.Awaitility.await("the background count").atMost(Duration.ofSeconds(60))
                .until(() -> cache.stats().cachedKeys() == keys);
        long countedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        System.out.println("STATS first stats() on " + keys + " keys: " + firstMicros + " us; count arrived after "
                + countedMillis + " ms");

        assertThat(first).isZero();
    }

    record Point(int x, int y) {
    }

    @Test
    void typedCodec_roundTripsRecord() {
        RedisCache<Point> points = RedisCache.builder(config().build()).codec(Codecs.json(Point.class)).build();
        try (points) {
            points.set("p", new Point(1, 2));
            assertThat(points.get("p")).isEqualTo(new Point(1, 2));
            assertThat(raw("GET", namespace + ":p")).isEqualTo("{\"x\":1,\"y\":2}");
        }
    }

    // --- statistics ----------------------------------------------------------------------------

    @Test
    void stats_countsKeysOfThisNamespaceAndReportsConnection() {
        cache.set("a", 1);
        cache.set("b", 2);
        cache.get("a");
        cache.get("zzz");
        cache.stats(); // starts the first count in the background; stats() never waits for it
        org.awaitility.Awaitility.await("the first key count").atMost(Duration.ofSeconds(10))
                .until(() -> cache.stats().cachedKeys() == 2);
        var stats = cache.stats();
        assertThat(stats.backend()).isEqualTo("redis");
        assertThat(stats.connected()).isTrue();
        assertThat(stats.cachedKeys()).isEqualTo(2);
        assertThat(stats.hits()).isEqualTo(1);
        assertThat(stats.misses()).isEqualTo(1);
        assertThat(stats.hitRatePercent()).isEqualTo(50.0);
    }

    @Test
    void sharedStats_addsHitsAndMissesToPythonCountersWithoutExtraCommandsOnGet() {
        RedisCache<Object> shared = RedisCache.create(config().sharedStats(true).build());
        try (shared) {
            shared.set("a", 1);
            redis.server().resetStats();
            shared.get("a");
            shared.get("a");
            shared.get("missing");
            assertThat(commandsSinceReset()).containsEntry("get", 3L).doesNotContainKey("incrby");
        }
        // close() flushes what is pending
        assertThat(raw("GET", namespace + ":stats:hits")).isEqualTo("2");
        assertThat(raw("GET", namespace + ":stats:misses")).isEqualTo("1");
    }

    /** Regression: getOrLoad read with statistics off, so its hits and misses never reached the shared counters. */
    @Test
    void sharedStats_getOrLoad_countsItsHitsAndMissesLikeGet() {
        RedisCache<Object> shared = RedisCache.create(config().sharedStats(true).build());
        try (shared) {
            assertThat(shared.getOrLoad("a", key -> "loaded")).isEqualTo("loaded"); // miss, loads
            assertThat(shared.getOrLoad("a", key -> "other")).isEqualTo("loaded");  // hit
            assertThat(shared.getOrLoad("a", key -> "other")).isEqualTo("loaded");  // hit
            assertThat(shared.getOrLoad("b", key -> null)).isNull();               // miss, nothing cached
            assertThat(shared.stats().hits()).isEqualTo(2);
            assertThat(shared.stats().misses()).isEqualTo(2);
        }
        assertThat(raw("GET", namespace + ":stats:hits")).isEqualTo("2");
        assertThat(raw("GET", namespace + ":stats:misses")).isEqualTo("2");
    }

    /** The same through a CacheManager: its L2 lookup counts in the shared counters, as its get's does. */
    @Test
    void sharedStats_cacheManagerGetOrLoadMiss_countsInSharedCounters() {
        com.netrunsystems.cache.CacheManager<Object> manager =
                com.netrunsystems.cache.CacheManager.create(config().sharedStats(true).build());
        try (manager) {
            assertThat(manager.getOrLoad("cold", key -> "loaded")).isEqualTo("loaded");
            assertThat(manager.l2Stats().orElseThrow().misses()).isEqualTo(1);
        }
        assertThat(raw("GET", namespace + ":stats:misses")).isEqualTo("1");
        assertThat(raw("GET", namespace + ":stats:hits")).isNull();
    }
}
