package com.netrunsystems.cache.method;

import com.netrunsystems.cache.AsyncCache;
import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheSerializationException;
import com.netrunsystems.cache.Cached;
import com.netrunsystems.cache.ValueCodec;
import com.netrunsystems.cache.codec.NullValue;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a {@link Cached} method: read-through its cache with {@link Cache#getOrLoad} (or
 * {@link AsyncCache#getOrLoad} for a future), so that concurrent calls with equal arguments run the
 * target once. The cache is shared with the factory's other methods of the namespace, backend and size,
 * whatever they return: it holds {@link MethodValue}s, which this method reads with the codec of its own
 * return type. A value this method cannot decode (its return type changed since it was written) is
 * deleted and loaded again, as a cache with a typed codec answers it as a miss. Thread-safe.
 */
final class CachedMethodInvoker implements MethodInvoker {

    private static final Logger log = LoggerFactory.getLogger(CachedMethodInvoker.class);
    /** A cached value whose bytes are not of this method's type. */
    private static final Object UNDECODABLE = new Object();

    private final Method method;
    private final Cached cached;
    private final Object target;
    private final Cache<Object> cache;
    /** The codec of this method's values (its return type), shared with the methods that return the same type. */
    private final ValueCodec<Object> codec;
    private final MethodKeys keys;
    private final MethodReturnShape shape;
    private final Duration ttl;
    private final boolean cacheNulls;
    /** The TTL of a cached null (the stale-if-error grace copy, if any, lives under a key of its own). */
    private final Duration nullTtl;
    private final Runnable ensureOpen;

    private CachedMethodInvoker(Method method, Object target, Cache<Object> cache, ValueCodec<Object> codec,
            MethodKeys keys, MethodReturnShape shape, Cached cached, Runnable ensureOpen) {
        this.method = method;
        this.cached = cached;
        this.target = target;
        this.cache = cache;
        this.codec = codec;
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
        Cache<Object> cache = registry.cache(where, cached.namespace(), cached.backend(), cached.maxSize());
        return new CachedMethodInvoker(method, target, cache, registry.codec(shape.valueType()),
                MethodKeys.of(method, cached.keyPrefix()), shape, cached, registry::ensureOpen);
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
        for (int attempt = 0; ; attempt++) {
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
                    return toStore == null ? null : held(toStore);
                });
            } catch (TargetFailure failure) {
                throw failure.getCause();
            }
            if (loadedNull.get()) {
                cache.set(key, held(NullValue.INSTANCE), nullTtl);
            }
            Object value = decoded(key, stored, attempt == 0);
            if (value != UNDECODABLE) {
                return fromStored(value);
            }
            cache.delete(key); // written with another type: load it again, as a typed cache would
        }
    }

    private CompletableFuture<Object> invokeAsync(String key, Object[] args) {
        return invokeAsync(key, args, true);
    }

    private CompletableFuture<Object> invokeAsync(String key, Object[] args, boolean firstAttempt) {
        AtomicBoolean loadedNull = new AtomicBoolean();
        CompletableFuture<Object> shared = cache.async().getOrLoad(key, ttl, k ->
                MethodInvoker.callAsync(method, target, args).thenApply(result -> {
                    Object toStore = toStored(result);
                    if (toStore == NullValue.INSTANCE) {
                        loadedNull.set(true);
                        return null;
                    }
                    return toStore == null ? null : held(toStore);
                }));
        // Each caller gets its own future: one caller completing or cancelling it cannot affect the others.
        CompletableFuture<Object> result = new CompletableFuture<>();
        shared.whenComplete((stored, error) -> {
            if (error != null) {
                result.completeExceptionally(MethodInvoker.unwrap(error));
            } else if (loadedNull.get()) {
                // The result is known; storing the null marker is best effort (writes fail open).
                cache.async().set(key, held(NullValue.INSTANCE), nullTtl)
                        .whenComplete((written, writeError) -> result.complete(fromStored(null)));
            } else {
                Object value;
                try {
                    value = decoded(key, stored, firstAttempt);
                } catch (RuntimeException e) {
                    result.completeExceptionally(e);
                    return;
                }
                if (value != UNDECODABLE) {
                    result.complete(fromStored(value));
                    return;
                }
                // Not waiting for the delete: the read of the retry follows it on the connection (and a manager
                // drops L1 at once), and this thread is the pipeline's executor, never an I/O thread.
                cache.async().delete(key);
                invokeAsync(key, args, false).whenComplete((again, againError) -> {
                    if (againError != null) {
                        result.completeExceptionally(MethodInvoker.unwrap(againError));
                    } else {
                        result.complete(again);
                    }
                });
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

    private MethodValue held(Object stored) {
        return MethodValue.of(stored, codec);
    }

    /**
     * Returns the value (or the null marker) a cache answer holds, decoded as this method's return type;
     * {@code null} for no answer; {@link #UNDECODABLE} when its bytes are not of that type and {@code mayRetry}
     * (logged: it is deleted and loaded again).
     *
     * @throws CacheSerializationException when the bytes are not of this type and {@code mayRetry} is false
     */
    private Object decoded(String key, Object stored, boolean mayRetry) {
        if (!(stored instanceof MethodValue held)) {
            return stored;
        }
        try {
            return held.value(codec);
        } catch (RuntimeException e) {
            if (!mayRetry) {
                throw new CacheSerializationException("cannot decode the cached value of key '" + key + "' in namespace '"
                        + cache.namespace() + "' with codec " + codec.description() + ": " + e.getMessage(), e);
            }
            log.warn("the cached value of key '{}' in namespace '{}' cannot be decoded with codec {} ({}); "
                    + "deleted and loaded again", key, cache.namespace(), codec.description(), e.toString());
            return UNDECODABLE;
        }
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
