package com.netrunsystems.cache.redis;

import com.netrunsystems.cache.CacheLock;
import com.netrunsystems.cache.check.Checks;
import com.netrunsystems.cache.redis.connection.LuaScript;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lock held in Redis under {@code namespace:key} with a random owner token as its value. Renewal
 * and release run as Lua scripts that compare the token first, so a holder whose lease expired
 * never extends or frees a lock somebody else has taken since. Thread-safe.
 */
final class RedisLock implements CacheLock {

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
        com.netrunsystems.cache.check.Checks.ttl(ttl);
        if (released.get()) {
            return false;
        }
        return cache.strictCall("renew lock", key, c -> LuaScript.RENEW_LOCK.run(c, storedKey, tokenBytes(),
                LuaScript.bytes(com.netrunsystems.cache.check.Checks.millis(ttl)))) == 1L; // capped like every TTL
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
            cache.strictCall("release lock", key, c -> LuaScript.RELEASE_LOCK.run(c, storedKey, tokenBytes()));
        } catch (RuntimeException e) {
            log.warn("could not release lock '{}' in namespace '{}' ({}); it expires with its lease", key,
                    cache.namespace(), e.toString());
        }
    }

    private byte[] tokenBytes() {
        return token.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "RedisLock{key='" + key + "', released=" + released.get() + "}";
    }

}
