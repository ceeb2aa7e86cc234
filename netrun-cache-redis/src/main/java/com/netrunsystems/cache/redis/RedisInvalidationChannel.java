package com.netrunsystems.cache.redis;

import com.netrunsystems.cache.internal.RemoteLayer;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Redis pub/sub subscription that carries a namespace's L1 invalidations between
 * {@code CacheManager}s. It counts as subscribed only between the server's confirmation of
 * {@code SUBSCRIBE} and the next disconnect; Lettuce resubscribes after a reconnect, and each
 * confirmation runs the manager's {@code onSubscribed} (which flushes L1, since messages sent in
 * between are lost). Publishing goes over the cache's data connection. Thread-safe.
 */
final class RedisInvalidationChannel implements RemoteLayer.InvalidationChannel, RedisConnectionStateListener {

    private static final Logger log = LoggerFactory.getLogger(RedisInvalidationChannel.class);

    private final RedisLink link;
    private final RedisURI uri;
    private final byte[] channel;
    private final String channelName;
    private final Consumer<byte[]> onMessage;
    private final Runnable onSubscribed;

    private volatile StatefulRedisPubSubConnection<byte[], byte[]> connection;
    private volatile boolean subscribed;
    private volatile boolean closed;
    private volatile boolean refusalLogged;
    private CompletableFuture<?> connecting; // guarded by this

    RedisInvalidationChannel(RedisLink link, RedisURI uri, String channel, Consumer<byte[]> onMessage,
            Runnable onSubscribed) {
        this.link = link;
        this.uri = uri;
        this.channelName = channel;
        this.channel = channel.getBytes(StandardCharsets.UTF_8);
        this.onMessage = onMessage;
        this.onSubscribed = onSubscribed;
        link.client().addListener(this);
        reconnect();
    }

    @Override
    public void publish(byte[] message) {
        link.run(c -> c.commands().publish(channel, message).toCompletableFuture()).exceptionally(error -> {
            Throwable cause = RedisFailures.unwrap(error);
            if (String.valueOf(cause.getMessage()).startsWith("NOPERM") && !refusalLogged) {
                refusalLogged = true;
                log.warn("Redis refused PUBLISH {} ({}); other CacheManagers will not drop changed keys from their L1. "
                        + "For an ACL user, grant the channel, e.g. ACL SETUSER <user> &netrun-cache:invalidate:*",
                        channelName, cause.getMessage());
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

    @Override
    public synchronized void reconnect() {
        if (closed || connection != null || connecting != null) {
            return;
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
        attempt.whenComplete((c, error) -> connected(c, error));
    }

    private void connected(StatefulRedisPubSubConnection<byte[], byte[]> c, Throwable error) {
        synchronized (this) {
            connecting = null;
            if (error != null) {
                log.debug("invalidation channel {} not connected yet: {}", channelName, error.toString());
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
                onMessage.accept(message);
            }

            @Override
            public void subscribed(byte[] to, long count) {
                onSubscribed.run();
                subscribed = true;
                log.debug("subscribed to invalidation channel {}", channelName);
            }
        });
        c.async().subscribe(channel).exceptionally(refusal -> {
            refused(c, refusal);
            return null;
        });
    }

    /**
     * The server refused SUBSCRIBE (for a Redis 7 ACL user without {@code &channel} permission): say so
     * once, loudly, since L1 then stays bypassed, and let the manager's probe try again later.
     */
    private void refused(StatefulRedisPubSubConnection<byte[], byte[]> c, Throwable error) {
        if (!refusalLogged) {
            refusalLogged = true;
            log.warn("Redis refused SUBSCRIBE {} ({}); this CacheManager bypasses its L1 until it can subscribe. "
                    + "For an ACL user, grant the channel, e.g. ACL SETUSER <user> &netrun-cache:invalidate:*",
                    channelName, RedisFailures.unwrap(error).getMessage());
        }
        synchronized (this) {
            if (connection == c) {
                connection = null;
            }
        }
        c.closeAsync();
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
        if (c != null) {
            c.close();
        }
    }
}
