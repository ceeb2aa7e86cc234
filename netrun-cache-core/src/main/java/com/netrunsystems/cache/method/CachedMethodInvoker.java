package com.netrunsystems.cache.method;

import com.netrunsystems.cache.AsyncCache;
import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.Cached;
import com.netrunsystems.cache.codec.NullValue;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs a {@link Cached} method: read-through its cache with {@link Cache#getOrLoad} (or
 * {@link AsyncCache#getOrLoad} for a future), so that concurrent calls with equal arguments run the
 * target once. Thread-safe.
 */
final class CachedMethodInvoker implements MethodInvoker {

    private final Method method;
    private final Cached cached;
    private final Object target;
    private final Cache<Object> cache;
    private final MethodKeys keys;
    private final MethodReturnShape shape;
    private final Duration ttl;
    private final boolean cacheNulls;
    /** The TTL of a cached null (the stale-if-error grace copy, if any, lives under a key of its own). */
    private final Duration nullTtl;
    private final Runnable ensureOpen;

    private CachedMethodInvoker(Method method, Object target, Cache<Object> cache, MethodKeys keys,
            MethodReturnShape shape, Cached cached, Runnable ensureOpen) {
        this.method = method;
        this.cached = cached;
        this.target = target;
        this.cache = cache;
        this.keys = keys;
        this.shape = shape;
        this.ttl = Duration.ofSeconds(cached.ttl());
        this.cacheNulls = cached.cacheNulls();
        this.nullTtl = Duration.ofSeconds(cached.nullTtl());
        this.ensureOpen = ensureOpen;
    }

    /**
     * Returns the invoker of {@code method}, a member of {@code iface} carrying {@code cached}, whose
     * cache {@code registry} provides.
     *
     * @throws IllegalArgumentException when the annotation's values or the return type cannot be used
     */
    static CachedMethodInvoker create(Class<?> iface, Method method, Cached cached, Object target,
            MethodCacheRegistry registry) {
        String where = "@Cached on " + MethodReturnShape.describe(method);
        if (cached.ttl() <= 0) {
            throw new IllegalArgumentException(where + ": ttl must be positive (seconds), was " + cached.ttl());
        }
        if (cached.nullTtl() <= 0) {
            throw new IllegalArgumentException(where + ": nullTtl must be positive (seconds), was " + cached.nullTtl());
        }
        if (cached.maxSize() <= 0) {
            throw new IllegalArgumentException(where + ": maxSize must be positive, was " + cached.maxSize());
        }
        if (cached.namespace().isBlank()) {
            throw new IllegalArgumentException(where + ": namespace must not be blank, was '" + cached.namespace() + "'");
        }
        MethodReturnShape shape = MethodReturnShape.of(iface, method);
        Cache<Object> cache = registry.cache(where, cached.namespace(), cached.backend(), cached.maxSize(), shape.valueType());
        return new CachedMethodInvoker(method, target, cache, MethodKeys.of(method, cached.keyPrefix()), shape, cached,
                registry::ensureOpen);
    }

    Method method() {
        return method;
    }

    Cached annotation() {
        return cached;
    }

    Cache<Object> cache() {
        return cache;
    }

    MethodKeys keys() {
        return keys;
    }

    @Override
    public Object invoke(Object[] args) throws Throwable {
        ensureOpen.run();
        String key = keys.key(args);
        return shape.async() ? invokeAsync(key, args) : invokeSync(key, args);
    }

    /**
     * A null result is not stored by {@code getOrLoad} (which would store it for the full ttl): the
     * loader answers {@code null}, so that nothing is cached and every caller sharing the load gets
     * {@code null}, and the caller that ran it stores the null marker with its own TTL in one write.
     */
    private Object invokeSync(String key, Object[] args) throws Throwable {
        AtomicBoolean loadedNull = new AtomicBoolean();
        Thread caller = Thread.currentThread();
        Object stored;
        try {
            stored = cache.getOrLoad(key, ttl, k -> {
                Object result;
                try {
                    result = MethodInvoker.call(method, target, args);
                } catch (Throwable t) {
                    throw new TargetFailure(t);
                }
                Object toStore = toStored(result);
                if (toStore == NullValue.INSTANCE) {
                    // Not on a background refresh (LoadPolicy refresh-ahead): a null replaces nothing there.
                    loadedNull.set(Thread.currentThread() == caller);
                    return null;
                }
                return toStore;
            });
        } catch (TargetFailure failure) {
            throw failure.getCause();
        }
        if (loadedNull.get()) {
            cache.set(key, NullValue.INSTANCE, nullTtl);
        }
        return fromStored(stored);
    }

    private CompletableFuture<Object> invokeAsync(String key, Object[] args) {
        AtomicBoolean loadedNull = new AtomicBoolean();
        CompletableFuture<Object> shared = cache.async().getOrLoad(key, ttl, k ->
                MethodInvoker.callAsync(method, target, args).thenApply(result -> {
                    Object toStore = toStored(result);
                    if (toStore == NullValue.INSTANCE) {
                        loadedNull.set(true);
                        return null;
                    }
                    return toStore;
                }));
        // Each caller gets its own future: one caller completing or cancelling it cannot affect the others.
        CompletableFuture<Object> result = new CompletableFuture<>();
        shared.whenComplete((stored, error) -> {
            if (error != null) {
                result.completeExceptionally(MethodInvoker.unwrap(error));
            } else if (loadedNull.get()) {
                // The result is known; storing the null marker is best effort (writes fail open).
                cache.async().set(key, NullValue.INSTANCE, nullTtl)
                        .whenComplete((written, writeError) -> result.complete(fromStored(null)));
            } else {
                result.complete(fromStored(stored));
            }
        });
        return result;
    }

    /** Returns what the cache holds for a result: the value, the null marker, or {@code null} for nothing. */
    private Object toStored(Object result) {
        Object value = shape.optional() && result != null ? ((Optional<?>) result).orElse(null) : result;
        if (value == null) {
            return cacheNulls ? NullValue.INSTANCE : null;
        }
        return value;
    }

    /** Returns the result for what the cache held ({@code null} when nothing was cached). */
    private Object fromStored(Object stored) {
        Object value = stored == NullValue.INSTANCE ? null : stored;
        return shape.optional() ? Optional.ofNullable(value) : value;
    }

    @Override
    public String toString() {
        return "@Cached " + MethodReturnShape.describe(method) + " in " + cache;
    }

    /** Carries the target's exception, checked or not, through {@code getOrLoad} to the caller. */
    private static final class TargetFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TargetFailure(Throwable cause) {
            super(cause.toString(), cause, false, false);
        }
    }
}
