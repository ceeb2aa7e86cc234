package com.netrunsystems.cache.tiered;

import com.netrunsystems.cache.AsyncCache;
import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.internal.Checks;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@link AsyncCache} view of a two-level cache: the same {@link TieredReads} and
 * {@link TieredWrites} the blocking view waits on, without the wait. No call blocks: an L1 hit (or a
 * call the open circuit keeps from L2) completes at once, an L2 call when its reply arrives (on the
 * Redis I/O thread), within the L2 call timeout. Argument errors are thrown at once; anything else,
 * such as a closed cache, completes the future exceptionally. {@code getOrLoad} is delegated to the
 * load pipeline's view (see the constructor), after the first subscription attempt. Thread-safe.
 *
 * @param <V> the type of the cached values
 */
public final class TieredAsyncCache<V> implements AsyncCache<V> {

    private final Cache<V> synchronous;
    private final Runnable checkOpen;
    private final L1Coherence<V> coherence;
    private final TieredReads<V> reads;
    private final TieredWrites<V> writes;
    private final AsyncCache<V> loads;

    /**
     * Creates the view of {@code synchronous}; {@code checkOpen} throws once it is closed, and
     * {@code loads} answers {@code getOrLoad}.
     */
    public TieredAsyncCache(Cache<V> synchronous, Runnable checkOpen, L1Coherence<V> coherence, TieredReads<V> reads,
            TieredWrites<V> writes, AsyncCache<V> loads) {
        this.synchronous = synchronous;
        this.checkOpen = checkOpen;
        this.coherence = coherence;
        this.reads = reads;
        this.writes = writes;
        this.loads = loads;
    }

    @Override
    public Cache<V> synchronous() {
        return synchronous;
    }

    @Override
    public CompletableFuture<V> get(String key, boolean trackStats) {
        return call(() -> reads.get(key, trackStats));
    }

    @Override
    public CompletableFuture<Boolean> set(String key, V value, Duration ttl) {
        return call(() -> writes.set(key, value, ttl));
    }

    @Override
    public CompletableFuture<Boolean> setIfAbsent(String key, V value, Duration ttl) {
        return call(() -> writes.setIfAbsent(key, value, ttl));
    }

    @Override
    public CompletableFuture<Boolean> delete(String key) {
        return call(() -> writes.delete(key));
    }

    @Override
    public CompletableFuture<Boolean> exists(String key) {
        return call(() -> reads.exists(key));
    }

    @Override
    public CompletableFuture<Boolean> expire(String key, Duration ttl) {
        return call(() -> writes.expire(key, ttl));
    }

    @Override
    public CompletableFuture<Map<String, V>> getMany(Collection<String> keys) {
        return call(() -> reads.getMany(keys));
    }

    @Override
    public CompletableFuture<Integer> setMany(Map<String, ? extends V> items, Duration ttl) {
        return call(() -> writes.setMany(items, ttl));
    }

    @Override
    public CompletableFuture<Long> increment(String key, long amount) {
        return call(() -> writes.increment(key, amount));
    }

    @Override
    public CompletableFuture<Long> clearNamespace() {
        return call(writes::clearNamespace);
    }

    @Override
    public CompletableFuture<V> getOrLoad(String key, Duration ttl,
            Function<? super String, ? extends CompletableFuture<V>> loader) {
        Checks.key(key);
        Checks.ttl(ttl);
        Checks.loader(loader);
        return call(() -> coherence.whenReady(() -> loads.getOrLoad(key, ttl, loader)));
    }

    private <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> operation) {
        try {
            checkOpen.run();
            return operation.get();
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
