package com.netrunsystems.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.netrunsystems.cache.AsyncCache;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.CacheUnavailableException;
import com.netrunsystems.cache.CircuitState;
import com.netrunsystems.cache.testsupport.RedisServer;
import com.netrunsystems.cache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10, item 3: {@code CacheManager.async()} never blocks its caller. With the test's redis-server frozen
 * ({@code kill -STOP}: connections stay open, nothing is answered), every asynchronous call returns its future at
 * once and the future completes with the fail-open answer (a counter: {@link CacheUnavailableException}) within
 * {@code socketTimeout}. The bounds are generous (a loaded 2-core machine); the measured times are printed.
 */
class CacheManagerAsyncFrozenRedisIT {

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.standalone();

    private static final Duration SOCKET_TIMEOUT = Duration.ofMillis(1_000);
    /** Returning "at once": far below the socket timeout that a blocking call would wait. */
    private static final Duration RETURN_BOUND = SOCKET_TIMEOUT.dividedBy(2);
    /** Completing: Lettuce times the command out after the socket timeout; the margin absorbs scheduling. */
    private static final Duration COMPLETION_BOUND = SOCKET_TIMEOUT.plusSeconds(2);

    private final String namespace = "frozen-" + UUID.randomUUID().toString().substring(0, 8);

    /** A call, and what its future must complete with while Redis is frozen. */
    private record Call(Supplier<CompletableFuture<?>> start, Consumer<CompletableFuture<?>> outcome) {
    }

    @Test
    void async_redisFrozen_everyCallReturnsAtOnceAndCompletesFailOpenWithinSocketTimeout() throws Exception {
        RedisServer server = redis.server();
        try (CacheManager<Object> cache = CacheManager.create(config(server))) {
            cache.initialize();
            assertThat(cache.increment("counter")).isEqualTo(1L); // L2 was reached: counters live there now
            assertThat(cache.set("warm", "w")).isTrue();
            assertThat(cache.get("warm")).isEqualTo("w");
            AsyncCache<Object> async = cache.async();
            for (Call call : calls(async).values()) { // warm up: classes loaded, code paths run once
                call.start().get().handle((value, error) -> null).get(5, TimeUnit.SECONDS);
            }
            assertThat(cache.increment("counter")).isEqualTo(1L); // the warm-up cleared the namespace

            server.faults().pause();
            try {
                Map<String, CompletableFuture<?>> futures = new LinkedHashMap<>();
                Map<String, Long> startedAt = new LinkedHashMap<>();
                long slowestReturn = 0;
                String slowest = null;
                StringBuilder returns = new StringBuilder();
                for (Map.Entry<String, Call> call : calls(async).entrySet()) {
                    long start = System.nanoTime();
                    CompletableFuture<?> future = call.getValue().start().get();
                    long returned = System.nanoTime() - start;
                    startedAt.put(call.getKey(), start);
                    futures.put(call.getKey(), future);
                    returns.append(String.format(" %s=%.3fms", call.getKey(), returned / 1e6));
                    if (returned > slowestReturn) {
                        slowestReturn = returned;
                        slowest = call.getKey();
                    }
                }
                System.out.printf("ASYNC_FROZEN_RETURN calls=%d slowest=%s %.3f ms (bound %d ms):%s%n", futures.size(),
                        slowest, slowestReturn / 1e6, RETURN_BOUND.toMillis(), returns);
                assertThat(Duration.ofNanos(slowestReturn)).isLessThan(RETURN_BOUND);
                assertThat(futures.values()).as("every call went to the frozen L2 and waits for it")
                        .noneMatch(CompletableFuture::isDone);

                StringBuilder completions = new StringBuilder();
                for (Map.Entry<String, CompletableFuture<?>> entry : futures.entrySet()) {
                    CompletableFuture<?> future = entry.getValue();
                    try {
                        future.get(COMPLETION_BOUND.toMillis() + 1_000, TimeUnit.MILLISECONDS);
                    } catch (ExecutionException expected) {
                        // checked by the call's outcome below
                    }
                    long took = System.nanoTime() - startedAt.get(entry.getKey());
                    completions.append(' ').append(entry.getKey()).append('=').append(took / 1_000_000).append("ms");
                    assertThat(Duration.ofNanos(took)).as(entry.getKey()).isLessThan(COMPLETION_BOUND);
                    calls(async).get(entry.getKey()).outcome().accept(future);
                }
                System.out.println("ASYNC_FROZEN_COMPLETION socketTimeout=" + SOCKET_TIMEOUT.toMillis() + "ms" + completions);

                // Now the circuit is open: the same calls are answered from L1 at once, still without blocking.
                assertThat(cache.l2Circuit()).contains(CircuitState.OPEN);
                for (Map.Entry<String, Call> call : calls(async).entrySet()) {
                    CompletableFuture<?> future = call.getValue().start().get();
                    if (!call.getKey().equals("getOrLoad")) { // the pipeline may run the loader on its executor
                        assertThat(future).as(call.getKey()).isDone();
                    }
                    future.handle((value, error) -> null).get(COMPLETION_BOUND.toMillis(), TimeUnit.MILLISECONDS);
                    call.getValue().outcome().accept(future);
                }
            } finally {
                server.faults().resume();
            }
        }
    }

    /**
     * The first calls of a manager created while Redis is frozen wait for the first subscription attempt (at most
     * socketConnectTimeout + socketTimeout), then for L2: asynchronously too, so they return at once.
     */
    @Test
    void async_managerCreatedWhileRedisFrozen_firstCallsReturnAtOnce() throws Exception {
        RedisServer server = redis.server();
        server.faults().pause();
        try (CacheManager<Object> cache = CacheManager.create(config(server))) {
            long start = System.nanoTime();
            CompletableFuture<Object> get = cache.async().get("cold");
            CompletableFuture<Boolean> set = cache.async().set("k", "v");
            long returned = System.nanoTime() - start;
            Object value = get.get(10, TimeUnit.SECONDS);
            long gotAt = System.nanoTime() - start;
            boolean stored = set.get(10, TimeUnit.SECONDS);
            long setAt = System.nanoTime() - start;
            System.out.printf("ASYNC_FROZEN_FIRST_CALLS returned=%.3fms get=%dms set=%dms (connect+socket timeout %d ms)%n",
                    returned / 1e6, gotAt / 1_000_000, setAt / 1_000_000, SOCKET_TIMEOUT.multipliedBy(2).toMillis());
            assertThat(Duration.ofNanos(returned)).isLessThan(RETURN_BOUND);
            assertThat(value).isNull();
            assertThat(stored).as("L1 stored it").isTrue();
            // the subscription attempt, then the connection and the call: each bounded by the timeouts
            assertThat(Duration.ofNanos(setAt)).isLessThan(SOCKET_TIMEOUT.multipliedBy(4).plusSeconds(2));
        } finally {
            server.faults().resume();
        }
    }

    /** One call of each L2-touching operation of {@link AsyncCache}, on keys L1 does not hold. */
    private static Map<String, Call> calls(AsyncCache<Object> async) {
        Map<String, Call> calls = new LinkedHashMap<>();
        calls.put("get", new Call(() -> async.get("cold"), answers(null)));
        calls.put("exists", new Call(() -> async.exists("cold"), answers(false)));
        calls.put("getMany", new Call(() -> async.getMany(List.of("cold-a", "cold-b")),
                answers(Map.of())));
        calls.put("set", new Call(() -> async.set("s", "v"), answers(true)));
        calls.put("setIfAbsent", new Call(() -> async.setIfAbsent("nx-" + UUID.randomUUID(), "v"),
                answers(true))); // L2 could not be asked: L1 decides
        calls.put("delete", new Call(() -> async.delete("d"), answers(false)));
        calls.put("expire", new Call(() -> async.expire("e", Duration.ofMinutes(1)),
                answers(false)));
        calls.put("setMany", new Call(() -> async.setMany(Map.of("m1", "v", "m2", "v")),
                answers(2)));
        calls.put("increment", new Call(() -> async.increment("counter"), f -> assertThat(f)
                .failsWithin(Duration.ZERO).withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(CacheUnavailableException.class))); // counters never fail open
        calls.put("clearNamespace", new Call(async::clearNamespace, answers(0L)));
        calls.put("getOrLoad", new Call(() -> async.getOrLoad("load-" + UUID.randomUUID(),
                key -> CompletableFuture.completedFuture("loaded")), answers("loaded"))); // kept in L1
        return calls;
    }

    /** The future is complete, with {@code expected}. */
    private static Consumer<CompletableFuture<?>> answers(Object expected) {
        return future -> {
            assertThat(future).isDone();
            Object value = future.join();
            assertThat(value).isEqualTo(expected);
        };
    }

    private CacheConfig config(RedisServer server) {
        return CacheConfig.builder()
                .namespace(namespace)
                .redisHost(RedisServer.HOST)
                .redisPort(server.port())
                .socketTimeout(SOCKET_TIMEOUT)
                .socketConnectTimeout(SOCKET_TIMEOUT)
                .build();
    }
}
