package com.netrunsystems.cache.redis;

import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.check.Checks;
import com.netrunsystems.cache.redis.connection.LuaScript;
import com.netrunsystems.cache.redis.connection.RedisFailures;
import com.netrunsystems.cache.redis.connection.RedisKeys;
import io.lettuce.core.RedisCommandExecutionException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * The counters of a {@link RedisAsyncCache}: one Lua call ({@code INCRBY}, plus the default TTL when the key
 * is new), plain integers wire-compatible with Python. Counters never fail open to a value: an error reply
 * for a non-integer or an overflow is the caller's {@link CacheException}, anything else goes through
 * {@link RedisFailures#fail}. Thread-safe: it holds no mutable state.
 */
final class CounterOperations {

    private final RedisAsyncCache<?> cache;
    private final RedisKeys keys;
    private final Duration defaultTtl;
    private final RedisFailures failures;

    CounterOperations(RedisAsyncCache<?> cache, RedisKeys keys, Duration defaultTtl, RedisFailures failures) {
        this.cache = cache;
        this.keys = keys;
        this.defaultTtl = defaultTtl;
        this.failures = failures;
    }

    /** Adds {@code amount} to the counter under {@code key} and answers its new value, completing on {@code ex}. */
    CompletableFuture<Long> increment(String key, long amount, Executor ex) {
        cache.ensureOpen();
        byte[] storedKey = keys.encode(Checks.key(key));
        byte[] delta = LuaScript.bytes(amount);
        byte[] ttlMillis = LuaScript.bytes(Checks.millis(defaultTtl));
        return cache.run(ex, c -> LuaScript.INCREMENT.run(c, storedKey, delta, ttlMillis))
                .handle((value, error) -> error == null ? value : counterFailure(key, error));
    }

    private Long counterFailure(String key, Throwable error) {
        Throwable cause = RedisFailures.unwrap(error);
        if (cause instanceof RedisCommandExecutionException && String.valueOf(cause.getMessage()).contains("not an integer")) {
            throw new CompletionException(new CacheException("cannot increment key '" + key + "' in namespace '"
                    + keys.namespace() + "': it does not hold an integer"));
        }
        if (cause instanceof RedisCommandExecutionException && String.valueOf(cause.getMessage()).contains("overflow")) {
            throw new CompletionException(new CacheException("counter '" + key + "' in namespace '"
                    + keys.namespace() + "' would overflow a long"));
        }
        return failures.fail("INCRBY", key, error);
    }
}
