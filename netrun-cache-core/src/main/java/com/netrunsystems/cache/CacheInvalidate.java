package com.netrunsystems.cache;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Removes cached entries when an interface method called through a {@link CachedProxy} runs, as
 * Spring's {@code @CacheEvict} does. One annotation can name entries three ways, all applied:
 *
 * <ul>
 *   <li>{@link #methods()}: the entries of {@link Cached @Cached} methods of the same interface for
 *       the same arguments. This is the usual choice:
 *       <pre>{@code
 * @Cached(namespace = "users")
 * User getUser(String id);
 *
 * @CacheInvalidate(methods = "getUser")          // removes getUser(id)'s entry
 * void updateUser(String id, User user);
 *       }</pre>
 *   <li>{@link #keys()}: keys of {@link #namespace()}, written literally or with argument
 *       placeholders, for entries other code stores under keys it chooses:
 *       <pre>{@code
 * @CacheInvalidate(namespace = "api", backend = CacheBackend.REDIS, keys = {"user:{0}", "user-list"})
 * void updateUser(String id, User user);          // removes "user:42" and "user-list"
 *       }</pre>
 *   <li>{@link #allEntries()}: every entry of {@link #namespace()}:
 *       <pre>{@code
 * @CacheInvalidate(namespace = "users", allEntries = true)
 * void reloadAll();
 *       }</pre>
 * </ul>
 *
 * <h2>When</h2>
 * By default, after the method returns normally; if it throws, nothing is removed. For a method
 * returning a {@code CompletableFuture} or {@code CompletionStage}, after that future completes
 * successfully (and before the future the caller holds completes); if it fails, nothing is removed.
 * With {@link #beforeInvocation()} the entries are removed before the method runs, whatever it does
 * then. An exception from the cache while removing (a closed cache, or Redis down with
 * {@code failOpen(false)}) reaches the caller, after the method has run. With {@code failOpen(true)},
 * the default, a key that could not be removed because Redis did not answer is counted in that
 * cache's {@code errors}, logged at WARN with the key, and its removal retried in the background
 * (after 1 s, doubling to 30 s) until it succeeds, for at most as long as an entry written before
 * could live (the interface's longest {@code @Cached} ttl plus the stale-if-error grace); until then
 * the old entry may be served. A failed {@link #allEntries()} is logged and counted, not retried.
 *
 * <h2>Where</h2>
 * The caches of the {@link CachedProxy.Factory} that made the proxy (for {@code CachedProxy.create},
 * the proxy's own caches). Entries in Redis ({@code REDIS}, {@code MULTI_LAYER}) are removed for every
 * JVM, and {@code MULTI_LAYER} L1s in other JVMs drop them too; {@code MEMORY} entries of another
 * factory are not reached.
 *
 * <p>The annotation is repeatable, for entries in several namespaces or backends. A method cannot
 * carry both {@code @Cached} and {@code @CacheInvalidate}.
 *
 * @see Cached
 * @see CachedProxy
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
@Repeatable(CacheInvalidate.List.class)
public @interface CacheInvalidate {

    /**
     * Returns the namespace whose {@link #keys()} or {@link #allEntries() entries} are removed; not
     * blank. Default {@code "cache"}. Does not apply to {@link #methods()}, whose entries are removed
     * from wherever those methods cache them.
     */
    String namespace() default "cache";

    /**
     * Returns the backend of {@link #namespace()}; it must match the backend the entries are stored
     * in. Default {@link CacheBackend#MEMORY}. Does not apply to {@link #methods()}.
     */
    CacheBackend backend() default CacheBackend.MEMORY;

    /**
     * Returns keys of {@link #namespace()} to remove, exactly as stored (no key prefix is added).
     * {@code {0}}, {@code {1}}, … stand for the text of the method's first, second, … argument: a
     * string as it is, a number in decimal ({@code 42}, {@code 1.5}, no type suffix), a boolean, a
     * character, an enum's {@link Enum#name() name()}, or {@code null}. Only parameters of those types
     * may appear in placeholders; any other brace is literal. Default none.
     */
    String[] keys() default {};

    /**
     * Returns the names of {@link Cached @Cached} methods of the same interface whose entries for the
     * same arguments are removed. A {@code @Cached} method with {@code N} parameters has its entry for
     * this method's first {@code N} arguments removed; so this method needs at least {@code N}
     * parameters, and its first {@code N} parameter types must be assignable to the cached method's
     * ({@code updateUser(String id, User user)} can name {@code getUser(String id)} and
     * {@code getAllUsers()}, but not {@code getUser(long id)}). A name that several overloads carry
     * names every overload that fits. The entry is removed from that method's own namespace and
     * backend, under its key prefix. {@code CachedProxy.create} rejects a name that matches no fitting
     * {@code @Cached} method. Default none.
     */
    String[] methods() default {};

    /** Returns whether every entry of {@link #namespace()} is removed. Default {@code false}. */
    boolean allEntries() default false;

    /**
     * Returns whether the entries are removed before the method runs, and so also when it throws.
     * Default {@code false}: after it returns normally (or its future completes successfully).
     */
    boolean beforeInvocation() default false;

    /** Holds several {@link CacheInvalidate} annotations on one method; written by the compiler. */
    @Documented
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @interface List {

        /** Returns the repeated annotations. */
        CacheInvalidate[] value();
    }
}
