package com.netrunsystems.cache.redis.stats;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@link KeyCounter}: {@code stats()} never waits for a {@code SCAN}. */
class KeyCounterTest {

    private final List<CompletableFuture<Long>> counts = new ArrayList<>();

    private KeyCounter counter(Duration refresh) {
        return new KeyCounter(() -> {
            CompletableFuture<Long> count = new CompletableFuture<>();
            counts.add(count);
            return count;
        }, refresh);
    }

    @Test
    void cachedKeys_firstCallWhileTheCountHangs_returnsAtOnceAndStartsOneCount() {
        KeyCounter counter = counter(Duration.ofMinutes(1));

        // a count that never answers (a stalled server) must not hold the caller for a socket timeout
        long first = assertTimeoutPreemptively(Duration.ofSeconds(10), counter::cachedKeys);
        long second = assertTimeoutPreemptively(Duration.ofSeconds(10), counter::cachedKeys);

        assertThat(first).isZero();
        assertThat(second).isZero();
        assertThat(counts).hasSize(1);
    }

    @Test
    void cachedKeys_afterTheCountFinishes_returnsItUntilTheIntervalPasses() {
        KeyCounter counter = counter(Duration.ofMinutes(1));
        counter.cachedKeys();
        counts.get(0).complete(42L);

        assertThat(counter.cachedKeys()).isEqualTo(42);
        assertThat(counts).hasSize(1);
    }

    @Test
    void cachedKeys_afterInvalidate_keepsTheLastCountAndRecountsInTheBackground() {
        KeyCounter counter = counter(Duration.ofMinutes(1));
        counter.cachedKeys();
        counts.get(0).complete(42L);
        counter.invalidate();

        assertThat(counter.cachedKeys()).isEqualTo(42);
        assertThat(counts).hasSize(2);
        counts.get(1).complete(0L);
        assertThat(counter.cachedKeys()).isZero();
    }

    @Test
    void cachedKeys_failedCount_keepsTheLastCount() {
        KeyCounter counter = counter(Duration.ofMinutes(1));
        counter.cachedKeys();
        counts.get(0).complete(5L);
        counter.invalidate();
        counter.cachedKeys();
        counts.get(1).completeExceptionally(new IllegalStateException("down"));

        assertThat(counter.cachedKeys()).isEqualTo(5);
    }
}
