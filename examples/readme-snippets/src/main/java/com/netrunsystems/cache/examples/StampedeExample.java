package com.netrunsystems.cache.examples;

// tag::load-policies[]
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.LoadPolicy;
import java.time.Duration;
import java.util.Map;
// end::load-policies[]

/** The README's stampede-defence snippet: the {@link LoadPolicy} options. Not instantiable. */
public final class StampedeExample {

    private StampedeExample() {
    }

    /** Runs the snippet against the Redis at system property {@code redis.url} (default {@code redis://localhost:6379}). */
    public static void main(String[] args) {
        // tag::load-policies[]
        // Cross-JVM single flight: one process loads under a Redis lease, the others wait for its value
        // (at most 5 s, then they load themselves: never a deadlock, never an unbounded wait).
        LoadPolicy lease = LoadPolicy.builder().distributedSingleFlight(Duration.ofSeconds(10), Duration.ofSeconds(5)).build();

        // Refresh-ahead: a read after 80 % of the TTL starts one background reload; callers keep the current value.
        LoadPolicy ahead = LoadPolicy.builder().refreshAhead(0.8).build();
        // ... or probabilistic early expiration (XFetch), likelier near expiry and for slow loads:
        LoadPolicy xfetch = LoadPolicy.builder().probabilisticRefresh(1.0).build();

        // TTL jitter: entries loaded together expire up to 10 % early, at random, not all at once.
        LoadPolicy jitter = LoadPolicy.builder().ttlJitter(0.1).build();

        // Stale-if-error: keep a grace copy of each loaded value 5 minutes past its TTL; if the loader then
        // fails, getOrLoad serves that copy. get/exists/getMany never return an expired entry.
        LoadPolicy stale = LoadPolicy.builder().staleIfError(Duration.ofMinutes(5)).build();

        // Load timeout (every policy; default 60 s): a caller waits at most this long for a load of its key
        // running in another thread (waiting for a load to finish writing, then reading, included); then it gets
        // the stale-if-error copy if any, else a CacheException caused by a TimeoutException. The hung load goes
        // on; an interrupted caller stops (flag kept, no load run).
        LoadPolicy bounded = LoadPolicy.builder().loadTimeout(Duration.ofSeconds(10)).build();

        String redisUrl = System.getProperty("redis.url", "redis://localhost:6379");       // where your Redis is
        CacheConfig config = CacheConfig.builder().namespace("reports").redisUrl(redisUrl).build();
        try (CacheManager<Object> cache = CacheManager.create(config.toBuilder().loadPolicy(lease).build())) {
            Object report = cache.getOrLoad("report:today", key -> Map.of("rows", 42));  // loads under the lease
            System.out.println("report:today = " + report + ", loads " + cache.stats().loads());
        }
        // end::load-policies[]
        System.out.println("policies: " + ahead + ", " + xfetch + ", " + jitter + ", " + stale + ", " + bounded);
    }
}
