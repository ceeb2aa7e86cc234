package com.netrunsystems.cache.redis.connection;

import com.netrunsystems.cache.CacheUnavailableException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.DefaultClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.NettyCustomizer;
import io.netty.channel.Channel;
import io.netty.handler.flush.FlushConsolidationHandler;
import io.netty.util.HashedWheelTimer;
import io.netty.util.Timer;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One multiplexed Lettuce connection of a {@code RedisCache}, opened lazily and asynchronously.
 * After a failed attempt, calls fail fast for a back-off period (100 ms doubling to 1 s) instead
 * of each paying the connect timeout; the next call after it tries again. Once connected, Lettuce
 * reconnects on its own (back-off 20 ms doubling to 1 s). Owns the client and its threads (2 I/O,
 * 2 computation, 1 timer) unless a client was supplied; an owned client consolidates flushes (see
 * {@link FlushConsolidation}).
 *
 * <p>Call bound: an owned client times commands out on a timer that ticks every
 * {@value #TIMER_TICK_MILLIS} ms, so a command that gets no reply fails within {@code socketTimeout}
 * plus one tick plus scheduling (stated margin: {@value #STATED_MARGIN_MILLIS} ms; measured 501-515 ms
 * for a 500 ms {@code socketTimeout} against a paused server). Lettuce's default timer ticks every
 * 100 ms, and calls took 594-612 ms. A supplied client keeps its own timer. Thread-safe.
 */
public final class RedisLink implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RedisLink.class);
    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** The tick of an owned client's timeout timer; Lettuce's default of 100 ms made calls up to 100 ms late. */
    static final int TIMER_TICK_MILLIS = 10;
    /** How much later than {@code socketTimeout} a call that gets no reply may return, as documented. */
    static final int STATED_MARGIN_MILLIS = 80;

    /** How long {@link #close()} waits in all for the connection, the client and its threads. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    /** The timeout given to Lettuce's shutdown of an owned client and of its threads (no quiet period). */
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

    /** An open connection and its asynchronous command set (standalone, Sentinel or Cluster). */
    public record Connected(StatefulConnection<byte[], byte[]> connection, RedisClusterAsyncCommands<byte[], byte[]> commands,
            boolean cluster) {
    }

    private final AbstractRedisClient client;
    private final boolean ownsClient;
    private final Timer ownedTimer; // null for a supplied client
    private final RedisURI uri;
    private final String endpoint;

    private volatile Connected connected;
    private volatile boolean closed;
    private CompletableFuture<Connected> connecting; // guarded by this
    private long retryAtNanos;                       // guarded by this
    private long backoffNanos = MIN_BACKOFF_NANOS;    // guarded by this
    private Throwable lastFailure;                   // guarded by this

    RedisLink(AbstractRedisClient client, boolean ownsClient, RedisURI uri, String endpoint) {
        this(client, ownsClient, null, uri, endpoint);
    }

    private RedisLink(AbstractRedisClient client, boolean ownsClient, Timer ownedTimer, RedisURI uri, String endpoint) {
        this.client = client;
        this.ownsClient = ownsClient;
        this.ownedTimer = ownedTimer;
        this.uri = uri;
        this.endpoint = endpoint;
    }

    /** Creates the client that {@code endpoint} describes; the link owns it. */
    public static RedisLink create(RedisEndpoint endpoint) {
        List<RedisURI> uris = endpoint.uris();
        // Lettuce does not stop a timer it was given: close() does.
        Timer timer = new HashedWheelTimer(new DefaultThreadFactory("netrun-redis-timer", true),
                TIMER_TICK_MILLIS, TimeUnit.MILLISECONDS);
        ClientResources resources = DefaultClientResources.builder()
                .timer(timer)
                .ioThreadPoolSize(2)
                .computationThreadPoolSize(2)
                // Back within a second of Redis returning (Lettuce's default waits up to 30 s).
                .reconnectDelay(Delay.exponential(Duration.ofMillis(20), Duration.ofSeconds(1), 2, TimeUnit.MILLISECONDS))
                .nettyCustomizer(new FlushConsolidation())
                .build();
        if (uris.size() > 1 || endpoint.isCluster()) {
            RedisClusterClient cluster = RedisClusterClient.create(resources, uris);
            cluster.setOptions(endpoint.clusterClientOptions());
            return new RedisLink(cluster, true, timer, null, endpoint.describe());
        }
        RedisClient standalone = RedisClient.create(resources);
        standalone.setOptions(endpoint.clientOptions());
        return new RedisLink(standalone, true, timer, uris.get(0), endpoint.describe());
    }

    /**
     * Lets commands written in the same event-loop turn share one flush (one {@code write} system
     * call) while every command still flushes on its own: with many requests in flight this is
     * what a caller of raw Lettuce gets only by turning auto-flush off and flushing by hand. A
     * lone command is flushed at the end of the turn, so its latency does not change measurably.
     */
    private static final class FlushConsolidation implements NettyCustomizer {
        /** Flush at once after this many writes, however busy the turn. */
        private static final int MAX_PENDING_FLUSHES = 256;

        @Override
        public void afterChannelInitialized(Channel channel) {
            channel.pipeline().addFirst(new FlushConsolidationHandler(MAX_PENDING_FLUSHES, true));
        }
    }

    /** Wraps a client the caller owns; closing the link leaves it open. */
    public static RedisLink shared(AbstractRedisClient client, RedisEndpoint endpoint) {
        if (client instanceof RedisClusterClient) {
            return new RedisLink(client, false, null, endpoint.describe());
        }
        if (client instanceof RedisClient) {
            return new RedisLink(client, false, endpoint.uris().get(0), endpoint.describe());
        }
        throw new IllegalArgumentException("client must be a RedisClient or RedisClusterClient, was "
                + client.getClass().getName());
    }

    /** Returns the client, for caches that open further connections (pub/sub) on it. */
    public AbstractRedisClient client() {
        return client;
    }

    /** Returns where this link connects, for messages; never a password. */
    public String endpoint() {
        return endpoint;
    }

    /** Returns whether the connection is open now. */
    public boolean isConnected() {
        Connected c = connected;
        return c != null && c.connection().isOpen();
    }

    /** Runs {@code operation} on the connection, connecting first if needed. */
    public <T> CompletableFuture<T> run(Function<Connected, CompletableFuture<T>> operation) {
        Connected c = connected;
        if (c != null) {
            return operation.apply(c);
        }
        return connect().thenCompose(operation);
    }

    /** Connects now and waits, at most the given time. */
    public void connectNow(Duration timeout) {
        try {
            connect().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CacheUnavailableException("interrupted while connecting to Redis at " + endpoint, e);
        } catch (Exception e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new CacheUnavailableException("cannot connect to Redis at " + endpoint + ": " + RedisFailures.reason(cause)
                    + "; check that the server runs and that host, port, TLS and credentials are right", cause);
        }
    }

    /** Returns the connection, connecting if there is none; fails fast during the back-off after a failure. */
    public synchronized CompletableFuture<Connected> connect() {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the Redis connection is closed"));
        }
        if (connected != null) {
            return CompletableFuture.completedFuture(connected);
        }
        if (connecting != null) {
            return connecting;
        }
        if (lastFailure != null && System.nanoTime() - retryAtNanos < 0) {
            return CompletableFuture.failedFuture(new CacheUnavailableException("Redis at " + endpoint
                    + " is unreachable (last attempt: " + RedisFailures.reason(lastFailure) + "); retrying shortly",
                    lastFailure));
        }
        CompletableFuture<Connected> attempt = open();
        connecting = attempt;
        attempt.whenComplete((c, error) -> onConnectAttempt(attempt, c, error));
        return attempt;
    }

    private synchronized void onConnectAttempt(CompletableFuture<Connected> attempt, Connected c, Throwable error) {
        if (connecting == attempt) {
            connecting = null;
        }
        if (error == null) {
            if (closed) {
                c.connection().closeAsync();
                return;
            }
            connected = c;
            lastFailure = null;
            backoffNanos = MIN_BACKOFF_NANOS;
            log.debug("connected to Redis at {}", endpoint);
        } else {
            lastFailure = error.getCause() != null ? error.getCause() : error;
            retryAtNanos = System.nanoTime() + backoffNanos;
            backoffNanos = Math.min(MAX_BACKOFF_NANOS, backoffNanos * 2);
        }
    }

    @SuppressWarnings("unchecked")
    private CompletableFuture<Connected> open() {
        try {
            if (client instanceof RedisClusterClient cluster) {
                // connectAsync, unlike connect, fails with "Partitions not initialized" until the
                // topology was loaded: load (or reload) it first, without blocking.
                return cluster.refreshPartitionsAsync().toCompletableFuture()
                        .thenCompose(loaded -> cluster.connectAsync(ByteArrayCodec.INSTANCE))
                        .thenApply((StatefulRedisClusterConnection<byte[], byte[]> c) -> new Connected(c, c.async(), true));
            }
            return ((RedisClient) client).connectAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture().thenApply(
                    (StatefulRedisConnection<byte[], byte[]> c) -> new Connected(c, c.async(), false));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Closes the connection, then (when owned) the client and its threads; idempotent. Waits at most
     * {@link #CLOSE_TIMEOUT} in all: Lettuce's blocking {@code close()} and {@code shutdown()} wait
     * without a bound, so this uses their asynchronous forms and gives up waiting (logging a warning)
     * when they do not finish in time; they go on finishing in the background.
     */
    @Override
    public void close() {
        Connected c;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            c = connected;
            connected = null;
        }
        long deadline = System.nanoTime() + CLOSE_TIMEOUT.toNanos();
        boolean inTime = true;
        if (c != null) {
            inTime = awaitClosing(c.connection().closeAsync(), "closing the connection", deadline, inTime);
        }
        if (ownsClient) {
            long shutdownMillis = SHUTDOWN_TIMEOUT.toMillis();
            inTime = awaitClosing(client.shutdownAsync(0, shutdownMillis, TimeUnit.MILLISECONDS),
                    "shutting down the client", deadline, inTime);
            awaitClosing(client.getResources().shutdown(0, shutdownMillis, TimeUnit.MILLISECONDS),
                    "shutting down the client's threads", deadline, inTime);
        }
        if (ownedTimer != null) {
            ownedTimer.stop(); // returns at once; its daemon thread ends after the current tick
        }
    }

    /**
     * Waits for one step of {@link #close()} until {@code deadline}; returns whether the close is still
     * in time. Warns once per close: a step that runs out after an earlier one did is logged at debug.
     */
    private boolean awaitClosing(Future<?> step, String what, long deadline, boolean inTime) {
        try {
            step.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (inTime) {
                log.warn("Redis at {}: {} did not finish within {} ms of close(); not waiting for it (nor for the "
                        + "rest of the shutdown) any longer", endpoint, what, CLOSE_TIMEOUT.toMillis());
            } else {
                log.debug("Redis at {}: not waiting for {}: close() ran out of time", endpoint, what);
            }
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.debug("Redis at {}: interrupted while {}; not waiting for it", endpoint, what);
            return false;
        } catch (ExecutionException | RuntimeException e) {
            log.debug("Redis at {}: {} failed: {}", endpoint, what, RedisFailures.reason(e));
        }
        return inTime;
    }
}
