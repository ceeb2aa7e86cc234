package com.netrunsystems.cache.load;

import com.netrunsystems.cache.CacheLock;
import com.netrunsystems.cache.MemoryCache;
import com.netrunsystems.cache.Ticker;
import com.netrunsystems.cache.check.Checks;
import com.netrunsystems.cache.memory.MemoryEntries;
import com.netrunsystems.cache.memory.MemoryEntry;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * What the load pipeline of a {@link MemoryCache} reads and writes: its {@link MemoryEntries}, read with
 * the remaining TTL from the entry's deadline (only when the load policy needs it), and the stale-if-error
 * {@link GraceCopies}, kept apart from the entries. Every future is complete when returned. Thread-safe.
 *
 * @param <V> the type of the cached values
 */
public final class MemoryLoadTarget<V> implements LoadTarget<V> {

    private final MemoryEntries entries;
    private final GraceCopies graceCopies;
    private final Runnable ensureOpen;

    /**
     * @param maxSize the most grace copies kept, as the cache's own bound
     * @param ensureOpen throws {@link IllegalStateException} once the cache is closed
     */
    public MemoryLoadTarget(MemoryEntries entries, long maxSize, Ticker ticker, Runnable ensureOpen) {
        this.entries = entries;
        this.graceCopies = new GraceCopies(maxSize, ticker);
        this.ensureOpen = ensureOpen;
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletableFuture<TtlValue<V>> read(String key, boolean needTtl, Executor executor) {
        if (!needTtl) {
            Object value = entries.get(key);
            return CompletableFuture.completedFuture(value == null ? null : new TtlValue<>((V) value, null));
        }
        MemoryEntry entry = entries.getEntry(key);
        if (entry == null) {
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.completedFuture(new TtlValue<>((V) entry.value(), entries.remainingTtl(entry)));
    }

    @Override
    public CompletableFuture<Boolean> write(String key, V value, Duration ttl, Duration grace) {
        return CompletableFuture.completedFuture(setLoaded(key, value, ttl, grace));
    }

    @Override
    public CompletableFuture<V> readStale(String key, Executor executor) {
        return CompletableFuture.completedFuture(graceCopy(key));
    }

    @Override
    public CompletableFuture<V> writeLoaded(String key, V value, Duration ttl, Duration grace) {
        return CompletableFuture.completedFuture(storeLoaded(key, value, ttl, grace));
    }

    @Override
    public CompletableFuture<Optional<CacheLock>> tryLease(String key, Duration ttl) {
        return CompletableFuture.completedFuture(null); // one JVM: the in-process single flight is the whole story
    }

    /** Stores {@code value} for {@code ttl} as {@code set} does, and its grace copy for {@code ttl + grace}. */
    public boolean setLoaded(String key, V value, Duration ttl, Duration grace) {
        ensureOpen.run();
        Checks.key(key);
        Checks.value(key, value);
        Checks.ttl(ttl);
        entries.put(key, value, ttl);
        if (!grace.isZero()) {
            graceCopies.put(key, value, MemoryEntries.nanos(ttl.plus(grace)));
        }
        return true;
    }

    /** Returns the stale-if-error grace copy of {@code key}, or {@code null}; never a read of the entries. */
    @SuppressWarnings("unchecked")
    public V graceCopy(String key) {
        return (V) graceCopies.get(key);
    }

    /** Drops the grace copy of {@code key}: a deleted value is not served as stale either. */
    public void removeGraceCopy(String key) {
        graceCopies.remove(key);
    }

    /** Drops every grace copy. */
    public void clearGraceCopies() {
        graceCopies.clear();
    }

    /**
     * Stores a value {@code getOrLoad} loaded after a miss for {@code ttl} if the key is still absent,
     * in one atomic step, and returns the value the key holds then: a value written while the loader
     * ran wins, as if the load had come first. The loaded value's grace copy ({@code ttl + grace},
     * when {@code grace} is positive) is kept only when it was stored.
     */
    @SuppressWarnings("unchecked")
    private V storeLoaded(String key, V value, Duration ttl, Duration grace) {
        ensureOpen.run();
        MemoryEntry mine = entries.newEntry(value, ttl);
        MemoryEntry held = entries.putIfAbsent(key, mine);
        if (held == mine && !grace.isZero()) {
            graceCopies.put(key, value, MemoryEntries.nanos(ttl.plus(grace)));
        }
        return (V) held.value();
    }
}
