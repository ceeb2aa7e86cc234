package com.netrunsystems.cache.memory;

import static org.assertj.core.api.Assertions.assertThat;

import com.netrunsystems.cache.EvictionPolicy;
import com.netrunsystems.cache.FakeTicker;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Both {@link MemoryStore}s directly: deadlines of default-TTL entries (stored bare by
 * {@link CaffeineStore}) and custom-TTL ones, overwrites between the two kinds, deadlines kept by
 * {@code compute}, and {@link LruStore}'s recency order when entries are updated in place.
 */
class MemoryStoreTest {

    private static final long DEFAULT = Duration.ofHours(1).toNanos();
    private static final long MINUTE = Duration.ofMinutes(1).toNanos();

    private final FakeTicker ticker = new FakeTicker(Long.MAX_VALUE - 10 * MINUTE); // deadlines wrap around
    private final AtomicLong evictions = new AtomicLong();

    private MemoryStore store(EvictionPolicy policy, long maxSize) {
        return policy == EvictionPolicy.LRU
                ? new LruStore(maxSize, ticker, evictions::incrementAndGet)
                : new CaffeineStore(maxSize, DEFAULT, ticker, null, evictions::incrementAndGet); // Caffeine's executor, as built
    }

    private void advance(long nanos) {
        ticker.advance(Duration.ofNanos(nanos));
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void getEntry_defaultAndCustomTtl_reportDeadlineFromTheWrite(EvictionPolicy policy) {
        MemoryStore store = store(policy, 10);
        long written = ticker.read();
        store.put("default", "d", DEFAULT);
        store.put("custom", "c", 5 * MINUTE);
        advance(MINUTE);

        assertThat(store.getEntry("default")).isEqualTo(new MemoryEntry("d", written + DEFAULT));
        assertThat(store.getEntry("custom")).isEqualTo(new MemoryEntry("c", written + 5 * MINUTE));
        assertThat(store.getEntry("missing")).isNull();
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void put_customTtlOverwrittenByDefaultTtl_expiresAtTheDefaultDeadline(EvictionPolicy policy) {
        MemoryStore store = store(policy, 10);
        store.put("k", "custom", 2 * MINUTE);
        advance(MINUTE);
        store.put("k", "default", DEFAULT);

        advance(5 * MINUTE); // past the custom deadline
        assertThat(store.get("k")).isEqualTo("default");
        advance(DEFAULT - 5 * MINUTE - 1);
        assertThat(store.peek("k")).isEqualTo("default");
        advance(1);
        assertThat(store.get("k")).isNull();
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void put_defaultTtlOverwrittenByCustomTtl_expiresAtTheCustomDeadline(EvictionPolicy policy) {
        MemoryStore store = store(policy, 10);
        store.put("k", "default", DEFAULT);
        advance(MINUTE);
        store.put("k", "custom", 2 * MINUTE);

        advance(2 * MINUTE - 1);
        assertThat(store.get("k")).isEqualTo("custom");
        advance(1);
        assertThat(store.get("k")).isNull();
        assertThat(store.getEntry("k")).isNull();
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void compute_keepingTheDeadlineOfADefaultTtlEntry_keepsIt(EvictionPolicy policy) {
        MemoryStore store = store(policy, 10);
        store.put("counter", 1L, DEFAULT);
        store.put("same", "v", DEFAULT);
        long deadline = ticker.read() + DEFAULT;
        advance(30 * MINUTE);

        MemoryEntry updated = store.compute("counter", old -> new MemoryEntry((Long) old.value() + 1, old.expiresAt()));
        store.compute("same", old -> old); // as setIfAbsent on a present key

        assertThat(updated).isEqualTo(new MemoryEntry(2L, deadline));
        assertThat(store.getEntry("same")).isEqualTo(new MemoryEntry("v", deadline));
        advance(30 * MINUTE - 1);
        assertThat(store.get("counter")).isEqualTo(2L);
        advance(1);
        assertThat(store.get("counter")).isNull();
        assertThat(store.get("same")).isNull();
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void compute_expiredEntry_isPassedAsAbsent(EvictionPolicy policy) {
        MemoryStore store = store(policy, 10);
        store.put("k", "v", DEFAULT);
        advance(DEFAULT);

        assertThat(store.compute("k", old -> old)).isNull();
        assertThat(store.peek("k")).isNull();
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void clear_mixedEntries_countsOnlyLiveOnesOfBothKinds(EvictionPolicy policy) {
        MemoryStore store = store(policy, 10);
        store.put("default", "v", DEFAULT);
        store.put("custom", "v", 2 * MINUTE);
        store.put("expired", "v", MINUTE);
        advance(MINUTE);

        assertThat(store.clear()).isEqualTo(2);
        assertThat(store.size()).isZero();
        assertThat(store.get("default")).isNull();
    }

    @ParameterizedTest
    @EnumSource(EvictionPolicy.class)
    void put_overwritesOfPresentKeysAtTheBound_evictNothing(EvictionPolicy policy) {
        MemoryStore store = store(policy, 3);
        store.put("a", "1", DEFAULT);
        store.put("b", "2", DEFAULT);
        store.put("c", "3", DEFAULT);

        for (int i = 0; i < 100; i++) {
            store.put("a", "1." + i, i % 2 == 0 ? DEFAULT : MINUTE);
            store.put("c", "3." + i, DEFAULT);
        }

        assertThat(store.size()).isEqualTo(3);
        assertThat(evictions).hasValue(0);
        assertThat(store.get("b")).isEqualTo("2");
    }

    @Test
    void lru_overwriteMovesTheEntryToTheMostRecentEnd() {
        MemoryStore store = store(EvictionPolicy.LRU, 3);
        store.put("a", "1", DEFAULT);
        store.put("b", "2", DEFAULT);
        store.put("c", "3", DEFAULT);

        store.put("a", "1 again", MINUTE); // b is now the least recent
        store.put("d", "4", DEFAULT);
        store.put("b2", "5", DEFAULT);     // then c

        assertThat(store.peek("b")).isNull();
        assertThat(store.peek("c")).isNull();
        assertThat(store.peek("a")).isEqualTo("1 again");
        assertThat(store.peek("d")).isEqualTo("4");
        assertThat(evictions).hasValue(2);
    }

    @Test
    void lru_getEntryRefreshesRecencyAndPeekDoesNot() {
        MemoryStore store = store(EvictionPolicy.LRU, 3);
        store.put("a", "1", DEFAULT);
        store.put("b", "2", DEFAULT);
        store.put("c", "3", DEFAULT);

        store.getEntry("a");
        store.peek("b");
        store.put("d", "4", DEFAULT);

        assertThat(store.peek("b")).isNull();
        assertThat(store.peek("a")).isEqualTo("1");
    }

    @Test
    void lru_overwriteOfAnExpiredEntry_isNotAnEvictionAndRevivesIt() {
        MemoryStore store = store(EvictionPolicy.LRU, 2);
        store.put("a", "1", MINUTE);
        store.put("b", "2", DEFAULT);
        advance(MINUTE);

        store.put("a", "1 again", DEFAULT); // reuses a's node as the most recent
        store.put("c", "3", DEFAULT);       // evicts b, live

        assertThat(store.peek("a")).isEqualTo("1 again");
        assertThat(store.peek("b")).isNull();
        assertThat(evictions).hasValue(1);
    }

    @Test
    void lru_evictionOfExpiredEntries_isNotCounted() {
        MemoryStore store = store(EvictionPolicy.LRU, 2);
        store.put("a", "1", MINUTE);
        store.put("b", "2", MINUTE);
        advance(MINUTE);

        store.put("c", "3", DEFAULT);
        store.put("d", "4", DEFAULT);

        assertThat(store.size()).isEqualTo(2);
        assertThat(evictions).hasValue(0);
    }
}
