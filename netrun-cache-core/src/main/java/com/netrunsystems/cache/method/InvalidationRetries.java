package com.netrunsystems.cache.method;

import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.CacheInvalidate;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.CacheUnavailableException;
import com.netrunsystems.cache.MemoryCache;
import com.netrunsystems.cache.spi.RemoteCacheProvider;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the keys a {@link CacheInvalidate} names, so that a removal that did not reach the backend
 * is neither silent nor final. Caches fail open, so their {@code delete} answers {@code false} both
 * for an absent key and for Redis not answering; here the removal is made strictly (see
 * {@link #deleteOrThrow}), and a failure is counted in that cache's {@code errors}, logged at WARN
 * with the key, and retried in the background: after {@link #FIRST_RETRY}, then doubling up to
 * {@link #MAX_RETRY_DELAY}, until it succeeds, the owning registry closes, or {@code retryFor} (the
 * longest time an entry written before the invalidation can live) has passed. Thread-safe.
 */
final class InvalidationRetries implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(InvalidationRetries.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    static final Duration MAX_RETRY_DELAY = Duration.ofSeconds(30);

    /** The remote backend's provider, looked up once: it knows how to delete strictly from its caches. */
    private final Optional<RemoteCacheProvider> remote = RemoteCacheProvider.find();
    private final StrictDelete managerDelete;
    private ScheduledExecutorService retries; // guarded by this; created on the first failure
    private boolean closed;                   // guarded by this

    /** Creates the retries; {@code managerDelete} deletes strictly from a {@link CacheManager}. */
    InvalidationRetries(StrictDelete managerDelete) {
        this.managerDelete = managerDelete;
    }

    /**
     * Deletes {@code key} from {@code cache}; when the backend was not reached, warns and schedules retries
     * for at most {@code retryFor}. Never throws for an unreachable backend (the caller's method ran).
     */
    void delete(Cache<Object> cache, String key, Duration retryFor) {
        try {
            deleteOrThrow(cache, key);
        } catch (CacheException e) {
            log.warn("@CacheInvalidate could not remove key '{}' in namespace '{}' ({}); the old entry stays until "
                    + "a retry succeeds (retrying for up to {} s)", key, cache.namespace(), e.getMessage(),
                    retryFor.toSeconds());
            schedule(cache, key, System.nanoTime() + retryFor.toNanos(), FIRST_RETRY);
        }
    }

    /**
     * Deletes {@code key}, throwing when the backend was not reached: {@link MemoryCache} always is,
     * {@link CacheManager} and the remote caches report it themselves.
     *
     * @throws CacheUnavailableException when the removal did not reach the backend
     */
    boolean deleteOrThrow(Cache<Object> cache, String key) {
        if (cache instanceof CacheManager<Object> manager) {
            return managerDelete.deleteOrThrow(manager, key);
        }
        if (cache instanceof MemoryCache<Object>) {
            return cache.delete(key);
        }
        return remote.isPresent() ? remote.get().deleteOrThrow(cache, key) : cache.delete(key);
    }

    private synchronized void schedule(Cache<Object> cache, String key, long giveUpAt, Duration delay) {
        if (closed) {
            return;
        }
        if (retries == null) {
            retries = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "netrun-cache-invalidation-retry");
                thread.setDaemon(true);
                return thread;
            });
        }
        try {
            retries.schedule(() -> retry(cache, key, giveUpAt, delay), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    private void retry(Cache<Object> cache, String key, long giveUpAt, Duration delay) {
        try {
            deleteOrThrow(cache, key);
            log.info("@CacheInvalidate removed key '{}' in namespace '{}' on a retry", key, cache.namespace());
        } catch (CacheException e) {
            Duration next = delay.multipliedBy(2).compareTo(MAX_RETRY_DELAY) > 0 ? MAX_RETRY_DELAY : delay.multipliedBy(2);
            if (System.nanoTime() + next.toNanos() - giveUpAt > 0) {
                log.warn("@CacheInvalidate gave up removing key '{}' in namespace '{}' ({}); any entry written before "
                        + "the invalidation has expired by now", key, cache.namespace(), e.getMessage());
                return;
            }
            log.debug("retry of removing key '{}' in namespace '{}' failed: {}", key, cache.namespace(), e.getMessage());
            schedule(cache, key, giveUpAt, next);
        } catch (IllegalStateException closedCache) {
            log.debug("retry of removing key '{}' stopped: {}", key, closedCache.getMessage());
        }
    }

    /** Stops retrying; idempotent. */
    @Override
    public synchronized void close() {
        closed = true;
        if (retries != null) {
            retries.shutdownNow();
        }
    }
}
