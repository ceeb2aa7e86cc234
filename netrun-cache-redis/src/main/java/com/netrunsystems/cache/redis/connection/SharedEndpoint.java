package com.netrunsystems.cache.redis.connection;

import com.netrunsystems.cache.CacheUnavailableException;
import io.lettuce.core.AbstractRedisClient;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulConnection;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.StatefulRedisClusterConnection;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.protocol.RedisCommand;
import io.netty.util.Timer;
import java.time.Duration;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Redis endpoint as every cache of this JVM that points at it shares it (see
 * {@link EndpointRegistry}): the Lettuce client and its threads ({@link EndpointClient}), one
 * multiplexed command connection, one pub/sub connection ({@link SharedSubscriber}, opened for the
 * first invalidation channel) and one prober thread ({@link SharedProber}, started for the first
 * {@code CacheManager}). Reference-counted by the registry: the release of the last cache closes them.
 *
 * <p>The command connection is opened lazily and asynchronously. After a failed attempt, calls fail fast
 * for a back-off period (100 ms doubling to 1 s) instead of each paying the connect timeout; the next
 * call after it tries again. Once connected, Lettuce reconnects on its own. Thread-safe.
 */
public final class SharedEndpoint {

    private static final Logger log = LoggerFactory.getLogger(SharedEndpoint.class);
    private static final long MIN_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long MAX_BACKOFF_NANOS = TimeUnit.SECONDS.toNanos(1);

    /** The open command connection and its asynchronous command set (standalone, Sentinel or Cluster). */
    record Open(StatefulConnection<byte[], byte[]> connection, RedisClusterAsyncCommands<byte[], byte[]> commands,
            boolean cluster) {
    }

    private final RedisEndpoint.Identity identity;
    private final EndpointClient client;
    private final RedisURI uri; // null for a Cluster
    private final String endpoint;
    private final SharedSubscriber subscriber;
    private final SharedProber prober;
    /** The socket timeouts of the caches on this endpoint, counted; the largest is the connection's safety net. */
    private final TreeMap<Long, Integer> timeouts = new TreeMap<>(); // guarded by this
    private volatile long longestTimeoutNanos;
    private int references; // guarded by EndpointRegistry's lock

    private volatile Open open;
    private volatile boolean closed;
    private CompletableFuture<Open> connecting; // guarded by this
    private long retryAtNanos;                 // guarded by this
    private long backoffNanos = MIN_BACKOFF_NANOS; // guarded by this
    private Throwable lastFailure;             // guarded by this

    /** Opens (lazily) the endpoint {@code config} describes, on {@code supplied} or on a client of its own. */
    SharedEndpoint(RedisEndpoint.Identity identity, RedisEndpoint config, AbstractRedisClient supplied) {
        this.identity = identity;
        this.endpoint = config.describe();
        TimeoutOptions.TimeoutSource safetyNet = new TimeoutOptions.TimeoutSource() {
            @Override
            public long getTimeout(RedisCommand<?, ?, ?> command) {
                return longestTimeoutNanos;
            }

            @Override
            public TimeUnit getTimeUnit() {
                return TimeUnit.NANOSECONDS;
            }
        };
        this.client = supplied == null ? EndpointClient.create(config, safetyNet) : EndpointClient.supplied(supplied);
        this.uri = client.client() instanceof RedisClusterClient ? null : config.uris().get(0);
        this.subscriber = new SharedSubscriber(client.client(), uri, endpoint);
        this.prober = new SharedProber(endpoint);
    }

    RedisEndpoint.Identity identity() {
        return identity;
    }

    /** Counts one more cache; false when the endpoint is already closing (the registry then opens a new one). */
    boolean retain() {
        if (closed) {
            return false;
        }
        references++;
        return true;
    }

    /** Counts one cache less; returns whether it was the last (the caller then closes this endpoint). */
    boolean release() {
        return --references == 0;
    }

    /** Adds one cache's socket timeout to those the connection's safety-net timeout covers. */
    synchronized void addTimeout(Duration timeout) {
        timeouts.merge(timeout.toNanos(), 1, Integer::sum);
        longestTimeoutNanos = timeouts.lastKey();
    }

    /** Removes one cache's socket timeout. */
    synchronized void removeTimeout(Duration timeout) {
        timeouts.computeIfPresent(timeout.toNanos(), (nanos, count) -> count == 1 ? null : count - 1);
        if (!timeouts.isEmpty()) {
            longestTimeoutNanos = timeouts.lastKey();
        }
    }

    AbstractRedisClient client() {
        return client.client();
    }

    /** Returns the timer and executor that bound a cache's calls ({@link CallTimeouts}). */
    CallTimeouts timeouts(Duration timeout) {
        Timer timer = client.client().getResources().timer();
        return new CallTimeouts(timer, client.client().getResources().eventExecutorGroup(), timeout);
    }

    /** Returns where this endpoint connects, for messages; never a password. */
    String endpoint() {
        return endpoint;
    }

    SharedSubscriber subscriber() {
        return subscriber;
    }

    public SharedProber prober() {
        return prober;
    }

    /** Returns the open connection, or {@code null}. */
    Open open() {
        return open;
    }

    /** Returns whether the command connection is open now. */
    boolean isConnected() {
        Open o = open;
        return o != null && o.connection().isOpen();
    }

    /** Returns the connection, connecting if there is none; fails fast during the back-off after a failure. */
    synchronized CompletableFuture<Open> connect() {
        if (closed) {
            return CompletableFuture.failedFuture(new IllegalStateException("the Redis connection is closed"));
        }
        if (open != null) {
            return CompletableFuture.completedFuture(open);
        }
        if (connecting != null) {
            return connecting;
        }
        if (lastFailure != null && System.nanoTime() - retryAtNanos < 0) {
            return CompletableFuture.failedFuture(new CacheUnavailableException("Redis at " + endpoint
                    + " is unreachable (last attempt: " + RedisFailures.reason(lastFailure) + "); retrying shortly",
                    lastFailure));
        }
        CompletableFuture<Open> attempt = openConnection();
        connecting = attempt;
        attempt.whenComplete((c, error) -> onConnectAttempt(attempt, c, error));
        return attempt;
    }

    private synchronized void onConnectAttempt(CompletableFuture<Open> attempt, Open c, Throwable error) {
        if (connecting == attempt) {
            connecting = null;
        }
        if (error == null) {
            if (closed) {
                c.connection().closeAsync();
                return;
            }
            open = c;
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
    private CompletableFuture<Open> openConnection() {
        try {
            if (client.client() instanceof RedisClusterClient cluster) {
                // connectAsync, unlike connect, fails with "Partitions not initialized" until the
                // topology was loaded: load (or reload) it first, without blocking.
                return cluster.refreshPartitionsAsync().toCompletableFuture()
                        .thenCompose(loaded -> cluster.connectAsync(ByteArrayCodec.INSTANCE))
                        .thenApply((StatefulRedisClusterConnection<byte[], byte[]> c) -> new Open(c, c.async(), true));
            }
            return ((RedisClient) client.client()).connectAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture()
                    .thenApply((StatefulRedisConnection<byte[], byte[]> c) -> new Open(c, c.async(), false));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /**
     * Closes the prober, the subscription, the connection, then (when owned) the client and its threads;
     * called once, by the registry, when the last cache released this endpoint. Waits at most
     * {@link RedisLink#CLOSE_TIMEOUT} in all (see {@link EndpointClient#close}).
     */
    void close() {
        Open c;
        synchronized (this) {
            closed = true;
            c = open;
            open = null;
        }
        prober.close();
        CompletableFuture<Void> unsubscribed = subscriber.close();
        client.close(c == null ? null : c.connection(), unsubscribed, endpoint);
    }

    @Override
    public String toString() {
        return "SharedEndpoint{" + endpoint + "}";
    }
}
