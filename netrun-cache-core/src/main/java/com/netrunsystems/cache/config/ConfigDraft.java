package com.netrunsystems.cache.config;

import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.Coherence;
import com.netrunsystems.cache.EvictionPolicy;
import com.netrunsystems.cache.LoadPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * The state of a {@code CacheConfig.Builder}: every setting, unchecked, starting at its default, and
 * {@link #validate()}, which checks them all and groups them. The fields are public because the builder,
 * in the API package, is their only writer; each carries the name of its {@code CacheConfig} getter.
 * Internal, not part of the API. Not thread-safe, as the builder.
 */
public final class ConfigDraft {

    public CacheBackend backend = CacheBackend.MEMORY;
    public String namespace = "cache";
    public Duration defaultTtl = Duration.ofHours(1);
    public long maxSize = 1000;
    public EvictionPolicy evictionPolicy = EvictionPolicy.TINY_LFU;
    public String redisUrl;
    public String redisHost = "localhost";
    public int redisPort = 6379;
    public int redisDb;
    public String redisUsername;
    public String redisPassword;
    public List<String> redisClusterNodes = List.of();
    public boolean redisTls;
    public boolean redisTlsVerifyPeer = true;
    public Path redisTlsCaCertificate;
    public Duration socketTimeout = Duration.ofSeconds(5);
    public Duration socketConnectTimeout = Duration.ofSeconds(5);
    public long l1MaxSize = 100;
    public Duration l1Ttl = Duration.ofMinutes(5);
    public Coherence coherence = Coherence.TRACKING;
    public Duration coherenceHeartbeat = Duration.ofSeconds(1);
    public boolean failOpen = true;
    public boolean sharedStats;
    public Duration keyCountRefresh = Duration.ofSeconds(30);
    public LoadPolicy loadPolicy = LoadPolicy.defaults();
    public Executor executor = ForkJoinPool.commonPool();

    /** Returns a draft holding every default. */
    public ConfigDraft() {
    }

    /** Returns a draft holding the values of {@code options}, to derive a variant. */
    public static ConfigDraft of(ConfigOptions options) {
        ConfigDraft d = new ConfigDraft();
        CacheOptions cache = options.cache();
        d.backend = cache.backend();
        d.namespace = cache.namespace();
        d.defaultTtl = cache.defaultTtl();
        d.maxSize = options.memory().maxSize();
        d.evictionPolicy = options.memory().evictionPolicy();
        RedisOptions redis = options.redis();
        d.redisUrl = redis.url();
        d.redisHost = redis.host();
        d.redisPort = redis.port();
        d.redisDb = redis.db();
        d.redisUsername = redis.username();
        d.redisPassword = redis.password();
        d.redisClusterNodes = redis.clusterNodes();
        d.redisTls = redis.tls();
        d.redisTlsVerifyPeer = redis.tlsVerifyPeer();
        d.redisTlsCaCertificate = redis.tlsCaCertificate();
        d.socketTimeout = redis.socketTimeout();
        d.socketConnectTimeout = redis.socketConnectTimeout();
        TieredOptions tiered = options.tiered();
        d.l1MaxSize = tiered.l1MaxSize();
        d.l1Ttl = tiered.l1Ttl();
        d.coherence = tiered.coherence();
        d.coherenceHeartbeat = tiered.coherenceHeartbeat();
        d.failOpen = cache.failOpen();
        d.sharedStats = cache.sharedStats();
        d.keyCountRefresh = cache.keyCountRefresh();
        d.loadPolicy = cache.loadPolicy();
        d.executor = cache.executor();
        return d;
    }

    /**
     * Validates every setting, in the order {@code CacheConfig.Builder#build()} always checked them
     * (backend, namespace, default TTL, memory, Redis, L1, the rest), and returns them grouped.
     *
     * @throws IllegalArgumentException naming the first invalid field and its value
     */
    public ConfigOptions validate() {
        CacheOptions.checkIdentity(backend, namespace, defaultTtl);
        MemoryOptions memory = new MemoryOptions(maxSize, evictionPolicy);
        RedisOptions redis = new RedisOptions(redisUrl, redisHost, redisPort, redisDb, redisUsername, redisPassword,
                redisClusterNodes, redisTls, redisTlsVerifyPeer, redisTlsCaCertificate, socketTimeout,
                socketConnectTimeout);
        TieredOptions tiered = new TieredOptions(l1MaxSize, l1Ttl, coherence, coherenceHeartbeat);
        CacheOptions cache = new CacheOptions(backend, namespace, defaultTtl, failOpen, sharedStats, keyCountRefresh,
                loadPolicy, executor);
        return new ConfigOptions(cache, memory, redis, tiered);
    }
}
