package com.netrunsystems.cache.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * A loopback TCP proxy in front of one server (normally a {@link RedisServer}) that tests drive to inject network
 * faults: latency, a stalled direction (the sockets stay open, nothing is forwarded), a dropped connection (FIN), a
 * reset one (RST), and new connections held or refused. Faults apply to every connection ({@code FaultProxy}
 * methods) or to one ({@link ProxiedConnection} methods); to target one client connection, find it by the order in
 * which it was accepted ({@link #connection(int)}) or by what the server says about it
 * ({@link #awaitConnection(RedisServer, Predicate, Duration)}, matching {@code CLIENT LIST}).
 *
 * <pre>{@code
 * try (FaultProxy proxy = FaultProxy.start(redis)) {
 *     // point the client at proxy.host():proxy.port()
 *     ProxiedConnection subscriber = proxy.awaitConnection(redis, FaultProxy::isSubscriber, Duration.ofSeconds(5));
 *     subscriber.stall(Direction.BOTH);   // a NAT silently dropping the idle pub/sub socket
 *     ...
 *     subscriber.resume();
 * }
 * }</pre>
 *
 * <p>Each connection uses four daemon threads (a reader and a writer per direction). Thread-safe.
 */
public final class FaultProxy implements AutoCloseable {

    /** Which way bytes travel through a connection. */
    public enum Direction {
        /** Requests: from the client to the server. */
        CLIENT_TO_SERVER,
        /** Replies and pushed messages: from the server to the client. */
        SERVER_TO_CLIENT,
        /** Both ways. */
        BOTH;

        boolean includes(Direction one) {
            return this == BOTH || this == one;
        }
    }

    /** What happens to a connection accepted while new connections are blocked. */
    public enum NewConnections {
        /** Connect it to the server and forward (the default). */
        ACCEPT,
        /** Accept it and keep it open without connecting to the server until connections are accepted again. */
        HOLD,
        /** Reset it (RST) as soon as it is accepted. */
        RESET
    }

    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "fault-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final List<ProxiedConnection> connections = new CopyOnWriteArrayList<>();
    private final List<Socket> held = new ArrayList<>(); // guarded by this
    private volatile Duration latency = Duration.ZERO;
    private volatile Direction stalled;
    private NewConnections newConnections = NewConnections.ACCEPT; // guarded by this
    private volatile boolean closed;

    private FaultProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getByName(RedisServer.HOST));
        threads.execute(this::acceptLoop);
    }

    /** Starts a proxy on a free port of 127.0.0.1 that forwards to {@code server}. */
    public static FaultProxy start(RedisServer server) {
        return start(server.host(), server.port());
    }

    /** Starts a proxy on a free port of 127.0.0.1 that forwards to {@code host:port}. */
    public static FaultProxy start(String host, int port) {
        try {
            return new FaultProxy(new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new UncheckedIOException("could not open a proxy port on " + RedisServer.HOST, e);
        }
    }

    /** Always {@value RedisServer#HOST}. */
    public String host() {
        return RedisServer.HOST;
    }

    /** The port clients connect to. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Every connection accepted and forwarded so far, open or not, in the order they were connected to the server. */
    public List<ProxiedConnection> connections() {
        return List.copyOf(connections);
    }

    /** The connections that are still open. */
    public List<ProxiedConnection> openConnections() {
        return connections.stream().filter(ProxiedConnection::isOpen).toList();
    }

    /** The {@code index}-th connection forwarded (from 0), waiting up to 10 s for it to arrive. */
    public ProxiedConnection connection(int index) {
        return Polling.await(Duration.ofSeconds(10), "connection #" + index + " through the proxy",
                () -> connections.size() > index ? connections.get(index) : null);
    }

    /**
     * Waits for an open connection whose entry in the server's {@code CLIENT LIST} matches {@code client} (fields
     * such as {@code name}, {@code flags}, {@code sub}, {@code cmd}), and returns it. The server sees the proxy's own
     * socket, so entries are matched on {@link ProxiedConnection#serverSideAddress()}.
     *
     * @throws IllegalStateException when none matches within {@code timeout}
     */
    public ProxiedConnection awaitConnection(RedisServer server, Predicate<Map<String, String>> client, Duration timeout) {
        return Polling.await(timeout, "a proxied connection matching the CLIENT LIST predicate",
                () -> findConnection(server, client).orElse(null));
    }

    /** The first open connection whose {@code CLIENT LIST} entry matches {@code client}, if any, now. */
    public Optional<ProxiedConnection> findConnection(RedisServer server, Predicate<Map<String, String>> client) {
        return findConnections(server, client).stream().findFirst();
    }

    /** Every open connection whose {@code CLIENT LIST} entry matches {@code client}, now, in connection order. */
    public List<ProxiedConnection> findConnections(RedisServer server, Predicate<Map<String, String>> client) {
        List<String> addresses = ClientList.parse((String) server.execute("CLIENT", "LIST")).stream()
                .filter(client).map(entry -> entry.get("addr")).toList();
        return openConnections().stream().filter(c -> addresses.contains(c.serverSideAddress())).toList();
    }

    /** A {@code CLIENT LIST} predicate: a connection subscribed to at least one channel or pattern. */
    public static boolean isSubscriber(Map<String, String> client) {
        return !"0".equals(client.getOrDefault("sub", "0")) || !"0".equals(client.getOrDefault("psub", "0"));
    }

    /** Delays every chunk of bytes on every connection (current and future) by {@code delay}, each way. */
    public void latency(Duration delay) {
        this.latency = requireNonNegative(delay);
        connections.forEach(ProxiedConnection::wake);
    }

    /** Stops forwarding {@code direction} on every connection, current and future; sockets stay open. */
    public void stall(Direction direction) {
        this.stalled = Objects.requireNonNull(direction, "direction");
        connections.forEach(ProxiedConnection::wake);
    }

    /**
     * Clears every fault: no latency, no stall (on the proxy and on each connection), new connections accepted
     * (held ones are connected now). Bytes held back by a stall are forwarded, as TCP would after a partition heals.
     */
    public void resume() {
        latency = Duration.ZERO;
        stalled = null;
        connections.forEach(ProxiedConnection::resume);
        newConnections(NewConnections.ACCEPT);
    }

    /** Sets what happens to connections accepted from now on; going back to {@code ACCEPT} forwards held ones. */
    public void newConnections(NewConnections mode) {
        List<Socket> release;
        synchronized (this) {
            newConnections = Objects.requireNonNull(mode, "mode");
            if (mode != NewConnections.ACCEPT) {
                return;
            }
            release = List.copyOf(held);
            held.clear();
        }
        release.forEach(this::forward);
    }

    /** Closes every connection (FIN), current and future ones stay accepted. */
    public void dropAll() {
        connections.forEach(ProxiedConnection::drop);
    }

    /** Resets every connection (RST). */
    public void resetAll() {
        connections.forEach(ProxiedConnection::reset);
    }

    /** Stops listening and closes every connection. Idempotent. */
    @Override
    public void close() {
        closed = true;
        closeQuietly(listener);
        connections.forEach(ProxiedConnection::drop);
        synchronized (this) {
            held.forEach(FaultProxy::closeQuietly);
            held.clear();
        }
        threads.shutdownNow();
    }

    @Override
    public String toString() {
        return "FaultProxy[" + host() + ":" + port() + " -> " + target.getHostString() + ":" + target.getPort() + "]";
    }

    Duration latency() {
        return latency;
    }

    boolean stalls(Direction direction) {
        Direction all = stalled;
        return all != null && all.includes(direction);
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                return; // closed
            }
            NewConnections mode;
            synchronized (this) {
                mode = newConnections;
                if (mode == NewConnections.HOLD) {
                    held.add(client);
                }
            }
            if (mode == NewConnections.RESET) {
                ProxiedConnection.resetSocket(client);
            } else if (mode == NewConnections.ACCEPT) {
                forward(client);
            }
        }
    }

    private void forward(Socket client) {
        Socket server = new Socket();
        try {
            client.setTcpNoDelay(true);
            server.setTcpNoDelay(true);
            server.connect(target, 1_000);
        } catch (IOException e) {
            closeQuietly(server);
            ProxiedConnection.resetSocket(client); // the server is down: refuse as it would
            return;
        }
        ProxiedConnection connection;
        synchronized (connections) {
            connection = new ProxiedConnection(this, connections.size(), client, server);
            connections.add(connection);
        }
        connection.start(threads);
    }

    static Duration requireNonNegative(Duration delay) {
        if (delay == null || delay.isNegative()) {
            throw new IllegalArgumentException("latency must be zero or positive, was " + delay);
        }
        return delay;
    }

    static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing anyway
        }
    }

    /** Parses the reply of {@code CLIENT LIST}: one map of {@code field=value} per line. */
    static final class ClientList {
        private ClientList() {
        }

        static List<Map<String, String>> parse(String reply) {
            List<Map<String, String>> clients = new ArrayList<>();
            for (String line : reply.split("\r?\n")) {
                if (line.isBlank()) {
                    continue;
                }
                Map<String, String> fields = new LinkedHashMap<>();
                for (String field : line.trim().split(" ")) {
                    int equals = field.indexOf('=');
                    if (equals > 0) {
                        fields.put(field.substring(0, equals), field.substring(equals + 1));
                    }
                }
                clients.add(fields);
            }
            return clients;
        }
    }
}
