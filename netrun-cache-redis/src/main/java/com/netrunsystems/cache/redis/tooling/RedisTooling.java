package com.netrunsystems.cache.redis.tooling;

import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.CacheUnavailableException;
import com.netrunsystems.cache.redis.RedisCache;
import com.netrunsystems.cache.redis.connection.RedisEndpoint;
import com.netrunsystems.cache.redis.connection.RedisFailures;
import com.netrunsystems.cache.redis.connection.RedisKeys;
import com.netrunsystems.cache.redis.connection.RedisLink;
import io.lettuce.core.KeyScanCursor;
import io.lettuce.core.RedisClient;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.cluster.RedisClusterClient;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.NestedMultiOutput;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.ProtocolKeyword;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * What the {@code netrun-cache} command line needs from Redis, without Lettuce types: one connection
 * opened from a {@link CacheConfig} exactly as {@link RedisCache} opens it (standalone, TLS, ACL user,
 * Sentinel, Cluster), plain blocking calls on it, and pub/sub subscriptions.
 *
 * <p><b>Not API.</b> Public only so that netrun-cache-cli can use it; it may change in any release.
 * Applications use {@link RedisCache}. Every call waits at most the config's {@code socketTimeout}
 * (a scan, per page) and throws {@link CacheException} (or {@link CacheUnavailableException} when the
 * server cannot be reached), whose message never shows a password; an error reply keeps Redis's text
 * ({@code NOPERM ...}). Thread-safe.
 */
public final class RedisTooling implements AutoCloseable {

    private final RedisLink link;
    private final RedisEndpoint endpoint;
    private final Duration timeout;
    private final RedisLink.Connected connected;

    private RedisTooling(RedisLink link, RedisEndpoint endpoint, Duration timeout, RedisLink.Connected connected) {
        this.link = link;
        this.endpoint = endpoint;
        this.timeout = timeout;
        this.connected = connected;
    }

    /**
     * Connects to the Redis that {@code config} names and waits for the connection.
     *
     * @throws CacheUnavailableException when it cannot connect; the message names the endpoint and the reason
     *                                   (refused, TLS certificate, authentication)
     */
    public static RedisTooling connect(CacheConfig config) {
        RedisEndpoint endpoint = new RedisEndpoint(config);
        RedisLink link = RedisLink.create(endpoint);
        try {
            Duration wait = config.socketConnectTimeout().plus(config.socketTimeout());
            link.connectNow(wait);
            RedisLink.Connected connected = link.connect().getNow(null);
            return new RedisTooling(link, endpoint, config.socketTimeout(), connected);
        } catch (RuntimeException e) {
            link.close();
            throw e;
        }
    }

    /** Returns where this connects, for messages: host:port, the masked URL, or the Cluster seeds. */
    public String endpoint() {
        return endpoint.describe();
    }

    /** Returns whether this is connected to a Redis Cluster. */
    public boolean isCluster() {
        return connected.cluster();
    }

    /** Returns {@code text} with the Redis glob characters ({@code * ? [ ] \}) escaped. */
    public static String escapeGlob(String text) {
        return RedisKeys.escapeGlob(text);
    }

    /**
     * Scans the keys that match {@code pattern} ({@code SCAN MATCH pattern COUNT count}, on every master of a
     * Cluster) and hands each page to {@code page}, in the calling thread; {@code visited} receives the number
     * of {@code SCAN} calls made so far, for progress. Returns when the scan is complete or {@code page}
     * returns false.
     */
    public void scan(String pattern, int count, PageConsumer page) {
        ScanArgs args = ScanArgs.Builder.matches(pattern.getBytes(StandardCharsets.UTF_8)).limit(count);
        ScanCursor cursor = ScanCursor.INITIAL;
        long calls = 0;
        while (true) {
            ScanCursor from = cursor;
            KeyScanCursor<byte[]> next = await(commands().scan(from, args), "SCAN");
            calls++;
            if (!page.accept(next.getKeys(), calls) || next.isFinished()) {
                return;
            }
            cursor = next;
        }
    }

    /** Receives one page of a {@link #scan}. */
    @FunctionalInterface
    public interface PageConsumer {
        /** Takes the page's keys (possibly none) and the number of SCAN calls so far; returns whether to go on. */
        boolean accept(List<byte[]> keys, long scanCalls);
    }

    /** Returns the number of keys in the database ({@code DBSIZE}; on a Cluster, the sum over its masters). */
    public long keyspaceSize() {
        return await(commands().dbsize(), "DBSIZE");
    }

    /** Returns the value of a string key, or {@code null} when it does not exist. */
    public byte[] get(byte[] key) {
        return await(commands().get(key), "GET");
    }

    /** Returns the Redis type of {@code key}: {@code string}, {@code hash}, ..., or {@code none}. */
    public String type(byte[] key) {
        return await(commands().type(key), "TYPE");
    }

    /** Returns the remaining time to live of each key in milliseconds: -1 without one, -2 for a missing key. */
    public List<Long> pttl(List<byte[]> keys) {
        List<CompletionStage<Long>> calls = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            calls.add(commands().pttl(key));
        }
        return awaitAll(calls, "PTTL");
    }

    /** Returns the bytes each key takes ({@code MEMORY USAGE key SAMPLES 0}'s estimate), {@code null} for a missing key. */
    public List<Long> memoryUsage(List<byte[]> keys) {
        List<CompletionStage<Long>> calls = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            calls.add(commands().memoryUsage(key));
        }
        return awaitAll(calls, "MEMORY USAGE");
    }

    /** Returns the values of {@code keys} in order, {@code null} where a key is missing or not a string. */
    public List<byte[]> getAll(List<byte[]> keys) {
        List<CompletionStage<byte[]>> calls = new ArrayList<>(keys.size());
        for (byte[] key : keys) {
            calls.add(commands().get(key).exceptionally(wrongType -> null));
        }
        return awaitAll(calls, "GET");
    }

    /** Unlinks {@code keys}, one {@code UNLINK} per hash slot on a Cluster; returns how many existed. */
    public long unlink(List<byte[]> keys) {
        if (keys.isEmpty()) {
            return 0;
        }
        return await(commands().unlink(keys.toArray(new byte[0][])), "UNLINK");
    }

    /** Publishes {@code message} on {@code channel}; returns the number of subscribers that received it. */
    public long publish(String channel, byte[] message) {
        return await(commands().publish(channel.getBytes(StandardCharsets.UTF_8), message), "PUBLISH");
    }

    /**
     * Sends any command (its words as UTF-8) and returns the reply as a list: the elements of an array
     * reply, or the one value of any other reply. Values are {@code byte[]} for a bulk string, {@link String}
     * for a status, {@link Long} for an integer, a {@link List} for a nested array, {@code null} for nil.
     * When {@code key} is not null it is sent as the command's first argument and routes the command on a
     * Cluster; otherwise a Cluster sends it to a node of its choice.
     *
     * @throws CacheException with Redis's error text ({@code NOPERM ...}, {@code NOSCRIPT ...}) on an error reply
     */
    public List<Object> call(String command, String key, String... args) {
        CommandArgs<byte[], byte[]> commandArgs = new CommandArgs<>(ByteArrayCodec.INSTANCE);
        if (key != null) {
            commandArgs.addKey(key.getBytes(StandardCharsets.UTF_8));
        }
        for (String arg : args) {
            commandArgs.add(arg.getBytes(StandardCharsets.UTF_8));
        }
        String name = command.toUpperCase(Locale.ROOT);
        ProtocolKeyword keyword = new ProtocolKeyword() {
            private final byte[] bytes = name.getBytes(StandardCharsets.US_ASCII);

            @Override
            public byte[] getBytes() {
                return bytes;
            }

            @Override
            public String toString() {
                return name;
            }
        };
        List<Object> reply = await(commands().dispatch(keyword, new NestedMultiOutput<>(ByteArrayCodec.INSTANCE),
                commandArgs), name);
        return reply == null ? List.of() : reply;
    }

    /**
     * Subscribes to {@code channel} on a connection of its own and waits for the server's confirmation;
     * {@code onMessage} runs on a Lettuce thread for each message and must return quickly.
     *
     * @throws CacheException when the server refuses ({@code NOPERM} for an ACL user without the channel)
     */
    public Subscription subscribe(String channel, Consumer<byte[]> onMessage) {
        CompletableFuture<StatefulRedisPubSubConnection<byte[], byte[]>> opening;
        if (link.client() instanceof RedisClusterClient cluster) {
            opening = cluster.connectPubSubAsync(ByteArrayCodec.INSTANCE)
                    .thenApply(c -> (StatefulRedisPubSubConnection<byte[], byte[]>) c).toCompletableFuture();
        } else {
            opening = ((RedisClient) link.client()).connectPubSubAsync(ByteArrayCodec.INSTANCE,
                    endpoint.uris().get(0)).toCompletableFuture();
        }
        StatefulRedisPubSubConnection<byte[], byte[]> pubSub = await(opening, "connect for SUBSCRIBE");
        pubSub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void message(byte[] from, byte[] message) {
                onMessage.accept(message);
            }
        });
        try {
            await(pubSub.async().subscribe(channel.getBytes(StandardCharsets.UTF_8)), "SUBSCRIBE");
        } catch (CacheException e) {
            pubSub.close();
            throw e;
        }
        return pubSub::close;
    }

    /** A subscription; {@link #close()} ends it. */
    @FunctionalInterface
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /** Closes the connection and its threads; idempotent. */
    @Override
    public void close() {
        link.close();
    }

    private RedisClusterAsyncCommands<byte[], byte[]> commands() {
        return connected.commands();
    }

    private <T> List<T> awaitAll(List<CompletionStage<T>> calls, String operation) {
        List<T> results = new ArrayList<>(calls.size());
        for (CompletionStage<T> call : calls) {
            results.add(await(call, operation));
        }
        return results;
    }

    private <T> T await(CompletionStage<T> call, String operation) {
        try {
            return call.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CacheUnavailableException("interrupted during " + operation + " on Redis at " + endpoint(), e);
        } catch (TimeoutException e) {
            throw new CacheUnavailableException(operation + " on Redis at " + endpoint() + " timed out after "
                    + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            Throwable cause = RedisFailures.unwrap(e);
            if (cause instanceof io.lettuce.core.RedisCommandExecutionException) {
                throw new CacheException(String.valueOf(cause.getMessage()), cause);
            }
            throw new CacheUnavailableException(operation + " on Redis at " + endpoint() + " failed: "
                    + RedisFailures.reason(cause), cause);
        }
    }
}
