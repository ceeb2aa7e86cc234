package com.netrunsystems.cache;

import java.time.Duration;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Param;
import org.jetbrains.kotlinx.lincheck.paramgen.IntGen;
import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions;
import org.jetbrains.kotlinx.lincheck.strategy.stress.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Checks with Lincheck that {@link MemoryCache}'s {@code get}, {@code set}, {@code delete},
 * {@code increment} and {@code setIfAbsent} are linearizable on both stores: every concurrent run
 * must give results that some sequential order of the same calls gives. Lincheck runs the same
 * operations one at a time as the specification.
 *
 * <p>Each store is checked twice: stress runs (real threads, many interleavings by chance) and model
 * checking (Lincheck's scheduler switches threads at every shared-memory access, so it reaches the
 * interleavings chance rarely gives). The LRU cache holds 2 entries for 3 keys, so eviction takes
 * part; the TinyLFU cache (16 entries, so that its frequency sketch is small) never evicts, as its admission depends on a sampled
 * frequency sketch that no sequential specification reproduces. TinyLFU maintenance runs on the
 * callers ({@code executor(Runnable::run)}) so that no thread outside the scenario touches the cache.
 * Time stands still (a ticker that always reads 0): nothing expires, and Caffeine's timer wheel does
 * not sweep decades of empty buckets on the first write, which model checking takes for a hang.
 * Budgets are small (about a minute for this class on a loaded 2-core machine), so it runs in every build.
 */
class MemoryCacheLinearizabilityTest {

    private static final int ITERATIONS = 3;
    private static final int STRESS_INVOCATIONS = 100;
    private static final int MODEL_CHECKING_INVOCATIONS = 60;
    /** Caffeine under model checking costs a few tenths of a second per interleaving on a loaded machine. */
    private static final int TINY_LFU_MODEL_CHECKING_INVOCATIONS = 20;
    private static final Ticker STILL = () -> 0L;

    @Test
    void lru_concurrentOperations_areLinearizable_stress() {
        LinChecker.check(Lru.class, stress());
    }

    @Test
    void lru_concurrentOperations_areLinearizable_modelChecking() {
        LinChecker.check(Lru.class, modelChecking(MODEL_CHECKING_INVOCATIONS));
    }

    @Test
    void tinyLfu_concurrentOperations_areLinearizable_stress() {
        LinChecker.check(TinyLfu.class, stress());
    }

    @Test
    void tinyLfu_concurrentOperations_areLinearizable_modelChecking() {
        LinChecker.check(TinyLfu.class, modelChecking(TINY_LFU_MODEL_CHECKING_INVOCATIONS));
    }

    private static StressOptions stress() {
        return new StressOptions().iterations(ITERATIONS).invocationsPerIteration(STRESS_INVOCATIONS)
                .threads(2).actorsPerThread(3).actorsBefore(2).actorsAfter(1);
    }

    private static ModelCheckingOptions modelChecking(int invocations) {
        return new ModelCheckingOptions().iterations(ITERATIONS).invocationsPerIteration(invocations)
                .threads(2).actorsPerThread(3).actorsBefore(2).actorsAfter(1);
    }

    /** The operations under test, on three keys and small integer values (so that increment always applies). */
    @Param(name = "key", gen = IntGen.class, conf = "0:2")
    @Param(name = "value", gen = IntGen.class, conf = "1:3")
    public abstract static class Operations {

        private final MemoryCache<Object> cache;

        Operations(MemoryCache<Object> cache) {
            this.cache = cache;
        }

        @Operation
        public Object get(@Param(name = "key") int key) {
            return cache.get("k" + key);
        }

        @Operation
        public boolean set(@Param(name = "key") int key, @Param(name = "value") int value) {
            return cache.set("k" + key, value);
        }

        @Operation
        public boolean delete(@Param(name = "key") int key) {
            return cache.delete("k" + key);
        }

        @Operation
        public long increment(@Param(name = "key") int key) {
            return cache.increment("k" + key);
        }

        @Operation
        public boolean setIfAbsent(@Param(name = "key") int key, @Param(name = "value") int value) {
            return cache.setIfAbsent("k" + key, value);
        }
    }

    /** LRU holding 2 of the 3 keys: writes evict the least recently used one. */
    public static final class Lru extends Operations {
        public Lru() {
            super(MemoryCache.builder().evictionPolicy(EvictionPolicy.LRU).maxSize(2).ticker(STILL)
                    .defaultTtl(Duration.ofHours(1)).build());
        }
    }

    /** TinyLFU (Caffeine) that never evicts, with its maintenance on the calling threads. */
    public static final class TinyLfu extends Operations {
        public TinyLfu() {
            super(MemoryCache.builder().evictionPolicy(EvictionPolicy.TINY_LFU).maxSize(16).ticker(STILL)
                    .executor(Runnable::run).defaultTtl(Duration.ofHours(1)).build());
        }
    }
}
