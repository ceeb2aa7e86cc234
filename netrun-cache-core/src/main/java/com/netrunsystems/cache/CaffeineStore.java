package com.netrunsystems.cache;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.RemovalCause;
import java.util.concurrent.ConcurrentMap;
import java.util.function.UnaryOperator;

/**
 * {@link EvictionPolicy#TINY_LFU} on Caffeine. Caffeine does its routine maintenance (replaying reads
 * into the policy, expiring) on its default executor, off the caller's path; a write that leaves the
 * map above its bound runs it at once ({@code cleanUp()}), so the bound holds when the write returns,
 * not eventually.
 */
final class CaffeineStore implements MemoryStore {

    private final com.github.benmanes.caffeine.cache.Cache<String, MemoryEntry> cache;
    private final ConcurrentMap<String, MemoryEntry> map;
    private final Policy<String, MemoryEntry> policy;
    private final long maxSize;

    CaffeineStore(long maxSize, Ticker ticker, Runnable onEviction) {
        this.maxSize = maxSize;
        this.cache = Caffeine.newBuilder()
                .maximumSize(maxSize)
                .ticker(ticker::read)
                .expireAfter(new DeadlineExpiry())
                .evictionListener((String key, MemoryEntry entry, RemovalCause cause) -> {
                    if (cause == RemovalCause.SIZE) {
                        onEviction.run();
                    }
                })
                .build();
        this.map = cache.asMap();
        this.policy = cache.policy();
    }

    @Override
    public MemoryEntry get(String key) {
        return cache.getIfPresent(key);
    }

    @Override
    public MemoryEntry peek(String key) {
        return policy.getIfPresentQuietly(key);
    }

    @Override
    public void put(String key, MemoryEntry entry) {
        cache.put(key, entry);
        enforceBound();
    }

    @Override
    public MemoryEntry compute(String key, UnaryOperator<MemoryEntry> remapping) {
        MemoryEntry result = map.compute(key, (k, old) -> remapping.apply(old));
        if (result != null) {
            enforceBound();
        }
        return result;
    }

    @Override
    public long clear() {
        long removed = 0;
        for (String key : map.keySet()) {
            boolean[] live = {false};
            map.computeIfPresent(key, (k, old) -> {
                live[0] = true;
                return null;
            });
            if (live[0]) {
                removed++;
            }
        }
        cache.cleanUp();
        return removed;
    }

    @Override
    public long size() {
        return cache.estimatedSize();
    }

    private void enforceBound() {
        if (cache.estimatedSize() > maxSize) {
            cache.cleanUp();
        }
    }

    /** Expires each entry at the deadline it carries, also after an update that keeps it. */
    private static final class DeadlineExpiry implements Expiry<String, MemoryEntry> {
        @Override
        public long expireAfterCreate(String key, MemoryEntry entry, long currentTime) {
            return Math.max(0, entry.expiresAt() - currentTime);
        }

        @Override
        public long expireAfterUpdate(String key, MemoryEntry entry, long currentTime, long currentDuration) {
            return Math.max(0, entry.expiresAt() - currentTime);
        }

        @Override
        public long expireAfterRead(String key, MemoryEntry entry, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
