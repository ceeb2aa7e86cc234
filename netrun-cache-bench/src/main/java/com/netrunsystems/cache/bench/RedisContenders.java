package com.netrunsystems.cache.bench;

import com.alicp.jetcache.Cache;
import com.alicp.jetcache.MultiLevelCacheBuilder;
import com.alicp.jetcache.embedded.CaffeineCacheBuilder;
import com.alicp.jetcache.redis.lettuce.RedisLettuceCacheBuilder;
import com.alicp.jetcache.support.Fastjson2KeyConvertor;
import com.alicp.jetcache.support.JavaValueDecoder;
import com.alicp.jetcache.support.JavaValueEncoder;
import com.netrunsystems.cache.Codecs;
import com.netrunsystems.cache.redis.RedisCache;
import com.netrunsystems.cache.testsupport.RedisServer;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.api.sync.RedisCommands;
import io.lettuce.core.codec.StringCodec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.redisson.Redisson;
import org.redisson.api.RBuckets;
import org.redisson.api.RedissonClient;
import org.redisson.config.Config;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.cache.RedisCacheWriter;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.RedisSerializer;

/**
 * The Redis contenders, each configured as its documentation suggests for string values with a
 * one-hour TTL, on one server:
 * <ul>
 *   <li>{@code netrun}: {@link RedisCache} with {@link Codecs#string()} (its own Lettuce connection).</li>
 *   <li>{@code lettuce}: raw Lettuce 7, {@link StringCodec#UTF8}, one connection, sync or async API,
 *       {@code SET key value PX ttl}, {@code MGET}.</li>
 *   <li>{@code lettuce_manual_flush}: raw Lettuce with {@code setAutoFlushCommands(false)} and one
 *       {@code flushCommands()} per batch (single-threaded only: the setting is per connection).</li>
 *   <li>{@code redisson}: Redisson {@code RBucket}/{@code RBuckets} with its {@code StringCodec} and
 *       default connection pool.</li>
 *   <li>{@code spring}: Spring Data Redis {@code RedisCache} from a {@code RedisCacheManager} on a
 *       {@code LettuceConnectionFactory} (shared native connection), string value serializer, key
 *       prefix {@code bench:}, {@code immediateWrites()} (its default since 4.0 returns from {@code put}
 *       before Redis replies); bulk reads through {@code StringRedisTemplate.multiGet}.</li>
 *   <li>{@code jetcache}: JetCache {@code RedisLettuceCache} (Lettuce remote), key prefix {@code bench:},
 *       Java-serialization value encoder (its default; JetCache stores a holder object with the expiry
 *       around each value, so its payloads are larger).</li>
 * </ul>
 */
final class RedisContenders {

    static final int BATCHES = 1024;
    static final int BATCH_SIZE = 100;

    private RedisContenders() {
    }

    static RedisContender create(String name, RedisServer server, Workload workload) {
        switch (name) {
            case "netrun":
                return new Netrun(server, workload);
            case "lettuce":
                return new Lettuce(server, workload, true);
            case "lettuce_manual_flush":
                return new Lettuce(server, workload, false);
            case "lettuce_flush_consolidation":
                return new Lettuce(server, workload, true, true);
            case "redisson":
                return new RedissonBuckets(server, workload);
            case "spring":
                return new SpringCache(server, workload);
            case "jetcache":
                return new JetCacheRemote(server, workload);
            default:
                throw new IllegalArgumentException("unknown Redis contender " + name);
        }
    }

    static String redisUri(RedisServer server) {
        return "redis://" + server.host() + ":" + server.port();
    }

    /** Keys as a cache that adds the namespace itself takes them. */
    static String[] plainKeys(Workload workload) {
        String[] keys = new String[workload.keyCount()];
        Arrays.setAll(keys, workload::key);
        return keys;
    }

    /** Keys as stored in Redis: {@code bench:key:1}. */
    static String[] fullKeys(Workload workload) {
        String[] keys = new String[workload.keyCount()];
        Arrays.setAll(keys, i -> BenchRedis.NAMESPACE + ":" + workload.key(i));
        return keys;
    }

    static <T> List<List<T>> batchLists(Workload workload, T[] keys) {
        List<List<T>> lists = new ArrayList<>();
        for (int[] batch : workload.batches(BATCHES, BATCH_SIZE)) {
            List<T> list = new ArrayList<>(batch.length);
            for (int index : batch) {
                list.add(keys[index]);
            }
            lists.add(List.copyOf(list));
        }
        return lists;
    }

    /** Sets every key through raw Lettuce with the plain string payload, in pipelined chunks. */
    static void preloadRaw(RedisServer server, Workload workload) {
        RedisClient client = RedisClient.create(redisUri(server));
        try (StatefulRedisConnection<String, String> connection = client.connect(StringCodec.UTF8)) {
            String[] keys = fullKeys(workload);
            RedisAsyncCommands<String, String> async = connection.async();
            List<CompletableFuture<String>> replies = new ArrayList<>();
            SetArgs ttl = SetArgs.Builder.px(BenchRedis.TTL.toMillis());
            for (int i = 0; i < keys.length; i++) {
                replies.add(async.set(keys[i], workload.value(i), ttl).toCompletableFuture());
            }
            CompletableFuture.allOf(replies.toArray(new CompletableFuture<?>[0])).join();
        } finally {
            client.shutdown();
        }
    }

    /** netrun-cache's {@link RedisCache}, sync and async views. */
    static final class Netrun implements RedisContender {
        private final RedisServer server;
        private final Workload workload;
        private final RedisCache<String> cache;
        private final String[] keys;
        private final List<List<String>> batches;

        Netrun(RedisServer server, Workload workload) {
            this.server = server;
            this.workload = workload;
            this.cache = RedisCache.builder(BenchRedis.config(server).build()).codec(Codecs.string()).build();
            cache.initialize();
            this.keys = plainKeys(workload);
            this.batches = batchLists(workload, keys);
        }

        @Override
        public void preload() {
            preloadRaw(server, workload);
        }

        @Override
        public Object get(int index) {
            return cache.get(keys[index]);
        }

        @Override
        public void set(int index) {
            cache.set(keys[index], workload.value(index));
        }

        @Override
        public Object getMany(int batch) {
            return cache.getMany(batches.get(batch));
        }

        @Override
        public CompletableFuture<?> getAsync(int index) {
            return cache.async().get(keys[index]);
        }

        @Override
        public void close() {
            cache.close();
        }
    }

    /** Raw Lettuce on one connection; with {@code autoFlush} off, {@link #flush()} sends each batch. */
    static final class Lettuce implements RedisContender {
        private final RedisServer server;
        private final Workload workload;
        private final RedisClient client;
        private final StatefulRedisConnection<String, String> connection;
        private final RedisCommands<String, String> sync;
        private final RedisAsyncCommands<String, String> async;
        private final String[] keys;
        private final String[][] batches;
        private final SetArgs ttl = SetArgs.Builder.px(BenchRedis.TTL.toMillis());

        Lettuce(RedisServer server, Workload workload, boolean autoFlush) {
            this(server, workload, autoFlush, false);
        }

        /**
         * With {@code consolidateFlushes}, Netty's {@code FlushConsolidationHandler} sits first in the
         * channel pipeline: commands written from other threads in the same event-loop turn share one
         * flush (one syscall), with auto-flush still on. This is how a library can batch flushes
         * without its callers calling {@code flushCommands()}.
         */
        Lettuce(RedisServer server, Workload workload, boolean autoFlush, boolean consolidateFlushes) {
            this.server = server;
            this.workload = workload;
            this.client = consolidateFlushes
                    ? RedisClient.create(io.lettuce.core.resource.DefaultClientResources.builder()
                            .nettyCustomizer(new io.lettuce.core.resource.NettyCustomizer() {
                                @Override
                                public void afterChannelInitialized(io.netty.channel.Channel channel) {
                                    channel.pipeline().addFirst(
                                            new io.netty.handler.flush.FlushConsolidationHandler(256, true));
                                }
                            }).build(), RedisURI.create(redisUri(server)))
                    : RedisClient.create(RedisURI.create(redisUri(server)));
            this.connection = client.connect(StringCodec.UTF8);
            connection.setAutoFlushCommands(autoFlush);
            this.sync = connection.sync();
            this.async = connection.async();
            this.keys = fullKeys(workload);
            this.batches = batchLists(workload, keys).stream().map(l -> l.toArray(new String[0])).toArray(String[][]::new);
        }

        @Override
        public void preload() {
            preloadRaw(server, workload);
        }

        @Override
        public Object get(int index) {
            return sync.get(keys[index]);
        }

        @Override
        public void set(int index) {
            sync.set(keys[index], workload.value(index), ttl);
        }

        @Override
        public Object getMany(int batch) {
            return sync.mget(batches[batch]);
        }

        @Override
        public CompletableFuture<?> getAsync(int index) {
            return async.get(keys[index]).toCompletableFuture();
        }

        @Override
        public void flush() {
            connection.flushCommands();
        }

        @Override
        public void close() {
            connection.close();
            client.shutdown();
            client.getResources().shutdown();
        }
    }

    /** Redisson buckets. */
    static final class RedissonBuckets implements RedisContender {
        private final RedisServer server;
        private final Workload workload;
        private final RedissonClient redisson;
        private final RBuckets buckets;
        private final String[] keys;
        private final String[][] batches;

        RedissonBuckets(RedisServer server, Workload workload) {
            this.server = server;
            this.workload = workload;
            this.redisson = redisson(server);
            this.buckets = redisson.getBuckets();
            this.keys = fullKeys(workload);
            this.batches = batchLists(workload, keys).stream().map(l -> l.toArray(new String[0])).toArray(String[][]::new);
        }

        @Override
        public void preload() {
            preloadRaw(server, workload);
        }

        @Override
        public Object get(int index) {
            return redisson.<String>getBucket(keys[index]).get();
        }

        @Override
        public void set(int index) {
            redisson.<String>getBucket(keys[index]).set(workload.value(index), BenchRedis.TTL);
        }

        @Override
        public Object getMany(int batch) {
            return buckets.get(batches[batch]);
        }

        @Override
        public CompletableFuture<?> getAsync(int index) {
            return redisson.<String>getBucket(keys[index]).getAsync().toCompletableFuture();
        }

        @Override
        public void close() {
            redisson.shutdown();
        }
    }

    static RedissonClient redisson(RedisServer server) {
        Config config = new Config();
        config.setCodec(org.redisson.client.codec.StringCodec.INSTANCE);
        config.useSingleServer().setAddress(redisUri(server));
        return Redisson.create(config);
    }

    /** Spring Data Redis's cache abstraction, and its template for bulk reads. */
    static final class SpringCache implements RedisContender {
        private final RedisServer server;
        private final Workload workload;
        private final LettuceConnectionFactory factory;
        private final org.springframework.cache.Cache cache;
        private final StringRedisTemplate template;
        private final String[] keys;
        private final List<List<String>> batches;

        SpringCache(RedisServer server, Workload workload) {
            this.server = server;
            this.workload = workload;
            this.factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(server.host(), server.port()));
            factory.afterPropertiesSet();
            factory.start();
            // Spring Data Redis 4 writes asynchronously by default (put returns before Redis replies);
            // immediateWrites() makes put wait for the reply, as every other contender's set does.
            RedisCacheManager manager = RedisCacheManager.builder(factory)
                    .cacheWriter(RedisCacheWriter.create(factory, writer -> writer.immediateWrites()))
                    .cacheDefaults(RedisCacheConfiguration.defaultCacheConfig()
                            .entryTtl(BenchRedis.TTL)
                            .computePrefixWith(name -> name + ":")
                            .disableCachingNullValues()
                            .serializeValuesWith(RedisSerializationContext.SerializationPair.fromSerializer(
                                    RedisSerializer.string())))
                    .build();
            manager.afterPropertiesSet();
            this.cache = manager.getCache(BenchRedis.NAMESPACE);
            this.template = new StringRedisTemplate(factory);
            template.afterPropertiesSet();
            this.keys = plainKeys(workload);
            this.batches = batchLists(workload, fullKeys(workload));
        }

        @Override
        public void preload() {
            preloadRaw(server, workload);
        }

        @Override
        public Object get(int index) {
            org.springframework.cache.Cache.ValueWrapper found = cache.get(keys[index]);
            return found == null ? null : found.get();
        }

        @Override
        public void set(int index) {
            cache.put(keys[index], workload.value(index));
        }

        @Override
        public Object getMany(int batch) {
            return template.opsForValue().multiGet(batches.get(batch));
        }

        @Override
        public void close() {
            factory.destroy();
        }
    }

    /** JetCache's Lettuce-backed remote cache. */
    static final class JetCacheRemote implements RedisContender {
        private final Workload workload;
        private final RedisClient client;
        private final Cache<String, String> cache;
        private final String[] keys;
        private final List<Set<String>> batches;

        JetCacheRemote(RedisServer server, Workload workload) {
            this.workload = workload;
            this.client = RedisClient.create(RedisURI.create(redisUri(server)));
            this.cache = jetcacheRemote(client);
            this.keys = plainKeys(workload);
            this.batches = new ArrayList<>();
            for (List<String> batch : batchLists(workload, keys)) {
                batches.add(new LinkedHashSet<>(batch));
            }
        }

        @Override
        public void preload() {
            Map<String, String> chunk = new HashMap<>();
            for (int i = 0; i < keys.length; i++) {
                chunk.put(keys[i], workload.value(i));
                if (chunk.size() == 1000 || i == keys.length - 1) {
                    requireSuccess(cache.PUT_ALL(chunk, BenchRedis.TTL.toMillis(), TimeUnit.MILLISECONDS));
                    chunk.clear();
                }
            }
        }

        @Override
        public Object get(int index) {
            return cache.get(keys[index]);
        }

        @Override
        public void set(int index) {
            // PUT returns before Redis answers; wait for the reply as every other contender does.
            requireSuccess(cache.PUT(keys[index], workload.value(index), BenchRedis.TTL.toMillis(), TimeUnit.MILLISECONDS));
        }

        @Override
        public Object getMany(int batch) {
            return cache.getAll(batches.get(batch));
        }

        @Override
        public void close() {
            cache.close();
            client.shutdown();
        }
    }

    static void requireSuccess(com.alicp.jetcache.CacheResult result) {
        if (!result.isSuccess()) {
            throw new IllegalStateException("JetCache write failed: " + result.getResultCode() + " " + result.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    static Cache<String, String> jetcacheRemote(RedisClient client) {
        return (Cache<String, String>) (Cache<?, ?>) RedisLettuceCacheBuilder.createRedisLettuceCacheBuilder()
                .redisClient(client)
                .keyPrefix(BenchRedis.NAMESPACE + ":")
                .keyConvertor(Fastjson2KeyConvertor.INSTANCE)
                .valueEncoder(JavaValueEncoder.INSTANCE)
                .valueDecoder(JavaValueDecoder.INSTANCE)
                .expireAfterWrite(BenchRedis.TTL.toMillis(), TimeUnit.MILLISECONDS)
                .buildCache();
    }

    @SuppressWarnings("unchecked")
    static Cache<String, String> jetcacheTwoLevel(RedisClient client, int localLimit) {
        Cache<String, String> local = (Cache<String, String>) (Cache<?, ?>) CaffeineCacheBuilder.createCaffeineCacheBuilder()
                .limit(localLimit)
                .keyConvertor(Fastjson2KeyConvertor.INSTANCE)
                .expireAfterWrite(5, TimeUnit.MINUTES)
                .buildCache();
        Cache<String, String> remote = jetcacheRemote(client);
        return (Cache<String, String>) (Cache<?, ?>) MultiLevelCacheBuilder.createMultiLevelCacheBuilder()
                .addCache(local, remote)
                .expireAfterWrite(BenchRedis.TTL.toMillis(), TimeUnit.MILLISECONDS)
                .buildCache();
    }
}
