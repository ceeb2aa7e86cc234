package com.netrunsystems.cache.testsupport;

import com.netrunsystems.cache.testsupport.FaultProxy.Direction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * One client connection through a {@link FaultProxy}: the socket the client opened and the proxy's socket to the
 * server. Faults set here add to the proxy's: a stall of either stops a direction, and this connection's latency,
 * when set, replaces the proxy's. Thread-safe.
 */
public final class ProxiedConnection {

    private static final byte[] END = new byte[0];

    private final FaultProxy proxy;
    private final int index;
    private final Socket client;
    private final Socket server;
    private final Object lock = new Object();
    private Duration latency;   // guarded by lock; null: the proxy's
    private Direction stalled;  // guarded by lock
    private volatile boolean open = true;

    ProxiedConnection(FaultProxy proxy, int index, Socket client, Socket server) {
        this.proxy = proxy;
        this.index = index;
        this.client = client;
        this.server = server;
    }

    /** The order in which the proxy connected this one to the server, from 0. */
    public int index() {
        return index;
    }

    /** The client's port: the local port of the client's socket. */
    public int clientPort() {
        return client.getPort();
    }

    /** The address the server sees for this connection ({@code addr} in {@code CLIENT LIST}): {@code 127.0.0.1:port}. */
    public String serverSideAddress() {
        return server.getLocalAddress().getHostAddress() + ":" + server.getLocalPort();
    }

    /** Whether neither side has closed this connection and it was not dropped or reset. */
    public boolean isOpen() {
        return open;
    }

    /** Delays every chunk of bytes on this connection by {@code delay}, each way (instead of the proxy's latency). */
    public void latency(Duration delay) {
        synchronized (lock) {
            latency = FaultProxy.requireNonNegative(delay);
            lock.notifyAll();
        }
    }

    /** Stops forwarding {@code direction}; both sockets stay open and bytes wait in the proxy. */
    public void stall(Direction direction) {
        synchronized (lock) {
            stalled = Objects.requireNonNull(direction, "direction");
            lock.notifyAll();
        }
    }

    /** Clears this connection's stall and latency; held-back bytes are forwarded (the proxy's faults still apply). */
    public void resume() {
        synchronized (lock) {
            stalled = null;
            latency = null;
            lock.notifyAll();
        }
    }

    /** Closes both sockets normally (FIN to the client and to the server). */
    public void drop() {
        open = false;
        FaultProxy.closeQuietly(client);
        FaultProxy.closeQuietly(server);
    }

    /** Resets both sockets (RST to the client and to the server). */
    public void reset() {
        open = false;
        resetSocket(client);
        resetSocket(server);
    }

    @Override
    public String toString() {
        return "ProxiedConnection[#" + index + ", client port " + clientPort() + ", server sees " + serverSideAddress()
                + (open ? "" : ", closed") + "]";
    }

    static void resetSocket(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // closing anyway
        }
        FaultProxy.closeQuietly(socket);
    }

    void wake() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    void start(ExecutorService threads) {
        pump(threads, client, server, Direction.CLIENT_TO_SERVER);
        pump(threads, server, client, Direction.SERVER_TO_CLIENT);
    }

    /** A reader that timestamps chunks and a writer that forwards each once its latency passed and no stall holds it. */
    private void pump(ExecutorService threads, Socket from, Socket to, Direction direction) {
        LinkedBlockingQueue<Chunk> queue = new LinkedBlockingQueue<>();
        threads.execute(() -> {
            byte[] buffer = new byte[16 * 1024];
            try (InputStream in = from.getInputStream()) {
                int read;
                while ((read = in.read(buffer)) >= 0) {
                    queue.add(new Chunk(Arrays.copyOf(buffer, read), System.nanoTime()));
                }
            } catch (IOException e) {
                // closed or reset: the writer closes the other side
            }
            queue.add(new Chunk(END, System.nanoTime()));
        });
        threads.execute(() -> {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk chunk = queue.take();
                    awaitForwarding(chunk.readAt(), direction);
                    if (chunk.bytes() == END) {
                        break;
                    }
                    out.write(chunk.bytes());
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // closed, reset, or the proxy shuts down
            }
            drop();
        });
    }

    /** Waits until the chunk read at {@code readAt} may go: its latency has passed and {@code direction} is not stalled. */
    private void awaitForwarding(long readAt, Direction direction) throws InterruptedException {
        synchronized (lock) {
            while (true) {
                boolean stalledNow = (stalled != null && stalled.includes(direction)) || proxy.stalls(direction);
                Duration delay = latency != null ? latency : proxy.latency();
                long waitNanos = readAt + delay.toNanos() - System.nanoTime();
                if (!stalledNow && waitNanos <= 0) {
                    return;
                }
                long waitMillis = stalledNow ? 50 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos));
                lock.wait(Math.min(waitMillis, 50));
            }
        }
    }

    private record Chunk(byte[] bytes, long readAt) {
    }
}
