package com.netrunsystems.cache.redis.connection;

import io.lettuce.core.AbstractRedisClient;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one pub/sub connection of an endpoint, on which the invalidation channels of every
 * {@code CacheManager} on it are multiplexed: one {@code SUBSCRIBE} per channel, whatever the number
 * of managers listening to it; each message is handed to each of them ({@link RedisInvalidationChannel});
 * {@code UNSUBSCRIBE} when the last one closes, and the connection closes with the last channel.
 *
 * <p>A listener counts as subscribed from the server's confirmation of its channel (or, joining a channel
 * already confirmed, from its joining) until the connection drops or misses a heartbeat. Lettuce
 * resubscribes after a reconnect, and each confirmation runs every listener's {@code onSubscribed}.
 * The heartbeat ({@code PING} every {@link RedisInvalidationChannel#HEARTBEAT_INTERVAL}, answered within
 * {@link RedisInvalidationChannel#HEARTBEAT_TIMEOUT}) and the refusal back-off are those described on
 * {@link RedisInvalidationChannel}; a refusal is per channel and leaves the other channels subscribed.
 * Thread-safe.
 */
final class SharedSubscriber implements RedisConnectionStateListener {

    private static final Logger log = LoggerFactory.getLogger(SharedSubscriber.class);
    private static final long MIN_REFUSAL_BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    /** One channel: its listeners and its state on the current connection. */
    private static final class Channel {
        final String name;
        final byte[] bytes;
        final List<RedisInvalidationChannel> listeners = new CopyOnWriteArrayList<>();
        boolean subscribing;      // guarded by the subscriber: a SUBSCRIBE is in flight
        boolean confirmed;        // guarded by the subscriber: confirmed on the current connection
        long refusalBackoffNanos; // guarded by the subscriber; 0 until a refusal
        long retryAtNanos;        // guarded by the subscriber

        Channel(String name) {
            this.name = name;
            this.bytes = name.getBytes(StandardCharsets.UTF_8);
        }
    }

    private final AbstractRedisClient client;
    private final RedisURI uri; // null for a Cluster
    private final String endpoint;
    private final ScheduledExecutorService scheduler;
    private final Map<String, Channel> channels = new ConcurrentHashMap<>(); // changed under the subscriber's lock
    private final Set<CompletableFuture<Void>> closing = ConcurrentHashMap.newKeySet(); // connection closes running

    private volatile StatefulRedisPubSubConnection<byte[], byte[]> connection; // changed under the lock
    private CompletableFuture<?> connecting;  // guarded by this
    private CompletableFuture<String> beat;   // guarded by this: the heartbeat PING in flight
    private ScheduledFuture<?> heartbeat;     // guarded by this; runs while a channel is registered
    private long generation;                  // guarded by this: changes whenever the subscription is lost
    private boolean closed;                   // guarded by this

    SharedSubscriber(AbstractRedisClient client, RedisURI uri, String endpoint) {
        this.client = client;
        this.uri = uri;
        this.endpoint = endpoint;
        this.scheduler = client.getResources().eventExecutorGroup();
    }

    /** Registers {@code listener} on its channel, subscribing if it is the channel's first. */
    void add(RedisInvalidationChannel listener) {
        Channel channel;
        long confirmedGeneration = -1;
        synchronized (this) {
            if (closed) {
                listener.attemptEnded(false);
                return;
            }
            if (channels.isEmpty()) {
                client.addListener(this);
                long interval = RedisInvalidationChannel.HEARTBEAT_INTERVAL.toNanos();
                heartbeat = scheduler.scheduleAtFixedRate(this::beat, interval, interval, TimeUnit.NANOSECONDS);
            }
            channel = channels.computeIfAbsent(listener.name(), Channel::new);
            channel.listeners.add(listener);
            StatefulRedisPubSubConnection<byte[], byte[]> c = connection;
            if (c != null && channel.confirmed) {
                confirmedGeneration = generation;
            } else if (c == null) {
                connect();
            } else if (!channel.subscribing) {
                subscribe(channel, c);
            }
        }
        if (confirmedGeneration >= 0) {
            confirm(listener, channel, confirmedGeneration); // the channel is live: no message can be missed from now on
        }
    }

    /** Unregisters {@code listener}; the channel's last one unsubscribes it, and the last channel closes the connection. */
    void remove(RedisInvalidationChannel listener) {
        StatefulRedisPubSubConnection<byte[], byte[]> toClose = null;
        synchronized (this) {
            Channel channel = channels.get(listener.name());
            if (channel == null || !channel.listeners.remove(listener) || !channel.listeners.isEmpty()) {
                return;
            }
            channels.remove(channel.name);
            if (!channels.isEmpty()) {
                StatefulRedisPubSubConnection<byte[], byte[]> c = connection;
                if (c != null && (channel.confirmed || channel.subscribing)) {
                    c.async().unsubscribe(channel.bytes).exceptionally(error -> null);
                }
                return;
            }
            toClose = stop();
        }
        if (toClose != null) {
            closeConnection(toClose);
        }
    }

    /** Opens a connection if there is none, and resubscribes a refused channel of {@code listener} once its back-off ran out. */
    synchronized void reconnect(RedisInvalidationChannel listener) {
        if (closed) {
            return;
        }
        StatefulRedisPubSubConnection<byte[], byte[]> c = connection;
        if (c == null) {
            connect();
            return;
        }
        Channel channel = channels.get(listener.name());
        if (channel != null && channel.refusalBackoffNanos > 0 && !channel.subscribing && !channel.confirmed && c.isOpen()) {
            subscribe(channel, c);
        }
    }

    private void connect() { // under the lock
        if (closed || connection != null || connecting != null || channels.isEmpty()) {
            return;
        }
        CompletableFuture<StatefulRedisPubSubConnection<byte[], byte[]>> attempt;
        try {
            if (client instanceof RedisClusterClient cluster) {
                attempt = cluster.connectPubSubAsync(ByteArrayCodec.INSTANCE)
                        .thenApply(c -> (StatefulRedisPubSubConnection<byte[], byte[]>) c);
            } else {
                attempt = ((RedisClient) client).connectPubSubAsync(ByteArrayCodec.INSTANCE, uri).toCompletableFuture();
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
            if (error == null && !closed && !channels.isEmpty()) {
                connection = c;
                generation++;
                c.addListener(new Adapter(c));
                for (Channel channel : channels.values()) {
                    channel.confirmed = false;
                    channel.subscribing = false;
                    subscribe(channel, c);
                }
                return;
            }
        }
        if (error != null) {
            log.debug("invalidation channels on {} not connected yet: {}", endpoint, error.toString());
            channels.values().forEach(channel -> channel.listeners.forEach(l -> l.attemptEnded(false)));
        } else {
            closeConnection(c);
        }
    }

    private void subscribe(Channel channel, StatefulRedisPubSubConnection<byte[], byte[]> c) { // under the lock
        if (channel.refusalBackoffNanos > 0 && System.nanoTime() - channel.retryAtNanos < 0) {
            return; // refused last time: wait for the back-off
        }
        channel.subscribing = true;
        c.async().subscribe(channel.bytes).whenComplete((ignored, failure) -> {
            if (failure == null) {
                return; // the confirmation comes through the adapter
            }
            Throwable cause = RedisFailures.unwrap(failure);
            if (cause instanceof RedisCommandExecutionException) {
                refused(channel, c, cause); // an error reply: the server said no
            } else {
                lost(c, cause);             // the connection went away before the confirmation
            }
        });
    }

    /** The server confirmed {@code channelName} on {@code c}: every listener of it runs its {@code onSubscribed} and counts as subscribed. */
    private void onConfirmed(StatefulRedisPubSubConnection<byte[], byte[]> c, String channelName) {
        Channel channel;
        long current;
        synchronized (this) {
            if (closed || connection != c) {
                return;
            }
            channel = channels.get(channelName);
            if (channel == null) { // its last listener left while SUBSCRIBE was in flight, or Lettuce resubscribed it
                c.async().unsubscribe(channelName.getBytes(StandardCharsets.UTF_8)).exceptionally(error -> null);
                return;
            }
            channel.subscribing = false;
            channel.confirmed = true;
            channel.refusalBackoffNanos = 0;
            current = generation;
        }
        log.debug("subscribed to invalidation channel {} on {}", channelName, endpoint);
        for (RedisInvalidationChannel listener : channel.listeners) {
            confirm(listener, channel, current);
        }
    }

    private void confirm(RedisInvalidationChannel listener, Channel channel, long confirmedGeneration) {
        if (!listener.runOnSubscribed()) {
            return; // not trusted: the manager keeps bypassing L1
        }
        boolean live;
        synchronized (this) {
            live = generation == confirmedGeneration && channel.confirmed && channel.listeners.contains(listener);
            if (live) {
                listener.markSubscribed(true);
            }
        }
        listener.attemptEnded(live);
    }

    /** The server refused SUBSCRIBE for {@code channel}: back off; the other channels stay subscribed. */
    private void refused(Channel channel, StatefulRedisPubSubConnection<byte[], byte[]> c, Throwable cause) {
        long backoff;
        synchronized (this) {
            if (connection != c) {
                return;
            }
            channel.subscribing = false;
            channel.refusalBackoffNanos = channel.refusalBackoffNanos == 0 ? MIN_REFUSAL_BACKOFF_NANOS
                    : Math.min(RedisInvalidationChannel.MAX_REFUSAL_BACKOFF.toNanos(), channel.refusalBackoffNanos * 2);
            channel.retryAtNanos = System.nanoTime() + channel.refusalBackoffNanos;
            backoff = channel.refusalBackoffNanos;
        }
        for (RedisInvalidationChannel listener : channel.listeners) {
            listener.refused(cause, backoff);
        }
    }

    /** The connection failed before a SUBSCRIBE was confirmed: drop it; the managers' probes subscribe again. */
    private void lost(StatefulRedisPubSubConnection<byte[], byte[]> c, Throwable cause) {
        synchronized (this) {
            if (connection != c) {
                return;
            }
            drop();
        }
        log.debug("invalidation channels on {}: SUBSCRIBE failed ({}); subscribing again", endpoint, cause.toString());
        channels.values().forEach(channel -> channel.listeners.forEach(l -> l.attemptEnded(false)));
        closeConnection(c);
    }

    /** Forgets the current connection: no listener is subscribed any more. */
    private void drop() { // under the lock
        connection = null;
        beat = null;
        unconfirm();
    }

    private void unconfirm() { // under the lock
        generation++;
        for (Channel channel : channels.values()) {
            channel.confirmed = false;
            channel.subscribing = false;
            channel.listeners.forEach(l -> l.markSubscribed(false));
        }
    }

    /** Sends a heartbeat PING on the subscribed connection, unless one is still in flight. */
    private void beat() {
        StatefulRedisPubSubConnection<byte[], byte[]> c;
        CompletableFuture<String> ping;
        synchronized (this) {
            c = connection;
            boolean anyConfirmed = channels.values().stream().anyMatch(channel -> channel.confirmed);
            if (closed || c == null || !anyConfirmed || (beat != null && !beat.isDone())) {
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
                missedBeat(c, "no reply within " + RedisInvalidationChannel.HEARTBEAT_TIMEOUT.toMillis() + " ms");
            }
        }, RedisInvalidationChannel.HEARTBEAT_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** The subscribed connection {@code c} did not answer a heartbeat: distrust it, drop it and subscribe anew. */
    private void missedBeat(StatefulRedisPubSubConnection<byte[], byte[]> c, String why) {
        int count;
        synchronized (this) {
            if (closed || connection != c) {
                return;
            }
            drop();
            count = channels.size();
        }
        log.warn("the invalidation subscription on {} missed a heartbeat ({}); the connection may be stalled, so the "
                + "CacheManagers of its {} channel(s) bypass their L1, reconnect, and flush L1 once subscribed again",
                endpoint, why, count);
        closeConnection(c);
        synchronized (this) {
            connect();
        }
    }

    @Override
    public void onRedisDisconnected(RedisChannelHandler<?, ?> handler) {
        if (handler == connection) {
            synchronized (this) {
                if (handler == connection) {
                    unconfirm(); // Lettuce reconnects and resubscribes; each confirmation counts again
                }
            }
        }
    }

    /** Stops the heartbeat and forgets the connection; returns it for closing. */
    private StatefulRedisPubSubConnection<byte[], byte[]> stop() { // under the lock
        if (heartbeat != null) {
            heartbeat.cancel(false);
            heartbeat = null;
        }
        client.removeListener(this);
        StatefulRedisPubSubConnection<byte[], byte[]> c = connection;
        connection = null;
        beat = null;
        generation++;
        return c;
    }

    /** Closes the connection; the endpoint awaits the future before shutting the client down (no double close). */
    CompletableFuture<Void> close() {
        StatefulRedisPubSubConnection<byte[], byte[]> c;
        synchronized (this) {
            if (closed) {
                return CompletableFuture.completedFuture(null);
            }
            closed = true;
            c = stop();
            unconfirm();
        }
        channels.values().forEach(channel -> channel.listeners.forEach(l -> l.attemptEnded(false)));
        if (c != null) {
            closeConnection(c);
        }
        return CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new));
    }

    /** Closes {@code c} asynchronously; {@link #close()}'s future waits for every such close still running. */
    private void closeConnection(StatefulRedisPubSubConnection<byte[], byte[]> c) {
        CompletableFuture<Void> done = c.closeAsync();
        closing.add(done);
        done.whenComplete((ignored, error) -> closing.remove(done));
    }

    /** Hands messages and confirmations of one connection to the listeners. */
    private final class Adapter extends RedisPubSubAdapter<byte[], byte[]> {
        private final StatefulRedisPubSubConnection<byte[], byte[]> c;

        Adapter(StatefulRedisPubSubConnection<byte[], byte[]> c) {
            this.c = c;
        }

        @Override
        public void message(byte[] from, byte[] message) {
            if (connection != c) {
                return; // a message for a connection given up
            }
            Channel channel = channels.get(new String(from, StandardCharsets.UTF_8));
            if (channel != null) {
                channel.listeners.forEach(listener -> listener.deliver(message));
            }
        }

        @Override
        public void subscribed(byte[] to, long count) {
            onConfirmed(c, new String(to, StandardCharsets.UTF_8));
        }
    }
}
