package com.netrunsystems.cache.method;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeFactory;
import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.CachedProxy;
import com.netrunsystems.cache.Codecs;
import com.netrunsystems.cache.LoadPolicy;
import com.netrunsystems.cache.MemoryCache;
import com.netrunsystems.cache.Ticker;
import com.netrunsystems.cache.ValueCodec;
import com.netrunsystems.cache.codec.NullValue;
import com.netrunsystems.cache.spi.RemoteCacheProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The caches one {@link CachedProxy.Factory} (or one proxy from {@code CachedProxy.create}) opens for
 * its methods, shared per namespace, backend and size, and, for the JSON backends, per value type
 * (each needs a codec for its type). Closing it closes them all. A registry made
 * {@link #withoutConfig without a config} has no Redis to connect to: it opens memory caches for every
 * backend and logs once per method, at WARN, which method runs in memory and how to give it Redis.
 * Thread-safe.
 */
public final class MethodCacheRegistry implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MethodCacheRegistry.class);

    private final CacheConfig config;
    private final boolean memoryOnly;
    private final Ticker ticker;
    private final Map<CacheSpec, Cache<Object>> caches = new LinkedHashMap<>(); // guarded by this
    private final Set<String> warnedMethods = new HashSet<>(); // guarded by this
    private final InvalidationRetries invalidationRetries;
    private volatile boolean closed;

    /**
     * Creates a registry whose caches follow {@code config}; {@code managerDelete} is the strict delete of
     * the {@code CacheManager}s it opens (for {@code @CacheInvalidate}), which only the API package reaches.
     */
    public MethodCacheRegistry(CacheConfig config, Ticker ticker, StrictDelete managerDelete) {
        this(Objects.requireNonNull(config, "config"), false, ticker, managerDelete);
    }

    private MethodCacheRegistry(CacheConfig config, boolean memoryOnly, Ticker ticker, StrictDelete managerDelete) {
        this.config = config;
        this.memoryOnly = memoryOnly;
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        this.invalidationRetries = new InvalidationRetries(Objects.requireNonNull(managerDelete, "managerDelete"));
    }

    /**
     * Returns a registry for proxies made without a {@link CacheConfig}: {@code REDIS} and
     * {@code MULTI_LAYER} methods cache in memory (with {@link CacheConfig#defaults()} otherwise), since
     * nothing told the proxy where Redis is; it never connects to {@code localhost:6379} on a guess.
     */
    public static MethodCacheRegistry withoutConfig(Ticker ticker, StrictDelete managerDelete) {
        return new MethodCacheRegistry(CacheConfig.defaults(), true, ticker, managerDelete);
    }

    /**
     * Returns the cache for values of {@code valueType} in {@code namespace} on {@code backend},
     * opening it on first use. Without a config, a {@code REDIS} or {@code MULTI_LAYER} backend gives a
     * memory cache, and the first such call for {@code method} logs a WARN naming it and the fix.
     *
     * @param method the annotated method, as messages name it
     * @param maxSize the size of the memory cache ({@code MEMORY}) or of the L1 ({@code MULTI_LAYER})
     * @throws CacheException when {@code backend} is {@code REDIS} and no Redis module is on the classpath
     * @throws IllegalStateException when this registry is closed
     */
    synchronized Cache<Object> cache(String method, String namespace, CacheBackend requested, long maxSize,
            JavaType valueType) {
        ensureOpen();
        CacheBackend backend = memoryOnly ? CacheBackend.MEMORY : requested;
        if (requested != backend && warnedMethods.add(method)) {
            log.warn("{} asks for backend {} but caches in memory: its proxy was made without a CacheConfig "
                    + "(CachedProxy.create(iface, target) or CachedProxy.factory()), so it has no Redis to "
                    + "connect to. To cache in Redis, pass a config: CachedProxy.create(iface, target, "
                    + "CacheConfig.builder().redisUrl(\"redis://host:6379\").build())", method, requested);
        }
        CacheSpec spec = new CacheSpec(namespace, backend,
                backend == CacheBackend.REDIS ? 0 : maxSize,
                backend == CacheBackend.MEMORY ? null : valueType);
        Cache<Object> cache = caches.get(spec);
        if (cache == null) {
            cache = open(spec);
            caches.put(spec, cache);
            log.debug("opened {} for method caching ({})", cache, spec);
        }
        return cache;
    }

    /**
     * Returns the caches through which entries of {@code namespace} on {@code backend} are removed: every
     * cache open for them ({@code MEMORY}, {@code MULTI_LAYER}, whose L1s are separate), or one
     * ({@code REDIS}, where they all reach the same keys). For {@code REDIS} and {@code MULTI_LAYER} a
     * cache is opened if none is, since other JVMs may hold entries; for {@code MEMORY} the list is empty
     * then, as no entry can exist.
     */
    synchronized List<Cache<Object>> cachesToInvalidate(String namespace, CacheBackend requested) {
        ensureOpen();
        CacheBackend backend = memoryOnly ? CacheBackend.MEMORY : requested;
        List<Cache<Object>> found = new ArrayList<>();
        caches.forEach((spec, cache) -> {
            if (spec.namespace().equals(namespace) && spec.backend() == backend) {
                found.add(cache);
            }
        });
        if (found.isEmpty() && backend != CacheBackend.MEMORY) {
            found.add(cache("@CacheInvalidate in namespace '" + namespace + "'", namespace, backend, config.l1MaxSize(), TypeFactory.defaultInstance().constructType(Object.class)));
        }
        return backend == CacheBackend.REDIS ? found.subList(0, 1) : found;
    }

    /**
     * Returns how long the caches keep a stale-if-error grace copy past an entry's TTL
     * ({@link LoadPolicy#staleIfError()}): how long an older value may still be served after a failed invalidation.
     */
    Duration staleGrace() {
        return config.loadPolicy().staleIfError();
    }

    /**
     * Removes {@code key} from {@code cache} for a {@code @CacheInvalidate}. Failing open, a removal that
     * does not reach the backend is counted, logged and retried for at most {@code retryFor} (see
     * {@link InvalidationRetries}); otherwise it throws.
     */
    void invalidate(Cache<Object> cache, String key, Duration retryFor) {
        if (config.failOpen()) {
            invalidationRetries.delete(cache, key, retryFor);
        } else {
            cache.delete(key); // throws when Redis does not answer
        }
    }

    /** Returns the open caches, in the order they were opened. */
    public synchronized List<Cache<?>> caches() {
        return List.copyOf(caches.values());
    }

    public boolean isClosed() {
        return closed;
    }

    /**
     * Throws when this registry is closed.
     *
     * @throws IllegalStateException when closed
     */
    void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the caches of this CachedProxy are closed (by CachedProxy.close or "
                    + "CachedProxy.Factory.close); create a new proxy to cache again");
        }
    }

    /** Closes every cache; idempotent. The first failure is thrown once all have been tried. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        invalidationRetries.close();
        RuntimeException failure = null;
        for (Cache<Object> cache : caches.values()) {
            try {
                cache.close();
            } catch (RuntimeException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        caches.clear();
        if (failure != null) {
            throw failure;
        }
    }

    @Override
    public synchronized String toString() {
        return "MethodCacheRegistry{caches=" + caches.keySet() + (memoryOnly ? ", memory only (no config)" : "")
                + (closed ? ", closed" : "") + "}";
    }

    private Cache<Object> open(CacheSpec spec) {
        return switch (spec.backend()) {
            case MEMORY -> MemoryCache.<Object>builder()
                    .namespace(spec.namespace())
                    .defaultTtl(config.defaultTtl())
                    .maxSize(spec.maxSize())
                    .evictionPolicy(config.evictionPolicy())
                    .loadPolicy(config.loadPolicy())
                    .ticker(ticker)
                    .build();
            case REDIS -> RemoteCacheProvider.find()
                    .orElseThrow(() -> new CacheException("@Cached(backend = REDIS) in namespace '" + spec.namespace()
                            + "' needs netrun-cache-redis on the classpath: add the dependency "
                            + "com.netrunsystems:netrun-cache-redis, or choose backend MEMORY"))
                    .create(configFor(spec), codecFor(spec));
            case MULTI_LAYER -> CacheManager.builder(configFor(spec)).codec(codecFor(spec)).ticker(ticker).build();
        };
    }

    private CacheConfig configFor(CacheSpec spec) {
        CacheConfig.Builder builder = config.toBuilder().backend(spec.backend()).namespace(spec.namespace());
        if (spec.backend() == CacheBackend.MULTI_LAYER) {
            builder.l1MaxSize(spec.maxSize());
        }
        return builder.build();
    }

    private static ValueCodec<Object> codecFor(CacheSpec spec) {
        return NullValue.codec(Codecs.json(spec.valueType()));
    }

    /** What makes two methods share a cache. */
    private record CacheSpec(String namespace, CacheBackend backend, long maxSize, JavaType valueType) {

        @Override
        public String toString() {
            return "namespace '" + namespace + "', " + backend.wireName()
                    + (maxSize > 0 ? ", maxSize " + maxSize : "")
                    + (valueType != null ? ", " + valueType.toCanonical() : "");
        }
    }
}
