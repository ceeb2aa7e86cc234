package com.netrunsystems.cache.redis.connection;

import com.netrunsystems.cache.CacheUnavailableException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.protocol.RedisCommand;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;

/**
 * One cache's use of the connection it shares with every cache on the same endpoint
 * ({@link SharedEndpoint}, found through {@link EndpointRegistry}): the commands it sends are bounded
 * by its own {@code socketTimeout} ({@link CallTimeouts}), whatever the other caches' timeouts are.
 * Closing it releases the endpoint; the last release closes the connections and, when owned, the
 * client and its threads (2 I/O, 2 computation, 1 timer, plus the prober thread while a
 * {@code CacheManager} uses the endpoint).
 *
 * <p>Call bound: an owned client times commands out on a timer that ticks every
 * {@value #TIMER_TICK_MILLIS} ms, so a command that gets no reply fails within {@code socketTimeout}
 * plus one tick plus scheduling (stated margin: {@value #STATED_MARGIN_MILLIS} ms; measured 501-515 ms
 * for a 500 ms {@code socketTimeout} against a paused server). Lettuce's default timer ticks every
 * 100 ms, and calls took 594-612 ms. A supplied client keeps its own timer. Thread-safe.
 */
public final class RedisLink implements AutoCloseable {

    /** The tick of an owned client's timeout timer; Lettuce's default of 100 ms made calls up to 100 ms late. */
    static final int TIMER_TICK_MILLIS = 10;
    /** How much later than {@code socketTimeout} a call that gets no reply may return, as documented. */
    static final int STATED_MARGIN_MILLIS = 80;
    /** How long the close of the last cache on an endpoint waits in all for the connections, the client and its threads. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

    /**
     * The shared connection as one cache sees it: {@link #commands()} bounds every command by the cache's
     * timeout, and so do {@link #dispatch} and {@link #bound}.
     */
    public record Connected(StatefulConnection<byte[], byte[]> connection, RedisClusterAsyncCommands<byte[], byte[]> commands,
            boolean cluster, CallTimeouts timeouts) {

        /** Sends {@code command} (an {@code AsyncCommand}) on the connection, bounded by the cache's timeout. */
        public void dispatch(RedisCommand<byte[], byte[], ?> command) {
            connection.dispatch(command);
            bound(command);
        }

        /** Sends {@code commands} in one write, each bounded by the cache's timeout. */
        public void dispatch(List<? extends RedisCommand<byte[], byte[], ?>> commands) {
            connection.dispatch(commands);
            commands.forEach(this::bound);
        }

        /** Bounds a future made of commands sent otherwise (for example on a Cluster node selection). */
        public <T> CompletableFuture<T> bound(CompletableFuture<T> call) {
            return timeouts.bound(call);
        }

        private void bound(RedisCommand<byte[], byte[], ?> command) {
            if (command instanceof CompletableFuture<?> future) {
                timeouts.bound(future);
            }
        }
    }

    private final SharedEndpoint shared;
    private final CallTimeouts timeouts;
    /** How long a call that must connect first may take in all: the connect timeout plus the socket timeout. */
    private final Duration connectingCallTimeout;
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Connected view;

    private RedisLink(SharedEndpoint shared, RedisEndpoint endpoint) {
        this.shared = shared;
        this.timeouts = shared.timeouts(endpoint.socketTimeout());
        this.connectingCallTimeout = endpoint.socketConnectTimeout().plus(endpoint.socketTimeout());
        shared.addTimeout(endpoint.socketTimeout());
    }

    /** Returns the link of a cache on {@code endpoint}, sharing its client and connection with every other such cache. */
    public static RedisLink create(RedisEndpoint endpoint) {
        return new RedisLink(EndpointRegistry.acquire(endpoint, null), endpoint);
    }

    /** Returns the link of a cache on a client the caller owns; the last link's close leaves the client open. */
    public static RedisLink shared(AbstractRedisClient client, RedisEndpoint endpoint) {
        EndpointClient.supplied(client); // rejects an unknown client type before anything is shared
        return new RedisLink(EndpointRegistry.acquire(endpoint, client), endpoint);
    }

    /** Returns the client, for caches that open further connections (pub/sub) on it. */
    public AbstractRedisClient client() {
        return shared.client();
    }

    /** Returns the endpoint this link shares. */
    public SharedEndpoint shared() {
        return shared;
    }

    /** Returns where this link connects, for messages; never a password. */
    public String endpoint() {
        return shared.endpoint();
    }

    /** Returns whether the connection is open now for this link: never once the link is closed. */
    public boolean isConnected() {
        return !closed.get() && shared.isConnected();
    }

    /**
     * Runs {@code operation} on the connection, connecting first if needed. A call that must connect first
     * fails once {@code socketConnectTimeout + socketTimeout} have passed (a Cluster client loads the topology,
     * then connects: Lettuce bounds each step, not the two), so that the caller's wait never runs out first.
     */
    public <T> CompletableFuture<T> run(Function<Connected, CompletableFuture<T>> operation) {
        if (closed.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("the Redis connection is closed"));
        }
        SharedEndpoint.Open open = shared.open();
        if (open != null) {
            return operation.apply(view(open));
        }
        return timeouts.bound(connect().thenCompose(operation), connectingCallTimeout);
    }

    /** Connects now and waits, at most the given time. */
    public void connectNow(Duration timeout) {
        try {
            connect().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CacheUnavailableException("interrupted while connecting to Redis at " + endpoint(), e);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new CacheUnavailableException("cannot connect to Redis at " + endpoint() + ": " + RedisFailures.reason(cause)
                    + "; check that the server runs and that host, port, TLS and credentials are right", cause);
        }
    }

    /** Returns the connection as this cache sees it, connecting if there is none; fails fast during the back-off after a failure. */
    public CompletableFuture<Connected> connect() {
        if (closed.get()) {
            return CompletableFuture.failedFuture(new IllegalStateException("the Redis connection is closed"));
        }
        return shared.connect().thenApply(this::view);
    }

    private Connected view(SharedEndpoint.Open open) {
        Connected v = view;
        if (v == null || v.connection() != open.connection()) {
            v = new Connected(open.connection(), timeouts.bound(open.commands(), open.cluster()), open.cluster(), timeouts);
            view = v;
        }
        return v;
    }

    /**
     * Releases the shared endpoint; idempotent. The last release closes the connections, then (when owned)
     * the client and its threads, waiting at most {@link #CLOSE_TIMEOUT} (see {@link EndpointClient}).
     */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            shared.removeTimeout(timeouts.timeout());
            EndpointRegistry.release(shared);
        }
    }
}
