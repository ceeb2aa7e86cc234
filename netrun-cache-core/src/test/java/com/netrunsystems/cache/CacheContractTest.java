package com.netrunsystems.cache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The behaviour every {@link Cache} backend shares, as API.md "Semantics every backend shares"
 * states it: one small test per rule, in the spirit of JetCache's {@code AbstractCacheTest} and
 * Caffeine's {@code @CacheSpec}. {@code MemoryCache}, {@code RedisCache} (standalone and Cluster)
 * and {@code CacheManager} extend it; it is published in core's test-jar.
 *
 * <p>A backend supplies {@link #newCache(String, Duration)} and {@link #advanceTime(Duration)}.
 * Values are JSON-tree types only (Map, List, String, Number, Boolean), chosen so that a JSON
 * backend round-trips them: Strings, Maps and Lists of them, Integers within int range, Booleans
 * and Doubles such as 0.5; numbers are compared by {@code longValue()} where a JSON backend may
 * change the boxed type. TTL tests use {@link #shortTtl()} and move time with
 * {@link #advanceTime(Duration)} by {@link #beyondShortTtl()}, so a backend that must really wait
 * (Redis) waits only a fraction of a second; everything else uses a one-hour default TTL.
 *
 * <p>Test and lifecycle methods are public so that subclasses in other packages inherit them.
 * The contract never sleeps and makes no timed performance assertions; blocking waits are bounded.
 */
public abstract class CacheContractTest {

    /** The default TTL of {@link #cache}: long enough never to expire during a test. */
    protected static final Duration LONG_TTL = Duration.ofHours(1);

    /** The most any blocking wait in the contract takes before it fails the test. */
    protected static final Duration TIMEOUT = Duration.ofSeconds(30);

    private static final List<String> BAD_KEYS = Arrays.asList(null, "");
    private static final List<Duration> BAD_TTLS = Arrays.asList(null, Duration.ZERO, Duration.ofMillis(-1));

    /** The cache under test, created before each test with a unique namespace and closed after it. */
    protected Cache<Object> cache;

    /** The namespace of {@link #cache}. */
    protected String namespace;

    private final List<Cache<Object>> extraCaches = new ArrayList<>();

    /**
     * Returns a new, empty cache of the backend under test with the given namespace and default
     * TTL, holding JSON-tree values. Each call may be made several times per test (other namespaces).
     */
    protected abstract Cache<Object> newCache(String namespace, Duration defaultTtl);

    /** Moves the cache's time forward by {@code duration}: a fake ticker in memory, a sleep on Redis. */
    protected abstract void advanceTime(Duration duration);

    /** Returns the TTL of entries meant to expire during a test; override to widen it for a slow backend. */
    protected Duration shortTtl() {
        return Duration.ofMillis(100);
    }

    /** Returns how far to {@linkplain #advanceTime move time} for a {@link #shortTtl()} entry to be expired. */
    protected Duration beyondShortTtl() {
        return shortTtl().plusMillis(50);
    }

    /** Returns a random suffix that keeps namespaces of concurrent or repeated runs apart. */
    protected static String uniqueSuffix() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    }

    /** Returns a further cache for this test; it is cleared and closed after the test. */
    protected Cache<Object> newExtraCache(String namespace, Duration defaultTtl) {
        Cache<Object> extra = newCache(namespace, defaultTtl);
        extraCaches.add(extra);
        return extra;
    }

    @BeforeEach
    public void contractSetUp() {
        namespace = "contract-" + uniqueSuffix();
        cache = newCache(namespace, LONG_TTL);
    }

    @AfterEach
    public void contractTearDown() {
        List<Cache<Object>> all = new ArrayList<>(extraCaches);
        all.add(cache);
        extraCaches.clear();
        for (Cache<Object> c : all) {
            if (c == null) {
                continue;
            }
            try {
                c.clearNamespace();
            } catch (RuntimeException alreadyClosed) {
                // a test closed it; nothing left to clear
            }
            c.close();
        }
    }

    // ---------------------------------------------------------------- identity

    @Test
    public void identity_newCache_reportsNamespaceDefaultTtlAndBackend() {
        assertThat(cache.namespace()).isEqualTo(namespace);
        assertThat(cache.defaultTtl()).isEqualTo(LONG_TTL);
        assertThat(cache.backend()).isNotNull();
        assertThat(cache.async().synchronous()).isSameAs(cache);
    }

    // Regression (issue 16, item 7): CacheStats.backend() is the wire name (a String, as API.md fixes it);
    // backendType() is the same enum as Cache.backend().
    @Test
    public void stats_backendType_isTheCacheBackend() {
        CacheStats stats = cache.stats();
        assertThat(stats.backendType()).isSameAs(cache.backend());
        assertThat(stats.backend()).isEqualTo(cache.backend().wireName());
    }

    @Test
    public void initialize_calledTwice_isIdempotent() {
        cache.initialize();
        cache.initialize();

        assertThat(cache.set("k", "v")).isTrue();
        assertThat(cache.get("k")).isEqualTo("v");
    }

    // ---------------------------------------------------------------- get / set round trips

    @Test
    public void set_mapValue_getReturnsEqualMap() {
        Map<String, Object> user = Map.of(
                "name", "Alice",
                "age", 30,
                "active", true,
                "score", 0.5,
                "tags", List.of("admin", "ops"),
                "address", Map.of("city", "Zürich", "zip", "8000"));

        assertThat(cache.set("user:1", user)).isTrue();

        assertThat(cache.get("user:1")).isEqualTo(user);
    }

    @Test
    public void set_listValue_getReturnsEqualList() {
        List<Object> list = List.of("a", 1, true, 0.5, List.of("nested"), Map.of("k", "v"));

        cache.set("list", list);

        assertThat(cache.get("list")).isEqualTo(list);
    }

    @Test
    public void set_emptyMapAndList_roundTrip() {
        cache.set("empty-map", Map.of());
        cache.set("empty-list", List.of());

        assertThat(cache.get("empty-map")).isEqualTo(Map.of());
        assertThat(cache.get("empty-list")).isEqualTo(List.of());
    }

    @Test
    public void set_stringValue_getReturnsEqualString() {
        cache.set("plain", "text");
        cache.set("unicode", "héllo ✓ 日本 \uD83D\uDE00");
        cache.set("blank", " ");

        assertThat(cache.get("plain")).isEqualTo("text");
        assertThat(cache.get("unicode")).isEqualTo("héllo ✓ 日本 \uD83D\uDE00");
        assertThat(cache.get("blank")).isEqualTo(" ");
    }

    @Test
    public void set_stringThatLooksLikeJson_getReturnsTheSameString() {
        List<String> lookAlikes = List.of("42", "true", "null", "0.5", "[1,2]", "{\"a\":1}", "\"quoted\"");
        for (int i = 0; i < lookAlikes.size(); i++) {
            cache.set("json-like-" + i, lookAlikes.get(i));
        }

        for (int i = 0; i < lookAlikes.size(); i++) {
            assertThat(cache.get("json-like-" + i)).as("value %s", lookAlikes.get(i)).isEqualTo(lookAlikes.get(i));
        }
    }

    @Test
    public void set_integerValue_getReturnsNumberWithSameValue() {
        cache.set("int", 42);
        cache.set("negative", -7);
        cache.set("max", Integer.MAX_VALUE);

        assertThat(longValue(cache.get("int"))).isEqualTo(42L);
        assertThat(longValue(cache.get("negative"))).isEqualTo(-7L);
        assertThat(longValue(cache.get("max"))).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    public void set_longBeyondIntRange_getReturnsNumberWithSameValue() {
        cache.set("big", 10_000_000_000L);

        assertThat(longValue(cache.get("big"))).isEqualTo(10_000_000_000L);
    }

    @Test
    public void set_doubleValue_getReturnsEqualDouble() {
        cache.set("half", 0.5);
        cache.set("negative", -1.25);

        assertThat(cache.get("half")).isEqualTo(0.5);
        assertThat(cache.get("negative")).isEqualTo(-1.25);
    }

    @Test
    public void set_booleanValue_getReturnsEqualBoolean() {
        cache.set("yes", true);
        cache.set("no", false);

        assertThat(cache.get("yes")).isEqualTo(true);
        assertThat(cache.get("no")).isEqualTo(false);
    }

    @Test
    public void set_keyWithSpecialCharacters_roundTrips() {
        String key = "user:42/profile?lang=de&x=*[a]{b} ü";

        cache.set(key, "special");

        assertThat(cache.get(key)).isEqualTo("special");
        assertThat(cache.exists(key)).isTrue();
    }

    @Test
    public void get_missingKey_returnsNull() {
        assertThat(cache.get("missing")).isNull();
        assertThat(cache.get("missing", false)).isNull();
    }

    @Test
    public void set_existingKey_replacesValueAndTtl() {
        cache.set("k", "first", shortTtl());

        assertThat(cache.set("k", "second")).isTrue();
        advanceTime(beyondShortTtl());

        assertThat(cache.get("k")).isEqualTo("second");
    }

    // ---------------------------------------------------------------- TTL

    @Test
    public void set_withoutTtl_appliesDefaultTtl() {
        Cache<Object> shortLived = newExtraCache("contract-short-" + uniqueSuffix(), shortTtl());
        cache.set("long-lived", "stays");
        shortLived.set("short-lived", "goes");
        assertThat(shortLived.get("short-lived")).isEqualTo("goes");

        advanceTime(beyondShortTtl());

        assertThat(shortLived.get("short-lived")).isNull();
        assertThat(shortLived.exists("short-lived")).isFalse();
        assertThat(cache.get("long-lived")).isEqualTo("stays");
    }

    @Test
    public void writesWithoutTtl_shortDefaultTtl_expireAfterDefaultTtl() {
        Cache<Object> shortLived = newExtraCache("contract-short-" + uniqueSuffix(), shortTtl());
        shortLived.setIfAbsent("set-if-absent", "v");
        shortLived.setMany(Map.of("many-1", "v", "many-2", "v"));
        shortLived.getOrLoad("loaded", key -> "v");
        assertThat(shortLived.getMany(List.of("set-if-absent", "many-1", "many-2", "loaded"))).hasSize(4);

        advanceTime(beyondShortTtl());

        assertThat(shortLived.getMany(List.of("set-if-absent", "many-1", "many-2", "loaded"))).isEmpty();
    }

    @Test
    public void set_withTtl_expiresAfterTtl() {
        cache.set("k", "v", shortTtl());
        assertThat(cache.get("k")).isEqualTo("v");

        advanceTime(beyondShortTtl());

        assertThat(cache.get("k")).isNull();
    }

    @Test
    public void set_withTtl_expiredEntryIsNeverReturnedByAnyOperation() {
        cache.set("expired", Map.of("name", "Alice"), shortTtl());
        cache.set("alive", "v");

        advanceTime(beyondShortTtl());

        assertThat(cache.get("expired")).isNull();
        assertThat(cache.get("expired", false)).isNull();
        assertThat(cache.exists("expired")).isFalse();
        assertThat(cache.getMany(List.of("expired", "alive"))).containsOnlyKeys("alive");
        assertThat(cache.expire("expired", LONG_TTL)).isFalse();
        assertThat(cache.delete("expired")).isFalse();
        assertThat(cache.get("expired")).isNull();
    }

    @Test
    public void setIfAbsent_expiredKey_storesAndReturnsTrue() {
        cache.set("k", "old", shortTtl());
        advanceTime(beyondShortTtl());

        assertThat(cache.setIfAbsent("k", "new")).isTrue();

        assertThat(cache.get("k")).isEqualTo("new");
    }

    @Test
    public void increment_expiredCounter_startsAgainAtZero() {
        cache.set("counter", 41, shortTtl());
        advanceTime(beyondShortTtl());

        assertThat(cache.increment("counter")).isEqualTo(1);
    }

    // ---------------------------------------------------------------- setIfAbsent

    @Test
    public void setIfAbsent_missingKey_storesAndReturnsTrue() {
        assertThat(cache.setIfAbsent("k", "first")).isTrue();

        assertThat(cache.get("k")).isEqualTo("first");
    }

    @Test
    public void setIfAbsent_existingKey_returnsFalseAndChangesNeitherValueNorTtl() {
        cache.set("k", "first", shortTtl());

        assertThat(cache.setIfAbsent("k", "second", LONG_TTL)).isFalse();
        assertThat(cache.setIfAbsent("k", "third")).isFalse();

        assertThat(cache.get("k")).isEqualTo("first");
        advanceTime(beyondShortTtl());
        assertThat(cache.get("k")).isNull();
    }

    @Test
    public void setIfAbsent_withTtl_expiresAfterTtl() {
        assertThat(cache.setIfAbsent("k", "v", shortTtl())).isTrue();

        advanceTime(beyondShortTtl());

        assertThat(cache.exists("k")).isFalse();
    }

    // ---------------------------------------------------------------- delete / exists / expire

    @Test
    public void delete_existingKey_returnsTrueAndRemovesIt() {
        cache.set("k", "v");

        assertThat(cache.delete("k")).isTrue();

        assertThat(cache.get("k")).isNull();
        assertThat(cache.exists("k")).isFalse();
    }

    @Test
    public void delete_missingKey_returnsFalse() {
        assertThat(cache.delete("missing")).isFalse();
    }

    @Test
    public void delete_calledTwice_returnsTrueThenFalse() {
        cache.set("k", "v");

        assertThat(cache.delete("k")).isTrue();
        assertThat(cache.delete("k")).isFalse();
    }

    @Test
    public void exists_existingAndMissingKey_reportsPresence() {
        cache.set("present", "v");

        assertThat(cache.exists("present")).isTrue();
        assertThat(cache.exists("missing")).isFalse();
    }

    @Test
    public void exists_anyKey_countsNoHitOrMiss() {
        cache.set("present", "v");

        cache.exists("present");
        cache.exists("missing");

        assertThat(cache.stats().totalRequests()).isZero();
    }

    @Test
    public void expire_existingKey_shortensTtlAndKeepsValue() {
        cache.set("k", "v");

        assertThat(cache.expire("k", shortTtl())).isTrue();

        assertThat(cache.get("k")).isEqualTo("v");
        advanceTime(beyondShortTtl());
        assertThat(cache.get("k")).isNull();
    }

    @Test
    public void expire_existingKey_extendsTtl() {
        cache.set("k", "v", shortTtl());

        assertThat(cache.expire("k", LONG_TTL)).isTrue();

        advanceTime(beyondShortTtl());
        assertThat(cache.get("k")).isEqualTo("v");
    }

    @Test
    public void expire_missingKey_returnsFalseAndCreatesNothing() {
        assertThat(cache.expire("missing", LONG_TTL)).isFalse();

        assertThat(cache.exists("missing")).isFalse();
    }

    // ---------------------------------------------------------------- getMany / setMany

    @Test
    public void getMany_someKeysMissing_returnsOnlyFoundKeys() {
        cache.set("a", "1");
        cache.set("b", Map.of("name", "Bob"));

        Map<String, Object> found = cache.getMany(List.of("a", "missing", "b"));

        assertThat(found).containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", Map.of("name", "Bob")));
    }

    @Test
    public void getMany_duplicateKeys_returnsEachKeyOnceAndCountsEachDistinctKeyOnce() {
        cache.set("a", "1");

        Map<String, Object> found = cache.getMany(List.of("a", "a", "missing", "missing"));

        assertThat(found).containsExactlyEntriesOf(Map.of("a", "1"));
        CacheStats stats = cache.stats();
        assertThat(stats.hits()).isEqualTo(1);
        assertThat(stats.misses()).isEqualTo(1);
    }

    @Test
    public void getMany_emptyKeys_returnsEmptyMap() {
        assertThat(cache.getMany(List.of())).isEmpty();
        assertThat(cache.getMany(Set.of())).isEmpty();
    }

    @Test
    public void getMany_allMissing_returnsEmptyMap() {
        assertThat(cache.getMany(List.of("x", "y"))).isEmpty();
    }

    @Test
    public void setMany_items_returnsCountAndStoresEveryEntry() {
        Map<String, Object> items = Map.of("a", "1", "b", 2, "c", Map.of("k", "v"));

        assertThat(cache.setMany(items)).isEqualTo(3);

        assertThat(cache.get("a")).isEqualTo("1");
        assertThat(longValue(cache.get("b"))).isEqualTo(2L);
        assertThat(cache.get("c")).isEqualTo(Map.of("k", "v"));
    }

    @Test
    public void setMany_existingKeys_replacesValues() {
        cache.set("a", "old");

        cache.setMany(Map.of("a", "new", "b", "fresh"));

        assertThat(cache.getMany(List.of("a", "b"))).containsExactlyInAnyOrderEntriesOf(Map.of("a", "new", "b", "fresh"));
    }

    @Test
    public void setMany_withTtl_expiresEveryEntry() {
        assertThat(cache.setMany(Map.of("a", "1", "b", "2"), shortTtl())).isEqualTo(2);
        assertThat(cache.getMany(List.of("a", "b"))).hasSize(2);

        advanceTime(beyondShortTtl());

        assertThat(cache.getMany(List.of("a", "b"))).isEmpty();
        assertThat(cache.exists("a")).isFalse();
    }

    @Test
    public void setMany_emptyItems_returnsZero() {
        assertThat(cache.setMany(Map.of())).isZero();
        assertThat(cache.setMany(Map.of(), LONG_TTL)).isZero();
    }

    // ---------------------------------------------------------------- counters

    @Test
    public void increment_newKey_startsAtZeroPlusAmount() {
        assertThat(cache.increment("one")).isEqualTo(1);
        assertThat(cache.increment("five", 5)).isEqualTo(5);
    }

    @Test
    public void decrement_newKey_startsAtZeroMinusAmount() {
        assertThat(cache.decrement("minus-one")).isEqualTo(-1);
        assertThat(cache.decrement("minus-three", 3)).isEqualTo(-3);
    }

    @Test
    public void increment_existingCounter_returnsRunningTotal() {
        cache.increment("counter");
        cache.increment("counter", 10);

        assertThat(cache.increment("counter")).isEqualTo(12);
        assertThat(cache.decrement("counter", 2)).isEqualTo(10);
        assertThat(cache.decrement("counter")).isEqualTo(9);
    }

    @Test
    public void increment_negativeAmount_subtracts() {
        cache.increment("counter", 10);

        assertThat(cache.increment("counter", -15)).isEqualTo(-5);
        assertThat(cache.decrement("counter", -7)).isEqualTo(2);
    }

    @Test
    public void increment_integerStoredBySet_addsToIt() {
        cache.set("counter", 10);

        assertThat(cache.increment("counter", 5)).isEqualTo(15);
        assertThat(cache.decrement("counter", 20)).isEqualTo(-5);
    }

    @Test
    public void get_counter_returnsNumberEqualToItsValue() {
        cache.increment("counter", 41);
        cache.increment("counter");
        cache.decrement("negative", 3);

        assertThat(cache.get("counter")).isInstanceOf(Number.class);
        assertThat(longValue(cache.get("counter"))).isEqualTo(42L);
        assertThat(longValue(cache.get("negative"))).isEqualTo(-3L);
        assertThat(cache.exists("counter")).isTrue();
    }

    @Test
    public void increment_newCounter_getsDefaultTtl() {
        Cache<Object> shortLived = newExtraCache("contract-short-" + uniqueSuffix(), shortTtl());
        assertThat(shortLived.increment("counter")).isEqualTo(1);
        assertThat(shortLived.decrement("down")).isEqualTo(-1);

        advanceTime(beyondShortTtl());

        assertThat(shortLived.get("counter")).isNull();
        assertThat(shortLived.exists("down")).isFalse();
        assertThat(shortLived.increment("counter")).isEqualTo(1);
    }

    @Test
    public void increment_existingCounter_keepsItsTtl() {
        cache.set("short", 5, shortTtl());
        cache.increment("long");

        assertThat(cache.increment("short")).isEqualTo(6);
        assertThat(cache.decrement("short", 2)).isEqualTo(4);
        advanceTime(beyondShortTtl());

        assertThat(cache.exists("short")).isFalse();
        assertThat(longValue(cache.get("long"))).isEqualTo(1L);
    }

    @Test
    public void increment_keyHoldingNonInteger_throwsCacheExceptionNamingKeyAndChangesNothing() {
        Map<String, Object> nonIntegers = Map.of(
                "holds-text", "text",
                "holds-map", Map.of("name", "Alice"),
                "holds-list", List.of(1, 2),
                "holds-double", 0.5,
                "holds-boolean", true);
        cache.setMany(nonIntegers);

        for (String key : nonIntegers.keySet()) {
            assertThatThrownBy(() -> cache.increment(key)).as(key)
                    .isInstanceOf(CacheException.class)
                    .hasMessageContaining(key);
            assertThatThrownBy(() -> cache.decrement(key, 2)).as(key)
                    .isInstanceOf(CacheException.class)
                    .hasMessageContaining(key);
            assertThat(cache.get(key)).as(key).isEqualTo(nonIntegers.get(key));
        }
    }

    // ---------------------------------------------------------------- clearNamespace

    @Test
    public void clearNamespace_someKeys_removesThemAndReturnsCount() {
        cache.setMany(Map.of("a", "1", "b", "2"));
        cache.increment("counter");

        assertThat(cache.clearNamespace()).isEqualTo(3);

        assertThat(cache.getMany(List.of("a", "b", "counter"))).isEmpty();
        assertThat(cache.exists("a")).isFalse();
    }

    @Test
    public void clearNamespace_emptyNamespace_returnsZero() {
        assertThat(cache.clearNamespace()).isZero();
    }

    @Test
    public void clearNamespace_calledTwice_returnsZeroTheSecondTime() {
        cache.set("a", "1");

        assertThat(cache.clearNamespace()).isEqualTo(1);
        assertThat(cache.clearNamespace()).isZero();
    }

    @Test
    public void clearNamespace_cacheStillUsableAfterwards() {
        cache.set("a", "1");
        cache.clearNamespace();

        cache.set("a", "2");

        assertThat(cache.get("a")).isEqualTo("2");
    }

    @Test
    public void clearNamespace_namespaceIsPrefixOfAnother_leavesTheOtherIntact() {
        String base = "app-" + uniqueSuffix();
        Cache<Object> app = newExtraCache(base, LONG_TTL);
        Cache<Object> app2 = newExtraCache(base + "2", LONG_TTL);
        app.setMany(Map.of("a", "1", "b", "2", "c", "3"));
        app2.setMany(Map.of("a", "x", "b", "y"));

        assertThat(app.clearNamespace()).isEqualTo(3);

        assertThat(app.getMany(List.of("a", "b", "c"))).isEmpty();
        assertThat(app2.getMany(List.of("a", "b"))).containsExactlyInAnyOrderEntriesOf(Map.of("a", "x", "b", "y"));
        assertThat(app2.clearNamespace()).isEqualTo(2);
        // Not asserted: a namespace "app:x" stores "app:x:k", which the shared Python key layout also
        // makes the key "x:k" of namespace "app"; clearing "app" removes it (documented on RedisCache).
    }

    @Test
    public void clearNamespace_otherNamespaceIsPrefix_leavesItIntact() {
        String base = "app-" + uniqueSuffix();
        Cache<Object> app = newExtraCache(base, LONG_TTL);
        Cache<Object> app2 = newExtraCache(base + "2", LONG_TTL);
        app.set("a", "1");
        app2.set("a", "2");

        assertThat(app2.clearNamespace()).isEqualTo(1);

        assertThat(app.get("a")).isEqualTo("1");
    }

    @Test
    public void clearNamespace_globCharactersInNamespace_leavesLookAlikeNamespacesIntact() {
        String suffix = uniqueSuffix();
        Cache<Object> glob = newExtraCache("a*b?[c]" + suffix, LONG_TTL);
        Cache<Object> matchesUnescapedPattern = newExtraCache("aXbYc" + suffix, LONG_TTL);
        Cache<Object> bracketLookAlike = newExtraCache("aXbY[c]" + suffix, LONG_TTL);
        Cache<Object> openBracket = newExtraCache("g*?[" + suffix, LONG_TTL);
        Cache<Object> openBracketLookAlike = newExtraCache("gZZ[" + suffix, LONG_TTL);
        glob.setMany(Map.of("k1", "glob", "k2", "glob"));
        matchesUnescapedPattern.set("k1", "victim");
        bracketLookAlike.set("k1", "victim");
        openBracket.set("k1", "open");
        openBracketLookAlike.set("k1", "victim");

        assertThat(glob.clearNamespace()).isEqualTo(2);
        assertThat(openBracket.clearNamespace()).isEqualTo(1);

        assertThat(glob.getMany(List.of("k1", "k2"))).isEmpty();
        assertThat(openBracket.get("k1")).isNull();
        assertThat(matchesUnescapedPattern.get("k1")).isEqualTo("victim");
        assertThat(bracketLookAlike.get("k1")).isEqualTo("victim");
        assertThat(openBracketLookAlike.get("k1")).isEqualTo("victim");
    }

    @Test
    public void clearNamespace_otherNamespaceSharesKeys_onlyThisOneIsCleared() {
        Cache<Object> other = newExtraCache("contract-other-" + uniqueSuffix(), LONG_TTL);
        cache.set("shared", "mine");
        other.set("shared", "theirs");

        assertThat(cache.clearNamespace()).isEqualTo(1);

        assertThat(cache.get("shared")).isNull();
        assertThat(other.get("shared")).isEqualTo("theirs");
    }

    @Test
    public void namespaces_sameKey_areIsolated() {
        Cache<Object> other = newExtraCache("contract-other-" + uniqueSuffix(), LONG_TTL);
        cache.set("k", "mine");

        assertThat(other.get("k")).isNull();
        assertThat(other.exists("k")).isFalse();
        assertThat(other.delete("k")).isFalse();
        assertThat(other.increment("k")).isEqualTo(1);
        assertThat(cache.get("k")).isEqualTo("mine");
    }

    // ---------------------------------------------------------------- stats

    @Test
    public void stats_twoHitsOneMiss_reportsCountsAndHitRate() {
        cache.set("k", "v");

        cache.get("k");
        cache.get("k");
        cache.get("missing");

        CacheStats stats = cache.stats();
        assertThat(stats.hits()).isEqualTo(2);
        assertThat(stats.misses()).isEqualTo(1);
        assertThat(stats.totalRequests()).isEqualTo(3);
        assertThat(stats.hitRatePercent()).isEqualTo(66.67);
        assertThat(stats.hitRate()).isCloseTo(2.0 / 3, within(1e-9));
    }

    @Test
    public void stats_noReads_reportsZeroHitRate() {
        cache.set("k", "v");

        CacheStats stats = cache.stats();

        assertThat(stats.hits()).isZero();
        assertThat(stats.misses()).isZero();
        assertThat(stats.totalRequests()).isZero();
        assertThat(stats.hitRatePercent()).isZero();
        assertThat(stats.hitRate()).isZero();
    }

    @Test
    public void stats_getWithoutTracking_countsNothing() {
        cache.set("k", "v");

        assertThat(cache.get("k", false)).isEqualTo("v");
        assertThat(cache.get("missing", false)).isNull();

        assertThat(cache.stats().totalRequests()).isZero();
    }

    @Test
    public void stats_getWithTracking_countsLikeGet() {
        cache.set("k", "v");

        cache.get("k", true);
        cache.get("missing", true);

        assertThat(cache.stats().hits()).isEqualTo(1);
        assertThat(cache.stats().misses()).isEqualTo(1);
    }

    @Test
    public void stats_writes_countNoHitsOrMisses() {
        cache.set("a", "1");
        cache.setIfAbsent("a", "2");
        cache.setMany(Map.of("b", "1"));
        cache.expire("a", LONG_TTL);
        cache.increment("counter");
        cache.delete("b");

        assertThat(cache.stats().totalRequests()).isZero();
    }

    @Test
    public void resetStats_afterReads_setsCountsToZero() {
        cache.set("k", "v");
        cache.get("k");
        cache.get("missing");
        cache.getOrLoad("loaded", key -> "v");
        assertThat(cache.stats().totalRequests()).isPositive();

        cache.resetStats();

        CacheStats stats = cache.stats();
        assertThat(stats.hits()).isZero();
        assertThat(stats.misses()).isZero();
        assertThat(stats.totalRequests()).isZero();
        assertThat(stats.hitRatePercent()).isZero();
        assertThat(stats.loads()).isZero();
        assertThat(stats.loadFailures()).isZero();
        assertThat(stats.errors()).isZero();
        assertThat(cache.get("k")).isEqualTo("v");
        assertThat(cache.stats().hits()).isEqualTo(1);
    }

    @Test
    public void stats_anyCache_namesNamespaceAndBackend() {
        cache.set("k", "v");
        cache.get("k");

        CacheStats stats = cache.stats();

        assertThat(stats.namespace()).isEqualTo(namespace);
        assertThat(stats.backend()).isEqualTo(cache.backend().wireName());
        assertThat(stats.connected()).isTrue();
        assertThat(stats.errors()).isZero();
    }

    // ---------------------------------------------------------------- bad input: IllegalArgumentException, nothing changed

    @Test
    public void get_badKey_throwsIllegalArgumentNamingKey() {
        for (String key : BAD_KEYS) {
            assertRejected(() -> cache.get(key), "key");
            assertRejected(() -> cache.get(key, false), "key");
        }
        assertThat(cache.stats().totalRequests()).isZero();
    }

    @Test
    public void set_badArguments_throwIllegalArgumentAndChangeNothing() {
        cache.set("existing", "original");

        for (String key : BAD_KEYS) {
            assertRejected(() -> cache.set(key, "v"), "key");
            assertRejected(() -> cache.set(key, "v", LONG_TTL), "key");
        }
        assertRejected(() -> cache.set("existing", null), "value");
        assertRejected(() -> cache.set("existing", null, LONG_TTL), "value");
        assertRejected(() -> cache.set("new", null), "value");
        for (Duration ttl : BAD_TTLS) {
            assertRejected(() -> cache.set("existing", "changed", ttl), "ttl");
            assertRejected(() -> cache.set("new", "v", ttl), "ttl");
        }

        assertThat(cache.get("existing")).isEqualTo("original");
        assertThat(cache.exists("new")).isFalse();
    }

    @Test
    public void setIfAbsent_badArguments_throwIllegalArgumentAndChangeNothing() {
        cache.set("existing", "original");

        for (String key : BAD_KEYS) {
            assertRejected(() -> cache.setIfAbsent(key, "v"), "key");
            assertRejected(() -> cache.setIfAbsent(key, "v", LONG_TTL), "key");
        }
        assertRejected(() -> cache.setIfAbsent("new", null), "value");
        assertRejected(() -> cache.setIfAbsent("new", null, LONG_TTL), "value");
        for (Duration ttl : BAD_TTLS) {
            assertRejected(() -> cache.setIfAbsent("new", "v", ttl), "ttl");
            assertRejected(() -> cache.setIfAbsent("existing", "v", ttl), "ttl");
        }

        assertThat(cache.exists("new")).isFalse();
        assertThat(cache.get("existing")).isEqualTo("original");
    }

    @Test
    public void delete_badKey_throwsIllegalArgumentNamingKey() {
        for (String key : BAD_KEYS) {
            assertRejected(() -> cache.delete(key), "key");
        }
    }

    @Test
    public void exists_badKey_throwsIllegalArgumentNamingKey() {
        for (String key : BAD_KEYS) {
            assertRejected(() -> cache.exists(key), "key");
        }
    }

    @Test
    public void expire_badArguments_throwIllegalArgumentAndChangeNothing() {
        cache.set("existing", "original");

        for (String key : BAD_KEYS) {
            assertRejected(() -> cache.expire(key, LONG_TTL), "key");
        }
        for (Duration ttl : BAD_TTLS) {
            assertRejected(() -> cache.expire("existing", ttl), "ttl");
        }

        assertThat(cache.get("existing")).isEqualTo("original");
    }

    @Test
    public void getMany_badKeys_throwIllegalArgumentNamingKeys() {
        assertRejected(() -> cache.getMany(null), "keys");
        assertRejected(() -> cache.getMany(Arrays.asList("a", null)), "keys");
        assertRejected(() -> cache.getMany(Arrays.asList("a", "")), "keys");

        assertThat(cache.stats().totalRequests()).isZero();
    }

    @Test
    public void setMany_badItems_throwIllegalArgumentAndStoreNone() {
        cache.set("existing", "original");
        Map<String, Object> nullValue = new LinkedHashMap<>();
        nullValue.put("good", "v");
        nullValue.put("existing", "changed");
        nullValue.put("bad", null);
        Map<String, Object> nullKey = new LinkedHashMap<>();
        nullKey.put("good", "v");
        nullKey.put(null, "v");
        Map<String, Object> emptyKey = new LinkedHashMap<>();
        emptyKey.put("good", "v");
        emptyKey.put("", "v");

        assertRejected(() -> cache.setMany(null), "items");
        assertRejected(() -> cache.setMany(null, LONG_TTL), "items");
        assertRejected(() -> cache.setMany(nullValue), "items");
        assertRejected(() -> cache.setMany(nullKey), "items");
        assertRejected(() -> cache.setMany(emptyKey), "items");
        for (Duration ttl : BAD_TTLS) {
            assertRejected(() -> cache.setMany(Map.of("good", "v", "existing", "changed"), ttl), "ttl");
        }

        assertThat(cache.exists("good")).isFalse();
        assertThat(cache.get("existing")).isEqualTo("original");
    }

    @Test
    public void increment_badKey_throwsIllegalArgumentNamingKey() {
        for (String key : BAD_KEYS) {
            assertRejected(() -> cache.increment(key), "key");
            assertRejected(() -> cache.increment(key, 5), "key");
            assertRejected(() -> cache.decrement(key), "key");
            assertRejected(() -> cache.decrement(key, 5), "key");
        }
    }

    @Test
    public void getOrLoad_badArguments_throwIllegalArgumentWithoutCallingLoader() {
        Function<String, Object> mustNotRun = key -> fail("the loader must not run for bad input");

        for (String key : BAD_KEYS) {
            assertRejected(() -> cache.getOrLoad(key, mustNotRun), "key");
            assertRejected(() -> cache.getOrLoad(key, LONG_TTL, mustNotRun), "key");
        }
        for (Duration ttl : BAD_TTLS) {
            assertRejected(() -> cache.getOrLoad("k", ttl, mustNotRun), "ttl");
        }
        assertRejected(() -> cache.getOrLoad("k", null), "loader");
        assertRejected(() -> cache.getOrLoad("k", LONG_TTL, null), "loader");

        assertThat(cache.exists("k")).isFalse();
        assertThat(cache.stats().loads()).isZero();
    }

    @Test
    public void async_badArguments_throwIllegalArgumentAtOnce() {
        AsyncCache<Object> async = cache.async();
        Function<String, CompletableFuture<Object>> mustNotRun = key -> fail("the loader must not run for bad input");

        for (String key : BAD_KEYS) {
            assertRejected(() -> async.get(key), "key");
            assertRejected(() -> async.get(key, false), "key");
            assertRejected(() -> async.set(key, "v"), "key");
            assertRejected(() -> async.setIfAbsent(key, "v"), "key");
            assertRejected(() -> async.delete(key), "key");
            assertRejected(() -> async.exists(key), "key");
            assertRejected(() -> async.expire(key, LONG_TTL), "key");
            assertRejected(() -> async.increment(key), "key");
            assertRejected(() -> async.decrement(key, 2), "key");
            assertRejected(() -> async.getOrLoad(key, mustNotRun), "key");
        }
        assertRejected(() -> async.set("k", null), "value");
        assertRejected(() -> async.set("k", "v", null), "ttl");
        assertRejected(() -> async.setIfAbsent("k", "v", Duration.ZERO), "ttl");
        assertRejected(() -> async.expire("k", Duration.ofMillis(-1)), "ttl");
        assertRejected(() -> async.getMany(null), "keys");
        assertRejected(() -> async.getMany(Arrays.asList("a", null)), "keys");
        assertRejected(() -> async.setMany(null), "items");
        assertRejected(() -> async.setMany(Collections.singletonMap("k", null)), "items");
        assertRejected(() -> async.getOrLoad("k", Duration.ZERO, mustNotRun), "ttl");
        assertRejected(() -> async.getOrLoad("k", null), "loader");

        assertThat(cache.exists("k")).isFalse();
    }

    // ---------------------------------------------------------------- getOrLoad

    @Test
    public void getOrLoad_missingKey_loadsOnceThenHits() {
        AtomicInteger calls = new AtomicInteger();
        Function<String, Object> loader = key -> {
            calls.incrementAndGet();
            return Map.of("loadedFor", key);
        };

        Object first = cache.getOrLoad("user:1", loader);
        Object second = cache.getOrLoad("user:1", loader);

        assertThat(first).isEqualTo(Map.of("loadedFor", "user:1"));
        assertThat(second).isEqualTo(first);
        assertThat(calls).hasValue(1);
        assertThat(cache.get("user:1")).isEqualTo(first);
        CacheStats stats = cache.stats();
        assertThat(stats.loads()).isEqualTo(1);
        assertThat(stats.loadFailures()).isZero();
        assertThat(stats.misses()).isEqualTo(1);
        assertThat(stats.hits()).isEqualTo(2);
    }

    @Test
    public void getOrLoad_existingKey_returnsCachedValueWithoutLoading() {
        cache.set("k", "cached");

        Object value = cache.getOrLoad("k", key -> fail("the loader must not run on a hit"));

        assertThat(value).isEqualTo("cached");
        assertThat(cache.stats().loads()).isZero();
        assertThat(cache.stats().hits()).isEqualTo(1);
    }

    @Test
    public void getOrLoad_withTtl_storesForThatTtl() {
        assertThat(cache.getOrLoad("k", shortTtl(), key -> "v")).isEqualTo("v");
        assertThat(cache.exists("k")).isTrue();

        advanceTime(beyondShortTtl());

        assertThat(cache.exists("k")).isFalse();
    }

    @Test
    public void getOrLoad_loaderReturnsNull_cachesNothingAndReturnsNull() {
        AtomicInteger calls = new AtomicInteger();

        assertThat(cache.getOrLoad("k", key -> {
            calls.incrementAndGet();
            return null;
        })).isNull();
        assertThat(cache.exists("k")).isFalse();
        assertThat(cache.getOrLoad("k", key -> {
            calls.incrementAndGet();
            return null;
        })).isNull();

        assertThat(calls).hasValue(2);
        assertThat(cache.exists("k")).isFalse();
    }

    @Test
    public void getOrLoad_loaderThrows_propagatesSameExceptionAndCachesNothing() {
        IllegalStateException boom = new IllegalStateException("database down");

        Throwable thrown = catchThrowable(() -> cache.getOrLoad("k", key -> {
            throw boom;
        }));

        assertThat(thrown).isSameAs(boom);
        assertThat(cache.exists("k")).isFalse();
        CacheStats stats = cache.stats();
        assertThat(stats.loadFailures()).isEqualTo(1);
        assertThat(stats.loads()).isZero();
    }

    @Test
    public void getOrLoad_afterLoaderFailure_loadsAgainOnNextCall() {
        assertThatThrownBy(() -> cache.getOrLoad("k", key -> {
            throw new IllegalStateException("first attempt fails");
        })).hasMessage("first attempt fails");

        assertThat(cache.getOrLoad("k", key -> "second attempt")).isEqualTo("second attempt");

        assertThat(cache.get("k")).isEqualTo("second attempt");
        assertThat(cache.stats().loads()).isEqualTo(1);
        assertThat(cache.stats().loadFailures()).isEqualTo(1);
    }

    @Test
    public void getOrLoad_loader_receivesTheKey() {
        List<String> seen = new ArrayList<>();

        cache.getOrLoad("user:7", key -> {
            seen.add(key);
            return "v";
        });

        assertThat(seen).containsExactly("user:7");
    }

    @Test
    @Timeout(120)
    public void getOrLoad_thousandConcurrentCallersOnColdKey_loaderRunsOnceAndAllGetItsValue() throws Exception {
        int callers = 1_000;
        int threads = 64;
        CountDownLatch everyThreadCalling = new CountDownLatch(threads);
        AtomicInteger loaderCalls = new AtomicInteger();
        Map<String, Object> loaded = Map.of("value", "loaded once");

        List<Outcome<Object>> outcomes = callConcurrently(callers, threads, caller -> {
            everyThreadCalling.countDown();
            return cache.getOrLoad("hot", key -> {
                loaderCalls.incrementAndGet();
                awaitBounded(everyThreadCalling);
                return loaded;
            });
        });

        assertThat(outcomes).hasSize(callers).allSatisfy(outcome -> {
            assertThat(outcome.error()).isNull();
            assertThat(outcome.value()).isEqualTo(loaded);
        });
        assertThat(loaderCalls).hasValue(1);
        assertThat(cache.stats().loads()).isEqualTo(1);
        assertThat(cache.get("hot")).isEqualTo(loaded);
    }

    @Test
    @Timeout(120)
    public void getOrLoad_concurrentCallersWithThrowingLoader_everyCallerGetsTheExceptionAndNothingIsCached()
            throws Exception {
        int callers = 1_000;
        int threads = 64;
        CountDownLatch everyThreadCalling = new CountDownLatch(threads);
        AtomicInteger loaderCalls = new AtomicInteger();

        List<Outcome<Object>> outcomes = callConcurrently(callers, threads, caller -> {
            everyThreadCalling.countDown();
            return cache.getOrLoad("hot", key -> {
                loaderCalls.incrementAndGet();
                awaitBounded(everyThreadCalling);
                throw new IllegalStateException("loader failed on purpose");
            });
        });

        assertThat(outcomes).hasSize(callers).allSatisfy(outcome -> {
            assertThat(outcome.value()).isNull();
            assertThat(outcome.error()).isInstanceOf(IllegalStateException.class)
                    .hasMessage("loader failed on purpose");
        });
        // Callers that share a flight share its exception instance: one distinct exception per loader call.
        Set<Throwable> distinct = Collections.newSetFromMap(new IdentityHashMap<>());
        outcomes.forEach(outcome -> distinct.add(outcome.error()));
        assertThat(loaderCalls.get()).isBetween(1, callers);
        assertThat(distinct).hasSize(loaderCalls.get());
        assertThat(cache.stats().loadFailures()).isEqualTo(loaderCalls.get());
        assertThat(cache.stats().loads()).isZero();
        assertThat(cache.exists("hot")).isFalse();
    }

    @Test
    @Timeout(120)
    public void getOrLoad_concurrentCallersOnDifferentKeys_loadEachKeyOnce() throws Exception {
        int keys = 16;
        ConcurrentHashMap<String, AtomicInteger> loaderCalls = new ConcurrentHashMap<>();

        List<Outcome<Object>> outcomes = callConcurrently(keys * 20, 16, caller -> {
            String key = "key-" + caller % keys;
            return cache.getOrLoad(key, k -> {
                loaderCalls.computeIfAbsent(k, x -> new AtomicInteger()).incrementAndGet();
                return "value-of-" + k;
            });
        });

        for (int i = 0; i < outcomes.size(); i++) {
            assertThat(outcomes.get(i).error()).isNull();
            assertThat(outcomes.get(i).value()).isEqualTo("value-of-key-" + i % keys);
        }
        assertThat(loaderCalls).hasSize(keys);
        assertThat(loaderCalls.values()).allSatisfy(calls -> assertThat(calls).hasValue(1));
    }

    // ---------------------------------------------------------------- concurrency

    @Test
    @Timeout(120)
    public void increment_eightThreadsThousandTimesEach_isExact() throws Exception {
        int threads = 8;
        int perThread = 1_000;
        Set<Long> returned = ConcurrentHashMap.newKeySet();

        List<Outcome<Object>> outcomes = callConcurrently(threads, threads, caller -> {
            for (int i = 0; i < perThread; i++) {
                returned.add(cache.increment("counter"));
            }
            return null;
        });

        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.error()).isNull());
        assertThat(longValue(cache.get("counter"))).isEqualTo((long) threads * perThread);
        assertThat(returned).hasSize(threads * perThread).contains(1L, (long) threads * perThread);
    }

    @Test
    @Timeout(120)
    public void incrementAndDecrement_concurrentMix_cancelOut() throws Exception {
        List<Outcome<Object>> outcomes = callConcurrently(8, 8, caller -> {
            for (int i = 0; i < 500; i++) {
                if (caller % 2 == 0) {
                    cache.increment("counter", 3);
                } else {
                    cache.decrement("counter", 3);
                }
            }
            return null;
        });

        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.error()).isNull());
        assertThat(longValue(cache.get("counter"))).isZero();
    }

    @Test
    @Timeout(120)
    public void set_concurrentWritersToDifferentKeys_storeEveryEntry() throws Exception {
        int threads = 8;
        int perThread = 250;

        List<Outcome<Object>> outcomes = callConcurrently(threads, threads, caller -> {
            for (int i = 0; i < perThread; i++) {
                cache.set("w-" + caller + "-" + i, "v-" + caller + "-" + i);
            }
            return null;
        });

        assertThat(outcomes).allSatisfy(outcome -> assertThat(outcome.error()).isNull());
        List<String> keys = new ArrayList<>();
        Map<String, Object> expected = new HashMap<>();
        for (int t = 0; t < threads; t++) {
            for (int i = 0; i < perThread; i++) {
                keys.add("w-" + t + "-" + i);
                expected.put("w-" + t + "-" + i, "v-" + t + "-" + i);
            }
        }
        assertThat(cache.getMany(keys)).containsExactlyInAnyOrderEntriesOf(expected);
    }

    @Test
    @Timeout(120)
    public void setIfAbsent_concurrentWritersToSameKey_exactlyOneWins() throws Exception {
        List<Outcome<Boolean>> outcomes = callConcurrently(64, 16, caller -> cache.setIfAbsent("lock", "owner-" + caller));

        List<Integer> winners = IntStream.range(0, outcomes.size())
                .filter(i -> Boolean.TRUE.equals(outcomes.get(i).value()))
                .boxed().collect(Collectors.toList());
        assertThat(winners).hasSize(1);
        assertThat(cache.get("lock")).isEqualTo("owner-" + winners.get(0));
    }

    // ---------------------------------------------------------------- async view

    @Test
    public void async_setAndGet_sameResultsAsSync() throws Exception {
        AsyncCache<Object> async = cache.async();

        assertThat(result(async.set("a", Map.of("name", "Alice")))).isTrue();
        assertThat(result(async.set("b", "short", shortTtl()))).isTrue();

        assertThat(result(async.get("a"))).isEqualTo(Map.of("name", "Alice"));
        assertThat(result(async.get("missing"))).isNull();
        assertThat(result(async.get("a", false))).isEqualTo(Map.of("name", "Alice"));
        assertThat(cache.get("a")).isEqualTo(Map.of("name", "Alice"));
        advanceTime(beyondShortTtl());
        assertThat(result(async.get("b"))).isNull();
        CacheStats stats = cache.stats();
        assertThat(stats.hits()).isEqualTo(2);
        assertThat(stats.misses()).isEqualTo(2);
    }

    @Test
    public void async_setIfAbsent_sameResultsAsSync() throws Exception {
        AsyncCache<Object> async = cache.async();

        assertThat(result(async.setIfAbsent("k", "first"))).isTrue();
        assertThat(result(async.setIfAbsent("k", "second"))).isFalse();
        assertThat(result(async.setIfAbsent("other", "v", LONG_TTL))).isTrue();

        assertThat(cache.get("k")).isEqualTo("first");
    }

    @Test
    public void async_deleteExistsExpire_sameResultsAsSync() throws Exception {
        AsyncCache<Object> async = cache.async();
        cache.set("k", "v");

        assertThat(result(async.exists("k"))).isTrue();
        assertThat(result(async.exists("missing"))).isFalse();
        assertThat(result(async.expire("k", shortTtl()))).isTrue();
        assertThat(result(async.expire("missing", shortTtl()))).isFalse();
        assertThat(result(async.delete("k"))).isTrue();
        assertThat(result(async.delete("k"))).isFalse();
        assertThat(cache.exists("k")).isFalse();

        cache.set("expiring", "v");
        assertThat(result(async.expire("expiring", shortTtl()))).isTrue();
        advanceTime(beyondShortTtl());
        assertThat(result(async.exists("expiring"))).isFalse();
    }

    @Test
    public void async_getManyAndSetMany_sameResultsAsSync() throws Exception {
        AsyncCache<Object> async = cache.async();

        assertThat(result(async.setMany(Map.of("a", "1", "b", "2")))).isEqualTo(2);
        assertThat(result(async.setMany(Map.of("c", "3"), shortTtl()))).isEqualTo(1);
        assertThat(result(async.setMany(Map.of()))).isZero();

        assertThat(result(async.getMany(List.of("a", "b", "c", "missing", "a"))))
                .containsExactlyInAnyOrderEntriesOf(Map.of("a", "1", "b", "2", "c", "3"));
        assertThat(result(async.getMany(List.of()))).isEmpty();
        advanceTime(beyondShortTtl());
        assertThat(result(async.getMany(List.of("a", "c")))).containsOnlyKeys("a");
    }

    @Test
    public void async_incrementAndDecrement_sameResultsAsSync() throws Exception {
        AsyncCache<Object> async = cache.async();

        assertThat(result(async.increment("counter"))).isEqualTo(1L);
        assertThat(result(async.increment("counter", 10))).isEqualTo(11L);
        assertThat(result(async.decrement("counter"))).isEqualTo(10L);
        assertThat(result(async.decrement("counter", 4))).isEqualTo(6L);
        assertThat(result(async.decrement("fresh", 2))).isEqualTo(-2L);

        assertThat(longValue(cache.get("counter"))).isEqualTo(6L);
    }

    @Test
    public void async_incrementNonInteger_completesExceptionallyWithCacheExceptionNamingKey() {
        cache.set("holds-text", "text");

        CompletableFuture<Long> future = cache.async().increment("holds-text");

        assertThat(future).failsWithin(TIMEOUT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(CacheException.class)
                .withMessageContaining("holds-text");
        assertThat(cache.get("holds-text")).isEqualTo("text");
    }

    @Test
    public void async_clearNamespace_sameResultsAsSync() throws Exception {
        cache.setMany(Map.of("a", "1", "b", "2"));

        assertThat(result(cache.async().clearNamespace())).isEqualTo(2L);

        assertThat(cache.exists("a")).isFalse();
        assertThat(result(cache.async().clearNamespace())).isZero();
    }

    @Test
    public void async_getOrLoad_loadsOnceThenHits() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        Function<String, CompletableFuture<Object>> loader = key -> {
            calls.incrementAndGet();
            return CompletableFuture.completedFuture(Map.of("loadedFor", key));
        };

        assertThat(result(cache.async().getOrLoad("k", loader))).isEqualTo(Map.of("loadedFor", "k"));
        assertThat(result(cache.async().getOrLoad("k", loader))).isEqualTo(Map.of("loadedFor", "k"));

        assertThat(calls).hasValue(1);
        assertThat(cache.get("k")).isEqualTo(Map.of("loadedFor", "k"));
        assertThat(cache.stats().loads()).isEqualTo(1);
    }

    @Test
    public void async_getOrLoad_existingKey_returnsCachedValueWithoutLoading() throws Exception {
        cache.set("k", "cached");

        Object value = result(cache.async().getOrLoad("k", key -> fail("the loader must not run on a hit")));

        assertThat(value).isEqualTo("cached");
    }

    @Test
    public void async_getOrLoad_withTtl_storesForThatTtl() throws Exception {
        assertThat(result(cache.async().getOrLoad("k", shortTtl(), key -> CompletableFuture.completedFuture("v"))))
                .isEqualTo("v");
        assertThat(cache.exists("k")).isTrue();

        advanceTime(beyondShortTtl());

        assertThat(cache.exists("k")).isFalse();
    }

    @Test
    public void async_getOrLoad_loaderCompletesWithNull_cachesNothingAndCompletesWithNull() throws Exception {
        Object value = result(cache.async().getOrLoad("k", key -> CompletableFuture.completedFuture(null)));

        assertThat(value).isNull();
        assertThat(cache.exists("k")).isFalse();
    }

    @Test
    @Timeout(120)
    public void async_getOrLoad_concurrentCallersOnColdKey_shareOneLoad() throws Exception {
        CompletableFuture<Object> pending = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        Function<String, CompletableFuture<Object>> loader = key -> {
            calls.incrementAndGet();
            return pending;
        };

        List<CompletableFuture<Object>> callers = IntStream.range(0, 100)
                .mapToObj(i -> cache.async().getOrLoad("hot", loader))
                .collect(Collectors.toList());
        await().atMost(TIMEOUT).until(() -> calls.get() >= 1);
        assertThat(callers).allSatisfy(future -> assertThat(future).isNotDone());
        pending.complete(Map.of("value", "loaded once"));

        for (CompletableFuture<Object> future : callers) {
            assertThat(result(future)).isEqualTo(Map.of("value", "loaded once"));
        }
        assertThat(calls).hasValue(1);
        assertThat(cache.get("hot")).isEqualTo(Map.of("value", "loaded once"));
    }

    @Test
    @Timeout(120)
    public void async_getOrLoad_oneCallerCancelsItsFuture_theLoadAndTheOtherCallersGoOn() throws Exception {
        CompletableFuture<Object> pending = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        Function<String, CompletableFuture<Object>> loader = key -> {
            calls.incrementAndGet();
            return pending;
        };
        CompletableFuture<Object> first = cache.async().getOrLoad("hot", loader);
        await().atMost(TIMEOUT).until(() -> calls.get() >= 1);
        CompletableFuture<Object> impatient = cache.async().getOrLoad("hot", loader);
        CompletableFuture<Object> patient = cache.async().getOrLoad("hot", loader);

        impatient.cancel(true);
        first.orTimeout(1, TimeUnit.NANOSECONDS); // the first caller gives up too
        pending.complete("loaded");

        assertThat(result(patient)).isEqualTo("loaded");
        assertThat(calls).hasValue(1);
        assertThat(cache.get("hot")).isEqualTo("loaded");
    }

    @Test
    @Timeout(120)
    public void async_getOrLoad_loaderFutureFails_everyCallerCompletesExceptionallyAndNothingIsCached() {
        CompletableFuture<Object> pending = new CompletableFuture<>();
        AtomicInteger calls = new AtomicInteger();
        IllegalStateException boom = new IllegalStateException("remote service down");

        List<CompletableFuture<Object>> callers = IntStream.range(0, 20)
                .mapToObj(i -> cache.async().getOrLoad("hot", key -> {
                    calls.incrementAndGet();
                    return pending;
                }))
                .collect(Collectors.toList());
        await().atMost(TIMEOUT).until(() -> calls.get() >= 1);
        pending.completeExceptionally(boom);

        assertThat(callers).allSatisfy(future -> assertThat(future).failsWithin(TIMEOUT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isSameAs(boom));
        assertThat(calls).hasValue(1);
        assertThat(cache.exists("hot")).isFalse();
        assertThat(cache.stats().loadFailures()).isEqualTo(1);
        assertThat(cache.stats().loads()).isZero();
    }

    @Test
    public void async_getOrLoad_loaderReturnsFailedFuture_completesExceptionallyAndCachesNothing() {
        IllegalStateException boom = new IllegalStateException("remote service down");

        CompletableFuture<Object> future = cache.async().getOrLoad("k", key -> CompletableFuture.failedFuture(boom));

        assertThat(future).failsWithin(TIMEOUT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isSameAs(boom);
        assertThat(cache.exists("k")).isFalse();
    }

    @Test
    public void async_getOrLoad_loaderThrows_completesExceptionallyAndCachesNothing() {
        IllegalStateException boom = new IllegalStateException("loader threw");

        CompletableFuture<Object> future = cache.async().getOrLoad("k", key -> {
            throw boom;
        });

        assertThat(future).failsWithin(TIMEOUT)
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isSameAs(boom);
        assertThat(cache.exists("k")).isFalse();
        assertThat(cache.stats().loadFailures()).isEqualTo(1);
    }

    @Test
    public void async_operations_shareStatsWithSync() throws Exception {
        cache.set("k", "v");

        result(cache.async().get("k"));
        result(cache.async().get("missing"));
        cache.get("k");

        assertThat(cache.stats().hits()).isEqualTo(2);
        assertThat(cache.stats().misses()).isEqualTo(1);
    }

    // ---------------------------------------------------------------- close

    @Test
    public void close_calledTwice_isIdempotent() {
        cache.set("k", "v");

        cache.close();
        cache.close();
    }

    @Test
    public void close_thenAnyOperation_throwsIllegalState() {
        cache.close();

        assertThatIllegalStateException().isThrownBy(() -> cache.get("k"));
        assertThatIllegalStateException().isThrownBy(() -> cache.set("k", "v"));
        assertThatIllegalStateException().isThrownBy(() -> cache.increment("k"));
        assertThatIllegalStateException().isThrownBy(() -> cache.getOrLoad("k", key -> "v"));
    }

    // ---------------------------------------------------------------- helpers

    /** The result of one concurrent call: its value, or what it threw. */
    protected record Outcome<T>(T value, Throwable error) {
    }

    /**
     * Runs {@code call} for callers {@code 0..callers-1} on a fixed pool of {@code threads}, all
     * released together through a start gate, and returns each caller's outcome in caller order.
     */
    protected static <T> List<Outcome<T>> callConcurrently(int callers, int threads, IntFunction<T> call)
            throws InterruptedException, ExecutionException, TimeoutException {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        CountDownLatch startGate = new CountDownLatch(1);
        try {
            List<Future<Outcome<T>>> futures = new ArrayList<>(callers);
            for (int i = 0; i < callers; i++) {
                int caller = i;
                futures.add(pool.submit(() -> {
                    startGate.await();
                    try {
                        return new Outcome<T>(call.apply(caller), null);
                    } catch (Throwable t) {
                        return new Outcome<T>(null, t);
                    }
                }));
            }
            startGate.countDown();
            List<Outcome<T>> outcomes = new ArrayList<>(callers);
            for (Future<Outcome<T>> future : futures) {
                outcomes.add(future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
            }
            return outcomes;
        } finally {
            pool.shutdownNow();
        }
    }

    /** Waits for {@code latch}, at most a few seconds, so that a loader can hold its flight open. */
    protected static void awaitBounded(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /** Returns the value of {@code future}, waiting at most {@link #TIMEOUT}. */
    protected static <T> T result(CompletableFuture<T> future)
            throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Returns the {@code long} value of a cached number, whatever boxed type the backend decodes it as. */
    protected static long longValue(Object value) {
        assertThat(value).isInstanceOf(Number.class);
        return ((Number) value).longValue();
    }

    private static void assertRejected(ThrowingCallable call, String parameter) {
        assertThatIllegalArgumentException().isThrownBy(call).withMessageContaining(parameter);
    }
}
