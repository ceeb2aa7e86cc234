package com.netrunsystems.cache.bench;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.netrunsystems.cache.testsupport.RedisServer;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Two-level caches on an L1 hit, with the lean harness of {@link MemoryBenchmark} ({@link HitTrace}):
 * netrun-cache {@code CacheManager} on a real redis-server this trial starts (never 6379), its L1
 * filled with the whole key set before measuring, so a hit sends nothing to Redis (the trial prints
 * the server's read commands during the measurement to prove it); Redisson {@code RLocalCachedMap}
 * and JetCache's two-level cache likewise; and the same baselines as {@link MemoryBenchmark}: raw
 * Caffeine bounded only, raw Caffeine with {@code maximumSize} + {@code expireAfterWrite} +
 * {@code recordStats()}, and {@code noop} (the harness's cost). Threads from the command line.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(1)
@Threads(1)
public class L1HitBenchmark {

    /** The reader under test and the shared trace. */
    @State(Scope.Benchmark)
    public static class Contender {
        @Param({"noop", "caffeine", "caffeine_features", "netrun", "redisson", "jetcache"})
        public String contender;

        HitTrace keys;
        Function<String, Object> read;
        RedisServer server;
        AutoCloseable resource;
        Map<String, Long> before;

        @Setup(Level.Trial)
        public void setUp() {
            keys = new HitTrace();
            switch (contender) {
                case "noop" -> read = key -> key;
                case "caffeine" -> read = filled(Caffeine.newBuilder().maximumSize(HitTrace.CACHE_SIZE).build());
                case "caffeine_features" -> read = filled(Caffeine.newBuilder().maximumSize(HitTrace.CACHE_SIZE)
                        .expireAfterWrite(TwoLevel.L1_TTL).recordStats().build());
                default -> {
                    server = BenchRedis.start();
                    Workload workload = new Workload(HitTrace.KEYS, HitTrace.VALUE_BYTES, 10);
                    RedisContenders.preloadRaw(server, workload);
                    TwoLevel.Built<Function<String, Object>> built =
                            TwoLevel.keyReader(contender, server, workload, HitTrace.CACHE_SIZE);
                    resource = built.resource();
                    read = built.call();
                    for (String key : keys.keys) {
                        read.apply(key); // fills L1
                    }
                }
            }
            for (String key : keys.keys) {
                if (read.apply(key) == null) {
                    throw new IllegalStateException(contender + " does not find key " + key);
                }
            }
            if (server != null) {
                before = server.commandStats();
            }
        }

        private Function<String, Object> filled(Cache<String, Object> cache) {
            for (String key : keys.keys) {
                cache.put(key, keys.value);
            }
            return cache::getIfPresent;
        }

        /** Prints the reads Redis served during warm-up and measurement: 0 when every read was an L1 hit. */
        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            try {
                if (server != null) {
                    Map<String, Long> reads = new TreeMap<>();
                    server.commandStats().forEach((command, calls) -> {
                        long delta = calls - before.getOrDefault(command, 0L);
                        if (delta > 0 && !command.equals("info") && !command.startsWith("config")) {
                            reads.put(command, delta);
                        }
                    });
                    System.out.println(System.lineSeparator() + "[L1HitBenchmark " + contender + "] Redis commands during the trial: "
                            + (reads.isEmpty() ? "none" : reads));
                }
                if (resource != null) {
                    resource.close();
                }
            } finally {
                if (server != null) {
                    server.close();
                }
            }
        }
    }

    /** One thread's index into the trace. */
    @State(Scope.Thread)
    public static class ThreadState {
        int index;

        @Setup(Level.Trial)
        public void setUp(ThreadParams thread) {
            index = HitTrace.start(thread.getThreadIndex());
        }
    }

    @Benchmark
    public Object get(Contender c, ThreadState t) {
        return c.read.apply(c.keys.trace[t.index++ & HitTrace.MASK]);
    }
}
