package com.netrunsystems.cache.bench;

import com.netrunsystems.cache.testsupport.RedisServer;
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
import org.openjdk.jmh.infra.ThreadParams;

/**
 * Blocking Redis reads and writes, one command per operation, against a redis-server this trial
 * starts on a free loopback port: netrun-cache {@code RedisCache} against raw Lettuce and the peers,
 * on 10,000 preloaded keys of 100-byte values, Zipf(0.99) scrambled. Every thread of a trial shares
 * the contender's one client (one multiplexed connection for netrun, Lettuce, Spring and JetCache;
 * Redisson's own pool). Threads come from the command line ({@code -t 1}, {@code -t 8}).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@Threads(1)
public class RedisBenchmark {

    static final int KEYS = 10_000;
    static final int VALUE_BYTES = 100;

    /** The server, the shared workload and the client under test. */
    @State(Scope.Benchmark)
    public static class Contender {
        @Param({"netrun", "lettuce", "redisson", "spring", "jetcache"})
        public String contender;

        RedisServer server;
        Workload workload;
        RedisContender client;

        @Setup(Level.Trial)
        public void setUp() {
            server = BenchRedis.start();
            workload = new Workload(KEYS, VALUE_BYTES, 20);
            client = RedisContenders.create(contender, server, workload);
            client.preload();
            if (client.get(0) == null) {
                throw new IllegalStateException(contender + " does not find the preloaded key 0");
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

    /** One thread's position in the trace. */
    @State(Scope.Thread)
    public static class Cursor {
        int step;

        @Setup(Level.Trial)
        public void setUp(Contender contender, ThreadParams thread) {
            step = contender.workload.start(thread.getThreadIndex());
        }
    }

    @Benchmark
    public Object get(Contender c, Cursor cursor) {
        return c.client.get(c.workload.index(cursor.step++));
    }

    @Benchmark
    public void set(Contender c, Cursor cursor) {
        c.client.set(c.workload.index(cursor.step++));
    }
}
