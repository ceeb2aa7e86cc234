package com.netrunsystems.cache;

import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Arrays;
import java.util.function.Consumer;
import kotlin.Unit;
import kotlin.jvm.functions.Function1;
import kotlin.reflect.jvm.ReflectJvmMapping;
import org.jetbrains.kotlinx.lincheck.DSLScenarioBuilder;
import org.jetbrains.kotlinx.lincheck.DSLThreadScenario;
import org.jetbrains.kotlinx.lincheck.LinChecker;
import org.jetbrains.kotlinx.lincheck.annotations.Operation;
import org.jetbrains.kotlinx.lincheck.annotations.Param;
import org.jetbrains.kotlinx.lincheck.paramgen.IntGen;
import org.jetbrains.kotlinx.lincheck.strategy.managed.modelchecking.ModelCheckingOptions;
import org.jetbrains.kotlinx.lincheck.strategy.stress.StressOptions;
import org.junit.jupiter.api.Test;

/**
 * Checks with Lincheck that {@code getOrLoad} (blocking and {@code async()}, which share one single
 * flight) is linearizable with {@code get}, {@code set} and {@code delete} on a {@link MemoryCache}:
 * the loader is deterministic ({@code "loaded-" + key}), so a sequential run answers every
 * {@code getOrLoad} with the value present, or loads and stores the loader's value.
 *
 * <p>Regressions, run first as custom scenarios: a flight stayed joinable until its value was
 * written, so a {@code getOrLoad} that arrived after a {@code delete} (or {@code set}) of the key
 * joined the old flight and answered the value that call had removed, while the cache stayed empty;
 * and the loaded value overwrote a {@code set} made while the loader ran. Model checking finds each
 * within a few dozen interleavings; stress runs seldom do, and are kept small.
 */
class SingleFlightLinearizabilityTest {

    @Test
    void getOrLoad_racingSetAndDelete_isLinearizable_modelChecking() {
        ModelCheckingOptions options = new ModelCheckingOptions().iterations(1).invocationsPerIteration(50)
                .threads(2).actorsPerThread(3).actorsBefore(1).actorsAfter(1);
        // The races that broke, first: each with every interleaving the budget reaches.
        options.addCustomScenario(scenario(t -> call(t, "getOrLoad", 0),
                t -> { call(t, "delete", 0); call(t, "getOrLoad", 0); call(t, "get", 0); }, t -> { }));
        options.addCustomScenario(scenario(t -> call(t, "getOrLoad", 0),
                t -> { call(t, "delete", 0); call(t, "asyncGetOrLoad", 0); call(t, "get", 0); }, t -> { }));
        // A set while the loader runs must not be overwritten by the loaded value.
        options.addCustomScenario(scenario(t -> call(t, "getOrLoad", 0), t -> call(t, "set", 0, 1),
                t -> call(t, "get", 0)));
        options.addCustomScenario(scenario(t -> call(t, "asyncGetOrLoad", 0), t -> call(t, "set", 0, 1),
                t -> call(t, "get", 0)));
        LinChecker.check(Operations.class, options);
    }

    @Test
    void getOrLoad_racingSetAndDelete_isLinearizable_stress() {
        LinChecker.check(Operations.class, new StressOptions().iterations(3).invocationsPerIteration(100)
                .threads(2).actorsPerThread(3).actorsBefore(1).actorsAfter(1));
    }

    /** A scenario of two threads running {@code first} and {@code second} in parallel, then {@code post}. */
    private static Function1<DSLScenarioBuilder, Unit> scenario(Consumer<DSLThreadScenario> first,
            Consumer<DSLThreadScenario> second, Consumer<DSLThreadScenario> post) {
        return builder -> {
            builder.parallel(parallel -> {
                parallel.thread(thread -> {
                    first.accept(thread);
                    return Unit.INSTANCE;
                });
                parallel.thread(thread -> {
                    second.accept(thread);
                    return Unit.INSTANCE;
                });
                return Unit.INSTANCE;
            });
            builder.post(thread -> {
                post.accept(thread);
                return Unit.INSTANCE;
            });
            return Unit.INSTANCE;
        };
    }

    private static void call(DSLThreadScenario thread, String operation, Object... args) {
        Method method = Arrays.stream(Operations.class.getMethods())
                .filter(m -> m.getName().equals(operation)).findFirst().orElseThrow();
        thread.actor(ReflectJvmMapping.getKotlinFunction(method), args);
    }

    /** The operations on two keys; {@code set} writes values the loader never returns. */
    @Param(name = "key", gen = IntGen.class, conf = "0:1")
    @Param(name = "value", gen = IntGen.class, conf = "1:2")
    public static final class Operations {

        private final MemoryCache<Object> cache = MemoryCache.builder().evictionPolicy(EvictionPolicy.LRU)
                .maxSize(100).defaultTtl(Duration.ofHours(1)).build();

        @Operation
        public Object getOrLoad(@Param(name = "key") int key) {
            return cache.getOrLoad("k" + key, k -> "loaded-" + k);
        }

        @Operation
        public Object asyncGetOrLoad(@Param(name = "key") int key) {
            return cache.async().getOrLoad("k" + key,
                    k -> java.util.concurrent.CompletableFuture.completedFuture("loaded-" + k)).join();
        }

        @Operation
        public Object get(@Param(name = "key") int key) {
            return cache.get("k" + key);
        }

        @Operation
        public boolean set(@Param(name = "key") int key, @Param(name = "value") int value) {
            return cache.set("k" + key, "set-" + value);
        }

        @Operation
        public boolean delete(@Param(name = "key") int key) {
            return cache.delete("k" + key);
        }
    }
}
