package com.netrunsystems.cache.redis;

import com.netrunsystems.cache.internal.RemoteLayer;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis pub/sub subscription that carries a namespace's L1 invalidations between
 * {@code CacheManager}s. It counts as subscribed only between the server's confirmation of
 * {@code SUBSCRIBE} and the next disconnect or missed heartbeat; Lettuce resubscribes after a
 * reconnect, and each confirmation runs the manager's {@code onSubscribed} (which flushes L1, since
 * messages sent in between are lost). Publishing goes over the cache's data connection.
 *
 * <p><b>Heartbeat.</b> A connection can stall without closing (a NAT or load balancer silently
 * dropping an idle socket): nothing arrives, and nothing says so. While subscribed, the channel sends
 * {@code PING} on the subscribed connection every {@link #HEARTBEAT_INTERVAL}; the reply comes after
 * every message published before the server saw the PING, so it proves none was lost. When a reply
 * does not come within {@link #HEARTBEAT_TIMEOUT}, the channel stops counting as subscribed at once
 * (the manager then bypasses its L1), logs a warning, closes the connection and subscribes again on a
 * new one (whose confirmation flushes L1). A change by another manager is thus missed for at most
 * interval + timeout (3 s).
 *
 * <p><b>Refusal.</b> A {@code SUBSCRIBE} the server refuses (a Redis 7 ACL user without the channel
 * permission) is logged once at WARN with the fix, and retried with a back-off from 100 ms doubling to
 * {@link #MAX_REFUSAL_BACKOFF}. Thread-safe.
 */
final class RedisInvalidationChannel implements RemoteLayer.InvalidationChannel, RedisConnectionStateListener {

    private static final Logger log = LoggerFactory.getLogger(RedisInvalidationChannel.class);
    /** How often the subscribed connection is pinged. */
    static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    /** How long a heartbeat PING may go unanswered before the subscription is distrusted and reopened. */
    static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(2);
    /** The longest wait between two attempts to subscribe after the server refused. */
    static final Duration MAX_REFUSAL_BACKOFF = Duration.ofSeconds(30);
    private static final long MIN_REFUSAL_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private final RedisLink link;
    private final RedisURI uri;
    private final byte[] channel;
    private final String channelName;
    private final Consumer<byte[]> onMessage;
    private final Runnable onSubscribed;
    private final ScheduledExecutorService scheduler;
    private final ScheduledFuture<?> heartbeat;

    private volatile StatefulRedisPubSubConnection<byte[], byte[]> connection;
    private volatile boolean subscribed;
    private volatile boolean closed;
    private volatile boolean refusalLogged;
    private volatile boolean publishRefusalLogged;
    private CompletableFuture<?> connecting;          // guarded by this
    private CompletableFuture<String> beat;           // guarded by this: the heartbeat PING in flight
    private long refusalBackoffNanos;                 // guarded by this; 0 until a refusal
    private long retryAtNanos;                        // guarded by this
    private final CompletableFuture<Boolean> firstAttempt = new CompletableFuture<>();

    RedisInvalidationChannel(RedisLink link, RedisURI uri, String channel, Consumer<byte[]> onMessage,
            Runnable onSubscribed) {
        this.link = link;
        this.uri = uri;
        this.channelName = channel;
        this.channel = channel.getBytes(StandardCharsets.UTF_8);
        this.onMessage = onMessage;
        this.onSubscribed = onSubscribed;
        this.scheduler = link.client().getResources().eventExecutorGroup();
        link.client().addListener(this);
        long interval = HEARTBEAT_INTERVAL.toNanos();
        this.heartbeat = scheduler.scheduleAtFixedRate(this::beat, interval, interval, TimeUnit.NANOSECONDS);
        reconnect();
    }

    @Override
    public void publish(byte[] message) {
        link.run(c -> c.commands().publish(channel, message).toCompletableFuture()).exceptionally(error -> {
            Throwable cause = RedisFailures.unwrap(error);
            if (isPermissionError(cause) && !publishRefusalLogged) {
                publishRefusalLogged = true;
                log.warn("Redis refused PUBLISH {} ({}); other CacheManagers will not drop changed keys from their L1. "
                        + "For an ACL user, grant the channel: {}", channelName, cause.getMessage(), aclFix());
            } else {
                log.debug("could not publish an invalidation on {}: {}", channelName, cause.toString());
            }
            return 0L;
        });
    }

    @Override
    public boolean isSubscribed() {
        return subscribed;
    }

    /** Completes when the first attempt to subscribe ends (confirmed, refused or failed to connect), with whether it was confirmed. */
    @Override
    public CompletableFuture<Boolean> firstAttempt() {
        return firstAttempt.copy();
    }

    @Override
    public synchronized void reconnect() {
        if (closed || connection != null || connecting != null) {
            return;
        }
        if (refusalBackoffNanos > 0 && System.nanoTime() - retryAtNanos < 0) {
            return; // refused last time: wait for the back-off
        }
        CompletableFuture<StatefulRedisPubSubConnection<byte[], byte[]>> attempt;
        try {
            if (link.client() instanceof RedisClusterClient cluster) {
                attempt = cluster.connectPubSubAsync(ByteArrayCodec.INSTANCE)
                        .thenApply(c -> (StatefulRedisPubSubConnection<byte[], byte[]>) c);
            } else {
                attempt = ((RedisClient) link.client()).connectPubSubAsync(ByteArrayCodec.INSTANCE, uri)
                        .toCompletableFuture();
            }
        } catch (RuntimeException e) {
            attempt = CompletableFuture.failedFuture(e);
        }
        connecting = attempt;
        attempt.whenComplete(this::connected);
    }

    private void connected(StatefulRedisPubSubConnection<byte[], byte[]> c, Throwable error) {
        synchronized (this) {
            connecting = null;
            if (error != null) {
                log.debug("invalidation channel {} not connected yet: {}", channelName, error.toString());
                firstAttempt.complete(false);
                return;
            }
            if (closed) {
                c.closeAsync();
                return;
            }
            connection = c;
        }
        c.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] from, byte[] message) {
                if (closed || connection != c) {
                    return; // a message for a connection given up, or one arriving after close()
                }
                try {
                    onMessage.accept(message);
                } catch (RuntimeException e) { // never let it reach Lettuce's I/O thread
                    log.warn("invalidation message on {} could not be applied: {}", channelName, e.toString());
                }
            }

            @Override
            public void subscribed(byte[] to, long count) {
                onConfirmed(c);
            }
        });
        c.async().subscribe(channel).exceptionally(failure -> {
            Throwable cause = RedisFailures.unwrap(failure);
            if (cause instanceof RedisCommandExecutionException) {
                refused(c, cause); // an error reply: the server said no
            } else {
                lost(c, cause);    // the connection went away before the confirmation
            }
            return null;
        });
    }

    /** The connection failed before SUBSCRIBE was confirmed: drop it; the manager's probe subscribes again. */
    private void lost(StatefulRedisPubSubConnection<byte[], byte[]> c, Throwable cause) {
        synchronized (this) {
            if (connection == c) {
                connection = null;
            }
        }
        log.debug("invalidation channel {}: SUBSCRIBE failed ({}); subscribing again", channelName, cause.toString());
        firstAttempt.complete(false);
        c.closeAsync();
    }

    private void onConfirmed(StatefulRedisPubSubConnection<byte[], byte[]> c) {
        if (closed || connection != c) {
            return;
        }
        try {
            onSubscribed.run();
        } catch (RuntimeException e) {
            log.warn("flushing L1 on subscription to {} failed: {}", channelName, e.toString());
            return; // not trusted: the manager keeps bypassing L1
        }
        synchronized (this) {
            if (connection != c) {
                return;
            }
            subscribed = true;
            refusalBackoffNanos = 0;
        }
        firstAttempt.complete(true);
        log.debug("subscribed to invalidation channel {}", channelName);
    }

    /**
     * The server refused SUBSCRIBE (for a Redis 7 ACL user without {@code &channel} permission): say so
     * once, loudly, since L1 then stays bypassed, and let the manager's probe try again after a back-off.
     */
    private void refused(StatefulRedisPubSubConnection<byte[], byte[]> c, Throwable cause) {
        long backoff;
        synchronized (this) {
            if (connection == c) {
                connection = null;
            }
            refusalBackoffNanos = refusalBackoffNanos == 0 ? MIN_REFUSAL_BACKOFF_NANOS
                    : Math.min(MAX_REFUSAL_BACKOFF.toNanos(), refusalBackoffNanos * 2);
            retryAtNanos = System.nanoTime() + refusalBackoffNanos;
            backoff = refusalBackoffNanos;
        }
        if (!refusalLogged) {
            refusalLogged = true;
            log.warn("Redis refused SUBSCRIBE {} ({}); this CacheManager bypasses its L1 until it can subscribe, and "
                    + "retries with a back-off of up to {} s. For an ACL user, grant the channel: {}", channelName,
                    cause.getMessage(), MAX_REFUSAL_BACKOFF.toSeconds(), aclFix());
        } else {
            log.debug("Redis refused SUBSCRIBE {} again ({}); next attempt in {} ms", channelName, cause.getMessage(),
                    TimeUnit.NANOSECONDS.toMillis(backoff));
        }
        firstAttempt.complete(false);
        c.closeAsync();
    }

    /** Sends a heartbeat PING on the subscribed connection, unless one is still in flight; see the class comment. */
    private void beat() {
        StatefulRedisPubSubConnection<byte[], byte[]> c;
        CompletableFuture<String> ping;
        synchronized (this) {
            c = connection;
            if (closed || c == null || !subscribed || (beat != null && !beat.isDone())) {
                return;
            }
            try {
                ping = c.async().ping().toCompletableFuture();
            } catch (RuntimeException e) {
                ping = CompletableFuture.failedFuture(e);
            }
            beat = ping;
        }
        CompletableFuture<String> sent = ping;
        sent.whenComplete((pong, error) -> {
            if (error != null && !(RedisFailures.unwrap(error) instanceof RedisCommandExecutionException)) {
                missedBeat(c, RedisFailures.unwrap(error).toString()); // an error reply would still prove the link
            }
        });
        scheduler.schedule(() -> {
            if (!sent.isDone()) {
                missedBeat(c, "no reply within " + HEARTBEAT_TIMEOUT.toMillis() + " ms");
            }
        }, HEARTBEAT_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The subscribed connection {@code c} did not answer a heartbeat: distrust it, drop it and subscribe anew. */
    private void missedBeat(StatefulRedisPubSubConnection<byte[], byte[]> c, String why) {
        synchronized (this) {
            if (closed || connection != c) {
                return;
            }
            subscribed = false;
            connection = null;
            beat = null;
        }
        log.warn("invalidation channel {} missed a heartbeat ({}); the connection may be stalled, so this CacheManager "
                + "bypasses its L1, reconnects, and flushes L1 once subscribed again", channelName, why);
        c.closeAsync();
        reconnect();
    }

    private String aclFix() {
        return "ACL SETUSER <user> &" + channelName + " (or &netrun-cache:invalidate:* for every namespace)";
    }

    private static boolean isPermissionError(Throwable cause) {
        return String.valueOf(cause.getMessage()).startsWith("NOPERM");
    }

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
        if (handler == connection) {
            subscribed = false;
        }
    }

    @Override
    public void close() {
        StatefulRedisPubSubConnection<byte[], byte[]> c;
        synchronized (this) {
            closed = true;
            subscribed = false;
            c = connection;
            connection = null;
        }
        heartbeat.cancel(false);
        link.client().removeListener(this);
        firstAttempt.complete(false);
        if (c != null) {
            c.close();
        }
    }
}
