package com.netrunsystems.cache.async;

import com.netrunsystems.cache.AsyncCache;
import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.check.Checks;
import com.netrunsystems.cache.load.LoadTarget;
import com.netrunsystems.cache.load.SingleFlight;
import com.netrunsystems.cache.stats.StatsCounter;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The {@link AsyncCache} view of a cache whose operations never wait on I/O, such as a memory
 * cache: each call runs on the caller's thread and returns a completed future. Argument errors are
 * thrown at once; any other exception completes the future exceptionally. {@code getOrLoad} shares
 * one in-flight load per key. Thread-safe.
 *
 * @param <V> the type of the cached values
 */
public final class ImmediateAsyncCache<V> implements AsyncCache<V> {

    private final Cache<V> cache;
    private final Runnable ensureOpen;
    private final StatsCounter stats;
    private final SingleFlight<V> loads;
    private final LoadedValueWriter<V> writer;

    /**
     * How {@code getOrLoad} stores a loaded value after a miss; returns the value the key holds
     * afterwards (see {@link LoadTarget#writeLoaded}).
     */
    @FunctionalInterface
    public interface LoadedValueWriter<V> {
        V write(String key, V value, Duration ttl);
    }

    /**
     * Creates the view of {@code cache}, counting loads in {@code stats} and sharing {@code loads}
     * with the blocking {@code getOrLoad}, so that a blocking and an asynchronous caller of the same
     * key share one load. {@code ensureOpen} throws {@link IllegalStateException} once the cache is
     * closed, for the paths that answer without calling the cache.
     */
    public ImmediateAsyncCache(Cache<V> cache, Runnable ensureOpen, StatsCounter stats, SingleFlight<V> loads) {
        this(cache, ensureOpen, stats, loads, (key, value, ttl) -> {
            cache.set(key, value, ttl);
            return value;
        });
    }

    /**
     * Like the other constructor, storing loaded values with {@code writer} instead of {@code set}
     * (a cache that can store a loaded value only if the key is still absent, as its blocking
     * {@code getOrLoad} does).
     */
    public ImmediateAsyncCache(Cache<V> cache, Runnable ensureOpen, StatsCounter stats, SingleFlight<V> loads,
            LoadedValueWriter<V> writer) {
        this.cache = cache;
        this.ensureOpen = ensureOpen;
        this.stats = stats;
        this.loads = loads;
        this.writer = writer;
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
        CompletableFuture<V> running = loads.running(key);
        if (running != null) {
            stats.recordMiss(); // a load of the key is in flight: share it without reading
            return running.copy();
        }
        long finishedBefore = loads.finishedLoads();
        V cached = cache.get(key, true);
        if (cached != null) {
            return CompletableFuture.completedFuture(cached);
        }
        return loads.runAsync(key, flight -> {
            // Read again only if a load finished since the first read: it may have stored this key.
            V raced = null;
            if (loads.finishedLoads() != finishedBefore) {
                flight.stopSharing(); // a caller arriving after this read must not get its value
                raced = cache.get(key, false);
            }
            if (raced != null) {
                return CompletableFuture.completedFuture(raced);
            }
            CompletableFuture<V> loading;
            try {
                loading = flight.share(() -> loader.apply(key)); // shared until the value is known, not while it is written
            } catch (RuntimeException | Error e) {
                stats.recordLoadFailure();
                throw e;
            }
            if (loading == null) {
                stats.recordLoadFailure();
                throw new IllegalStateException("loader returned a null future for key '" + key + "'");
            }
            return loading.handle((value, error) -> {
                if (error != null) {
                    stats.recordLoadFailure();
                    throw error instanceof RuntimeException r ? r : new java.util.concurrent.CompletionException(error);
                }
                stats.recordLoad();
                return value == null ? null : writer.write(key, value, ttl);
            });
        });
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
