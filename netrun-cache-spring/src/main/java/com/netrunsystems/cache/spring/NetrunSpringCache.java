package com.netrunsystems.cache.spring;

import com.netrunsystems.cache.Cache;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cache.support.AbstractValueAdaptingCache;

/**
 * A Spring {@link org.springframework.cache.Cache} backed by a netrun {@link com.netrunsystems.cache.Cache}:
 * memory, Redis or two-level. Spring keys become netrun keys by the rules of {@link SpringCacheKeys}.
 *
 * <ul>
 *   <li>{@link #get(Object, Callable)} (used by {@code @Cacheable(sync = true)}) reads through
 *       {@code getOrLoad}: one load per key at a time in this JVM and, with a lease
 *       {@link com.netrunsystems.cache.LoadPolicy}, across JVMs. A loader failure becomes a
 *       {@link ValueRetrievalException} and caches nothing.</li>
 *   <li>{@link #retrieve(Object)} and {@link #retrieve(Object, Supplier)} (used for
 *       {@code CompletableFuture} and reactive {@code @Cacheable} methods) go through the cache's
 *       {@link com.netrunsystems.cache.Cache#async() async()} view and do not wait for Redis.</li>
 *   <li>{@link #put}, {@link #evict} and {@link #clear} are sent through {@code async()} too and return
 *       without waiting for Redis (Spring allows them to be deferred); commands on one Redis connection
 *       run in order, so a later read in this JVM sees them. {@link #putIfAbsent},
 *       {@link #evictIfPresent} and {@link #invalidate} wait and answer truthfully.</li>
 *   <li>With {@code allowNullValues}, a {@code null} is stored as Spring's
 *       {@link org.springframework.cache.support.NullValue}: by reference in memory, and in Redis as the
 *       JSON {@code null}, which a Python reader decodes as {@code None} (a miss for the Python
 *       package).</li>
 * </ul>
 * The netrun cache fails open: while Redis is unreachable reads miss (or, two-level, are served by
 * L1) and writes are dropped, counted in its {@link com.netrunsystems.cache.CacheStats}. Thread-safe.
 */
public final class NetrunSpringCache extends AbstractValueAdaptingCache {

    private static final Logger log = LoggerFactory.getLogger(NetrunSpringCache.class);

    private final String name;
    private final com.netrunsystems.cache.Cache<Object> cache;
    private final AtomicLong puts = new AtomicLong();

    /**
     * Wraps {@code cache} under the Spring cache name {@code name}. The caller keeps owning
     * {@code cache} (the {@link NetrunCacheManager} closes those it creates).
     */
    public NetrunSpringCache(String name, com.netrunsystems.cache.Cache<Object> cache, boolean allowNullValues) {
        super(allowNullValues);
        this.name = Objects.requireNonNull(name, "name");
        this.cache = Objects.requireNonNull(cache, "cache");
    }

    @Override
    public String getName() {
        return name;
    }

    /** Returns the netrun cache underneath. */
    @Override
    public com.netrunsystems.cache.Cache<Object> getNativeCache() {
        return cache;
    }

    /** Returns how many values this adapter has stored (puts, and values its loaders produced). */
    public long putCount() {
        return puts.get();
    }

    @Override
    protected Object lookup(Object key) {
        return cache.get(SpringCacheKeys.keyText(key));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T get(Object key, Callable<T> valueLoader) {
        String text = SpringCacheKeys.keyText(key);
        try {
            return (T) fromStoreValue(cache.getOrLoad(text, ignored -> load(valueLoader)));
        } catch (RuntimeException e) {
            LoaderFailure failure = loaderFailure(e);
            if (failure != null) {
                throw new ValueRetrievalException(key, valueLoader, failure.getCause());
            }
            throw e;
        }
    }

    private Object load(Callable<?> valueLoader) {
        Object value;
        try {
            value = valueLoader.call();
        } catch (Exception e) {
            throw new LoaderFailure(e);
        }
        if (value == null && !isAllowNullValues()) {
            return null; // caches nothing
        }
        puts.incrementAndGet();
        return toStoreValue(value);
    }

    @Override
    public CompletableFuture<?> retrieve(Object key) {
        return cache.async().get(SpringCacheKeys.keyText(key))
                .thenApply(stored -> stored == null ? null : isAllowNullValues() ? toValueWrapper(stored) : fromStoreValue(stored));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> CompletableFuture<T> retrieve(Object key, Supplier<CompletableFuture<T>> valueLoader) {
        String text = SpringCacheKeys.keyText(key);
        return cache.async()
                .getOrLoad(text, ignored -> valueLoader.get().thenApply(value -> {
                    if (value == null && !isAllowNullValues()) {
                        return null;
                    }
                    puts.incrementAndGet();
                    return toStoreValue(value);
                }))
                .thenApply(stored -> (T) fromStoreValue(stored));
    }

    @Override
    public void put(Object key, Object value) {
        String text = SpringCacheKeys.keyText(key);
        Object stored = toStoreValue(value);
        puts.incrementAndGet();
        whenDone(cache.async().set(text, stored), "put", text);
    }

    @Override
    public ValueWrapper putIfAbsent(Object key, Object value) {
        String text = SpringCacheKeys.keyText(key);
        Object stored = toStoreValue(value);
        // setIfAbsent and get are two steps: retry when the key vanished in between.
        for (int attempt = 0; attempt < 3; attempt++) {
            if (cache.setIfAbsent(text, stored)) {
                puts.incrementAndGet();
                return null;
            }
            Object existing = cache.get(text);
            if (existing != null) {
                return toValueWrapper(existing);
            }
        }
        return null;
    }

    @Override
    public void evict(Object key) {
        String text = SpringCacheKeys.keyText(key);
        whenDone(cache.async().delete(text), "evict", text);
    }

    @Override
    public boolean evictIfPresent(Object key) {
        return cache.delete(SpringCacheKeys.keyText(key));
    }

    @Override
    public void clear() {
        whenDone(cache.async().clearNamespace(), "clear", "*");
    }

    @Override
    public boolean invalidate() {
        return cache.clearNamespace() > 0;
    }

    @Override
    public String toString() {
        return "NetrunSpringCache{name=" + name + ", cache=" + cache + "}";
    }

    /** Rethrows a failure that is already known (a value the codec cannot encode); logs a later one. */
    private void whenDone(CompletableFuture<?> operation, String what, String key) {
        if (operation.isDone()) {
            try {
                operation.join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof RuntimeException cause ? cause : e;
            }
            return;
        }
        operation.whenComplete((ignored, error) -> {
            if (error != null) {
                log.warn("netrun-cache '{}': {} of key '{}' failed: {}", name, what, key, error.toString());
            }
        });
    }

    private static LoaderFailure loaderFailure(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof LoaderFailure failure) {
                return failure;
            }
        }
        return null;
    }

    /** Carries a checked exception of a {@link Callable} loader through {@code getOrLoad}. */
    private static final class LoaderFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;

        LoaderFailure(Exception cause) {
            super(cause);
        }
    }
}
