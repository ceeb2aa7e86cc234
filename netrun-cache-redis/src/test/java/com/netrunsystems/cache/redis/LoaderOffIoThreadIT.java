package com.netrunsystems.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.Codecs;
import com.netrunsystems.cache.ValueCodec;
import com.netrunsystems.cache.testsupport.RedisClusterExtension;
import com.netrunsystems.cache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issue 10, item 2: no user code on a Lettuce I/O thread. A loader that calls the same cache synchronously
 * (or joins another of its futures) waits for a reply that, on the I/O thread, only its own thread could
 * read: the connection stalled until socketTimeout and the read failed open. With socketTimeout 5 s, such a
 * stall fails the time bound clearly; the times are printed.
 */
class LoaderOffIoThreadIT {

    private static final Logger log = LoggerFactory.getLogger(LoaderOffIoThreadIT.class);
    private static final Duration SOCKET_TIMEOUT = Duration.ofSeconds(5);

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.standalone();

    @RegisterExtension
    static final RedisClusterExtension cluster = RedisClusterExtension.create();

    private final String namespace = "offio-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<Cache<?>> caches = new ArrayList<>();

    @AfterEach
    void close() {
        for (Cache<?> cache : caches) {
            cache.clearNamespace();
            cache.close();
        }
    }

    private CacheConfig.Builder standalone() {
        return CacheConfig.builder().namespace(namespace).redisHost(redis.server().host()).redisPort(redis.server().port())
                .socketTimeout(SOCKET_TIMEOUT);
    }

    private CacheConfig.Builder clustered() {
        return CacheConfig.builder().namespace(namespace).redisClusterNodes(cluster.cluster().nodes())
                .socketTimeout(SOCKET_TIMEOUT);
    }

    private <C extends Cache<?>> C track(C cache) {
        cache.initialize();
        caches.add(cache);
        return cache;
    }

    @Test
    void redisCache_loaderCallsTheSameCache_completesPromptly() throws Exception {
        RedisCache<Object> cache = track(RedisCache.create(standalone().build()));
        assertLoadersCallingTheCacheArePrompt("RedisCache", cache, cache);
    }

    @Test
    void redisCluster_loaderCallsTheSameCache_completesPromptly() throws Exception {
        RedisCache<Object> cache = track(RedisCache.create(clustered().build()));
        assertLoadersCallingTheCacheArePrompt("RedisCache on a Cluster", cache, cache);
    }

    @Test
    void cacheManager_loaderCallsTheSameCache_completesPromptly() throws Exception {
        CacheManager<Object> manager = track(CacheManager.create(standalone().build()));
        // "b" written by another client, so that the manager's get("b") reads L2, not its own L1
        RedisCache<Object> writer = track(RedisCache.create(standalone().build()));
        assertLoadersCallingTheCacheArePrompt("CacheManager", manager, writer);
    }

    /** Each loader reads "b" from {@code cache} itself: synchronously, or by joining one of its futures. */
    private void assertLoadersCallingTheCacheArePrompt(String backend, Cache<Object> cache, Cache<Object> writer)
            throws Exception {
        writer.set("b", "B");
        Set<String> loaderThreads = ConcurrentHashMap.newKeySet();
        Function<Supplier<Object>, Function<String, Object>> recording = read -> key -> {
            loaderThreads.add(Thread.currentThread().getName());
            return read.get();
        };
        List<String> figures = new ArrayList<>();
        int round = 0;
        for (String how : List.of("get", "async().get().join()")) {
            Supplier<Object> read = how.equals("get") ? () -> cache.get("b") : () -> cache.async().get("b").join();
            Function<String, Object> loader = recording.apply(read);

            long started = System.nanoTime();
            Object blocking = cache.getOrLoad("blocking-" + round, loader);
            long blockingMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            started = System.nanoTime();
            Object async = cache.async().getOrLoad("async-" + round, key -> CompletableFuture.completedFuture(loader.apply(key)))
                    .get(30, TimeUnit.SECONDS);
            long asyncMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);

            figures.add(String.format("loader calls %s: getOrLoad %d ms, async().getOrLoad %d ms", how, blockingMillis,
                    asyncMillis));
            assertThat(blocking).as("%s getOrLoad, loader calls %s", backend, how).isEqualTo("B");
            assertThat(async).as("%s async().getOrLoad, loader calls %s", backend, how).isEqualTo("B");
            assertThat(blockingMillis).as("%s getOrLoad (ms), loader calls %s: a stall lasts socketTimeout", backend, how)
                    .isLessThan(SOCKET_TIMEOUT.toMillis());
            assertThat(asyncMillis).as("%s async().getOrLoad (ms), loader calls %s: a stall lasts socketTimeout", backend,
                    how).isLessThan(SOCKET_TIMEOUT.toMillis());
            round++;
        }
        log.info("{}, socketTimeout {} ms: {}; loader threads {}", backend, SOCKET_TIMEOUT.toMillis(), figures,
                loaderThreads);
        System.out.printf("%s, socketTimeout %d ms: %s; loader threads %s%n", backend, SOCKET_TIMEOUT.toMillis(), figures,
                loaderThreads);
        assertThat(cache.stats().errors()).as("%s: no read failed open", backend).isZero();
        assertThat(loaderThreads).as("%s: loaders never run on a Lettuce thread", backend)
                .noneMatch(LoaderOffIoThreadIT::isLettuceThread);
    }

    @Test
    void redisCache_asyncLoaderDecodingAndCallerStages_neverOnALettuceThread() throws Exception {
        Set<String> decodeThreads = ConcurrentHashMap.newKeySet();
        ValueCodec<String> json = Codecs.json(String.class);
        ValueCodec<String> recording = new ValueCodec<>() {
            @Override
            public byte[] encode(String value) {
                return json.encode(value);
            }

            @Override
            public String decode(byte[] bytes) {
                decodeThreads.add(Thread.currentThread().getName());
                return json.decode(bytes);
            }
        };
        RedisCache<String> cache = track(RedisCache.builder(standalone().build()).codec(recording).build());
        cache.set("b", "B");
        Set<String> threads = ConcurrentHashMap.newKeySet();

        String loaded = cache.async().getOrLoad("a", key -> cache.async().get("b").thenApply(b -> {
            threads.add("loader stage: " + Thread.currentThread().getName());
            return b + "!";
        })).get(30, TimeUnit.SECONDS);
        String stage = cache.async().get("b").thenApply(b -> Thread.currentThread().getName()).get(30, TimeUnit.SECONDS);
        cache.get("b");
        cache.getOrLoad("c", key -> cache.get("b"));

        System.out.printf("decoded on %s; loader stages on %s; a caller's stage on %s%n", decodeThreads, threads, stage);
        assertThat(loaded).isEqualTo("B!");
        assertThat(decodeThreads).isNotEmpty().noneMatch(LoaderOffIoThreadIT::isLettuceThread);
        assertThat(threads).isNotEmpty().noneMatch(LoaderOffIoThreadIT::isLettuceThread);
        assertThat(stage).satisfies(name -> assertThat(isLettuceThread(name)).as(name).isFalse());
    }

    @Test
    void cacheConfigExecutor_runsTheAsyncViewsCompletions() throws Exception {
        java.util.concurrent.ExecutorService mine = java.util.concurrent.Executors.newSingleThreadExecutor(
                r -> new Thread(r, "my-cache-executor"));
        try {
            RedisCache<Object> cache = track(RedisCache.create(standalone().executor(mine).build()));
            cache.set("b", "B");
            String thread = cache.async().get("b").thenApply(b -> Thread.currentThread().getName())
                    .get(30, TimeUnit.SECONDS);
            String loaderThread = cache.async().getOrLoad("a", key -> cache.async().get("b"))
                    .thenApply(v -> Thread.currentThread().getName()).get(30, TimeUnit.SECONDS);
            assertThat(thread).isEqualTo("my-cache-executor");
            assertThat(loaderThread).isEqualTo("my-cache-executor");
        } finally {
            mine.shutdownNow();
        }
    }

    /** Lettuce's Netty event loops and event executors are named {@code lettuce-...}. */
    private static boolean isLettuceThread(String name) {
        return name.startsWith("lettuce-") || name.contains("EventLoop") || name.contains("eventExecutor");
    }
}
