package com.netrunsystems.cache.load;

import static java.util.concurrent.CompletableFuture.completedFuture;
import static java.util.concurrent.CompletableFuture.failedFuture;

import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.CacheLock;
import com.netrunsystems.cache.LoadPolicy;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cross-JVM lease of a {@link LoadPipeline} ({@link LoadPolicy#distributed()}): taking it, waiting
 * (polling, bounded by the lease wait) for the value another process loads under it, releasing it. Thread-safe.
 *
 * @param <V> the type of the cached values
 */
final class Leases<V> {

    private static final Logger log = LoggerFactory.getLogger(Leases.class);
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

    private final LoadPolicy policy;
    private final LoadTarget<V> target;
    private final boolean needsTtl;

    Leases(LoadPolicy policy, LoadTarget<V> target, boolean needsTtl) {
        this.policy = policy;
        this.target = target;
        this.needsTtl = needsTtl;
    }

    /**
     * Takes the load lease of {@code key}: held, empty (another process loads), or {@code null} to load
     * without one. A backend that refuses the lease (an error reply) fails open: the caller loads without one.
     */
    CompletableFuture<Optional<CacheLock>> tryLease(String key, Executor ex) {
        return Stages.handle(Stages.call(() -> target.tryLease(LoadPipeline.LEASE_PREFIX + key, policy.leaseTtl())), ex,
                (lease, error) -> {
                    if (error == null) {
                        return completedFuture(lease);
                    }
                    if (error instanceof CacheException e && !LoadPipeline.isInterrupt(e)) {
                        log.debug("load lease of key '{}' refused ({}); loading without one", key, e.getMessage());
                        return completedFuture(null);
                    }
                    return failedFuture(error);
                });
    }

    /**
     * Releases {@code lease} without waiting for the backend when it can ({@link AsyncLease}: the release is
     * sent, and no thread waits for its reply); one that cannot be released expires on its own.
     */
    static void release(CacheLock lease) {
        try {
            if (lease instanceof AsyncLease async) {
                async.releaseAsync(); // never fails; not awaited: the caller's answer does not depend on it
            } else {
                lease.close();
            }
        } catch (RuntimeException e) {
            log.debug("load lease not released ({}); it expires on its own", e.toString());
        }
    }

    /**
     * Polls for the value another process is loading, at most the lease wait; {@code null} if it does not
     * come. A call that {@code cancelled} (its caller was interrupted) stops with an exception, loading nothing.
     */
    CompletableFuture<V> awaitOtherLoader(String key, Executor ex, BooleanSupplier cancelled) {
        return poll(key, System.nanoTime() + policy.leaseWait().toNanos(), ex, cancelled);
    }

    private CompletableFuture<V> poll(String key, long deadline, Executor ex, BooleanSupplier cancelled) {
        if (System.nanoTime() - deadline >= 0) {
            log.debug("waited {} for another process to load key '{}'; loading here", policy.leaseWait(), key);
            return completedFuture(null);
        }
        CompletableFuture<Void> pause = new CompletableFuture<>();
        CallerRuns.later(ex, POLL_NANOS, () -> pause.complete(null));
        return Stages.then(pause, ex, ignored -> {
            if (cancelled.getAsBoolean()) {
                return failedFuture(LoadPipeline.interrupted(key));
            }
            return Stages.then(Stages.call(() -> target.read(key, needsTtl, ex)), ex, found -> found != null && isFresh(found)
                    ? completedFuture(found.value()) : poll(key, deadline, ex, cancelled));
        });
    }

    private static boolean isFresh(TtlValue<?> found) {
        return found.remaining() == null || found.remaining().toNanos() > 0;
    }
}
