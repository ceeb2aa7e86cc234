package com.netrunsystems.cache.bench;

import com.netrunsystems.cache.testsupport.RedisServer;
import java.util.Map;
import java.util.List;
import java.util.concurrent.TimeUnit;
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

/**
 * Bulk reads of 100 distinct present keys per call, one thread: netrun-cache {@code getMany}
 * against raw Lettuce {@code MGET} and the peers' bulk reads (Redisson {@code RBuckets.get},
 * Spring {@code StringRedisTemplate.multiGet}, JetCache {@code getAll}). One operation is one call
 * of 100 keys.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@Threads(1)
public class RedisGetManyBenchmark {

    /** The server, the workload and the client under test. */
    @State(Scope.Benchmark)
    public static class Contender {
        @Param({"netrun", "lettuce", "redisson", "spring", "jetcache"})
        public String contender;

        RedisServer server;
        RedisContender client;
        int batch;

        @Setup(Level.Trial)
        public void setUp() {
            server = BenchRedis.start();
            Workload workload = new Workload(RedisBenchmark.KEYS, RedisBenchmark.VALUE_BYTES, 10);
            client = RedisContenders.create(contender, server, workload);
            client.preload();
            int found = size(client.getMany(0));
            if (found != RedisContenders.BATCH_SIZE) {
                throw new IllegalStateException(contender + " found " + found + " of " + RedisContenders.BATCH_SIZE
                        + " preloaded keys");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            try {
                client.close();
            } finally {
                server.close();
            }
        }
    }

    static int size(Object many) {
        if (many instanceof Map<?, ?> map) {
            return (int) map.values().stream().filter(v -> v != null).count();
        }
        if (many instanceof List<?> list) {
            return (int) list.stream().filter(v -> v != null
                    && !(v instanceof io.lettuce.core.KeyValue<?, ?> kv && !kv.hasValue())).count();
        }
        throw new IllegalStateException("unexpected bulk reply " + many);
    }

    @Benchmark
    public Object getMany100(Contender c) {
        int batch = c.batch++ & (RedisContenders.BATCHES - 1);
        return c.client.getMany(batch);
    }
}
