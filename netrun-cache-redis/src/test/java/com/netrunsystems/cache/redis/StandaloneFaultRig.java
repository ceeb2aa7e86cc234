package com.netrunsystems.cache.redis;

import static org.awaitility.Awaitility.await;

import com.netrunsystems.cache.redis.FailOpenMatrix.Effect;
import com.netrunsystems.cache.testsupport.FaultProxy;
import com.netrunsystems.cache.testsupport.RedisServer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * One redis-server behind a {@link FaultProxy}, shared by every row of a standalone matrix IT: the caches under test
 * connect through the proxy, the rig's own admin calls go to the server directly. Each {@link Fault} is injected
 * once per row and cleared after it; a {@code DEBUG SLEEP} is renewed before a cell when less than
 * {@link #SLEEP_RENEWAL} of it is left. Not thread-safe: one row at a time.
 */
final class StandaloneFaultRig implements AutoCloseable {

    /** The faults of a standalone row, in table order. */
    enum Fault {
        NONE("none (baseline)", Effect.NONE),
        KILLED("server killed (SIGKILL; restarted after the row)", Effect.UNAVAILABLE),
        PAUSED("server paused (kill -STOP)", Effect.UNAVAILABLE),
        DEBUG_SLEEP("server busy (DEBUG SLEEP 4 s)", Effect.UNAVAILABLE),
        PROXY_STALL("network stall, both directions (sockets open)", Effect.UNAVAILABLE),
        PROXY_RESET("connections reset (RST), reconnects refused", Effect.UNAVAILABLE),
        PROXY_DROP("connections closed (FIN), reconnects held unanswered", Effect.UNAVAILABLE),
        OOM("maxmemory reached, noeviction (-OOM)", Effect.WRITE_REJECTED),
        MISCONF("persistence failing (-MISCONF)", Effect.WRITE_REJECTED),
        READONLY("server turned replica (-READONLY)", Effect.WRITE_REJECTED);

        final String label;
        final Effect effect;

        Fault(String label, Effect effect) {
            this.label = label;
            this.effect = effect;
        }
    }

    private static final Duration SLEEP = Duration.ofSeconds(4);
    private static final Duration SLEEP_RENEWAL = Duration.ofMillis(1_500);

    private final RedisServer server = RedisServer.start();
    private final FaultProxy proxy = FaultProxy.start(server);
    private RedisServer primary; // started for the first READONLY row
    private CompletableFuture<Void> awake;
    private long sleepEndsNanos;

    /** The port caches under test connect to (the proxy's). */
    int port() {
        return proxy.port();
    }

    RedisServer server() {
        return server;
    }

    /** Stores {@code seeds} (key → string value, JSON-encoded) under {@code namespace}, on the server directly. */
    void seed(String namespace, Map<String, String> seeds) {
        seeds.forEach((key, value) -> server.execute("SET", namespace + ":" + key, "\"" + value + "\"", "PX", "600000"));
    }

    /** Puts the server or the network into {@code fault}; {@code seeds} are copied where the fault needs them. */
    void inject(Fault fault, String namespace, Map<String, String> seeds) {
        switch (fault) {
            case NONE -> { }
            case KILLED -> server.kill();
            case PAUSED -> server.faults().pause();
            case DEBUG_SLEEP -> sleep();
            case PROXY_STALL -> proxy.stall(FaultProxy.Direction.BOTH);
            case PROXY_RESET -> {
                proxy.newConnections(FaultProxy.NewConnections.RESET);
                proxy.resetAll();
            }
            case PROXY_DROP -> {
                proxy.newConnections(FaultProxy.NewConnections.HOLD);
                proxy.dropAll();
            }
            case OOM -> server.faults().maxmemoryNoEviction();
            case MISCONF -> server.faults().persistenceFailure();
            case READONLY -> becomeReplica(namespace, seeds);
        }
    }

    /** Called before each cell: renews a {@code DEBUG SLEEP} that might end during the cell. */
    void beforeCell(Fault fault) {
        if (fault == Fault.DEBUG_SLEEP && sleepEndsNanos - System.nanoTime() < SLEEP_RENEWAL.toNanos()) {
            awake.join();
            sleep();
        }
    }

    /** Undoes {@code fault}; the caller then waits until its caches work again. */
    void clear(Fault fault) {
        switch (fault) {
            case NONE -> { }
            case KILLED -> server.restart();
            case PAUSED -> server.faults().resume();
            case DEBUG_SLEEP -> awake.join();
            case PROXY_STALL, PROXY_RESET, PROXY_DROP -> proxy.resume();
            case OOM -> server.faults().clearMaxmemory();
            case MISCONF -> server.faults().restorePersistence();
            case READONLY -> server.execute("REPLICAOF", "NO", "ONE");
        }
    }

    private void sleep() {
        awake = server.faults().debugSleep(SLEEP);
        sleepEndsNanos = System.nanoTime() + SLEEP.toNanos() - Duration.ofMillis(50).toNanos();
    }

    /**
     * Makes the server a replica of a throwaway primary holding the same seeds (a replica drops its data and loads
     * the primary's), and waits until it serves them: writes then answer {@code -READONLY}, reads work.
     */
    private void becomeReplica(String namespace, Map<String, String> seeds) {
        if (primary == null) {
            primary = RedisServer.start();
        }
        primary.flushAll();
        seeds.forEach((key, value) -> primary.execute("SET", namespace + ":" + key, "\"" + value + "\"", "PX", "600000"));
        server.execute("REPLICAOF", RedisServer.HOST, Integer.toString(primary.port()));
        String probe = namespace + ":" + seeds.keySet().iterator().next();
        await("the replica to load the primary's data").atMost(Duration.ofSeconds(15))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> ((String) server.execute("INFO", "replication")).contains("master_link_status:up")
                        && server.execute("GET", probe) != null);
    }

    @Override
    public void close() {
        proxy.close();
        server.stop();
        if (primary != null) {
            primary.stop();
        }
    }
}
