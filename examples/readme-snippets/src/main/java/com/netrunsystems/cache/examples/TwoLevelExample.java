package com.netrunsystems.cache.examples;

// tag::two-level[]
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.CacheStats;
import com.netrunsystems.cache.CircuitState;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
// end::two-level[]

/** The README's {@code CacheManager} snippet: a memory L1 in front of a Redis L2. Not instantiable. */
public final class TwoLevelExample {

    private TwoLevelExample() {
    }

    /** Runs the snippet against the Redis at system property {@code redis.url} (default {@code redis://localhost:6379}). */
    public static void main(String[] args) {
        // tag::two-level[]
        String redisUrl = System.getProperty("redis.url", "redis://localhost:6379");       // where your Redis is
        CacheConfig config = CacheConfig.builder().namespace("api").defaultTtl(Duration.ofHours(1))
                .l1MaxSize(100).l1Ttl(Duration.ofMinutes(5)).redisUrl(redisUrl).build();
        try (CacheManager<Object> cache = CacheManager.create(config)) {   // memory-only without netrun-cache-redis
            cache.get("user:789");            // L1, then L2; an L2 hit fills L1 for min(l1Ttl, remaining TTL)
            cache.set("user:789", Map.of("name", "Ada"));  // L2, then L1 for min(ttl, l1Ttl); every other JVM drops its L1 copy
            CacheStats l1 = cache.l1Stats();  Optional<CacheStats> l2 = cache.l2Stats();  // stats() = combined
            Optional<CircuitState> circuit = cache.l2Circuit();                          // CLOSED, OPEN, HALF_OPEN
            System.out.println("user:789 = " + cache.get("user:789"));
            System.out.println("L1 hits " + l1.hits() + ", L2 misses " + l2.map(CacheStats::misses).orElse(0L)
                    + ", L2 circuit " + circuit.map(CircuitState::name).orElse("none (memory only)"));
        }                                     // stops the invalidation subscription and closes the connections
        // end::two-level[]
    }
}
