package com.netrunsystems.cache.bench;

import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.Codecs;
import com.netrunsystems.cache.redis.RedisCache;
import com.netrunsystems.cache.testsupport.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntFunction;
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
 * Two-level caches (L1 memory + L2 Redis) past L1, one thread, 10,000 keys of 100-byte values (the L1 hit
 * is {@link L1HitBenchmark}, with the lean harness):
 * <ul>
 *   <li>{@link L2Hit}: L1 holds one entry and keys are read in sequence, so every read misses L1
 *       and hits Redis. Against raw Lettuce {@code GET} and the same peers with a local size of 1.</li>
 *   <li>{@link MissLoad}: every key is new: read-through with a loader that returns at once, so the
 *       score is the cache's own cost of a miss (round trips to Redis and bookkeeping). Against a
 *       hand-written raw Lettuce read-through ({@code GET}, then {@code SET PX} on a miss), netrun
 *       {@code RedisCache.getOrLoad} alone and JetCache's {@code computeIfAbsent}.</li>
 * </ul>
 */
public class TwoLevelBenchmark {

    static final int KEYS = 10_000;
    static final int VALUE_BYTES = 100;

    /** A two-level contender: a read by key index. */
    abstract static class Base {
        RedisServer server;
        Workload workload;
        IntFunction<Object> read;
        AutoCloseable resource;

        /** Starts Redis with every key of the workload preloaded. */
        void start() {
            server = BenchRedis.start();
            workload = new Workload(KEYS, VALUE_BYTES, 20);
            RedisContenders.preloadRaw(server, workload);
        }

        /** Starts Redis, then {@link TwoLevel#reader} {@code contender} with an L1 of {@code l1Size}. */
        void start(String contender, int l1Size) {
            start();
            TwoLevel.Built<IntFunction<Object>> built = TwoLevel.reader(contender, server, workload, l1Size);
            resource = built.resource();
            read = built.call();
        }

        @TearDown(Level.Trial)
        public void tearDown() throws Exception {
            try {
                if (resource != null) {
                    resource.close();
                }
            } finally {
                server.close();
            }
        }

        void verify(String contender) {
            for (int i = 0; i < 3; i++) {
                if (read.apply(i) == null) {
                    throw new IllegalStateException(contender + " does not find preloaded key " + i);
                }
            }
        }
    }

    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Warmup(iterations = 2, time = 1)
    @Measurement(iterations = 3, time = 2)
    @Fork(1)
    @Threads(1)
    @State(Scope.Benchmark)
    public static class L2Hit extends Base {
        @Param({"netrun", "lettuce", "redisson", "jetcache"})
        public String contender;
        int step;

        @Setup(Level.Trial)
        public void setUp() {
            start(contender, 1);
            verify(contender);
        }

        /** Reads keys in sequence, so no key is read twice in a row and an L1 of one entry never hits. */
        @Benchmark
        public Object get() {
            int index = step++;
            if (step == KEYS) {
                step = 0;
            }
            return read.apply(index);
        }
    }

    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @Warmup(iterations = 2, time = 1)
    @Measurement(iterations = 3, time = 2)
    @Fork(1)
    @Threads(1)
    @State(Scope.Benchmark)
    public static class MissLoad extends Base {
        @Param({"netrun", "netrun_redis", "lettuce", "jetcache"})
        public String contender;
        Function<String, Object> getOrLoad;
        long counter;
        String value;

        @Setup(Level.Trial)
        public void setUp() {
            start();
            value = workload.value(0);
            Function<String, String> loader = key -> value;
            TwoLevel.Built<Function<String, Object>> built = switch (contender) {
                case "netrun" -> TwoLevel.netrun(server, KEYS).map(manager -> key -> manager.getOrLoad(key, loader));
                case "netrun_redis" -> {
                    RedisCache<String> cache = RedisCache.builder(BenchRedis.config(server).build())
                            .codec(Codecs.string()).build();
                    cache.initialize();
                    yield new TwoLevel.Built<>(key -> cache.getOrLoad(key, loader), cache);
                }
                case "lettuce" -> {
                    RedisClient client = RedisClient.create(RedisContenders.redisUri(server));
                    StatefulRedisConnection<String, String> connection = client.connect(StringCodec.UTF8);
                    RedisCommands<String, String> sync = connection.sync();
                    SetArgs ttl = SetArgs.Builder.px(BenchRedis.TTL.toMillis());
                    yield new TwoLevel.Built<>(key -> {
                        String full = BenchRedis.NAMESPACE + ":" + key;
                        String found = sync.get(full);
                        if (found == null) {
                            found = loader.apply(key);
                            sync.set(full, found, ttl);
                        }
                        return found;
                    }, () -> {
                        connection.close();
                        client.shutdown();
                    });
                }
                case "jetcache" -> TwoLevel.jetcache(server, KEYS).map(cache -> key -> cache.computeIfAbsent(key, loader));
                default -> throw new IllegalArgumentException("unknown contender " + contender);
            };
            resource = built.resource();
            getOrLoad = built.call();
            if (getOrLoad.apply("load:probe") == null) {
                throw new IllegalStateException(contender + " returned null from a read-through");
            }
        }

        @Benchmark
        public Object getOrLoad(ThreadParams thread) {
            return getOrLoad.apply("load:" + thread.getThreadIndex() + ":" + counter++);
        }
    }
}
