package com.netrunsystems.cache.redis;

import com.netrunsystems.cache.check.Checks;
import com.netrunsystems.cache.load.AsyncLease;
import com.netrunsystems.cache.redis.connection.LuaScript;
import com.netrunsystems.cache.redis.connection.RedisFailures;
import com.netrunsystems.cache.redis.connection.RedisLink;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lock held in Redis under {@code namespace:key} with a random owner token as its value. Renewal
 * and release run as Lua scripts that compare the token first, so a holder whose lease expired
 * never extends or frees a lock somebody else has taken since. {@link #close()} waits for the release;
 * {@link #releaseAsync()} (the load pipeline's lease) sends it through the asynchronous connection and
 * returns at once. Thread-safe.
 */
final class RedisLock implements AsyncLease {

    private static final Logger log = LoggerFactory.getLogger(RedisLock.class);

    private final String key;
    private final byte[] storedKey;
    private final String token;
    private final RedisCache<?> cache;
    private final AtomicBoolean released = new AtomicBoolean();

    RedisLock(String key, byte[] storedKey, String token, RedisCache<?> cache) {
        this.key = key;
        this.storedKey = storedKey;
        this.token = token;
        this.cache = cache;
    }

    @Override
    public String key() {
        return key;
    }

    @Override
    public String ownerToken() {
        return token;
    }

    @Override
    public boolean renew(Duration ttl) {
        Checks.ttl(ttl);
        if (released.get()) {
            return false;
        }
        return cache.strictCall("renew lock", key, c -> LuaScript.RENEW_LOCK.run(c, storedKey, tokenBytes(),
                LuaScript.bytes(Checks.millis(ttl)))) == 1L; // capped like every TTL
    }

    @Override
    public boolean isHeld() {
        if (released.get()) {
            return false;
        }
        byte[] holder = cache.strictCall("check lock", key, c -> c.commands().get(storedKey).toCompletableFuture());
        return holder != null && token.equals(new String(holder, StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        try {
            cache.strictCall("release lock", key, this::sendRelease);
        } catch (RuntimeException e) {
            warnNotReleased(e);
        }
    }

    /**
     * Sends the release ({@code EVALSHA}, one round trip) and returns at once; no thread waits for it. The
     * reply (or the command's timeout) completes the future on Lettuce's thread, where only logging runs: a
     * failure is counted and logged as {@link #close()} does, and the lease expires on its own.
     */
    @Override
    public CompletableFuture<Void> releaseAsync() {
        if (!released.compareAndSet(false, true)) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<Long> sent;
        try {
            sent = cache.strictCallAsync("release lock", key, this::sendRelease);
        } catch (RuntimeException e) { // the cache is closed
            sent = CompletableFuture.failedFuture(e);
        }
        return sent.handle((removed, error) -> {
            if (error != null) {
                warnNotReleased(RedisFailures.unwrap(error));
            }
            return null;
        });
    }

    private CompletableFuture<Long> sendRelease(RedisLink.Connected c) {
        return LuaScript.RELEASE_LOCK.run(c, storedKey, tokenBytes());
    }

    private void warnNotReleased(Throwable e) {
        log.warn("could not release lock '{}' in namespace '{}' ({}); it expires with its lease", key,
                cache.namespace(), e.toString());
    }

    private byte[] tokenBytes() {
        return token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "RedisLock{key='" + key + "', released=" + released.get() + "}";
    }

}
