package com.netrunsystems.cache.memory;

import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.EvictionPolicy;
import com.netrunsystems.cache.MemoryCache;
import com.netrunsystems.cache.Ticker;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The entries of one {@link MemoryCache}: the {@link MemoryStore} its {@link EvictionPolicy} chooses,
 * the TTL arithmetic (deadlines read from the {@link Ticker}, durations capped so that they cannot
 * overflow), and the atomic operations on one entry (conditional writes, expiry changes, counters).
 * Arguments are checked by the cache before they get here. Thread-safe.
 */
public final class MemoryEntries {

    private final String namespace;
    private final Ticker ticker;
    private final MemoryStore store;

    /**
     * @param commonTtl the TTL most writes pass (TINY_LFU stores those without a per-entry wrapper)
     * @param executor where TINY_LFU runs Caffeine's maintenance; {@code null} for Caffeine's own
     * @param onEviction called once per entry evicted for size
     */
    public MemoryEntries(String namespace, EvictionPolicy policy, long maxSize, Duration commonTtl, Ticker ticker,
            Executor executor, Runnable onEviction) {
        this.namespace = namespace;
        this.ticker = ticker;
        this.store = policy == EvictionPolicy.LRU
                ? new LruStore(maxSize, ticker, onEviction)
                : new CaffeineStore(maxSize, nanos(commonTtl), ticker, executor, onEviction);
    }

    /** Returns {@code ttl} in nanoseconds, capped at {@code Long.MAX_VALUE / 2} so that deadlines cannot overflow. */
    public static long nanos(Duration ttl) {
        try {
            return Math.min(ttl.toNanos(), Long.MAX_VALUE / 2);
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE / 2;
        }
    }

    /** Returns the live value under {@code key}, recording the access for eviction, or {@code null}. */
    public Object get(String key) {
        return store.get(key);
    }

    /** Returns the live value under {@code key} without recording an access, or {@code null}. */
    public Object peek(String key) {
        return store.peek(key);
    }

    /** Returns how long {@code entry}, one {@link #getEntry} returned, has left to live; never negative. */
    public Duration remainingTtl(MemoryEntry entry) {
        return Duration.ofNanos(Math.max(0, entry.expiresAt() - ticker.read()));
    }

    /** Like {@link #get}, but returns the value with its deadline; {@code null} when absent. */
    public MemoryEntry getEntry(String key) {
        return store.getEntry(key);
    }

    /** Stores {@code value} under {@code key} for {@code ttl}, replacing any previous entry. */
    public void put(String key, Object value, Duration ttl) {
        store.put(key, value, nanos(ttl));
    }

    /** Stores every item for {@code ttl}, replacing previous entries. */
    public void putAll(Map<String, ?> items, Duration ttl) {
        long ttlNanos = nanos(ttl);
        items.forEach((key, value) -> store.put(key, value, ttlNanos));
    }

    /** Returns a new entry of {@code value} that expires {@code ttl} from now, for {@link #putIfAbsent}. */
    public MemoryEntry newEntry(Object value, Duration ttl) {
        return new MemoryEntry(value, deadline(ttl));
    }

    /**
     * Stores {@code mine} under {@code key} if the key holds no live entry, in one atomic step, and
     * returns the entry the key holds then: {@code mine} itself (the same reference) when it was stored.
     */
    public MemoryEntry putIfAbsent(String key, MemoryEntry mine) {
        return store.compute(key, old -> old == null ? mine : old);
    }

    /** Removes {@code key}; returns whether it held a live entry. */
    public boolean remove(String key) {
        boolean[] removed = {false};
        store.compute(key, old -> {
            removed[0] = old != null;
            return null;
        });
        return removed[0];
    }

    /** Gives the live entry under {@code key} a TTL of {@code ttl} from now; returns false when there is none. */
    public boolean expire(String key, Duration ttl) {
        long deadline = deadline(ttl);
        return store.compute(key, old -> old == null ? null : new MemoryEntry(old.value(), deadline)) != null;
    }

    /**
     * Adds {@code amount} to the integer under {@code key} atomically, keeping its deadline; a new counter
     * starts at 0 and lives {@code newTtl}. Returns the new value.
     *
     * @throws CacheException when the key holds a non-integer, or the sum would overflow a {@code long}
     */
    public long increment(String key, long amount, Duration newTtl) {
        MemoryEntry updated = store.compute(key, old -> old == null
                ? new MemoryEntry(amount, deadline(newTtl))
                : new MemoryEntry(add(key, old.value(), amount), old.expiresAt()));
        return (Long) updated.value();
    }

    /** Removes every entry; returns how many of them were live. */
    public long clear() {
        return store.clear();
    }

    /** Returns the number of entries held, which may include entries expired but not yet purged. */
    public long size() {
        return store.size();
    }

    private long deadline(Duration ttl) {
        return ticker.read() + nanos(ttl);
    }

    private long add(String key, Object current, long amount) {
        long value = integerValue(key, current);
        try {
            return Math.addExact(value, amount);
        } catch (ArithmeticException e) {
            throw new CacheException("counter '" + key + "' in namespace '" + namespace + "' would overflow a long: "
                    + value + " + " + amount);
        }
    }

    private long integerValue(String key, Object current) {
        if (current instanceof Long || current instanceof Integer || current instanceof Short || current instanceof Byte
                || current instanceof AtomicLong || current instanceof AtomicInteger) {
            return ((Number) current).longValue();
        }
        if (current instanceof BigInteger big && big.bitLength() < 64) {
            return big.longValue();
        }
        throw new CacheException("cannot increment key '" + key + "' in namespace '" + namespace + "': it holds a "
                + current.getClass().getSimpleName() + ", not an integer");
    }
}
