package com.netrunsystems.cache.redis;

import com.netrunsystems.cache.internal.RemoteLayer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One {@code CacheManager}'s subscription to its namespace's L1 invalidations, multiplexed with every
 * other on the endpoint's one pub/sub connection ({@link SharedSubscriber}). It counts as subscribed
 * only between the server's confirmation of {@code SUBSCRIBE} and the next disconnect or missed
 * heartbeat; Lettuce resubscribes after a reconnect, and each confirmation runs the manager's
 * {@code onSubscribed} (which flushes L1, since messages sent in between are lost). Publishing goes
 * over the cache's data connection.
 *
 * <p><b>Heartbeat.</b> A connection can stall without closing (a NAT or load balancer silently
 * dropping an idle socket): nothing arrives, and nothing says so. While subscribed, the endpoint sends
 * {@code PING} on the subscribed connection every {@link #HEARTBEAT_INTERVAL}; the reply comes after
 * every message published before the server saw the PING, so it proves none was lost. When a reply
 * does not come within {@link #HEARTBEAT_TIMEOUT}, no manager on it counts as subscribed any more
 * (they bypass their L1), a warning is logged, the connection is closed and every channel is
 * subscribed again on a new one (whose confirmations flush L1). A change by another manager is thus
 * missed for at most interval + timeout (3 s).
 *
 * <p><b>Refusal.</b> A {@code SUBSCRIBE} the server refuses (a Redis 7 ACL user without the channel
 * permission) is logged once at WARN with the fix, and retried with a back-off from 100 ms doubling to
 * {@link #MAX_REFUSAL_BACKOFF}. Thread-safe.
 */
final class RedisInvalidationChannel implements RemoteLayer.InvalidationChannel {

    private static final Logger log = LoggerFactory.getLogger(RedisInvalidationChannel.class);
    /** How often the subscribed connection is pinged. */
    static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);
    /** How long a heartbeat PING may go unanswered before the subscription is distrusted and reopened. */
    static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(2);
    /** The longest wait between two attempts to subscribe after the server refused. */
    static final Duration MAX_REFUSAL_BACKOFF = Duration.ofSeconds(30);

    private final RedisLink link;
    private final SharedSubscriber subscriber;
    private final byte[] channel;
    private final String channelName;
    private final Consumer<byte[]> onMessage;
    private final Runnable onSubscribed;
    private final CompletableFuture<Boolean> firstAttempt = new CompletableFuture<>();

    private volatile boolean subscribed;
    private volatile boolean closed;
    private volatile boolean refusalLogged;
    private volatile boolean publishRefusalLogged;

    private RedisInvalidationChannel(RedisLink link, String channel, Consumer<byte[]> onMessage, Runnable onSubscribed) {
        this.link = link;
        this.subscriber = link.shared().subscriber();
        this.channelName = channel;
        this.channel = channel.getBytes(StandardCharsets.UTF_8);
        this.onMessage = onMessage;
        this.onSubscribed = onSubscribed;
    }

    /** Subscribes to {@code channel} on the endpoint of {@code link}. */
    static RedisInvalidationChannel open(RedisLink link, String channel, Consumer<byte[]> onMessage,
            Runnable onSubscribed) {
        RedisInvalidationChannel opened = new RedisInvalidationChannel(link, channel, onMessage, onSubscribed);
        opened.subscriber.add(opened);
        return opened;
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
    public void reconnect() {
        if (!closed) {
            subscriber.reconnect(this);
        }
    }

    @Override
    public void close() {
        closed = true;
        subscribed = false;
        firstAttempt.complete(false);
        subscriber.remove(this);
    }

    /** Returns the channel's name. */
    String name() {
        return channelName;
    }

    /** Hands a message to the manager; never lets a failure reach Lettuce's I/O thread. */
    void deliver(byte[] message) {
        if (closed) {
            return; // a message arriving after close()
        }
        try {
            onMessage.accept(message);
        } catch (RuntimeException e) {
            log.warn("invalidation message on {} could not be applied: {}", channelName, e.toString());
        }
    }

    /** Runs the manager's {@code onSubscribed} for a confirmation; returns whether it succeeded. */
    boolean runOnSubscribed() {
        if (closed) {
            return false;
        }
        try {
            onSubscribed.run();
            return true;
        } catch (RuntimeException e) {
            log.warn("flushing L1 on subscription to {} failed: {}", channelName, e.toString());
            return false;
        }
    }

    void markSubscribed(boolean now) {
        subscribed = now && !closed;
    }

    /** The first attempt to subscribe ended; later calls change nothing. */
    void attemptEnded(boolean confirmed) {
        firstAttempt.complete(confirmed);
    }

    /**
     * The server refused SUBSCRIBE (for a Redis 7 ACL user without {@code &channel} permission): say so
     * once, loudly, since L1 then stays bypassed; the manager's probe tries again after the back-off.
     */
    void refused(Throwable cause, long backoffNanos) {
        if (!refusalLogged) {
            refusalLogged = true;
            log.warn("Redis refused SUBSCRIBE {} ({}); this CacheManager bypasses its L1 until it can subscribe, and "
                    + "retries with a back-off of up to {} s. For an ACL user, grant the channel: {}", channelName,
                    cause.getMessage(), MAX_REFUSAL_BACKOFF.toSeconds(), aclFix());
        } else {
            log.debug("Redis refused SUBSCRIBE {} again ({}); next attempt in {} ms", channelName, cause.getMessage(),
                    TimeUnit.NANOSECONDS.toMillis(backoffNanos));
        }
        attemptEnded(false);
    }

    private String aclFix() {
        return "ACL SETUSER <user> &" + channelName + " (or &netrun-cache:invalidate:* for every namespace)";
    }

    private static boolean isPermissionError(Throwable cause) {
        return String.valueOf(cause.getMessage()).startsWith("NOPERM");
    }
}
