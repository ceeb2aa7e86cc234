package com.netrunsystems.cache.bench;

import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.Codecs;
import com.netrunsystems.cache.testsupport.RedisServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.redisson.api.RLocalCachedMap;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.LocalCachedMapOptions;

/** Builds the two-level contenders: netrun-cache {@link CacheManager}, Redisson {@code RLocalCachedMap}. */
final class TwoLevel {

    static final Duration L1_TTL = Duration.ofMinutes(5);

    private TwoLevel() {
    }

    /** Returns a manager of string values with an L1 of {@code l1MaxSize}, once its L1 is trusted (subscribed). */
    static CacheManager<String> manager(RedisServer server, long l1MaxSize) {
        CacheManager<String> manager = CacheManager.builder(BenchRedis.config(server).l1MaxSize(l1MaxSize).l1Ttl(L1_TTL)
                .build()).codec(Codecs.string()).build();
        manager.initialize();
        awaitL1Trusted(manager);
        return manager;
    }

    /**
     * Waits until an L1 hit is served from L1, which the manager allows only once its invalidation
     * subscription is confirmed; fails after 10 s.
     */
    static void awaitL1Trusted(CacheManager<String> manager) {
        manager.set("probe", "probe");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() - deadline < 0) {
            long before = manager.l1Stats().hits();
            manager.get("probe");
            if (manager.l1Stats().hits() > before) {
                manager.delete("probe");
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        throw new IllegalStateException("the CacheManager never served from L1 (subscription not confirmed in 10 s)");
    }

    /** Returns a Redisson local-cached map of strings with a local cache of {@code localSize} (LRU). */
    static RLocalCachedMap<String, String> redissonLocal(RedissonClient redisson, int localSize) {
        return redisson.getLocalCachedMap(LocalCachedMapOptions.<String, String>name(BenchRedis.NAMESPACE + "-map")
                .cacheSize(localSize)
                .evictionPolicy(LocalCachedMapOptions.EvictionPolicy.LRU)
                .timeToLive(L1_TTL));
    }
}
