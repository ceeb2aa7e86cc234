package com.netrunsystems.cache.load;

import static java.util.concurrent.CompletableFuture.completedFuture;

import com.netrunsystems.cache.CacheLock;
import com.netrunsystems.cache.LoadPolicy;
import com.netrunsystems.cache.stats.StatsCounter;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refresh-ahead of a {@link LoadPipeline}: a hit close to expiry (a fixed fraction of the TTL elapsed,
 * or XFetch's random early expiry weighted by the average load time) starts one background reload per
 * key on {@link LoadPolicy#refreshExecutor()}, under the lease when the policy is distributed, while
 * callers keep getting the current value. Thread-safe.
 *
 * @param <V> the type of the cached values
 */
final class RefreshAhead<V> {

    private static final Logger log = LoggerFactory.getLogger(RefreshAhead.class);

    private final LoadPipeline<V> pipeline;
    private final LoadPolicy policy;
    private final StatsCounter stats;
    private final Set<String> refreshing = ConcurrentHashMap.newKeySet();
    private final AtomicLong averageLoadNanos = new AtomicLong();

    RefreshAhead(LoadPipeline<V> pipeline, LoadPolicy policy, StatsCounter stats) {
        this.pipeline = pipeline;
        this.policy = policy;
        this.stats = stats;
    }

    /** Starts a background reload of {@code key} if the policy says the hit {@code found} is due for one. */
    void maybeRefresh(String key, Duration ttl, TtlValue<V> found,
            Function<? super String, ? extends CompletableFuture<V>> loader) {
        if (!policy.refreshes() || found.remaining() == null) {
            return;
        }
        long remaining = found.remaining().toNanos();
        boolean due;
        if (policy.refreshAheadFraction() > 0) {
            due = ttl.toNanos() - remaining >= policy.refreshAheadFraction() * ttl.toNanos();
        } else {
            double random = 1.0 - ThreadLocalRandom.current().nextDouble(); // (0, 1]
            due = -averageLoadNanos.get() * policy.refreshBeta() * Math.log(random) >= remaining;
        }
        if (due && refreshing.add(key)) {
            try {
                policy.refreshExecutor().execute(() -> refresh(key, ttl, loader));
            } catch (RuntimeException rejected) {
                refreshing.remove(key);
            }
        }
    }

    private void refresh(String key, Duration ttl, Function<? super String, ? extends CompletableFuture<V>> loader) {
        Executor ex = policy.refreshExecutor();
        // everything in the chain, the lease included: whatever fails, the key's refreshing mark goes
        CompletableFuture<Optional<CacheLock>> lease = policy.distributed() ? pipeline.tryLease(key, ex) : completedFuture(null);
        CompletableFuture<Object> done = Stages.then(lease, ex, held -> {
            if (held != null && held.isEmpty()) {
                return completedFuture(null); // another process refreshes it
            }
            long started = System.nanoTime();
            CompletableFuture<V> loading = Stages.call(() -> loader.apply(key));
            CompletableFuture<Object> stored = Stages.then(loading, ex, loaded -> {
                recordLoadTime(System.nanoTime() - started);
                stats.recordRefresh();
                if (loaded == null) {
                    return completedFuture(null);
                }
                return pipeline.store(key, loaded, () -> pipeline.target()
                        .write(key, loaded, pipeline.jittered(ttl), policy.staleIfError()).thenApply(ok -> loaded), ex)
                        .thenApply(v -> (Object) v);
            });
            return Stages.handle(stored, ex, (value, error) -> {
                if (held != null) {
                    held.ifPresent(Leases::release);
                }
                return error == null ? completedFuture(value) : CompletableFuture.failedFuture(error);
            });
        });
        done.whenComplete((value, error) -> {
            if (error != null) {
                stats.recordLoadFailure();
                log.debug("background refresh of key '{}' failed: {}", key, error.toString());
            }
            refreshing.remove(key);
        });
    }

    void recordLoadTime(long nanos) {
        averageLoadNanos.updateAndGet(average -> average == 0 ? nanos : average + (nanos - average) / 8);
    }
}
