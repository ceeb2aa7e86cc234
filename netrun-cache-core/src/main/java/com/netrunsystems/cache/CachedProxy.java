package com.netrunsystems.cache;

import com.netrunsystems.cache.method.CachingInvocationHandler;
import com.netrunsystems.cache.method.MethodCacheRegistry;
import java.util.List;
import java.util.Objects;

/**
 * Makes proxies that cache the results of an interface's {@link Cached @Cached} methods and remove
 * entries for its {@link CacheInvalidate @CacheInvalidate} methods; every other method passes
 * straight through to the target. The proxies are {@link java.lang.reflect.Proxy JDK dynamic proxies}.
 *
 * <pre>{@code
 * public interface UserService {
 *     @Cached(ttl = 3600, namespace = "api")
 *     User getUser(String id);
 *
 *     @CacheInvalidate(methods = "getUser")
 *     void updateUser(String id, User user);
 * }
 *
 * UserService service = CachedProxy.create(UserService.class, realService);           // memory only
 * UserService shared = CachedProxy.create(UserService.class, realService, config);    // Redis settings from config
 *
 * try (CachedProxy.Factory caching = CachedProxy.factory(config)) {                   // several proxies, one lifecycle
 *     UserService users = caching.create(UserService.class, realUsers);
 *     OrderService orders = caching.create(OrderService.class, realOrders);
 *     ...
 * }
 * }</pre>
 *
 * <h2>Configuration</h2>
 * Each {@code @Cached} annotation chooses its namespace, TTL, backend and size; the {@link CacheConfig}
 * gives everything else: the Redis connection (URL, host, port, database, credentials, TLS, Sentinel,
 * Cluster, timeouts), {@code failOpen}, the eviction policy, {@code l1Ttl} for {@code MULTI_LAYER}, and the
 * {@link CacheConfig#loadPolicy() load policy}: its stampede defences (cross-JVM single flight,
 * refresh-ahead, TTL jitter, stale-if-error) apply to every {@code @Cached} method, since each call reads
 * through {@link Cache#getOrLoad(String, java.time.Duration, java.util.function.Function) getOrLoad}.
 * The config's own {@code backend}, {@code namespace}, {@code defaultTtl}, {@code maxSize} and
 * {@code l1MaxSize} are not used for {@code @Cached} methods.
 *
 * <p><b>Without a config</b> ({@link #create(Class, Object)}, {@link #factory()}) the proxy never connects
 * anywhere: every {@code @Cached} method caches in memory, including those that ask for {@code REDIS} or
 * {@code MULTI_LAYER}, and for each of those the proxy logs once, at WARN, the method and the fix (pass a
 * {@code CacheConfig} that says where Redis is). {@link CacheConfig#defaults()} gives everything else.
 *
 * <h2>Keys</h2>
 * A result is stored in its annotation's namespace under the key
 * <pre>keyPrefix + declaring type's binary name + "." + method name + "(" + arguments + ")"</pre>
 * with the arguments separated by {@code ,} (no spaces) and each written as follows:
 * <table>
 *   <caption>Arguments in keys</caption>
 *   <tr><th>argument</th><th>written as</th><th>example</th></tr>
 *   <tr><td>{@code null}</td><td>{@code null}</td><td>{@code null}</td></tr>
 *   <tr><td>{@code String}</td><td>in double quotes; {@code "} and {@code \} escaped with {@code \}, control
 *       characters and unpaired surrogates as {@code \}{@code uXXXX}</td><td>{@code "a,b"}, {@code "say \"hi\""}</td></tr>
 *   <tr><td>{@code char}, {@code Character}</td><td>in single quotes, escaped likewise</td><td>{@code 'x'}</td></tr>
 *   <tr><td>{@code boolean}, {@code byte}, {@code short}, {@code int} and their boxes</td><td>as Java prints them</td>
 *       <td>{@code true}, {@code 42}, {@code -7}</td></tr>
 *   <tr><td>{@code long}, {@code Long}</td><td>with an {@code L}</td><td>{@code 42L}</td></tr>
 *   <tr><td>{@code double}, {@code Double}</td><td>the shortest decimal that reads back as the same double,
 *       as {@code Double.toString} prints it from Java 19 on, whatever the JDK</td>
 *       <td>{@code 1.5}, {@code 1.0E23}, {@code NaN}</td></tr>
 *   <tr><td>{@code float}, {@code Float}</td><td>likewise, with an {@code F}</td><td>{@code 0.1F}</td></tr>
 *   <tr><td>an enum</td><td>its {@link Enum#name() name()}</td><td>{@code ACTIVE}</td></tr>
 *   <tr><td>anything else (records, POJOs, maps, lists, sets, arrays, {@code UUID}, {@code LocalDate}, …)</td>
 *       <td>{@code #} and the first 32 hex digits (128 bits) of the SHA-256 of its canonical JSON</td>
 *       <td>{@code #9f86d081884c7d659a2feaa0c55ad015}</td></tr>
 * </table>
 * Canonical JSON is Jackson's, with properties and map entries sorted by name, set elements sorted,
 * doubles written as above and {@code java.time} values as their ISO-8601 text, so equal maps give
 * equal keys whatever their insertion order. An argument Jackson cannot write (such as an object with
 * no properties) makes the call throw an {@link IllegalArgumentException} naming the method and the
 * argument, rather than share one entry among all such objects. When the key would be longer than 200
 * characters, the argument list is replaced by {@code #} and the first 32 hex digits of the SHA-256 of
 * its UTF-8 text. Examples:
 * <pre>
 * com.example.UserService.getUser("42")
 * v2:com.example.OrderService.find(ACTIVE,10,25L,true,null)     (keyPrefix = "v2:")
 * com.example.SearchService.search(#9f86d081884c7d659a2feaa0c55ad015,1.5)      (a record and a double)
 * </pre>
 * In Redis the stored key is, as for every cache, {@code namespace + ":" + key}. Keys do not depend on
 * the JVM, the target or the proxy: two proxies of the same interface sharing a cache share entries.
 *
 * <h2>Object methods and default methods</h2>
 * {@code hashCode()} and {@code toString()} return the target's. Two proxies are {@code equals} when
 * their targets are; a proxy never equals an object that is not one, so {@code equals} stays symmetric.
 * A default method without annotations runs the target's implementation, as a direct call would.
 *
 * <h2>Lifecycle</h2>
 * Caches are opened when a proxy is created (Redis connects lazily, on the first call) and shared
 * inside one {@link Factory} by the methods with the same namespace, backend and {@code maxSize} (and,
 * for the JSON backends, the same value type, since each needs a codec for its type). A
 * {@code MEMORY} cache holds no thread or connection; a {@code REDIS} or {@code MULTI_LAYER} cache holds
 * connections and threads until closed. Close a factory's caches with {@link Factory#close()}; close
 * the caches of a proxy from {@link #create(Class, Object, CacheConfig)} with {@link #close(Object)}.
 * After that, {@code @Cached} and {@code @CacheInvalidate} methods throw {@link IllegalStateException};
 * other methods still pass through.
 *
 * <p>This class is thread-safe, and so are the proxies, whenever the target is.
 */
public final class CachedProxy {

    private CachedProxy() {
    }

    /**
     * Returns a proxy of {@code iface} over {@code target} that caches every {@code @Cached} method in
     * memory, with {@link CacheConfig#defaults()} for anything the annotations do not say. It never
     * connects to Redis: a method that asks for {@code REDIS} or {@code MULTI_LAYER} caches in memory too,
     * and the proxy logs that once per method at WARN, naming the method and the fix
     * ({@link #create(Class, Object, CacheConfig)} with a config that says where Redis is). The proxy owns
     * its caches; {@link #close(Object)} closes them.
     *
     * @throws IllegalArgumentException when {@code iface} is not an interface, {@code target} does not
     *     implement it, or an annotation cannot be used (the message names the method and the fix)
     */
    public static <T> T create(Class<T> iface, T target) {
        return newProxy(iface, target, MethodCacheRegistry.withoutConfig(Ticker.system(), CacheManager::deleteOrThrow));
    }

    /**
     * Returns a proxy of {@code iface} over {@code target} whose caches take their connection settings
     * from {@code config} and their namespace, TTL, backend and size from the annotations. The proxy owns
     * its caches; {@link #close(Object)} closes them.
     *
     * @throws IllegalArgumentException when {@code iface} is not an interface, {@code target} does not
     *     implement it, or an annotation cannot be used (the message names the method and the fix)
     * @throws CacheException when a method asks for {@code REDIS} and netrun-cache-redis is not on the classpath
     */
    public static <T> T create(Class<T> iface, T target, CacheConfig config) {
        Objects.requireNonNull(config, "config");
        return newProxy(iface, target, new MethodCacheRegistry(config, Ticker.system(), CacheManager::deleteOrThrow));
    }

    private static <T> T newProxy(Class<T> iface, T target, MethodCacheRegistry registry) {
        try {
            return CachingInvocationHandler.newProxy(iface, target, registry, true);
        } catch (RuntimeException | Error e) {
            registry.close();
            throw e;
        }
    }

    /**
     * Returns a factory without a config: like {@link #create(Class, Object)}, its proxies cache every
     * {@code @Cached} method in memory and never connect to Redis (a WARN once per method that asks for
     * {@code REDIS} or {@code MULTI_LAYER}); see {@link #factory(CacheConfig)}.
     */
    public static Factory factory() {
        return new Factory(MethodCacheRegistry.withoutConfig(Ticker.system(), CacheManager::deleteOrThrow));
    }

    /**
     * Returns a factory whose proxies share caches, configured by {@code config} as described for
     * {@link #create(Class, Object, CacheConfig)}. Closing the factory closes them all.
     */
    public static Factory factory(CacheConfig config) {
        return new Factory(config, Ticker.system());
    }

    /**
     * Closes the caches of a proxy made by {@link #create(Class, Object)} or
     * {@link #create(Class, Object, CacheConfig)}; idempotent. Its {@code @Cached} and
     * {@code @CacheInvalidate} methods throw {@link IllegalStateException} afterwards.
     *
     * @throws IllegalArgumentException when {@code proxy} is not such a proxy, or was made by a
     *     {@link Factory}, whose caches belong to the factory: close the factory instead
     */
    public static void close(Object proxy) {
        CachingInvocationHandler handler = CachingInvocationHandler.of(proxy);
        if (handler == null) {
            throw new IllegalArgumentException("not a CachedProxy: " + (proxy == null ? "null" : proxy.getClass().getName()));
        }
        if (!handler.ownsRegistry()) {
            throw new IllegalArgumentException("this proxy was made by a CachedProxy.Factory, which owns its caches; "
                    + "close the factory instead");
        }
        handler.registry().close();
    }

    /**
     * Makes proxies whose methods share caches, and closes those caches when it is closed. Thread-safe.
     *
     * <pre>{@code
     * try (CachedProxy.Factory caching = CachedProxy.factory(config)) {
     *     UserService users = caching.create(UserService.class, realUsers);
     *     ...
     * }
     * }</pre>
     *
     * <p>Methods of different proxies with the same namespace, backend and {@code maxSize} use one cache,
     * so a {@code @CacheInvalidate} of one proxy reaches the {@code @Cached} entries of another.
     */
    public static final class Factory implements AutoCloseable {

        private final MethodCacheRegistry registry;

        /** Creates a factory whose memory caches read {@code ticker}; tests pass a fake one to move time. */
        Factory(CacheConfig config, Ticker ticker) {
            this(new MethodCacheRegistry(Objects.requireNonNull(config, "config"), ticker, CacheManager::deleteOrThrow));
        }

        private Factory(MethodCacheRegistry registry) {
            this.registry = registry;
        }

        /**
         * Returns a proxy of {@code iface} over {@code target} that caches in this factory's caches.
         *
         * @throws IllegalArgumentException when {@code iface} is not an interface, {@code target} does not
         *     implement it, or an annotation cannot be used (the message names the method and the fix)
         * @throws CacheException when a method asks for {@code REDIS} and netrun-cache-redis is not on the classpath
         * @throws IllegalStateException when this factory is closed
         */
        public <T> T create(Class<T> iface, T target) {
            return CachingInvocationHandler.newProxy(iface, target, registry, false);
        }

        /**
         * Returns the caches this factory has opened, in the order it opened them, to read their
         * {@link Cache#stats() statistics} or clear them; they stay owned by the factory. Empty once closed.
         */
        public List<Cache<?>> caches() {
            return registry.caches();
        }

        /** Returns whether {@link #close()} was called. */
        public boolean isClosed() {
            return registry.isClosed();
        }

        /**
         * Closes every cache this factory opened; idempotent. Afterwards the proxies' {@code @Cached} and
         * {@code @CacheInvalidate} methods, and {@link #create}, throw {@link IllegalStateException}.
         */
        @Override
        public void close() {
            registry.close();
        }

        @Override
        public String toString() {
            return "CachedProxy.Factory{" + registry + "}";
        }
    }
}
