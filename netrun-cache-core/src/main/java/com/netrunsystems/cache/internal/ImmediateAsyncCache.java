package com.netrunsystems.cache.internal;

import com.netrunsystems.cache.AsyncCache;
import com.netrunsystems.cache.Cache;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import com.netrunsystems.cache.load.LoadPipeline;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@link AsyncCache} view of a cache whose operations never wait on I/O, such as a memory
 * cache: each call runs on the caller's thread and returns a completed future. Argument errors are
 * thrown at once; any other exception completes the future exceptionally. {@code getOrLoad} runs the
 * cache's {@link LoadPipeline}. Thread-safe.
 *
 * @param <V> the type of the cached values
 */
public final class ImmediateAsyncCache<V> implements AsyncCache<V> {

    private final Cache<V> cache;
    private final Runnable ensureOpen;
    private final LoadPipeline<V> loads;

    /**
     * Creates the view of {@code cache}, whose {@code getOrLoad} runs {@code loads}, the pipeline of
     * the blocking {@code getOrLoad}, so that a blocking and an asynchronous caller of the same key
     * share one load. {@code ensureOpen} throws {@link IllegalStateException} once the cache is closed.
     */
    public ImmediateAsyncCache(Cache<V> cache, Runnable ensureOpen, LoadPipeline<V> loads) {
        this.cache = cache;
        this.ensureOpen = ensureOpen;
        this.loads = loads;
    }

    @Override
    public Cache<V> synchronous() {
        return cache;
    }

    @Override
    public CompletableFuture<V> get(String key, boolean trackStats) {
        return now(() -> cache.get(key, trackStats));
    }

    @Override
    public CompletableFuture<Boolean> set(String key, V value, Duration ttl) {
        return now(() -> cache.set(key, value, ttl));
    }

    @Override
    public CompletableFuture<Boolean> setIfAbsent(String key, V value, Duration ttl) {
        return now(() -> cache.setIfAbsent(key, value, ttl));
    }

    @Override
    public CompletableFuture<Boolean> delete(String key) {
        return now(() -> cache.delete(key));
    }

    @Override
    public CompletableFuture<Boolean> exists(String key) {
        return now(() -> cache.exists(key));
    }

    @Override
    public CompletableFuture<Boolean> expire(String key, Duration ttl) {
        return now(() -> cache.expire(key, ttl));
    }

    @Override
    public CompletableFuture<Map<String, V>> getMany(Collection<String> keys) {
        return now(() -> cache.getMany(keys));
    }

    @Override
    public CompletableFuture<Integer> setMany(Map<String, ? extends V> items, Duration ttl) {
        return now(() -> cache.setMany(items, ttl));
    }

    @Override
    public CompletableFuture<Long> increment(String key, long amount) {
        return now(() -> cache.increment(key, amount));
    }

    @Override
    public CompletableFuture<Long> clearNamespace() {
        return now(cache::clearNamespace);
    }

    @Override
    public CompletableFuture<V> getOrLoad(String key, Duration ttl,
            Function<? super String, ? extends CompletableFuture<V>> loader) {
        Checks.key(key);
        Checks.ttl(ttl);
        Checks.loader(loader);
        ensureOpen.run();
        return loads.getOrLoadAsync(key, ttl, loader);
    }

    private static <T> CompletableFuture<T> now(Supplier<T> operation) {
        try {
            return CompletableFuture.completedFuture(operation.get());
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
