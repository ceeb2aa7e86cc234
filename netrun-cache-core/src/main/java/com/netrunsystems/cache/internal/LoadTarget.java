package com.netrunsystems.cache.internal;

import com.netrunsystems.cache.CacheLock;
import java.time.Duration;
import java.util.Optional;

/** What a {@link LoadCoordinator} needs from the cache it loads into. Not API. */
public interface LoadTarget<V> {

    /**
     * Returns the value under {@code key} with its remaining physical TTL, or {@code null} on a miss;
     * counts no statistics. When {@code needTtl} is false, or the TTL is not known, {@code remaining}
     * may be {@code null} (the entry is then treated as fresh).
     */
    TtlValue<V> read(String key, boolean needTtl);

    /** Stores a loaded value: fresh for {@code ttl}, then kept {@code grace} longer for stale-if-error. */
    boolean write(String key, V value, Duration ttl, Duration grace);

    /**
     * Tries to take the load lease of {@code key} across JVMs: the held lease, empty when another
     * process holds it, or {@code null} when this cache cannot lease now (memory only, or Redis down),
     * in which case the caller loads without one.
     */
    Optional<CacheLock> tryLease(String key, Duration ttl);
}
