package com.netrunsystems.cache;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Caches the results of an interface method called through a {@link CachedProxy}: the seed's
 * {@code @cached} decorator in Java. The first call with some arguments runs the method and stores
 * its result; later calls with equal arguments return the stored result until it expires.
 *
 * <pre>{@code
 * public interface UserService {
 *     @Cached(ttl = 3600, namespace = "api")
 *     User getUser(String id);
 *
 *     @Cached(ttl = 1800, namespace = "products", backend = CacheBackend.REDIS)
 *     CompletableFuture<Product> getProduct(String id);
 * }
 * UserService service = CachedProxy.create(UserService.class, realService);
 * }</pre>
 *
 * <h2>Keys</h2>
 * The entry is stored in {@link #namespace()} under {@link #keyPrefix()} followed by the declaring
 * type's binary name, the method name and the arguments, such as
 * {@code com.example.UserService.getUser("42")}. Strings, primitives, boxed primitives, enums and
 * {@code null} appear as text; anything else as a short SHA-256 of its canonical JSON. Keys are
 * stable across JVMs and restarts, and equal arguments give equal keys. See
 * {@link CachedProxy} for the full format. Because the key names the method but not its parameter
 * types, two {@code @Cached} overloads with the same number of parameters must differ in
 * {@link #namespace()} or {@link #keyPrefix()}; {@code CachedProxy.create} rejects them otherwise.
 *
 * <h2>What is cached</h2>
 * <ul>
 *   <li>A value returned normally. Concurrent calls with equal arguments run the method once and
 *       share its result ({@link Cache#getOrLoad(String, java.time.Duration, java.util.function.Function)
 *       single flight}).
 *   <li>For a method returning {@code CompletableFuture<T>} or {@code CompletionStage<T>}: the value
 *       the future completes with, once it completes successfully. Concurrent callers share one
 *       in-flight call; each gets its own future, so cancelling one does not affect the others. A
 *       future that fails caches nothing. An exception the method throws instead of returning a
 *       future fails the returned future with that exception.
 *   <li>For a method returning {@code Optional<T>} (also inside a future): the value inside; an empty
 *       {@code Optional} caches nothing.
 *   <li>{@code null} (and an empty {@code Optional}) only when {@link #cacheNulls()} is set, for
 *       {@link #nullTtl()}.
 *   <li>Never an exception: it reaches the caller unchanged (the same instance, checked exceptions
 *       included) and the next call runs the method again.
 * </ul>
 *
 * <h2>Backends</h2>
 * {@code MEMORY} stores results by reference, so any return type works and a caller that mutates a
 * returned object mutates the cached one. {@code REDIS} and {@code MULTI_LAYER} store results as JSON
 * typed by the method's generic return type (for a future or an {@code Optional}, the type inside),
 * so {@code User getUser(String)} returns a {@code User} after a round trip through Redis; the type
 * must be readable and writable by Jackson. Connection settings never come from this annotation: they
 * come from the {@link CacheConfig} given to {@link CachedProxy#create(Class, Object, CacheConfig)}.
 *
 * <p>Further elements (stampede defence such as refresh-ahead or TTL jitter) may be added to this
 * annotation, always with defaults that keep the behaviour described here.
 *
 * @see CacheInvalidate
 * @see CachedProxy
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Cached {

    /** Returns how long a result stays cached, in seconds (as the seed's {@code ttl}); positive. Default 1 hour. */
    long ttl() default 3600;

    /**
     * Returns the namespace the results are stored in, which isolates them from other caches' keys (in
     * Redis the stored key is {@code namespace + ":" + key}); not blank. Default {@code "cache"}.
     */
    String namespace() default "cache";

    /** Returns where the results are stored. Default {@link CacheBackend#MEMORY}. */
    CacheBackend backend() default CacheBackend.MEMORY;

    /**
     * Returns the most entries held in memory: the size of the memory cache for {@code MEMORY}, of
     * the L1 for {@code MULTI_LAYER}; ignored for {@code REDIS}. Positive. Default 1000. Methods of
     * one namespace and backend with the same {@code maxSize} share one cache.
     */
    long maxSize() default 1000;

    /**
     * Returns the text put before every key of this method, such as {@code "v2:"} to start afresh
     * after a change of the result's shape, or to separate overloads. Default none.
     */
    String keyPrefix() default "";

    /**
     * Returns whether a {@code null} result (or an empty {@code Optional}) is cached, so that a
     * lookup of something that does not exist is not repeated for {@link #nullTtl()}. Default
     * {@code false}: such results cache nothing and every call runs the method.
     */
    boolean cacheNulls() default false;

    /**
     * Returns how long a {@code null} result stays cached when {@link #cacheNulls()} is set, in
     * seconds; positive. Default 60, shorter than {@link #ttl()}'s default because a missing value
     * tends to appear sooner than a present one changes.
     */
    long nullTtl() default 60;
}
