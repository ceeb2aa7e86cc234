package com.netrunsystems.cache.bench;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.spring.NetrunCacheManager;
import com.netrunsystems.cache.spring.NetrunSpringCache;
import com.netrunsystems.cache.testsupport.RedisServer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.cache.RedisCacheConfiguration;
import org.springframework.data.redis.cache.RedisCacheManager;
import org.springframework.data.redis.connection.RedisStandaloneConfiguration;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;
import org.springframework.data.redis.serializer.RedisSerializationContext;
import org.springframework.data.redis.serializer.StringRedisSerializer;

/**
 * {@code @Cacheable} through Spring's caching proxy on the netrun adapter ({@code NetrunCacheManager})
 * against Spring's own {@code CaffeineCacheManager} and Spring Data's {@code RedisCacheManager}, one
 * thread, 10,000 keys of 100-character strings:
 * <ul>
 *   <li>{@link Hit}: every key cached in memory. {@code netrun-direct} is a plain {@code Cache.get}
 *       on the netrun memory cache underneath, without Spring (the target: the adapter costs at
 *       most 1.2x of it).</li>
 *   <li>{@link MissLoad}: every call a new key: the method runs (returns at once) and its result is
 *       stored; the caches hold 10,000 entries, so the steady state also evicts.</li>
 *   <li>{@link RedisHit}: every key cached in Redis only (netrun backend {@code redis}, Spring Data
 *       Redis with a String serializer): one {@code GET} round trip per call.</li>
 * </ul>
 */
public class SpringCacheBenchmark {

    static final int KEYS = 10_000;
    static final int VALUE_LENGTH = 100;

    /** The cached "repository": returns a fixed 100-character value at once. */
    public static class Repository {
        static final String VALUE = "v".repeat(VALUE_LENGTH);

        @Cacheable("bench")
        public String find(String key) {
            return VALUE;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class CachingConfig {
        @Bean
        Repository repository() {
            return new Repository();
        }
    }

    /** Starts a context whose cache manager is {@code manager}. */
    static AnnotationConfigApplicationContext context(org.springframework.cache.CacheManager manager) {
        AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext();
        context.registerBean("cacheManager", org.springframework.cache.CacheManager.class, () -> manager);
        context.register(CachingConfig.class);
        context.refresh();
        return context;
    }

    static CaffeineCacheManager caffeine() {
        CaffeineCacheManager manager = new CaffeineCacheManager("bench");
        manager.setCaffeine(Caffeine.newBuilder().maximumSize(KEYS).expireAfterWrite(Duration.ofHours(1)));
        return manager;
    }

    static NetrunCacheManager netrun(CacheBackend backend, RedisServer server) {
        CacheConfig.Builder config = server == null ? CacheConfig.builder() : BenchRedis.config(server);
        return NetrunCacheManager.builder(config.backend(backend).maxSize(KEYS).defaultTtl(Duration.ofHours(1)).build())
                .build();
    }

    static String[] keys() {
        String[] keys = new String[KEYS];
        for (int i = 0; i < KEYS; i++) {
            keys[i] = "key:" + i;
        }
        return keys;
    }

    @State(Scope.Thread)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public static class Hit {
        @Param({"netrun-direct", "netrun-adapter", "spring-caffeine"})
        public String contender;

        AnnotationConfigApplicationContext context;
        NetrunCacheManager manager;
        Repository repository;
        Cache<Object> direct;
        String[] keys;
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            keys = keys();
            if (contender.equals("spring-caffeine")) {
                context = context(caffeine());
            } else {
                manager = netrun(CacheBackend.MEMORY, null);
                context = context(manager);
                direct = ((com.netrunsystems.cache.spring.NetrunSpringCache) manager.getCache("bench")).getNativeCache();
            }
            repository = context.getBean(Repository.class);
            for (String key : keys) {
                repository.find(key);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            context.close();
            if (manager != null) {
                manager.close();
            }
        }
    }

    @Benchmark
    @Fork(1)
    @Threads(1)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public Object hit(Hit state) {
        String key = state.keys[state.next++ % KEYS];
        return state.direct != null && state.contender.equals("netrun-direct")
                ? state.direct.get(key) : state.repository.find(key);
    }

    @State(Scope.Thread)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public static class MissLoad {
        @Param({"netrun-adapter", "spring-caffeine"})
        public String contender;

        AnnotationConfigApplicationContext context;
        NetrunCacheManager manager;
        Repository repository;
        final AtomicLong next = new AtomicLong();

        @Setup(Level.Trial)
        public void setUp() {
            if (contender.equals("spring-caffeine")) {
                context = context(caffeine());
            } else {
                manager = netrun(CacheBackend.MEMORY, null);
                context = context(manager);
            }
            repository = context.getBean(Repository.class);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            context.close();
            if (manager != null) {
                manager.close();
            }
        }
    }

    @Benchmark
    @Fork(1)
    @Threads(1)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public Object missLoad(MissLoad state) {
        return state.repository.find("new:" + state.next.incrementAndGet());
    }

    @State(Scope.Thread)
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public static class RedisHit {
        @Param({"netrun-adapter", "spring-redis"})
        public String contender;

        RedisServer server;
        AnnotationConfigApplicationContext context;
        NetrunCacheManager manager;
        LettuceConnectionFactory factory;
        Repository repository;
        String[] keys;
        int next;

        @Setup(Level.Trial)
        public void setUp() {
            server = BenchRedis.start();
            keys = keys();
            if (contender.equals("spring-redis")) {
                factory = new LettuceConnectionFactory(new RedisStandaloneConfiguration(server.host(), server.port()));
                factory.afterPropertiesSet();
                factory.start();
                RedisCacheManager redis = RedisCacheManager.builder(factory)
                        .cacheDefaults(RedisCacheConfiguration.defaultCacheConfig().entryTtl(Duration.ofHours(1))
                                .serializeValuesWith(RedisSerializationContext.SerializationPair
                                        .fromSerializer(new StringRedisSerializer())))
                        .build();
                redis.afterPropertiesSet();
                context = context(redis);
            } else {
                manager = netrun(CacheBackend.REDIS, server);
                context = context(manager);
            }
            repository = context.getBean(Repository.class);
            for (String key : keys) {
                repository.find(key);
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            context.close();
            if (manager != null) {
                manager.close();
            }
            if (factory != null) {
                factory.destroy();
            }
            server.close();
        }
    }

    @Benchmark
    @Fork(1)
    @Threads(1)
    @Warmup(iterations = 3, time = 2)
    @Measurement(iterations = 5, time = 2)
    public Object redisHit(RedisHit state) {
        return state.repository.find(state.keys[state.next++ % KEYS]);
    }
}
