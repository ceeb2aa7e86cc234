package com.netrunsystems.cache.redis.connection;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;

/**
 * A server-side Lua script run with {@code EVALSHA}, falling back to {@code EVAL} (which also
 * loads it) when the server answers {@code NOSCRIPT}: one round trip in the common case, two after the
 * server lost its script cache (a restart, {@code SCRIPT FLUSH}, a failover). Both round trips share one
 * deadline, the cache's {@code socketTimeout} from the call's start, so that a slow server cannot make
 * the call wait two timeouts. Immutable; thread-safe.
 */
public final class LuaScript {

    /** Increments a counter and, only when the key was new, gives it the default TTL. */
    public static final LuaScript INCREMENT = new LuaScript("""
            local existed = redis.call('EXISTS', KEYS[1])
            local value = redis.call('INCRBY', KEYS[1], ARGV[1])
            if existed == 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return value""");

    /** Deletes a lock key only if it still holds the caller's owner token. */
    public static final LuaScript RELEASE_LOCK = new LuaScript("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
            return 0""");

    /** Extends a lock's lease only if it still holds the caller's owner token. */
    public static final LuaScript RENEW_LOCK = new LuaScript("""
            if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
            return 0""");

    private final String source;
    private final String sha1;

    private LuaScript(String source) {
        this.source = source;
        this.sha1 = sha1(source);
    }

    /**
     * Runs the script on the key {@code key} with {@code args} over {@code connection}, returning its integer
     * result; the call (both round trips when the server answers {@code NOSCRIPT}) fails with Lettuce's
     * {@code RedisCommandTimeoutException} once the cache's {@code socketTimeout} has passed since it started.
     */
    public CompletableFuture<Long> run(RedisLink.Connected connection, byte[] key, byte[]... args) {
        RedisClusterAsyncCommands<byte[], byte[]> commands = connection.commands();
        byte[][] keys = {key};
        CompletableFuture<Long> result = commands.<Long>evalsha(sha1, ScriptOutputType.INTEGER, keys, args)
                .toCompletableFuture()
                .handle((value, error) -> {
                    if (error == null) {
                        return CompletableFuture.completedFuture(value);
                    }
                    Throwable cause = RedisFailures.unwrap(error);
                    if (cause instanceof RedisNoScriptException
                            || String.valueOf(cause.getMessage()).startsWith("NOSCRIPT")) {
                        return commands.<Long>eval(source.getBytes(StandardCharsets.UTF_8), ScriptOutputType.INTEGER,
                                keys, args).toCompletableFuture();
                    }
                    return CompletableFuture.<Long>failedFuture(cause);
                })
                .thenCompose(f -> f);
        // One deadline for the call: the EVAL after a NOSCRIPT gets only what the EVALSHA left of it.
        return connection.bound(result);
    }

    public static byte[] bytes(long value) {
        return Long.toString(value).getBytes(StandardCharsets.US_ASCII);
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(
                    MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-1 is required by every Java platform", e);
        }
    }
}
