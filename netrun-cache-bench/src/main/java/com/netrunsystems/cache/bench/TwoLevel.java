package com.netrunsystems.cache.bench;

import com.alicp.jetcache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.Codecs;
import com.netrunsystems.cache.testsupport.RedisServer;
import io.lettuce.core.RedisClient;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.IntFunction;
import org.redisson.api.RLocalCachedMap;
import org.redisson.api.RedissonClient;
import org.redisson.api.options.LocalCachedMapOptions;

/**
 * Builds the two-level contenders: netrun-cache {@link CacheManager}, Redisson {@code RLocalCachedMap}, JetCache's
 * two-level cache, and the raw Caffeine and Lettuce baselines.
 */
final class TwoLevel {

    static final Duration L1_TTL = Duration.ofMinutes(5);

    private TwoLevel() {
    }

    /** A contender as built: what the benchmark calls, and what closes it after the trial ({@code null}: nothing). */
    record Built<T>(T call, AutoCloseable resource) {

        /** Returns {@code f} of the call with the same resource; closes the resource if {@code f} fails. */
        <R> Built<R> map(Function<? super T, ? extends R> f) {
            try {
                return new Built<>(f.apply(call), resource);
            } catch (RuntimeException e) {
                if (resource != null) {
                    try {
                        resource.close();
                    } catch (Exception suppressed) {
                        e.addSuppressed(suppressed);
                    }
                }
                throw e;
            }
        }
    }

    /**
     * Returns a read by key index of {@code workload}, whose keys are preloaded in Redis, with an L1 of {@code l1Size}:
     * {@code lettuce} (raw {@code GET}, no L1) or any contender of {@link #keyReader}.
     */
    static Built<IntFunction<Object>> reader(String contender, RedisServer server, Workload workload, int l1Size) {
        if (contender.equals("lettuce")) {
            RedisContender lettuce = RedisContenders.create("lettuce", server, workload);
            return new Built<>(lettuce::get, lettuce);
        }
        String[] keys = RedisContenders.plainKeys(workload);
        return keyReader(contender, server, workload, l1Size).map(read -> i -> read.apply(keys[i]));
    }

    /**
     * Returns a read by plain key ({@code "key:1"}) of {@code workload}, whose keys are preloaded in Redis, with an
     * L1 of {@code l1Size}: {@code netrun} ({@link CacheManager}), {@code redisson} and {@code jetcache} (written
     * through themselves too), or {@code caffeine} (raw, in-process only, filled).
     */
    static Built<Function<String, Object>> keyReader(String contender, RedisServer server, Workload workload,
            int l1Size) {
        String[] keys = RedisContenders.plainKeys(workload);
        return switch (contender) {
            case "netrun" -> netrun(server, l1Size).map(manager -> manager::get);
            case "caffeine" -> {
                com.github.benmanes.caffeine.cache.Cache<String, String> caffeine = Caffeine.newBuilder()
                        .maximumSize(l1Size).expireAfterWrite(L1_TTL).build();
                for (int i = 0; i < keys.length; i++) {
                    caffeine.put(keys[i], workload.value(i));
                }
                yield new Built<>(caffeine::getIfPresent, null);
            }
            case "redisson" -> {
                RedissonClient redisson = RedisContenders.redisson(server);
                yield new Built<>(redisson, redisson::shutdown).map(client -> {
                    RLocalCachedMap<String, String> map = redissonLocal(client, l1Size);
                    Map<String, String> all = new HashMap<>();
                    for (int i = 0; i < keys.length; i++) {
                        all.put(keys[i], workload.value(i));
                    }
                    map.putAll(all);
                    return map::get;
                });
            }
            case "jetcache" -> jetcache(server, l1Size).map(cache -> {
                for (int i = 0; i < keys.length; i++) {
                    RedisContenders.requireSuccess(cache.PUT(keys[i], workload.value(i)));
                }
                return cache::get;
            });
            default -> throw new IllegalArgumentException("unknown contender " + contender);
        };
    }

    /** Returns a {@link #manager} with an L1 of {@code l1MaxSize}, closed by itself. */
    static Built<CacheManager<String>> netrun(RedisServer server, long l1MaxSize) {
        CacheManager<String> manager = manager(server, l1MaxSize);
        return new Built<>(manager, manager);
    }

    /** Returns JetCache's two-level cache with a local limit of {@code localLimit}, on a Lettuce client of its own. */
    static Built<Cache<String, String>> jetcache(RedisServer server, int localLimit) {
        RedisClient client = RedisClient.create(RedisContenders.redisUri(server));
        Cache<String, String> cache = RedisContenders.jetcacheTwoLevel(client, localLimit);
        return new Built<>(cache, () -> {
            cache.close();
            client.shutdown();
        });
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
