package com.netrunsystems.cache.examples;

// tag::quick-start[]
import com.netrunsystems.cache.CacheStats;
import com.netrunsystems.cache.EvictionPolicy;
import com.netrunsystems.cache.MemoryCache;
import java.time.Duration;
import java.util.List;
import java.util.Map;
// end::quick-start[]

/** The README's Java quick start: a memory cache; needs no Redis. Not instantiable. */
public final class QuickStart {

    private QuickStart() {
    }

    /** Runs the quick start, printing what it reads. */
    public static void main(String[] args) {
        // tag::quick-start[]
        try (MemoryCache<Object> cache = MemoryCache.builder()
                .namespace("users").defaultTtl(Duration.ofHours(1)).maxSize(1000)
                .evictionPolicy(EvictionPolicy.TINY_LFU)      // the default; EvictionPolicy.LRU for exact LRU order
                .build()) {

            // Basic operations
            cache.set("user:123", Map.of("name", "John", "email", "john@example.com"));
            Object user = cache.get("user:123");               // null on a miss or an expired entry
            System.out.println("user:123 = " + user);
            cache.delete("user:123");

            // Batch operations
            cache.setMany(Map.of("user:1", Map.of("name", "Alice"), "user:2", Map.of("name", "Bob")),
                    Duration.ofMinutes(30));
            Map<String, Object> found = cache.getMany(List.of("user:1", "user:2"));   // only the keys found
            System.out.println("found " + found.size() + " users");

            // Atomic counters: a new counter starts at 0 and gets the default TTL
            long views = cache.increment("page_views");
            long stock = cache.decrement("inventory:item_123");
            System.out.println("views " + views + ", stock " + stock);

            // SET NX: false, and nothing changed, when the key exists
            boolean acquired = cache.setIfAbsent("lock:resource_123", "locked", Duration.ofSeconds(30));
            System.out.println("acquired " + acquired);

            // Read-through: one load per key at a time, the value cached for the TTL
            Object product = cache.getOrLoad("product:456", key -> Map.of("name", "Widget", "price", 29.99));
            System.out.println("product:456 = " + product);

            // Statistics
            CacheStats stats = cache.stats();
            System.out.println("Hit rate: " + stats.hitRatePercent() + "%");
            System.out.println("Cached keys: " + stats.cachedKeys());
        }
        // end::quick-start[]
    }
}
