package com.netrunsystems.cache.bench;

import com.netrunsystems.cache.testsupport.RedisServer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The faults {@link SoakRun} injects into its throwaway {@code redis-server}, in rotation. Each
 * {@link #inject} returns once the fault is over (the server answers again). Not thread-safe: one
 * thread injects.
 *
 * <p>Proxy faults (latency, a stalled or reset connection, a stalled subscriber) need a TCP proxy
 * between the caches and the server; when test-support has one, route the caches' port through it
 * and add those faults to {@link Fault} and {@link #inject}: this is the hook.
 */
final class SoakFaults {

    /** How long a server-side stall lasts: longer than the caches' socket timeout, so calls do time out. */
    static final Duration STALL = Duration.ofSeconds(3);

    /** The faults, in the order they rotate. */
    enum Fault {
        /** {@code kill -STOP} the server for {@link #STALL}, then {@code kill -CONT}: a frozen host. */
        SIGSTOP,
        /** Kill the server (SIGKILL) and start it again on the same port: its data is gone. */
        RESTART,
        /** {@code CLIENT KILL TYPE normal} and {@code TYPE pubsub}: every connection dropped by the server. */
        CLIENT_KILL,
        /** {@code DEBUG SLEEP}: the server blocks for {@link #STALL}, connections stay open. */
        DEBUG_SLEEP
        // Hook: proxy faults (LATENCY, STALL_BOTH, RESET, STALL_SUBSCRIBER) go here once the caches
        // connect through test-support's proxy.
    }

    private final RedisServer server;
    private int next;

    SoakFaults(RedisServer server) {
        this.server = server;
    }

    /** Returns the next fault of the rotation. */
    Fault next() {
        Fault[] all = Fault.values();
        return all[next++ % all.length];
    }

    /** Injects {@code fault} and waits until it is over. */
    void inject(Fault fault) throws IOException, InterruptedException {
        switch (fault) {
            case SIGSTOP -> {
                long pid = pid();
                signal("-STOP", pid);
                try {
                    Thread.sleep(STALL.toMillis());
                } finally {
                    signal("-CONT", pid);
                }
            }
            case RESTART -> server.restart();
            case CLIENT_KILL -> {
                server.execute("CLIENT", "KILL", "TYPE", "normal");
                server.execute("CLIENT", "KILL", "TYPE", "pubsub");
            }
            case DEBUG_SLEEP -> server.execute("DEBUG", "SLEEP", Long.toString(STALL.toSeconds()));
        }
    }

    /** Returns the number of client connections the server has, less the one asking. */
    long connections() {
        String list = (String) server.execute("CLIENT", "LIST");
        return list.lines().filter(line -> !line.isBlank()).count() - 1;
    }

    private long pid() {
        String info = (String) server.execute("INFO", "server");
        return info.lines().filter(line -> line.startsWith("process_id:"))
                .map(line -> Long.parseLong(line.substring("process_id:".length()).trim()))
                .findFirst().orElseThrow(() -> new IllegalStateException("INFO server has no process_id"));
    }

    private static void signal(String signal, long pid) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder(List.of("kill", signal, Long.toString(pid))).inheritIO().start();
        if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IOException("kill " + signal + " " + pid + " failed");
        }
    }
}
