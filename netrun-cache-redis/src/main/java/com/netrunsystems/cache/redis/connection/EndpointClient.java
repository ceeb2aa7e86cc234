package com.netrunsystems.cache.redis.connection;

import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.cluster.RedisClusterClient;
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
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Lettuce client of a {@link SharedEndpoint}: one of our own (2 I/O threads, 2 computation
 * threads, 1 timer thread ticking every {@value RedisLink#TIMER_TICK_MILLIS} ms, flushes consolidated,
 * see {@link FlushConsolidation}), or one the user supplied, used as it is and never closed by us.
 * Thread-safe.
 */
final class EndpointClient {

    private static final Logger log = LoggerFactory.getLogger(EndpointClient.class);
    /** The timeout given to Lettuce's shutdown of an owned client and of its threads (no quiet period). */
    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(2);

    private final AbstractRedisClient client;
    private final boolean owned;
    private final Timer ownedTimer; // null for a supplied client

    private EndpointClient(AbstractRedisClient client, boolean owned, Timer ownedTimer) {
        this.client = client;
        this.owned = owned;
        this.ownedTimer = ownedTimer;
    }

    /** Creates the client that {@code endpoint} describes, whose commands {@code timeouts} bounds. */
    static EndpointClient create(RedisEndpoint endpoint, TimeoutOptions.TimeoutSource timeouts) {
        List<RedisURI> uris = endpoint.uris();
        // Lettuce does not stop a timer it was given: close() does.
        Timer timer = new HashedWheelTimer(new DefaultThreadFactory("netrun-redis-timer", true),
                RedisLink.TIMER_TICK_MILLIS, TimeUnit.MILLISECONDS);
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
            cluster.setOptions(endpoint.clusterClientOptions(timeouts));
            return new EndpointClient(cluster, true, timer);
        }
        RedisClient standalone = RedisClient.create(resources);
        standalone.setOptions(endpoint.clientOptions(timeouts));
        return new EndpointClient(standalone, true, timer);
    }

    /** Wraps a client the caller owns; closing leaves it open. */
    static EndpointClient supplied(AbstractRedisClient client) {
        if (client instanceof RedisClusterClient || client instanceof RedisClient) {
            return new EndpointClient(client, false, null);
        }
        throw new IllegalArgumentException("client must be a RedisClient or RedisClusterClient, was "
                + client.getClass().getName());
    }

    AbstractRedisClient client() {
        return client;
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

    /**
     * Closes {@code connection} (if any) and waits for {@code otherClosing} (the pub/sub connection's close),
     * then, when owned, shuts down the client and its threads. Waits at most
     * {@link RedisLink#CLOSE_TIMEOUT} in all: Lettuce's blocking {@code close()} and {@code shutdown()}
     * wait without a bound, so this uses their asynchronous forms and gives up waiting (logging a
     * warning) when they do not finish in time; they go on finishing in the background.
     */
    void close(StatefulConnection<?, ?> connection, Future<?> otherClosing, String endpoint) {
        long deadline = System.nanoTime() + RedisLink.CLOSE_TIMEOUT.toNanos();
        boolean inTime = true;
        if (connection != null) {
            inTime = awaitClosing(connection.closeAsync(), "closing the connection", endpoint, deadline, inTime);
        }
        inTime = awaitClosing(otherClosing, "closing the pub/sub connection", endpoint, deadline, inTime);
        if (owned) {
            long shutdownMillis = SHUTDOWN_TIMEOUT.toMillis();
            inTime = awaitClosing(client.shutdownAsync(0, shutdownMillis, TimeUnit.MILLISECONDS),
                    "shutting down the client", endpoint, deadline, inTime);
            awaitClosing(client.getResources().shutdown(0, shutdownMillis, TimeUnit.MILLISECONDS),
                    "shutting down the client's threads", endpoint, deadline, inTime);
        }
        if (ownedTimer != null) {
            ownedTimer.stop(); // returns at once; its daemon thread ends after the current tick
        }
    }

    /**
     * Waits for one step of {@link #close} until {@code deadline}; returns whether the close is still
     * in time. Warns once per close: a step that runs out after an earlier one did is logged at debug.
     */
    private static boolean awaitClosing(Future<?> step, String what, String endpoint, long deadline, boolean inTime) {
        try {
            step.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            if (inTime) {
                log.warn("Redis at {}: {} did not finish within {} ms of close(); not waiting for it (nor for the "
                        + "rest of the shutdown) any longer", endpoint, what, RedisLink.CLOSE_TIMEOUT.toMillis());
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
