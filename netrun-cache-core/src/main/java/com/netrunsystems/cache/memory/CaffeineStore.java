package com.netrunsystems.cache.memory;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.github.benmanes.caffeine.cache.Policy;
import com.github.benmanes.caffeine.cache.RemovalCause;
import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.EvictionPolicy;
import com.netrunsystems.cache.Ticker;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.UnaryOperator;

/**
 * {@link EvictionPolicy#TINY_LFU} on Caffeine.
 *
 * <p>A value written for the cache's default TTL is stored bare, so such a write allocates no wrapper
 * (Caffeine itself may queue a task when an overwrite moves the deadline by more than a second):
 * the {@link Expiry} gives bare values the default duration from the write, and Caffeine keeps the
 * deadline. Any other deadline (a custom TTL, or one kept by {@code compute}) travels in a
 * {@code Timed} wrapper. Deadlines are read back from Caffeine, which holds them for both kinds.
 *
 * <p>Maintenance (replaying buffered reads into the policy, evicting, expiring) runs on the given
 * executor: Caffeine's default (the common pool) unless the builder set one, so that on a machine
 * with a spare core a reader does not pay for it. {@code Runnable::run} runs it on the caller, which
 * makes eviction decisions repeatable (a simulator replaying a trace wants that): on the default
 * executor, reads that arrive while the read buffer is full are not replayed into the policy, so the
 * hit rate of one trace varies between replays (a cyclic trace at 10,000 entries: 68.7-74.0 %).
 * Caffeine amortizes the work, and a caller that finds another thread maintaining goes on without
 * it, except a new key that leaves the map above its bound: that write runs maintenance at once
 * ({@code cleanUp()}, waiting for the lock), so the bound holds when it returns. An overwrite
 * cannot grow the map and skips even the size check.
 */
public final class CaffeineStore implements MemoryStore {

    private final com.github.benmanes.caffeine.cache.Cache<String, Object> cache;
    private final ConcurrentMap<String, Object> map;
    private final Policy<String, Object> policy;
    private final Ticker ticker;
    private final long maxSize;
    private final long defaultTtlNanos;
    /** Whether a {@link Timed} wrapper was ever stored; only then must a read look inside values. */
    private volatile boolean wrapped;

    /** {@code executor} runs maintenance; {@code null} for Caffeine's default. */
    public CaffeineStore(long maxSize, long defaultTtlNanos, Ticker ticker, Executor executor, Runnable onEviction) {
        this.maxSize = maxSize;
        this.defaultTtlNanos = defaultTtlNanos;
        this.ticker = ticker;
        Caffeine<Object, Object> builder = Caffeine.newBuilder();
        if (executor != null) {
            builder.executor(executor);
        }
        this.cache = builder
                .maximumSize(maxSize)
                .ticker(ticker::read)
                .expireAfter(new DeadlineExpiry(defaultTtlNanos))
                .evictionListener((String key, Object value, RemovalCause cause) -> {
                    if (cause == RemovalCause.SIZE) {
                        onEviction.run();
                    }
                })
                .build();
        this.map = cache.asMap();
        this.policy = cache.policy();
    }

    @Override
    public Object get(String key) {
        Object stored = cache.getIfPresent(key);
        // Until a value with its own deadline is stored, a hit never touches the value object itself.
        return wrapped ? unwrap(stored) : stored;
    }

    @Override
    public MemoryEntry getEntry(String key) {
        Object stored = cache.getIfPresent(key);
        if (stored instanceof Timed timed) {
            return new MemoryEntry(timed.value, timed.expiresAt);
        }
        return stored == null ? null : snapshot(key);
    }

    @Override
    public Object peek(String key) {
        return unwrap(policy.getIfPresentQuietly(key));
    }

    @Override
    public void put(String key, Object value, long ttlNanos) {
        Object stored = ttlNanos == defaultTtlNanos ? value : timed(value, ticker.read() + ttlNanos);
        if (map.put(key, stored) == null) {
            enforceBound(); // only a new key can grow the map
        }
    }

    @Override
    public MemoryEntry compute(String key, UnaryOperator<MemoryEntry> remapping) {
        MemoryEntry[] result = {null};
        map.compute(key, (k, old) -> {
            MemoryEntry before = old == null ? null
                    : old instanceof Timed timed ? new MemoryEntry(timed.value, timed.expiresAt) : snapshot(k);
            result[0] = remapping.apply(before);
            // Always wrapped: a bare value would restart the default TTL, but compute keeps or sets a deadline.
            return result[0] == null ? null : timed(result[0].value(), result[0].expiresAt());
        });
        if (result[0] != null) {
            enforceBound();
        }
        return result[0];
    }

    @Override
    public long clear() {
        long[] removed = {0};
        BiFunction<String, Object, Object> removeLive = (k, old) -> { // not called for an expired entry
            removed[0]++;
            return null;
        };
        for (String key : map.keySet()) {
            map.computeIfPresent(key, removeLive);
        }
        cache.cleanUp();
        return removed[0];
    }

    @Override
    public long size() {
        return cache.estimatedSize();
    }

    /** Returns the entry under {@code key} with the deadline Caffeine holds for it, quietly; {@code null} if gone. */
    private MemoryEntry snapshot(String key) {
        Policy.CacheEntry<String, Object> entry = policy.getEntryIfPresentQuietly(key);
        return entry == null ? null : new MemoryEntry(unwrap(entry.getValue()), entry.expiresAt());
    }

    private void enforceBound() {
        if (cache.estimatedSize() > maxSize) {
            cache.cleanUp();
        }
    }

    /**
     * Wraps a value with its own deadline, first noting that wrappers exist: the note is written
     * before the wrapper is stored, so a reader that finds a wrapper in the map also finds the note.
     */
    private Timed timed(Object value, long expiresAt) {
        if (!wrapped) {
            wrapped = true;
        }
        return new Timed(value, expiresAt);
    }

    private static Object unwrap(Object stored) {
        return stored instanceof Timed timed ? timed.value : stored;
    }

    /** A value with a deadline other than the default TTL from its write. Never escapes this class. */
    private static final class Timed {
        final Object value;
        final long expiresAt;

        Timed(Object value, long expiresAt) {
            this.value = value;
            this.expiresAt = expiresAt;
        }
    }

    /** Expires a {@link Timed} value at its deadline and a bare one the default TTL after each write. */
    private static final class DeadlineExpiry implements Expiry<String, Object> {
        private final long defaultTtlNanos;

        DeadlineExpiry(long defaultTtlNanos) {
            this.defaultTtlNanos = defaultTtlNanos;
        }

        @Override
        public long expireAfterCreate(String key, Object value, long currentTime) {
            return value instanceof Timed timed ? Math.max(0, timed.expiresAt - currentTime) : defaultTtlNanos;
        }

        @Override
        public long expireAfterUpdate(String key, Object value, long currentTime, long currentDuration) {
            return expireAfterCreate(key, value, currentTime);
        }

        @Override
        public long expireAfterRead(String key, Object value, long currentTime, long currentDuration) {
            return currentDuration;
        }
    }
}
