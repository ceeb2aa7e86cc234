package com.netrunsystems.cache.redis;

import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheLock;
import java.time.Duration;
import java.util.Optional;
import com.netrunsystems.cache.internal.RemoteLayer;
import com.netrunsystems.cache.internal.TtlValue;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** The L2 of a {@code CacheManager}: a fail-closed {@link RedisCache} plus TTL reads and pub/sub. */
final class RedisLayer<V> implements RemoteLayer<V> {

    private final RedisCache<V> cache;

    RedisLayer(RedisCache<V> cache) {
        this.cache = cache;
    }

    @Override
    public Cache<V> cache() {
        return cache;
    }

    @Override
    public CompletableFuture<TtlValue<V>> getWithTtl(String key, boolean trackStats) {
        return cache.asyncImpl().getWithTtl(key, trackStats);
    }

    @Override
    public CompletableFuture<Map<String, TtlValue<V>>> getManyWithTtl(Collection<String> keys) {
        return cache.asyncImpl().getManyWithTtl(keys);
    }

    @Override
    public CompletableFuture<Boolean> setLoaded(String key, V value, Duration ttl, Duration grace) {
        return cache.asyncImpl().setLoaded(key, value, ttl, grace);
    }

    @Override
    public CompletableFuture<V> graceCopy(String key) {
        return cache.asyncImpl().graceCopy(key);
    }

    @Override
    public CompletableFuture<Optional<CacheLock>> tryLock(String key, Duration ttl) {
        return cache.tryLockAsync(key, ttl);
    }

    /**
     * {@inheritDoc}
     *
     * <p>On a Cluster, every master must answer: one frozen master makes its keys' calls time out, so a
     * probe answered by a healthy node alone would close the circuit again at once (and flush L1), and
     * the circuit would flap for as long as that master stays frozen.
     */
    @Override
    public CompletableFuture<Void> ping() {
        return cache.strictCallAsync("PING", null, c -> c.cluster()
                ? c.bound(((RedisAdvancedClusterAsyncCommands<byte[], byte[]>) c.commands()).upstream().commands().ping()
                        .toCompletableFuture()).thenApply(replies -> "PONG")
                : c.commands().ping().toCompletableFuture()).thenApply(pong -> null);
    }

    @Override
    public boolean isConnected() {
        return cache.isConnected();
    }

    @Override
    public InvalidationChannel subscribe(String channel, Consumer<byte[]> onMessage, Runnable onSubscribed) {
        return RedisInvalidationChannel.open(cache.link(), channel, onMessage, onSubscribed);
    }

    /** Runs the probe on the one prober thread of this layer's endpoint, shared by every manager on it. */
    @Override
    public Scheduled scheduleProbe(Runnable probe, Duration interval) {
        return cache.link().shared().prober().schedule(probe, interval);
    }

    @Override
    public void close() {
        cache.close();
    }
}
