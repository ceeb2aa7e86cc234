package com.netrunsystems.cache.load;

import com.netrunsystems.cache.MemoryCache;
import com.netrunsystems.cache.Ticker;
import com.netrunsystems.cache.memory.LruStore;
import com.netrunsystems.cache.memory.MemoryStore;

/**
 * The stale-if-error grace copies of a {@link MemoryCache}: the last value {@code getOrLoad} loaded
 * per key, kept {@code ttl + grace}, in a store of their own so that no read of the cache ever
 * returns them after {@code ttl} and {@code cachedKeys} does not count them. Bounded like the cache
 * (least recently used first out). The store is made on the first copy, so a cache without
 * stale-if-error holds none. Thread-safe.
 */
public final class GraceCopies {

    private final long maxSize;
    private final Ticker ticker;
    private volatile MemoryStore store;

    public GraceCopies(long maxSize, Ticker ticker) {
        this.maxSize = maxSize;
        this.ticker = ticker;
    }

    /** Keeps {@code value} as the grace copy of {@code key} for {@code ttlNanos}. */
    public void put(String key, Object value, long ttlNanos) {
        store().put(key, value, ttlNanos);
    }

    /** Returns the live grace copy of {@code key}, or {@code null}. */
    public Object get(String key) {
        MemoryStore current = store;
        return current == null ? null : current.get(key);
    }

    /** Drops the grace copy of {@code key}, when the key is deleted. */
    public void remove(String key) {
        MemoryStore current = store;
        if (current != null) {
            current.compute(key, old -> null);
        }
    }

    /** Drops every grace copy. */
    public void clear() {
        MemoryStore current = store;
        if (current != null) {
            current.clear();
        }
    }

    private MemoryStore store() {
        MemoryStore current = store;
        if (current == null) {
            synchronized (this) {
                current = store;
                if (current == null) {
                    current = new LruStore(maxSize, ticker, () -> { });
                    store = current;
                }
            }
        }
        return current;
    }
}
