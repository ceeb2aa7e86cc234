package com.netrunsystems.cache;

import java.util.function.UnaryOperator;

/**
 * The bounded, expiring map behind a {@link MemoryCache}: one implementation per
 * {@link EvictionPolicy}. Expired entries are never returned or passed to a compute function.
 * Implementations are thread-safe and keep at most their bound of entries once a write returns.
 */
interface MemoryStore {

    /** Returns the live entry under {@code key}, recording the access for eviction, or {@code null}. */
    MemoryEntry get(String key);

    /** Returns the live entry under {@code key} without recording an access, or {@code null}. */
    MemoryEntry peek(String key);

    /** Stores {@code entry} under {@code key}, replacing any previous one. */
    void put(String key, MemoryEntry entry);

    /**
     * Atomically replaces the entry under {@code key} with {@code remapping}'s result, which
     * receives the live entry or {@code null}; a {@code null} result removes the key. Returns the
     * result.
     */
    MemoryEntry compute(String key, UnaryOperator<MemoryEntry> remapping);

    /** Removes every entry; returns how many of them were live. */
    long clear();

    /** Returns the number of entries held, which may include entries expired but not yet purged. */
    long size();
}
