package com.netrunsystems.cache.internal;

import com.netrunsystems.cache.CacheLock;
import java.time.Duration;
import java.util.Optional;

/** A load target whose operations block, run on the load pipeline through {@link com.netrunsystems.cache.load.BlockingTarget}. Not API. */
public interface LoadTarget<V> {

    /**
     * Returns the value under {@code key} with its remaining physical TTL, or {@code null} on a miss;
     * counts no statistics. When {@code needTtl} is false, or the TTL is not known, {@code remaining}
     * may be {@code null} (the entry is then treated as fresh). A target with a remote layer answers
     * {@link TtlValue#unanswered()} when that layer failed as unavailable (counted, fail-open) and nothing
     * local answered; the coordinator then stores the loaded value with {@link #keepLocally}, not {@link #write}.
     */
    TtlValue<V> read(String key, boolean needTtl);

    /**
     * Reads like {@link #read} for a caller's own lookup, the first read of a {@code getOrLoad}: a
     * target that keeps statistics per layer counts it there, as a {@code get} would. The
     * coordinator's further reads (after another load finished, under a lease, while waiting for
     * another process) use {@link #read} and count nothing. By default the same as {@link #read}.
     */
    default TtlValue<V> lookup(String key, boolean needTtl) {
        return read(key, needTtl);
    }

    /**
     * Stores a loaded value for {@code ttl}. When {@code grace} is positive, also stores a grace copy
     * for {@code ttl + grace} (in the same round trip), which only {@link #readStale} returns: reads
     * never see the value once {@code ttl} has passed.
     */
    boolean write(String key, V value, Duration ttl, Duration grace);

    /**
     * Stores a loaded value whose caller's read was {@link TtlValue#unanswered()}: only where no remote call
     * is needed, so that a {@code getOrLoad} under an outage waits for the remote layer once, not a second
     * time to store (a {@code CacheManager} keeps it in L1; a {@code RedisCache} returns it uncached). Counts
     * nothing: the failed read was counted. Does nothing by default.
     */
    default void keepLocally(String key, V value, Duration ttl) {
    }

    /**
     * Returns the grace copy of {@code key} written by {@link #write}, for stale-if-error, or
     * {@code null} when there is none or it cannot be read now (never throws for an unreachable
     * backend); counts no statistics.
     */
    V readStale(String key);

    /**
     * Stores the value a {@code getOrLoad} loaded after a miss, as {@link #write} does, if the key is
     * still absent, and returns the value the key holds then: the loaded one, or one written while
     * the loader ran, which wins (a loaded value never overwrites a {@code set} that came after the
     * lookup). A target that can do this atomically overrides it; by default it writes
     * unconditionally and returns {@code value}.
     */
    default V writeLoaded(String key, V value, Duration ttl, Duration grace) {
        write(key, value, ttl, grace);
        return value;
    }

    /**
     * Tries to take the load lease of {@code key} across JVMs: the held lease, empty when another
     * process holds it, or {@code null} when this cache cannot lease now (memory only, or Redis down),
     * in which case the caller loads without one.
     */
    Optional<CacheLock> tryLease(String key, Duration ttl);

    /**
     * Called once per {@code getOrLoad} with its outcome (a hit, or a miss that loads or waits for a
     * load), after the coordinator counted it in its own statistics; for counters kept elsewhere,
     * such as the statistics shared through Redis. Does nothing by default.
     */
    default void recordLookup(boolean hit) {
    }
}
