package com.netrunsystems.cache.examples;

// tag::redis-cache[]
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheKeys;
import com.netrunsystems.cache.CacheLock;
import com.netrunsystems.cache.Codecs;
import com.netrunsystems.cache.redis.RedisCache;                 // in netrun-cache-redis
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
// end::redis-cache[]

/** The README's {@code RedisCache} snippet. Not instantiable. */
public final class RedisExample {

    // tag::redis-cache[]
    public record User(String name, String email) { }                 // a value type of your own
    // end::redis-cache[]

    private RedisExample() {
    }

    /** Runs the snippet against the Redis at system property {@code redis.url} (default {@code redis://localhost:6379}). */
    public static void main(String[] args) {
        // tag::redis-cache[]
        String redisUrl = System.getProperty("redis.url", "redis://localhost:6379");       // where your Redis is
        CacheConfig config = CacheConfig.builder().namespace("api").redisUrl(redisUrl).build();
        try (RedisCache<Object> cache = RedisCache.create(config);                  // JSON trees
             RedisCache<User> users = RedisCache.builder(config).codec(Codecs.json(User.class)).build()) {
            cache.initialize();                                                     // fail fast: throws if Redis is unreachable
            cache.set("product:456", Map.of("name", "Widget", "price", 29.99));
            users.set("user:42", new User("Ada", "ada@example.com"));
            User ada = users.get("user:42");                                        // a User again, or null
            System.out.println("user:42 = " + ada);
            String key = CacheKeys.sha256(Map.of("model", "gpt-4", "temperature", 0.7)); // = Python's _hash_key
            System.out.println("hashed key " + key);

            Optional<CacheLock> taken = cache.tryLock("lock:report", Duration.ofSeconds(30));
            if (taken.isEmpty()) {
                System.out.println("report: held by someone else, skipped");    // nothing to clean up
            } else {
                try (CacheLock lock = taken.get()) {                             // close() frees it only if still ours
                    System.out.println("report: built under the lock");          // lock.renew(ttl) to hold it longer
                }
            }
        }                                                                        // closes both caches' connections
        // end::redis-cache[]
    }
}
