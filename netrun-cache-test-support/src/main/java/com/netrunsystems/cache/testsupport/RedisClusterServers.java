package com.netrunsystems.cache.testsupport;

import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A throwaway Redis Cluster of three masters and no replicas on free ports of 127.0.0.1: three
 * {@code redis-server --cluster-enabled yes} processes joined with {@code redis-cli --cluster create}, returned only
 * once every node reports {@code cluster_state:ok} with all 16384 slots covered and agrees on the three masters.
 *
 * <pre>{@code
 * try (RedisClusterServers cluster = RedisClusterServers.start()) {
 *     List<String> seeds = cluster.seedNodes();   // redis://127.0.0.1:P1, ...
 * }
 * }</pre>
 *
 * <p>A node can be {@link RedisServer#kill() killed} and {@link RedisServer#restart() restarted} through
 * {@link #masters()}; it keeps its {@code nodes-PORT.conf} and rejoins the cluster.
 */
public final class RedisClusterServers implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(RedisClusterServers.class.getName());
    private static final int MASTER_COUNT = 3;
    private static final int SLOT_COUNT = 16384;
    private static final Duration CREATE_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration CONVERGE_TIMEOUT = Duration.ofSeconds(30);

    private final List<RedisServer> masters;

    private RedisClusterServers(List<RedisServer> masters) {
        this.masters = List.copyOf(masters);
    }

    /** Starts three masters, creates the cluster and waits until it is fully up. */
    public static RedisClusterServers start() {
        RedisExecutables executables = RedisExecutables.fromEnvironment();
        executables.redisServer();
        executables.redisCli();
        RedisServerOptions options = RedisServerOptions.builder().clusterEnabled().build();
        List<RedisServer> started = new ArrayList<>();
        try {
            for (int port : FreePorts.pickClusterPorts(MASTER_COUNT)) {
                started.add(RedisServer.start(options, executables, port));
            }
            RedisClusterServers cluster = new RedisClusterServers(started);
            cluster.create(executables);
            cluster.awaitConverged();
            LOG.log(Level.DEBUG, "Started Redis Cluster on {0}", cluster.nodes());
            return cluster;
        } catch (RuntimeException e) {
            started.forEach(RedisServer::stop);
            throw e;
        }
    }

    private void create(RedisExecutables executables) {
        List<String> command = new ArrayList<>(List.of(executables.redisCli().toString(), "--cluster", "create"));
        command.addAll(nodes());
        command.addAll(List.of("--cluster-replicas", "0", "--cluster-yes"));
        ExternalCommand.Result result = ExternalCommand.run(command, masters.get(0).directory(), CREATE_TIMEOUT);
        if (!result.succeeded()) {
            throw new RedisStartupException("redis-cli --cluster create failed with exit code " + result.exitCode(),
                    result.output());
        }
    }

    private void awaitConverged() {
        for (RedisServer node : masters) {
            try {
                Polling.await(CONVERGE_TIMEOUT, "cluster_state:ok on " + node.host() + ":" + node.port(),
                        () -> isConverged(node));
            } catch (IllegalStateException e) {
                throw new RedisStartupException(e.getMessage(), node.execute("CLUSTER", "NODES").toString(), e);
            }
        }
    }

    /** Whether {@code node} sees the cluster as ok, all slots covered, and exactly three healthy masters. */
    private static boolean isConverged(RedisServer node) {
        String info = (String) node.execute("CLUSTER", "INFO");
        if (!info.contains("cluster_state:ok") || !info.contains("cluster_slots_ok:" + SLOT_COUNT)) {
            return false;
        }
        String nodes = (String) node.execute("CLUSTER", "NODES");
        long healthyMasters = nodes.lines()
                .filter(line -> line.contains("master"))
                .filter(line -> !line.contains("fail") && !line.contains("handshake") && !line.contains("noaddr"))
                .count();
        return healthyMasters == MASTER_COUNT && nodes.lines().filter(line -> !line.isBlank()).count() == MASTER_COUNT;
    }

    /** The nodes as {@code 127.0.0.1:PORT}, in start order. */
    public List<String> nodes() {
        List<String> nodes = new ArrayList<>();
        for (RedisServer master : masters) {
            nodes.add(RedisServer.HOST + ":" + master.port());
        }
        return nodes;
    }

    /** The nodes as URIs ({@code redis://127.0.0.1:PORT}), to seed a cluster client with. */
    public List<String> seedNodes() {
        List<String> uris = new ArrayList<>();
        for (RedisServer master : masters) {
            uris.add(master.uri());
        }
        return uris;
    }

    /** The three master processes. */
    public List<RedisServer> masters() {
        return masters;
    }

    /** {@code FLUSHALL} on every node. */
    public void flushAll() {
        masters.forEach(RedisServer::flushAll);
    }

    /** {@link RedisServer#commandStats()} summed over every node. */
    public Map<String, Long> commandStats() {
        Map<String, Long> total = new TreeMap<>();
        for (RedisServer master : masters) {
            master.commandStats().forEach((command, calls) -> total.merge(command, calls, Long::sum));
        }
        return total;
    }

    /** {@link RedisServer#resetStats()} on every node. */
    public void resetStats() {
        masters.forEach(RedisServer::resetStats);
    }

    /** Stops every node and deletes their directories. Idempotent. */
    @Override
    public void close() {
        masters.forEach(RedisServer::stop);
    }

    @Override
    public String toString() {
        return "RedisClusterServers" + nodes();
    }
}
