package com.netrunsystems.cache.load;

import com.netrunsystems.cache.CacheLock;
import com.netrunsystems.cache.internal.TtlValue;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * A {@link LoadTarget} over a target whose operations block ({@link com.netrunsystems.cache.internal.LoadTarget}):
 * each call runs on the calling thread (the caller's own in a blocking {@code getOrLoad}, the pipeline's
 * executor in an asynchronous one) and returns a completed future. Thread-safe if the target is.
 *
 * @param <V> the type of the cached values
 */
public final class BlockingTarget<V> implements LoadTarget<V> {

    private final com.netrunsystems.cache.internal.LoadTarget<V> target;

    /** Adapts {@code target}. */
    public BlockingTarget(com.netrunsystems.cache.internal.LoadTarget<V> target) {
        this.target = target;
    }

    @Override
    public CompletableFuture<TtlValue<V>> read(String key, boolean needTtl, Executor executor) {
        return CompletableFuture.completedFuture(target.read(key, needTtl));
    }

    @Override
    public CompletableFuture<TtlValue<V>> lookup(String key, boolean needTtl, Executor executor) {
        return CompletableFuture.completedFuture(target.lookup(key, needTtl));
    }

    @Override
    public CompletableFuture<Boolean> write(String key, V value, Duration ttl, Duration grace) {
        return CompletableFuture.completedFuture(target.write(key, value, ttl, grace));
    }

    @Override
    public CompletableFuture<V> writeLoaded(String key, V value, Duration ttl, Duration grace) {
        return CompletableFuture.completedFuture(target.writeLoaded(key, value, ttl, grace));
    }

    @Override
    public void keepLocally(String key, V value, Duration ttl) {
        target.keepLocally(key, value, ttl);
    }

    @Override
    public CompletableFuture<V> readStale(String key, Executor executor) {
        return CompletableFuture.completedFuture(target.readStale(key));
    }

    @Override
    public CompletableFuture<Optional<CacheLock>> tryLease(String key, Duration ttl) {
        return CompletableFuture.completedFuture(target.tryLease(key, ttl));
    }

    @Override
    public void recordLookup(boolean hit) {
        target.recordLookup(hit);
    }
}
