package com.netrunsystems.cache.spring;

import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.Codecs;
import com.netrunsystems.cache.MemoryCache;
import com.netrunsystems.cache.ValueCodec;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.cache.Cache;
import org.springframework.cache.CacheManager;

/**
 * A Spring {@link CacheManager} whose caches are netrun caches, one namespace per Spring cache name.
 *
 * <pre>{@code
 * NetrunCacheManager manager = NetrunCacheManager.builder(
 *                 CacheConfig.builder().backend(CacheBackend.MULTI_LAYER).redisUrl("redis://cache:6379").build())
 *         .cache("users", CacheConfig.builder().namespace("users").defaultTtl(Duration.ofMinutes(10)).build())
 *         .valueType("users", User.class)
 *         .build();
 * }</pre>
 *
 * <p>A cache's settings are the config given for its name with {@link Builder#cache}, or else the
 * default config with its namespace set to the cache's name (plus {@link Builder#namespacePrefix}).
 * Its backend is the config's: {@code memory} ({@link MemoryCache}, values by reference),
 * {@code redis} (needs {@code netrun-cache-redis}) or {@code multi_layer} (a netrun two-level
 * {@link com.netrunsystems.cache.CacheManager}). Values go to Redis as JSON: JSON trees (maps, lists,
 * strings, numbers, booleans, as the Python netrun-cache writes them) unless
 * {@link Builder#valueType} binds the cache to a class, which is then read back as that class.
 *
 * <p>Caches named at build time exist from the start; with {@link Builder#dynamic(boolean)} (the
 * default) other names get a cache on first use. Caches are created lazily and connect on first
 * use, so a manager starts while Redis is down. {@link #close()} closes every cache it created.
 * Thread-safe.
 */
public final class NetrunCacheManager implements CacheManager, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NetrunCacheManager.class);

    private final CacheConfig defaults;
    private final String namespacePrefix;
    private final Map<String, CacheConfig> configs;
    private final Map<String, Class<?>> valueTypes;
    private final boolean allowNullValues;
    private final boolean dynamic;
    private final ConcurrentMap<String, NetrunSpringCache> caches = new ConcurrentHashMap<>();
    private final Set<String> names;
    private volatile boolean closed;

    private NetrunCacheManager(Builder builder) {
        this.defaults = builder.defaults;
        this.namespacePrefix = builder.namespacePrefix;
        this.configs = Map.copyOf(builder.configs);
        this.valueTypes = Map.copyOf(builder.valueTypes);
        this.allowNullValues = builder.allowNullValues;
        this.dynamic = builder.dynamic;
        Set<String> initial = new LinkedHashSet<>(builder.cacheNames);
        initial.addAll(builder.configs.keySet());
        this.names = Collections.synchronizedSet(initial);
    }

    /** Returns a builder whose caches take their settings from {@code defaults}. */
    public static Builder builder(CacheConfig defaults) {
        return new Builder(Objects.requireNonNull(defaults, "defaults"));
    }

    /**
     * Returns the cache named {@code name}, creating it on first use; {@code null} when the name is
     * unknown and the manager is not {@linkplain Builder#dynamic(boolean) dynamic}.
     *
     * @throws IllegalStateException once the manager is closed
     */
    @Override
    public Cache getCache(String name) {
        NetrunSpringCache cache = caches.get(name);
        if (cache != null) {
            return cache;
        }
        if (!dynamic && !names.contains(name)) {
            return null;
        }
        synchronized (caches) {
            if (closed) {
                throw new IllegalStateException("the NetrunCacheManager is closed; cache '" + name + "' is not available");
            }
            cache = caches.computeIfAbsent(name, this::create);
            names.add(name);
            return cache;
        }
    }

    /** Returns the names of the configured caches and of those created so far. */
    @Override
    public Collection<String> getCacheNames() {
        synchronized (names) {
            return List.copyOf(names);
        }
    }

    /** Returns the config that the cache {@code name} has or would have. */
    public CacheConfig configFor(String name) {
        CacheConfig config = configs.get(name);
        return config != null ? config : defaults.toBuilder().namespace(namespacePrefix + name).build();
    }

    /** Returns the caches created so far. */
    public Collection<NetrunSpringCache> createdCaches() {
        return List.copyOf(caches.values());
    }

    /** Closes every cache this manager created; idempotent. */
    @Override
    public void close() {
        List<NetrunSpringCache> toClose;
        synchronized (caches) {
            closed = true;
            toClose = new ArrayList<>(caches.values());
            caches.clear();
        }
        for (NetrunSpringCache cache : toClose) {
            try {
                cache.getNativeCache().close();
            } catch (RuntimeException e) {
                log.warn("closing netrun cache '{}' failed: {}", cache.getName(), e.toString());
            }
        }
    }

    private NetrunSpringCache create(String name) {
        CacheConfig config = configFor(name);
        ValueCodec<Object> codec = new SpringValueCodec(valueCodec(name));
        com.netrunsystems.cache.Cache<Object> cache = switch (config.backend()) {
            case MEMORY -> MemoryCache.create(config);
            case REDIS -> RedisBackend.create(config, codec);
            case MULTI_LAYER -> com.netrunsystems.cache.CacheManager.builder(config).codec(codec).build();
        };
        log.debug("Spring cache '{}': {} cache on namespace '{}'", name, config.backend().wireName(), config.namespace());
        return new NetrunSpringCache(name, cache, allowNullValues);
    }

    @SuppressWarnings("unchecked")
    private ValueCodec<Object> valueCodec(String name) {
        Class<?> type = valueTypes.get(name);
        return type == null ? Codecs.json() : (ValueCodec<Object>) Codecs.json(type);
    }

    @Override
    public String toString() {
        return "NetrunCacheManager{caches=" + getCacheNames() + ", dynamic=" + dynamic + "}";
    }

    /** Builds a {@link NetrunCacheManager}. Not thread-safe; use it from one thread. */
    public static final class Builder {

        private final CacheConfig defaults;
        private final Map<String, CacheConfig> configs = new LinkedHashMap<>();
        private final Map<String, Class<?>> valueTypes = new LinkedHashMap<>();
        private final Set<String> cacheNames = new LinkedHashSet<>();
        private String namespacePrefix = "";
        private boolean allowNullValues = true;
        private boolean dynamic = true;

        private Builder(CacheConfig defaults) {
            this.defaults = defaults;
        }

        /** Gives the cache {@code name} its own settings; its namespace is the config's, used as it is. */
        public Builder cache(String name, CacheConfig config) {
            configs.put(requireName(name), Objects.requireNonNull(config, "config"));
            return this;
        }

        /** Names caches that exist from the start, with the default settings. */
        public Builder cacheNames(Collection<String> names) {
            names.forEach(name -> cacheNames.add(requireName(name)));
            return this;
        }

        /**
         * Stores the values of cache {@code name} in Redis as JSON bound to {@code type} (a record or
         * POJO), read back as {@code type}; without it values must be JSON trees. Memory caches hold
         * values by reference whatever the type.
         */
        public Builder valueType(String name, Class<?> type) {
            valueTypes.put(requireName(name), Objects.requireNonNull(type, "type"));
            return this;
        }

        /** Prepends {@code prefix} to the namespace of caches that take the default settings; default none. */
        public Builder namespacePrefix(String prefix) {
            this.namespacePrefix = Objects.requireNonNull(prefix, "prefix");
            return this;
        }

        /** Whether {@code null} results are cached (as Spring's {@code NullValue}); default {@code true}, as Spring's caches. */
        public Builder allowNullValues(boolean allowNullValues) {
            this.allowNullValues = allowNullValues;
            return this;
        }

        /** Whether unknown names get a cache on first use; default {@code true}. */
        public Builder dynamic(boolean dynamic) {
            this.dynamic = dynamic;
            return this;
        }

        /** Returns the manager; no cache is created or connected yet. */
        public NetrunCacheManager build() {
            return new NetrunCacheManager(this);
        }

        private static String requireName(String name) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("a cache name must not be null or empty");
            }
            return name;
        }
    }
}
