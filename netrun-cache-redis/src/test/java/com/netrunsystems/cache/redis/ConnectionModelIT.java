package com.netrunsystems.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.Cached;
import com.netrunsystems.cache.CachedProxy;
import com.netrunsystems.cache.CircuitState;
import com.netrunsystems.cache.Codecs;
import com.netrunsystems.cache.testsupport.RedisServer;
import com.netrunsystems.cache.testsupport.RedisServerExtension;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ForkJoinPool;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 10, item 4: every cache of the JVM on one Redis shares one client, one command connection and one
 * pub/sub connection. 20 {@link RedisCache}s (two socket timeouts, two codecs), 20 {@link CacheManager}s and a
 * 10-method {@code @Cached} proxy on {@code multi_layer} (10 namespaces, so 10 more managers) open at most 2
 * connections ({@code CLIENT LIST} on the test's own server) and a fixed number of threads, and closing them all
 * leaves no connection and no thread behind.
 */
class ConnectionModelIT {

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.standalone();

    /**
     * The threads one endpoint adds: Lettuce's 2 I/O threads (one per connection) and 2 computation threads
     * (heartbeats, timeouts), our timer thread and the one prober thread of every CacheManager on it = 6. Besides
     * them, Caffeine runs L1 maintenance on the JVM's common pool (shared by the whole JVM, at most its
     * parallelism, idle workers ending after 60 s).
     */
    private static final int ENDPOINT_THREADS = 6;

    /** Ten methods, each in a namespace of its own: the proxy opens ten two-level caches. */
    public interface TenMethods {
        @Cached(namespace = "m0", backend = CacheBackend.MULTI_LAYER, ttl = 60) String m0(String key);
        @Cached(namespace = "m1", backend = CacheBackend.MULTI_LAYER, ttl = 60) String m1(String key);
        @Cached(namespace = "m2", backend = CacheBackend.MULTI_LAYER, ttl = 60) String m2(String key);
        @Cached(namespace = "m3", backend = CacheBackend.MULTI_LAYER, ttl = 60) String m3(String key);
        @Cached(namespace = "m4", backend = CacheBackend.MULTI_LAYER, ttl = 60) String m4(String key);
        @Cached(namespace = "m5", backend = CacheBackend.MULTI_LAYER, ttl = 60) Integer m5(String key);
        @Cached(namespace = "m6", backend = CacheBackend.MULTI_LAYER, ttl = 60) Integer m6(String key);
        @Cached(namespace = "m7", backend = CacheBackend.MULTI_LAYER, ttl = 60) Integer m7(String key);
        @Cached(namespace = "m8", backend = CacheBackend.MULTI_LAYER, ttl = 60) List<String> m8(String key);
        @Cached(namespace = "m9", backend = CacheBackend.MULTI_LAYER, ttl = 60) List<String> m9(String key);
    }

    private static final class Target implements TenMethods {
        public String m0(String key) { return "0" + key; }
        public String m1(String key) { return "1" + key; }
        public String m2(String key) { return "2" + key; }
        public String m3(String key) { return "3" + key; }
        public String m4(String key) { return "4" + key; }
        public Integer m5(String key) { return 5; }
        public Integer m6(String key) { return 6; }
        public Integer m7(String key) { return 7; }
        public List<String> m8(String key) { return List.of("8", key); }
        public List<String> m9(String key) { return List.of("9", key); }
    }

    @Test
    void manyCachesOnOneRedis_shareTwoConnectionsAndAFixedSetOfThreads_andLeaveNothingWhenClosed() throws Exception {
        RedisServer server = redis.server();
        measure("standalone", namespace -> config(server, namespace), () -> jvmConnections(server), 2);
    }

    /**
     * Opens the workload with {@code config}, checks that {@code connections} (the JVM's, as the servers list
     * them) are at most {@code maxConnections} and the threads at most {@link #ENDPOINT_THREADS} more, closes it
     * all and waits for 0 connections and the baseline thread count.
     */
    static void measure(String label, Function<String, CacheConfig.Builder> config, Supplier<List<String>> connections,
            int maxConnections) throws Exception {
        int baseline = threads();
        java.util.Set<String> baselineNames = threadNames();
        assertThat(connections.get()).as("connections before").isEmpty();
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<AutoCloseable> opened = new ArrayList<>();

        for (int i = 0; i < 20; i++) {
            CacheConfig cacheConfig = config.apply("cache-" + run + "-" + i)
                    .socketTimeout(Duration.ofMillis(i % 2 == 0 ? 2_000 : 3_000)).build();
            RedisCache<String> cache = RedisCache.builder(cacheConfig).codec(Codecs.string()).build();
            opened.add(cache);
            assertThat(cache.set("k", "v" + i)).isTrue();
            assertThat(cache.get("k")).isEqualTo("v" + i);
        }
        List<CacheManager<Object>> managers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            CacheManager<Object> manager = CacheManager.create(config.apply("manager-" + run + "-" + i)
                    .backend(CacheBackend.MULTI_LAYER).build());
            managers.add(manager);
            opened.add(manager);
            assertThat(manager.set("k", "v" + i)).isTrue();
        }
        CachedProxy.Factory factory = CachedProxy.factory(config.apply("proxy-" + run).build());
        opened.add(factory);
        TenMethods proxy = factory.create(TenMethods.class, new Target());
        assertThat(proxy.m0("a")).isEqualTo("0a");
        assertThat(proxy.m7("a")).isEqualTo(7);
        assertThat(proxy.m9("a")).isEqualTo(List.of("9", "a"));
        Arrays.stream(TenMethods.class.getMethods()).forEach(method -> invoke(method, proxy));
        for (CacheManager<Object> manager : managers) {
            await("circuit closed").atMost(Duration.ofSeconds(30))
                    .until(() -> manager.l2Circuit().equals(Optional.of(CircuitState.CLOSED)));
            awaitSubscribed(manager);
        }

        List<String> during = connections.get();
        int threadsDuring = threads();
        java.util.Set<String> added = threadNames();
        added.removeAll(baselineNames);
        System.out.printf("CONNECTION_MODEL %s connections=%d threads baseline=%d during=%d (+%d: %s)%n%s%n", label,
                during.size(), baseline, threadsDuring, threadsDuring - baseline, added, String.join("\n", during));
        assertThat(during).as("the JVM's connections").hasSizeLessThanOrEqualTo(maxConnections);
        assertThat(during).as("one of them subscribed to the 30 managers' channels, once each")
                .anyMatch(line -> line.contains(" sub=30 "));
        assertThat(added.stream().filter(name -> !isCommonPool(name)))
                .as("threads added, besides the JVM's common pool: the endpoint's " + ENDPOINT_THREADS)
                .hasSizeLessThanOrEqualTo(ENDPOINT_THREADS);
        assertThat(threadsDuring - baseline).as("threads added in all: the endpoint's, plus common-pool workers")
                .isLessThanOrEqualTo(ENDPOINT_THREADS + ForkJoinPool.getCommonPoolParallelism());

        for (int i = opened.size() - 1; i >= 0; i--) {
            opened.get(i).close();
        }
        await("no connection left").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .until(() -> connections.get().isEmpty());
        long closedAt = System.nanoTime();
        await("the endpoint's threads to end").pollInSameThread().atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(100)).untilAsserted(() -> assertThat(threadNames())
                        .allMatch(name -> baselineNames.contains(name) || isCommonPool(name)));
        long endedMillis = (System.nanoTime() - closedAt) / 1_000_000;
        // Idle common-pool workers end after 60 s (the JDK's keep-alive): then the count is back to the baseline.
        await("threads back to the baseline of " + baseline).pollInSameThread().atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(500)).until(() -> threads() <= baseline);
        System.out.printf("CONNECTION_MODEL %s after close: connections=%d threads=%d (baseline %d; endpoint threads "
                + "ended %d ms after close, all %d ms), endpoints open=%d%n", label, connections.get().size(), threads(),
                baseline, endedMillis, (System.nanoTime() - closedAt) / 1_000_000, EndpointRegistry.openEndpoints());
        assertThat(EndpointRegistry.openEndpoints()).isZero();
    }

    private static CacheConfig.Builder config(RedisServer server, String namespace) {
        return CacheConfig.builder().namespace(namespace).redisHost(server.host()).redisPort(server.port())
                .defaultTtl(Duration.ofMinutes(5));
    }

    private static void invoke(java.lang.reflect.Method method, TenMethods proxy) {
        try {
            assertThat(method.invoke(proxy, "b")).isNotNull();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }

    /** Waits until the manager trusts its L1: a key it wrote is then served from L1. */
    private static void awaitSubscribed(CacheManager<Object> manager) {
        String probe = "__subscribed-" + UUID.randomUUID();
        manager.set(probe, "probe");
        await("the invalidation subscription").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    long hits = manager.l1Stats().hits();
                    manager.get(probe);
                    return manager.l1Stats().hits() > hits;
                });
    }

    private static java.util.Set<String> threadNames() {
        java.util.Set<String> names = new java.util.TreeSet<>();
        Thread.getAllStackTraces().keySet().forEach(thread -> names.add(thread.getName()));
        return names;
    }

    private static boolean isCommonPool(String threadName) {
        return threadName.startsWith("ForkJoinPool.commonPool-worker-");
    }

    private static int threads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    /** The server's clients other than the connection that asks (the server serves this test class alone). */
    static List<String> jvmConnections(RedisServer server) {
        Object reply = server.execute("CLIENT", "LIST");
        String text = reply instanceof byte[] bytes ? new String(bytes, java.nio.charset.StandardCharsets.UTF_8)
                : String.valueOf(reply);
        return text.lines().filter(line -> !line.isBlank() && !line.contains("cmd=client|list")).toList();
    }
}
