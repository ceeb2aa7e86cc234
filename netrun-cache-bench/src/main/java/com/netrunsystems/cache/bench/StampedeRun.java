package com.netrunsystems.cache.bench;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.Codecs;
import com.netrunsystems.cache.MemoryCache;
import com.netrunsystems.cache.redis.RedisCache;
import com.netrunsystems.cache.testsupport.RedisServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.Histogram;

/**
 * A cache stampede: {@value #CALLERS} threads call {@code getOrLoad} on the same cold key at once,
 * with a loader that takes {@value #LOAD_MILLIS} ms. Reports, per backend, how many times the
 * loader ran, which Redis commands the stampede issued ({@code INFO commandstats} delta) and each
 * caller's latency (p50, p99, max). Raw Caffeine's {@code get(key, loader)} is the in-process
 * reference. Usage: {@code StampedeRun [output.json]}.
 */
public final class StampedeRun {

    static final int CALLERS = 1_000;
    static final long LOAD_MILLIS = 50;
    private static final String KEY = "hot-key";

    private StampedeRun() {
    }

    public static void main(String[] args) throws Exception {
        Path output = Path.of(args.length > 0 ? args[0] : "target/stampede.json");
        List<Map<String, Object>> results = new ArrayList<>();
        try (RedisServer server = BenchRedis.start()) {
            results.add(run("memory", server, () -> MemoryCache.<String>builder().namespace("stampede").build()));
            results.add(run("redis", server, () -> {
                RedisCache<String> cache = RedisCache.builder(BenchRedis.config(server).namespace("stampede-redis").build())
                        .codec(Codecs.string()).build();
                cache.initialize();
                return cache;
            }));
            results.add(run("multi_layer", server, () -> {
                CacheManager<String> manager = CacheManager.builder(BenchRedis.config(server).namespace("stampede-ml")
                        .build()).codec(Codecs.string()).build();
                manager.initialize();
                TwoLevel.awaitL1Trusted(manager);
                return manager;
            }));
            results.add(runCaffeine(server));
        }
        for (Map<String, Object> result : results) {
            System.out.println(result);
        }
        Json.write(output, results);
    }

    private interface CacheFactory {
        Cache<String> create();
    }

    private static Map<String, Object> run(String name, RedisServer server, CacheFactory factory) throws Exception {
        try (Cache<String> cache = factory.create()) {
            return stampede(name, server, key -> cache.getOrLoad(KEY, loader -> slowLoad()));
        }
    }

    private static Map<String, Object> runCaffeine(RedisServer server) throws Exception {
        com.github.benmanes.caffeine.cache.Cache<String, String> caffeine = Caffeine.newBuilder().maximumSize(1000).build();
        return stampede("caffeine", server, key -> caffeine.get(KEY, k -> slowLoad()));
    }

    private static final AtomicInteger LOADS = new AtomicInteger();

    private static String slowLoad() {
        LOADS.incrementAndGet();
        try {
            Thread.sleep(LOAD_MILLIS); // the simulated slow load this benchmark program measures
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "loaded-value";
    }

    private static Map<String, Object> stampede(String name, RedisServer server, Function<String, String> getOrLoad)
            throws InterruptedException {
        LOADS.set(0);
        server.resetStats();
        Recorder recorder = new Recorder(3);
        AtomicInteger wrong = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        CountDownLatch ready = new CountDownLatch(CALLERS);
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>(CALLERS);
        for (int i = 0; i < CALLERS; i++) {
            Thread thread = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                    long start = System.nanoTime();
                    String value = getOrLoad.apply(KEY);
                    recorder.recordValue(Math.max(1, (System.nanoTime() - start) / 1_000));
                    if (!"loaded-value".equals(value)) {
                        wrong.incrementAndGet();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    failed.incrementAndGet();
                }
            }, "stampede-" + i);
            thread.setDaemon(true);
            threads.add(thread);
            thread.start();
        }
        ready.await();
        long wallStart = System.nanoTime();
        go.countDown();
        for (Thread thread : threads) {
            thread.join(TimeUnit.SECONDS.toMillis(60));
        }
        long wallMicros = (System.nanoTime() - wallStart) / 1_000;
        Map<String, Long> commands = new LinkedHashMap<>(server.commandStats());
        commands.keySet().removeIf(command -> command.equals("info") || command.startsWith("config"));
        long total = commands.values().stream().mapToLong(Long::longValue).sum();
        Histogram latency = recorder.getIntervalHistogram();

        Map<String, Object> result = new LinkedHashMap<>();
        result.put("backend", name);
        result.put("callers", CALLERS);
        result.put("loadMillis", LOAD_MILLIS);
        result.put("loaderCalls", LOADS.get());
        result.put("redisCommands", commands);
        result.put("redisCommandsTotal", total);
        result.put("wrongValues", wrong.get());
        result.put("failures", failed.get());
        result.put("p50Micros", latency.getValueAtPercentile(50));
        result.put("p99Micros", latency.getValueAtPercentile(99));
        result.put("maxMicros", latency.getMaxValue());
        result.put("wallMicros", wallMicros);
        return result;
    }
}
