package com.netrunsystems.cache;

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
        Cache<Object> cache = registry.cache(cached.namespace(), cached.backend(), cached.maxSize(), shape.valueType());
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

    private Object invokeSync(String key, Object[] args) throws Throwable {
        AtomicBoolean loaded = new AtomicBoolean();
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
                if (Thread.currentThread() != caller) {
                    // A background refresh (LoadPolicy refresh-ahead): nobody shortens a null's TTL afterwards,
                    // so a null replaces nothing, and a cached null expires on time.
                    return toStore == NullValue.INSTANCE ? null : toStore;
                }
                loaded.set(true);
                return toStore;
            });
        } catch (TargetFailure failure) {
            throw failure.getCause();
        }
        if (loaded.get() && stored == NullValue.INSTANCE) {
            cache.expire(key, nullTtl); // getOrLoad stored it for the full ttl
        }
        return fromStored(stored);
    }

    private CompletableFuture<Object> invokeAsync(String key, Object[] args) {
        AtomicBoolean loaded = new AtomicBoolean();
        CompletableFuture<Object> shared = cache.async().getOrLoad(key, ttl, k -> {
            loaded.set(true);
            return MethodInvoker.callAsync(method, target, args).thenApply(this::toStored);
        });
        // Each caller gets its own future: one caller completing or cancelling it cannot affect the others.
        CompletableFuture<Object> result = new CompletableFuture<>();
        shared.whenComplete((stored, error) -> {
            if (error != null) {
                result.completeExceptionally(MethodInvoker.unwrap(error));
            } else if (loaded.get() && stored == NullValue.INSTANCE) {
                cache.async().expire(key, nullTtl).whenComplete((expired, expireError) -> {
                    if (expireError != null) {
                        result.completeExceptionally(MethodInvoker.unwrap(expireError));
                    } else {
                        result.complete(fromStored(stored));
                    }
                });
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
