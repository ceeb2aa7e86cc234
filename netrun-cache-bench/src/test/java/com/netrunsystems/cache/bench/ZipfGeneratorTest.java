package com.netrunsystems.cache.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ZipfGeneratorTest {

    @Test
    void trace_sameSeed_isTheSameSequence() {
        assertThat(ZipfGenerator.trace(1000, 0.99, 7, 500)).isEqualTo(ZipfGenerator.trace(1000, 0.99, 7, 500));
    }

    @Test
    void next_staysInRange() {
        assertThat(Arrays.stream(ZipfGenerator.trace(100, 0.99, 1, 10_000)).allMatch(i -> i >= 0 && i < 100)).isTrue();
    }

    @Test
    void nextRank_isSkewedTowardsTheFirstRanks() {
        ZipfGenerator zipf = new ZipfGenerator(10_000, 0.99, 3);
        int[] counts = new int[10_000];
        for (int i = 0; i < 200_000; i++) {
            counts[zipf.nextRank()]++;
        }
        // P(rank 0) = 1 / H(10000, 0.99), about 0.095; the tail ranks are each far rarer.
        assertThat(counts[0] / 200_000.0).isBetween(0.08, 0.11);
        assertThat(counts[0]).isGreaterThan(counts[1]).isGreaterThan(counts[100]);
    }

    @Test
    void next_scramblesTheHotItemsAwayFromTheFirstKeys() {
        int[] trace = ZipfGenerator.trace(10_000, 0.99, 5, 50_000);
        int[] counts = new int[10_000];
        Arrays.stream(trace).forEach(i -> counts[i]++);
        int hottest = 0;
        for (int i = 1; i < counts.length; i++) {
            if (counts[i] > counts[hottest]) {
                hottest = i;
            }
        }
        assertThat(counts[hottest] / 50_000.0).isGreaterThan(0.08);
        assertThat(hottest).as("the hottest item is not simply item 0").isNotZero();
    }

    @Test
    void constructor_badArguments_throwNamingThem() {
        assertThatIllegalArgumentException().isThrownBy(() -> new ZipfGenerator(0, 0.99, 1)).withMessageContaining("n");
        assertThatIllegalArgumentException().isThrownBy(() -> new ZipfGenerator(10, -1, 1)).withMessageContaining("s");
    }

    @Test
    void workloadBatches_areDistinctKeys() {
        Workload workload = new Workload(1_000, 10, 8);
        for (int[] batch : workload.batches(16, 100)) {
            assertThat(Arrays.stream(batch).distinct().count()).isEqualTo(100);
        }
        assertThat(Workload.value(12, 100)).hasSize(100).startsWith("value-12-");
    }
}
