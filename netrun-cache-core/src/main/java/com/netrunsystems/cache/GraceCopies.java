package com.netrunsystems.cache;

/**
 * The stale-if-error grace copies of a {@link MemoryCache}: the last value {@code getOrLoad} loaded
 * per key, kept {@code ttl + grace}, in a store of their own so that no read of the cache ever
 * returns them after {@code ttl} and {@code cachedKeys} does not count them. Bounded like the cache
 * (least recently used first out). The store is made on the first copy, so a cache without
 * stale-if-error holds none. Thread-safe.
 */
final class GraceCopies {

    private final long maxSize;
    private final Ticker ticker;
    private volatile MemoryStore store;

    GraceCopies(long maxSize, Ticker ticker) {
        this.maxSize = maxSize;
        this.ticker = ticker;
    }

    /** Keeps {@code value} as the grace copy of {@code key} for {@code ttlNanos}. */
    void put(String key, Object value, long ttlNanos) {
        store().put(key, value, ttlNanos);
    }

    /** Returns the live grace copy of {@code key}, or {@code null}. */
    Object get(String key) {
        MemoryStore current = store;
        return current == null ? null : current.get(key);
    }

    /** Drops the grace copy of {@code key}, when the key is deleted. */
    void remove(String key) {
        MemoryStore current = store;
        if (current != null) {
            current.compute(key, old -> null);
        }
    }

    /** Drops every grace copy. */
    void clear() {
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
