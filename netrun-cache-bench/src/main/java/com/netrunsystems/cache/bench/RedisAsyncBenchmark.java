package com.netrunsystems.cache.bench;

import com.netrunsystems.cache.testsupport.RedisServer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Asynchronous reads with 100 requests in flight, one thread: each invocation starts 100 GETs,
 * flushes (a no-op except for {@code lettuce_manual_flush}) and waits for all of them. Scores are
 * GETs per second. Contenders: netrun-cache {@code async().get}, raw Lettuce async with auto-flush
 * (its default: one write and flush per command), raw Lettuce with {@code setAutoFlushCommands(false)}
 * and one {@code flushCommands()} per batch, raw Lettuce with auto-flush behind Netty's
 * {@code FlushConsolidationHandler} (what a library could do to batch flushes for its callers), and
 * Redisson {@code RBucket.getAsync}.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(1)
@Threads(1)
public class RedisAsyncBenchmark {

    static final int IN_FLIGHT = 100;

    /** The server, the workload and the client under test; one thread only. */
    @State(Scope.Benchmark)
    public static class Contender {
        @Param({"netrun", "lettuce", "lettuce_manual_flush", "lettuce_flush_consolidation", "redisson"})
        public String contender;

        RedisServer server;
        Workload workload;
        RedisContender client;
        final CompletableFuture<?>[] inFlight = new CompletableFuture<?>[IN_FLIGHT];
        int step;

        @Setup(Level.Trial)
        public void setUp() {
            server = BenchRedis.start();
            workload = new Workload(RedisBenchmark.KEYS, RedisBenchmark.VALUE_BYTES, 20);
            client = RedisContenders.create(contender, server, workload);
            client.preload();
            CompletableFuture<?> probe = client.getAsync(0);
            client.flush();
            if (probe.join() == null) {
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

    @Benchmark
    @OperationsPerInvocation(IN_FLIGHT)
    public Object get100(Contender c) {
        CompletableFuture<?>[] inFlight = c.inFlight;
        for (int i = 0; i < IN_FLIGHT; i++) {
            inFlight[i] = c.client.getAsync(c.workload.index(c.step++));
        }
        c.client.flush();
        Object last = null;
        for (CompletableFuture<?> future : inFlight) {
            last = future.join();
        }
        return last;
    }
}
