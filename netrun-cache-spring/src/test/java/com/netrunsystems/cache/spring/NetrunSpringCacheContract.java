package com.netrunsystems.cache.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

import com.netrunsystems.cache.CacheConfig;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.ArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.cache.Cache;
import org.springframework.cache.Cache.ValueWrapper;
import org.springframework.cache.interceptor.SimpleKey;

/**
 * Spring's cache contract (in the spirit of Spring's AbstractCacheTests and
 * AbstractValueAdaptingCacheTests, written anew) held against {@link NetrunSpringCache} on every
 * backend. Subclasses give the default config of the backend.
 */
abstract class NetrunSpringCacheContract {

    protected NetrunCacheManager manager;
    protected NetrunCacheManager noNulls;
    protected NetrunSpringCache cache;

    /** The default settings of the backend under test. */
    protected abstract CacheConfig config();

    @BeforeEach
    void createCache() {
        manager = NetrunCacheManager.builder(config()).namespacePrefix("contract-").build();
        noNulls = NetrunCacheManager.builder(config()).namespacePrefix("contract-nonull-").allowNullValues(false).build();
        cache = (NetrunSpringCache) manager.getCache("items");
        cache.invalidate();
        noNulls.getCache("items").invalidate();
    }

    @AfterEach
    void closeManagers() {
        manager.close();
        noNulls.close();
    }

    @Test
    void get_missingKey_isNull() {
        assertThat(cache.get("missing")).isNull();
        assertThat(cache.get("missing", String.class)).isNull();
    }

    @Test
    void put_thenGet_returnsTheValue() {
        cache.put("k", "v");
        assertThat(cache.get("k")).extracting(ValueWrapper::get).isEqualTo("v");
        assertThat(cache.get("k", String.class)).isEqualTo("v");
        assertThat(cache.getName()).isEqualTo("items");
        assertThat(cache.getNativeCache().namespace()).isEqualTo("contract-items");
    }

    @Test
    void get_withWrongType_throwsIllegalStateException() {
        cache.put("k", "v");
        assertThatIllegalStateException().isThrownBy(() -> cache.get("k", Integer.class)).withMessageContaining("Integer");
    }

    @Test
    void put_null_isCachedAsNull_whenNullsAreAllowed() {
        cache.put("k", null);
        ValueWrapper wrapper = cache.get("k");
        assertThat(wrapper).isNotNull();
        assertThat(wrapper.get()).isNull();
    }

    @Test
    void put_null_isRejected_whenNullsAreNotAllowed() {
        Cache strict = noNulls.getCache("items");
        assertThatExceptionOfType(IllegalArgumentException.class).isThrownBy(() -> strict.put("k", null))
                .withMessageContaining("null");
        assertThat(strict.get("k")).isNull();
    }

    @Test
    void put_jsonTree_roundTrips() {
        Map<String, Object> user = Map.of("name", "John", "roles", List.of("admin"), "age", 42);
        cache.put(new SimpleKey("user", 1), user);
        assertThat(cache.get(new SimpleKey("user", 1), Map.class)).isEqualTo(user);
        assertThat(cache.getNativeCache().get("(\"user\",1)")).isEqualTo(user);
    }

    @Test
    void putIfAbsent_storesOnlyTheFirstValue() {
        assertThat(cache.putIfAbsent("k", "first")).isNull();
        assertThat(cache.putIfAbsent("k", "second")).extracting(ValueWrapper::get).isEqualTo("first");
        assertThat(cache.get("k", String.class)).isEqualTo("first");
    }

    @Test
    void evict_removesTheKey_andEvictIfPresentAnswersTruthfully() {
        cache.put("a", "1");
        cache.put("b", "2");
        cache.evict("a");
        assertThat(cache.get("a")).isNull();
        assertThat(cache.evictIfPresent("b")).isTrue();
        assertThat(cache.evictIfPresent("b")).isFalse();
        assertThat(cache.get("b")).isNull();
    }

    @Test
    void clear_andInvalidate_removeEveryKey_ofThisCacheOnly() {
        Cache other = manager.getCache("items2");
        other.put("a", "keep");
        cache.put("a", "1");
        cache.put("b", "2");
        cache.clear(); // may be deferred (Spring allows it): on Redis it returns before SCAN and UNLINK are done
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(cache.get("a")).isNull();
            assertThat(cache.get("b")).isNull();
        });
        cache.put("c", "3");
        assertThat(cache.invalidate()).isTrue();
        assertThat(cache.invalidate()).isFalse();
        assertThat(cache.get("c")).isNull();
        assertThat(other.get("a", String.class)).isEqualTo("keep");
        other.invalidate();
    }

    @Test
    void getWithLoader_loadsOnce_thenServesTheCachedValue() {
        AtomicInteger loads = new AtomicInteger();
        assertThat(cache.get("k", () -> "v" + loads.incrementAndGet())).isEqualTo("v1");
        assertThat(cache.get("k", () -> "v" + loads.incrementAndGet())).isEqualTo("v1");
        assertThat(loads).hasValue(1);
    }

    @Test
    void getWithLoader_failingLoader_throwsValueRetrievalException_andCachesNothing() {
        IOException cause = new IOException("database down");
        assertThatExceptionOfType(Cache.ValueRetrievalException.class)
                .isThrownBy(() -> cache.get("k", () -> {
                    throw cause;
                }))
                .withCause(cause);
        assertThat(cache.get("k")).isNull();
    }

    @Test
    void getWithLoader_nullResult_isCached_whenNullsAreAllowed() {
        AtomicInteger loads = new AtomicInteger();
        Callable<String> nullLoader = () -> {
            loads.incrementAndGet();
            return null;
        };
        Callable<String> lateLoader = () -> {
            loads.incrementAndGet();
            return "late";
        };
        String first = cache.get("k", nullLoader);
        String second = cache.get("k", lateLoader);
        assertThat(first).isNull();
        assertThat(second).isNull();
        assertThat(loads).hasValue(1);
    }

    @Test
    void getWithLoader_nullResult_cachesNothing_whenNullsAreNotAllowed() {
        Cache strict = noNulls.getCache("items");
        Callable<String> nullLoader = () -> null;
        String loaded = strict.get("k", nullLoader);
        assertThat(loaded).isNull();
        assertThat(strict.get("k")).isNull();
        assertThat(strict.get("k", () -> "v")).isEqualTo("v");
    }

    @Test
    void getWithLoader_1000ConcurrentCalls_loadOnce() throws Exception {
        AtomicInteger loads = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(64);
        try {
            List<Future<Object>> calls = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                calls.add(pool.submit(() -> cache.get("hot", () -> {
                    loads.incrementAndGet();
                    Thread.sleep(200);
                    return "v";
                })));
            }
            for (Future<Object> call : calls) {
                assertThat(call.get(60, TimeUnit.SECONDS)).isEqualTo("v");
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(loads).hasValue(1);
    }

    @Test
    void retrieve_missingKey_completesWithNull() {
        CompletableFuture<?> result = cache.retrieve("missing");
        assertThat(result).isNotNull();
        assertThat(result.join()).isNull();
    }

    @Test
    void retrieve_cachedValue_andCachedNull_completeWithAValueWrapper() {
        cache.put("k", "v");
        cache.put("n", null);
        assertThat(cache.retrieve("k").join()).isInstanceOf(ValueWrapper.class)
                .extracting(w -> ((ValueWrapper) w).get()).isEqualTo("v");
        assertThat(cache.retrieve("n").join()).isInstanceOf(ValueWrapper.class)
                .extracting(w -> ((ValueWrapper) w).get()).isNull();
        assertThat(noNulls.getCache("items").retrieve("k").join()).isNull();
    }

    @Test
    void retrieveWithLoader_doesNotWaitForTheLoader_andCachesItsValue() {
        CompletableFuture<String> slow = new CompletableFuture<>();
        AtomicInteger loads = new AtomicInteger();
        CompletableFuture<String> first = cache.retrieve("k", () -> {
            loads.incrementAndGet();
            return slow;
        });
        assertThat(first).isNotDone();
        slow.complete("v");
        assertThat(first.join()).isEqualTo("v");
        assertThat(cache.retrieve("k", () -> {
            loads.incrementAndGet();
            return CompletableFuture.completedFuture("other");
        }).join()).isEqualTo("v");
        assertThat(loads).hasValue(1);
    }

    @Test
    void retrieveWithLoader_failingFuture_failsTheResult_andCachesNothing() {
        CompletableFuture<String> result = cache.retrieve("k",
                () -> CompletableFuture.failedFuture(new IllegalStateException("backend down")));
        assertThatExceptionOfType(CompletionException.class).isThrownBy(result::join)
                .havingRootCause().withMessage("backend down");
        assertThat(cache.get("k")).isNull();
    }

    @Test
    void retrieveWithLoader_nullValue_isCachedAsNull_whenNullsAreAllowed() {
        assertThat(cache.retrieve("k", () -> CompletableFuture.completedFuture((String) null)).join()).isNull();
        assertThat(cache.get("k")).isNotNull().extracting(ValueWrapper::get).isNull();
    }

    @Test
    void putCount_countsPutsAndLoadedValues() {
        cache.put("a", "1");
        cache.get("b", () -> "2");
        cache.putIfAbsent("a", "3");
        assertThat(cache.putCount()).isEqualTo(2);
    }
}
