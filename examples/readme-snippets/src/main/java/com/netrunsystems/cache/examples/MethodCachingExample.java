package com.netrunsystems.cache.examples;

// tag::cached-proxy[]
import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheInvalidate;
import com.netrunsystems.cache.Cached;
import com.netrunsystems.cache.CachedProxy;
import java.util.concurrent.CompletableFuture;
// end::cached-proxy[]

/** The README's {@code @Cached} snippet: a caching proxy in front of a service. Not instantiable. */
public final class MethodCachingExample {

    // tag::cached-proxy[]
    public record User(String id, String name) { }
    public record Product(String id, String name) { }

    public interface UserService {
        @Cached(ttl = 3600, namespace = "users")                              // seconds, as the seed
        User getUser(String id);

        @Cached(ttl = 1800, namespace = "products", backend = CacheBackend.REDIS)
        CompletableFuture<Product> getProduct(String id);                     // cached when the future completes

        @CacheInvalidate(methods = "getUser")                                 // drops getUser(id)'s entry
        void updateUser(String id, User user);
    }

    static class DatabaseUserService implements UserService {              // your implementation
        @Override public User getUser(String id) {
            System.out.println("loading user " + id);
            return new User(id, "Ada");
        }
        @Override public CompletableFuture<Product> getProduct(String id) {
            System.out.println("loading product " + id);
            return CompletableFuture.completedFuture(new Product(id, "Widget"));
        }
        @Override public void updateUser(String id, User user) { }
    }
    // end::cached-proxy[]

    private MethodCachingExample() {
    }

    /** Runs the snippet against the Redis at system property {@code redis.url} (default {@code redis://localhost:6379}). */
    public static void main(String[] args) {
        // tag::cached-proxy[]
        UserService realService = new DatabaseUserService();
        UserService cached = CachedProxy.create(UserService.class, realService);          // memory only (see below)
        cached.getUser("42");                                                             // loads
        cached.getUser("42");                                                             // from the cache
        CachedProxy.close(cached);                                                        // closes its caches

        String redisUrl = System.getProperty("redis.url", "redis://localhost:6379");       // where your Redis is
        CacheConfig config = CacheConfig.builder().redisUrl(redisUrl).build();
        try (CachedProxy.Factory factory = CachedProxy.factory(config)) {                 // Redis settings from config
            UserService shared = factory.create(UserService.class, realService);          // closes its caches on close()
            shared.getProduct("7").join();                                                // loads, caches in Redis
            shared.getProduct("7").join();                                                // from Redis
        }
        // end::cached-proxy[]
    }
}
