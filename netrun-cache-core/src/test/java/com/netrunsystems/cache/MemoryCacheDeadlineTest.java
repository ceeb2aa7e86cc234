package com.netrunsystems.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Deadlines through {@link MemoryCache}'s API when entries written for the default TTL and for
 * custom TTLs meet: counters and {@code setIfAbsent} keep them, {@code getOrLoad}'s refresh-ahead
 * and stale-if-error read them. On a fake ticker, under both policies.
 */
class MemoryCacheDeadlineTest {

    private static final Duration DEFAULT = Duration.ofSeconds(10);

    private final FakeTicker ticker = new FakeTicker();
    private final List<Runnable> background = new ArrayList<>();
    private final AtomicInteger loads = new AtomicInteger();
    private final List<MemoryCache<Object>> caches = new ArrayList<>();

    @AfterEach
    void closeCaches() {
        caches.forEach(MemoryCache::close);
    }

    private MemoryCache<Object> cache(EvictionPolicy policy, LoadPolicy.Builder loadPolicy) {
        MemoryCache<Object> cache = MemoryCache.builder().namespace("deadlines").defaultTtl(DEFAULT).maxSize(100)
                .evictionPolicy(policy).ticker(ticker)
                .loadPolicy(loadPolicy.refreshExecutor(background::add).build()).build();
        caches.add(cache);
        return cache;
    }

    private Object load(String key) {
        return key + "#" + loads.incrementAndGet();
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void increment_counterSetWithDefaultTtl_keepsItsDeadline(EvictionPolicy policy) {
        MemoryCache<Object> cache = cache(policy, LoadPolicy.builder());
        cache.set("counter", 5L);
        ticker.advance(Duration.ofSeconds(6));

        assertThat(cache.increment("counter")).isEqualTo(6);
        ticker.advance(Duration.ofSeconds(4).minusNanos(1));
        assertThat(cache.increment("counter")).isEqualTo(7);
        ticker.advance(Duration.ofNanos(1));
        assertThat(cache.get("counter")).isNull();
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void setIfAbsent_presentDefaultTtlEntry_keepsItsDeadline(EvictionPolicy policy) {
        MemoryCache<Object> cache = cache(policy, LoadPolicy.builder());
        cache.set("k", "first");
        ticker.advance(Duration.ofSeconds(6));

        assertThat(cache.setIfAbsent("k", "second")).isFalse();
        assertThat(cache.setIfAbsent("k", "third", Duration.ofHours(1))).isFalse();
        ticker.advance(Duration.ofSeconds(4));
        assertThat(cache.get("k")).isNull();
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void set_customThenDefaultThenCustomTtl_eachWriteSetsTheDeadline(EvictionPolicy policy) {
        MemoryCache<Object> cache = cache(policy, LoadPolicy.builder());
        cache.set("k", "custom", Duration.ofSeconds(2));
        cache.set("k", "default");
        ticker.advance(Duration.ofSeconds(5));
        assertThat(cache.get("k")).isEqualTo("default");

        cache.set("k", "custom again", Duration.ofSeconds(1));
        ticker.advance(Duration.ofSeconds(1));
        assertThat(cache.get("k")).isNull();
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void refreshAhead_defaultTtlEntry_refreshesOnlyAfterTheFraction(EvictionPolicy policy) {
        MemoryCache<Object> cache = cache(policy, LoadPolicy.builder().refreshAhead(0.8));
        assertThat(cache.getOrLoad("k", this::load)).isEqualTo("k#1"); // default TTL

        ticker.advance(Duration.ofSeconds(7));
        assertThat(cache.getOrLoad("k", this::load)).isEqualTo("k#1");
        assertThat(background).isEmpty();
        ticker.advance(Duration.ofSeconds(2));
        assertThat(cache.getOrLoad("k", this::load)).isEqualTo("k#1");
        assertThat(background).hasSize(1);
    }

    /** Regression (issue 11, defect 8): an entry set by set() was taken for stale once only the grace was left. */
    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void staleIfError_entrySetWithDefaultTtl_isFreshForItsWholeTtlThenGone(EvictionPolicy policy) {
        MemoryCache<Object> cache = cache(policy, LoadPolicy.builder().staleIfError(Duration.ofSeconds(4)));
        cache.set("k", "set");

        ticker.advance(DEFAULT.minusSeconds(1)); // 1 s left: fresh, although less than the grace
        assertThat(cache.getOrLoad("k", this::load)).isEqualTo("set");
        ticker.advance(Duration.ofSeconds(1));   // expired: reload
        assertThat(cache.getOrLoad("k", this::load)).isEqualTo("k#1");
    }
}
