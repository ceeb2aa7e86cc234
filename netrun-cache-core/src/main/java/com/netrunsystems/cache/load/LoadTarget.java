package com.netrunsystems.cache.load;

import com.netrunsystems.cache.CacheLock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * What the {@link LoadPipeline} needs from the cache it loads into, as futures. A method that does
 * I/O returns at once; one that decodes a reply into a user type does so on the {@code executor} it
 * is given (or on the calling thread when the reply is already there), never on an I/O thread.
 * Failures complete the future exceptionally; a method may also throw at once. Not API.
 *
 * @param <V> the type of the cached values
 */
public interface LoadTarget<V> {

    /**
     * Reads the value under {@code key} with its remaining physical TTL: {@code null} on a miss; counts
     * no statistics. When {@code needTtl} is false, or the TTL is unknown, {@code remaining} may be
     * {@code null} (fresh). A target with a remote layer answers {@link TtlValue#unanswered()} when that
     * layer failed as unavailable (counted, fail-open) and nothing local answered; the pipeline then
     * stores the loaded value with {@link #keepLocally}. The read is bounded by the target's own timeout.
     * A remote read should be an {@link Abandonable} that counts nothing once abandoned: a blocking caller
     * interrupted while it waits for it (and alone in waiting) abandons it.
     */
    CompletableFuture<TtlValue<V>> read(String key, boolean needTtl, Executor executor);

    /**
     * Reads like {@link #read} for a caller's own lookup, the first read of a {@code getOrLoad}: a
     * target that keeps statistics per layer counts it there, as a {@code get} would. By default the
     * same as {@link #read}.
     */
    default CompletableFuture<TtlValue<V>> lookup(String key, boolean needTtl, Executor executor) {
        return read(key, needTtl, executor);
    }

    /**
     * Returns whether {@link #read} is a round trip, so that concurrent callers of one key share one
     * read in flight (and the first lookup uses {@link #read}, counted by the pipeline). False by default.
     */
    default boolean readsRemotely() {
        return false;
    }

    /**
     * Stores a loaded value for {@code ttl}. When {@code grace} is positive, also stores a grace copy
     * for {@code ttl + grace}, which only {@link #readStale} returns.
     */
    CompletableFuture<Boolean> write(String key, V value, Duration ttl, Duration grace);

    /**
     * Stores the value a {@code getOrLoad} loaded after a miss, as {@link #write} does, if the key is
     * still absent, and returns the value the key holds then (a {@code set} made while the loader ran
     * wins). By default writes unconditionally and returns {@code value}.
     */
    default CompletableFuture<V> writeLoaded(String key, V value, Duration ttl, Duration grace) {
        return write(key, value, ttl, grace).thenApply(stored -> value);
    }

    /**
     * Keeps a loaded value whose caller's read was {@link TtlValue#unanswered()}, only where no remote
     * call is needed (L1 of a two-level cache); counts nothing. Does nothing by default.
     */
    default void keepLocally(String key, V value, Duration ttl) {
    }

    /**
     * Reads the grace copy of {@code key} written by {@link #write}, for stale-if-error: {@code null}
     * when there is none or it cannot be read now; counts no statistics.
     */
    CompletableFuture<V> readStale(String key, Executor executor);

    /**
     * Tries to take the load lease {@code key} across JVMs: the held lease, empty when another process
     * holds it, or {@code null} when this cache cannot lease now (memory only, or Redis down), in which
     * case the caller loads without one. An error reply fails the future.
     */
    CompletableFuture<Optional<CacheLock>> tryLease(String key, Duration ttl);

    /**
     * Called once per {@code getOrLoad} with its outcome (a hit, or a miss that loads or waits for a
     * load), after the pipeline counted it; for counters kept elsewhere. Does nothing by default.
     */
    default void recordLookup(boolean hit) {
    }
}
