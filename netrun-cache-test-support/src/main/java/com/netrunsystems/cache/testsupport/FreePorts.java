package com.netrunsystems.cache.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Picks ports that are free on 127.0.0.1 right now. Ports are below {@value #UPPER_BOUND} so that a cluster node's
 * bus port (port + 10000) is a valid port too. A port can still be taken between picking and binding; the callers
 * retry in that case.
 */
final class FreePorts {

    static final int UPPER_BOUND = 55000;
    static final int CLUSTER_BUS_OFFSET = 10000;
    private static final int NEVER_USED = 6379;
    private static final int RANDOM_LOWER_BOUND = 20000;

    private FreePorts() {
    }

    /** One free port below {@value #UPPER_BOUND}. */
    static int pick() {
        return pick(Set.of(), false);
    }

    /** {@code count} distinct free ports whose bus ports (+10000) are free and distinct from all of them too. */
    static List<Integer> pickClusterPorts(int count) {
        Set<Integer> taken = new HashSet<>();
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int port = pick(taken, true);
            ports.add(port);
            taken.add(port);
            taken.add(port + CLUSTER_BUS_OFFSET);
        }
        return ports;
    }

    private static int pick(Set<Integer> excluded, boolean withClusterBus) {
        for (int attempt = 0; attempt < 300; attempt++) {
            // Ask the OS first; fall back to random ports when its ephemeral range lies mostly above the bound.
            int port = attempt < 100 ? ephemeralPort() : ThreadLocalRandom.current().nextInt(RANDOM_LOWER_BOUND, UPPER_BOUND);
            if (port <= 0 || port >= UPPER_BOUND || port == NEVER_USED || excluded.contains(port)) {
                continue;
            }
            if (attempt >= 100 && !isFree(port)) {
                continue;
            }
            if (withClusterBus && (excluded.contains(port + CLUSTER_BUS_OFFSET) || !isFree(port + CLUSTER_BUS_OFFSET))) {
                continue;
            }
            return port;
        }
        throw new IllegalStateException("Could not find a free port below " + UPPER_BOUND + " on 127.0.0.1");
    }

    private static int ephemeralPort() {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(RedisServer.HOST), 0));
            return socket.getLocalPort();
        } catch (IOException e) {
            return -1;
        }
    }

    static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(false);
            socket.bind(new InetSocketAddress(InetAddress.getByName(RedisServer.HOST), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
