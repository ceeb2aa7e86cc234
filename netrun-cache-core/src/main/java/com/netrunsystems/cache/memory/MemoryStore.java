package com.netrunsystems.cache.memory;

import com.netrunsystems.cache.EvictionPolicy;
import com.netrunsystems.cache.MemoryCache;
import java.util.function.UnaryOperator;

/**
 * The bounded, expiring map behind a {@link MemoryCache}: one implementation per
 * {@link EvictionPolicy}. Expired entries are never returned or passed to a compute function.
 * Implementations are thread-safe and keep at most their bound of entries once a write returns.
 * The hot paths ({@link #get}, and {@link #put} of a present key with the default TTL) allocate
 * nothing of their own (Caffeine's bookkeeping aside); the others may return {@link MemoryEntry}
 * snapshots.
 */
public interface MemoryStore {

    /** Returns the live value under {@code key}, recording the access for eviction, or {@code null}. */
    Object get(String key);

    /** Like {@link #get}, but returns the value with its deadline; {@code null} when absent. */
    MemoryEntry getEntry(String key);

    /** Returns the live value under {@code key} without recording an access, or {@code null}. */
    Object peek(String key);

    /** Stores {@code value} under {@code key} for {@code ttlNanos} from now, replacing any previous entry. */
    void put(String key, Object value, long ttlNanos);

    /**
     * Atomically replaces the entry under {@code key} with {@code remapping}'s result, which
     * receives a snapshot of the live entry or {@code null}; a {@code null} result removes the key.
     * Returns the result.
     */
    MemoryEntry compute(String key, UnaryOperator<MemoryEntry> remapping);

    /** Removes every entry; returns how many of them were live. */
    long clear();

    /** Returns the number of entries held, which may include entries expired but not yet purged. */
    long size();
}
