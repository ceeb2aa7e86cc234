package com.netrunsystems.cache.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A throwaway Sentinel setup on free ports of 127.0.0.1: one master {@link RedisServer} and one Sentinel
 * ({@code redis-server sentinel.conf --sentinel}) monitoring it as {@value #MASTER_NAME} with quorum 1. Returned once
 * the Sentinel answers {@code SENTINEL get-master-addr-by-name}.
 *
 * <pre>{@code
 * try (RedisSentinelServers sentinel = RedisSentinelServers.start()) {
 *     String uri = sentinel.sentinelUri();   // redis-sentinel://127.0.0.1:SP#mymaster
 * }
 * }</pre>
 *
 * <p>With a replica ({@link #startWithReplica()}), failover is a fault: {@link #failover()} asks the Sentinel to
 * promote the replica ({@code SENTINEL FAILOVER}), {@link #killMasterAndAwaitPromotion()} kills the master and waits
 * until the Sentinel has promoted the replica on its own (it declares a master down after
 * {@value #DOWN_AFTER_MILLIS_WITH_REPLICA} ms then). Not thread-safe: one thread drives it.
 */
public final class RedisSentinelServers implements AutoCloseable {

    /** The name the master is monitored under. */
    public static final String MASTER_NAME = "mymaster";

    private static final System.Logger LOG = System.getLogger(RedisSentinelServers.class.getName());
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(10);
    private static final int FREE_PORT_ATTEMPTS = 5;
    /** How long the Sentinel of a setup with a replica waits before it declares a silent master down. */
    static final int DOWN_AFTER_MILLIS_WITH_REPLICA = 1_000;
    private static final int DOWN_AFTER_MILLIS = 5_000;
    private static final Duration FAILOVER_TIMEOUT = Duration.ofSeconds(30);

    private final RedisServer master;
    private final RedisServer replica; // null without one
    private final Path directory;
    private final int sentinelPort;
    private final RedisProcess sentinel;
    private RedisServer currentMaster;
    private boolean closed;

    private RedisSentinelServers(RedisServer master, RedisServer replica, Path directory, int sentinelPort,
            Path redisServer) {
        this.master = master;
        this.replica = replica;
        this.currentMaster = master;
        this.directory = directory;
        this.sentinelPort = sentinelPort;
        List<String> command = List.of(redisServer.toString(), configFile().toString(), "--sentinel");
        this.sentinel = new RedisProcess("redis-sentinel " + RedisServer.HOST + ":" + sentinelPort, command, directory,
                directory.resolve("sentinel.log"));
    }

    /** Starts a plain master and a Sentinel monitoring it. */
    public static RedisSentinelServers start() {
        return start(RedisServerOptions.defaults());
    }

    /**
     * Starts a master with {@code masterOptions} (TLS is not supported here) and a Sentinel monitoring it; when the
     * master requires a password, the Sentinel is given it ({@code sentinel auth-pass}).
     */
    public static RedisSentinelServers start(RedisServerOptions masterOptions) {
        return start(masterOptions, false);
    }

    /**
     * Starts a plain master, a replica of it (in sync before the Sentinel starts, so that the Sentinel knows it from
     * its first {@code INFO}), and a Sentinel monitoring the master, for {@link #failover()} and
     * {@link #killMasterAndAwaitPromotion()}.
     */
    public static RedisSentinelServers startWithReplica() {
        return start(RedisServerOptions.defaults(), true);
    }

    private static RedisSentinelServers start(RedisServerOptions masterOptions, boolean withReplica) {
        if (masterOptions.isTls()) {
            throw new IllegalArgumentException("RedisSentinelServers does not support TLS masters");
        }
        RedisExecutables executables = RedisExecutables.fromEnvironment();
        Path redisServer = executables.redisServer();
        RedisServer master = RedisServer.start(masterOptions, executables, 0);
        RedisServer replica = null;
        Path directory = null;
        try {
            if (withReplica) {
                replica = RedisServer.start(masterOptions.toBuilder()
                        .config("replicaof " + RedisServer.HOST + " " + master.port()).build(), executables, 0);
                RedisServer started = replica;
                Polling.await(STARTUP_TIMEOUT, "the replica to sync with the master",
                        () -> ((String) started.execute("INFO", "replication")).contains("master_link_status:up"));
            }
            directory = TempDirectories.create("netrun-sentinel-");
            for (int attempt = 1; ; attempt++) {
                RedisSentinelServers servers = new RedisSentinelServers(master, replica, directory, FreePorts.pick(),
                        redisServer);
                servers.writeConfig();
                RedisProcess.Launch launch = servers.sentinel.launchAndAwait(STARTUP_TIMEOUT, false,
                        servers::answersFromOwnProcess);
                if (launch == RedisProcess.Launch.READY) {
                    LOG.log(Level.DEBUG, "Started redis-sentinel on {0}:{1} for master {2}", RedisServer.HOST,
                            servers.sentinelPort, master.uri());
                    return servers;
                }
                if (attempt >= FREE_PORT_ATTEMPTS) {
                    throw new RedisStartupException("redis-sentinel found every picked port in use",
                            servers.sentinel.logTail());
                }
            }
        } catch (RuntimeException e) {
            if (directory != null) {
                TempDirectories.deleteRecursively(directory);
            }
            if (replica != null) {
                replica.stop();
            }
            master.stop();
            throw e;
        }
    }

    private void writeConfig() {
        List<String> lines = new ArrayList<>(List.of(
                "# generated by netrun-cache-test-support; Sentinel rewrites this file",
                "port " + sentinelPort,
                "bind " + RedisServer.HOST,
                "daemonize no",
                "logfile \"\"",
                "dir " + RedisServer.quote(directory),
                "sentinel monitor " + MASTER_NAME + " " + RedisServer.HOST + " " + master.port() + " 1",
                "sentinel down-after-milliseconds " + MASTER_NAME + " "
                        + (replica == null ? DOWN_AFTER_MILLIS : DOWN_AFTER_MILLIS_WITH_REPLICA)));
        if (replica != null) {
            lines.add("sentinel failover-timeout " + MASTER_NAME + " 10000");
        }
        master.options().requirePass().ifPresent(password ->
                lines.add("sentinel auth-pass " + MASTER_NAME + " " + RedisServer.quote(password)));
        try {
            Files.writeString(configFile(), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + configFile(), e);
        }
    }

    private boolean answersFromOwnProcess() throws IOException {
        try (RespConnection connection = RespConnection.open(RedisServer.HOST, sentinelPort, null)) {
            if (connection.call("SENTINEL", "get-master-addr-by-name", MASTER_NAME) == null) {
                return false;
            }
            String info = (String) connection.call("INFO", "server");
            return info.contains("process_id:" + sentinel.pid() + "\r\n");
        }
    }

    /** Always {@value #MASTER_NAME}. */
    public String masterName() {
        return MASTER_NAME;
    }

    /** Always {@value RedisServer#HOST}. */
    public String sentinelHost() {
        return RedisServer.HOST;
    }

    /** The Sentinel's port. */
    public int sentinelPort() {
        return sentinelPort;
    }

    /** The master started first; after a {@link #failover()} it is no longer the master (see {@link #currentMaster()}). */
    public RedisServer master() {
        return master;
    }

    /**
     * The replica of {@link #startWithReplica()}; after a failover it is the master.
     *
     * @throws IllegalStateException when started without a replica
     */
    public RedisServer replica() {
        if (replica == null) {
            throw new IllegalStateException("started without a replica: use RedisSentinelServers.startWithReplica()");
        }
        return replica;
    }

    /** The server the last failover promoted, or the first master before any. */
    public RedisServer currentMaster() {
        return currentMaster;
    }

    /**
     * Fails over gracefully: {@code SENTINEL FAILOVER mymaster} promotes the other server (the replica, or after a
     * failover the old master, now its replica), and the Sentinel then makes the old master a replica of the new one,
     * closing its clients' connections ({@code CLIENT KILL TYPE normal}). Returns once the Sentinel reports the new
     * master and that server answers as one; the old master may still be turning into its replica.
     *
     * @return the new master
     */
    public RedisServer failover() {
        RedisServer promoted = other(currentMaster);
        Polling.await(FAILOVER_TIMEOUT, "the Sentinel to accept SENTINEL FAILOVER", () -> {
            try (RespConnection connection = RespConnection.open(RedisServer.HOST, sentinelPort, null)) {
                return "OK".equals(connection.call("SENTINEL", "FAILOVER", MASTER_NAME)); // -NOGOOD while not ready
            }
        });
        return awaitPromotion(promoted);
    }

    /**
     * Kills the current master (SIGKILL) and waits until the Sentinel, having seen it silent for
     * {@value #DOWN_AFTER_MILLIS_WITH_REPLICA} ms, has promoted the replica: {@link #killMaster()}, then
     * {@link #awaitPromotion()}.
     *
     * @return the new master
     */
    public RedisServer killMasterAndAwaitPromotion() {
        killMaster();
        return awaitPromotion();
    }

    /**
     * Kills the current master (SIGKILL); the Sentinel promotes the replica about {@value #DOWN_AFTER_MILLIS_WITH_REPLICA}
     * ms later ({@link #awaitPromotion()} waits for it). The killed server stays down until the caller restarts it
     * ({@link RedisServer#restart()}; the Sentinel then makes it a replica of the new master).
     */
    public void killMaster() {
        other(currentMaster); // throws without a replica
        currentMaster.kill();
    }

    /**
     * Waits until the Sentinel reports the server that is not {@link #currentMaster()} as the master, and that server
     * answers as one; at most 30 s.
     *
     * @return the new master, from now on {@link #currentMaster()}
     */
    public RedisServer awaitPromotion() {
        return awaitPromotion(other(currentMaster));
    }

    private RedisServer other(RedisServer server) {
        replica(); // throws without one
        return server == master ? replica : master;
    }

    private RedisServer awaitPromotion(RedisServer promoted) {
        String address = RedisServer.HOST + ":" + promoted.port();
        Polling.await(FAILOVER_TIMEOUT, "the Sentinel to promote " + address,
                () -> address.equals(reportedMasterAddress())
                        && ((String) promoted.execute("INFO", "replication")).contains("role:master"));
        currentMaster = promoted;
        LOG.log(Level.DEBUG, "Sentinel failed over to {0}", address);
        return promoted;
    }

    /** The Lettuce Sentinel URI: {@code redis-sentinel://127.0.0.1:SENTINEL_PORT#mymaster}. */
    public String sentinelUri() {
        return "redis-sentinel://" + RedisServer.HOST + ":" + sentinelPort + "#" + MASTER_NAME;
    }

    /** The Sentinel's (rewritable) config file. */
    public Path configFile() {
        return directory.resolve("sentinel.conf");
    }

    /** What the Sentinel answers to {@code SENTINEL get-master-addr-by-name mymaster}, as {@code host:port}. */
    public String reportedMasterAddress() {
        try (RespConnection connection = RespConnection.open(RedisServer.HOST, sentinelPort, null)) {
            List<?> address = (List<?>) connection.call("SENTINEL", "get-master-addr-by-name", MASTER_NAME);
            if (address == null || address.size() != 2) {
                throw new IllegalStateException("Sentinel knows no master named " + MASTER_NAME + ": " + address);
            }
            return address.get(0) + ":" + address.get(1);
        } catch (IOException e) {
            throw new IllegalStateException("Could not ask the Sentinel on port " + sentinelPort + ": " + e, e);
        }
    }

    /** Whether the Sentinel process is running. */
    public boolean isSentinelRunning() {
        return sentinel.isAlive();
    }

    /** Stops the Sentinel and the master and deletes their directories. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        sentinel.stop();
        TempDirectories.deleteRecursively(directory);
        if (replica != null) {
            replica.stop();
        }
        master.stop();
    }

    @Override
    public String toString() {
        return "RedisSentinelServers[" + sentinelUri() + ", master " + currentMaster.uri()
                + (replica == null ? "" : ", replica " + other(currentMaster).uri()) + "]";
    }
}
