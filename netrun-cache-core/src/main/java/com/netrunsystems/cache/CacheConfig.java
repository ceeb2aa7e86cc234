package com.netrunsystems.cache;

import com.netrunsystems.cache.config.ConfigDraft;
import com.netrunsystems.cache.config.ConfigOptions;
import com.netrunsystems.cache.config.ConfigReader;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * The immutable settings of a cache: the seed's {@code CacheConfig} fields, plus ACL user, Redis
 * Cluster, TLS and failure policy. Build one with {@link #builder()}, or read one from the
 * environment ({@link #fromEnvironment()}) or from properties ({@link #fromProperties(Properties)}).
 *
 * <pre>{@code
 * CacheConfig config = CacheConfig.builder()
 *         .namespace("api").defaultTtl(Duration.ofHours(1))
 *         .l1MaxSize(100).l1Ttl(Duration.ofMinutes(5))
 *         .redisHost("localhost")
 *         .build();
 * }</pre>
 *
 * <p>{@link Builder#build()} validates every field once and throws an
 * {@link IllegalArgumentException} naming the field and the bad value. {@link #toString()} never
 * shows a password, also not one embedded in {@link #redisUrl()}. Instances are immutable and
 * thread-safe.
 */
public final class CacheConfig {

    // The settings live in the records of package config (not API), which validate, compare and print
    // them; the getters and the Builder below keep the public names.
    private final ConfigOptions options;

    private CacheConfig(ConfigOptions options) {
        this.options = options;
    }

    /** Returns a builder holding the defaults. */
    public static Builder builder() {
        return new Builder(new ConfigDraft());
    }

    /** Returns a builder holding this configuration's values, to derive a variant. */
    public Builder toBuilder() {
        return new Builder(ConfigDraft.of(options));
    }

    /** Returns a configuration with every default; equivalent to {@code builder().build()}. */
    public static CacheConfig defaults() {
        return builder().build();
    }

    /**
     * Reads the settings from environment variables named {@code NETRUN_CACHE_} plus the getter's
     * name in upper snake case ({@code NETRUN_CACHE_REDIS_PORT=6380},
     * {@code NETRUN_CACHE_BACKEND=multi_layer}); unset variables keep their defaults. A
     * {@code NETRUN_CACHE_*} variable that names no setting is ignored and logged at WARN with the
     * closest known name ({@code NETRUN_CACHE_REDISPORT}: "did you mean NETRUN_CACHE_REDIS_PORT?").
     *
     * @throws IllegalArgumentException naming the variable when a value cannot be parsed or is invalid
     */
    public static CacheConfig fromEnvironment() {
        return fromEnvironment(System.getenv());
    }

    /** Reads the settings from the given environment map; see {@link #fromEnvironment()}. */
    public static CacheConfig fromEnvironment(Map<String, String> environment) {
        return ConfigReader.buildFromEnvironment(environment);
    }

    /**
     * Reads the settings from properties named {@code netrun.cache.} plus the getter's name in kebab
     * case ({@code netrun.cache.redis-port=6380}, {@code netrun.cache.default-ttl=PT30M}); unset
     * properties keep their defaults. Durations are ISO-8601 ({@code PT5M}), a number with a unit
     * ({@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d}) or plain seconds, as the seed
     * writes them; lists are comma-separated. A {@code netrun.cache.*} property that names no setting
     * ({@code netrun.cache.redisPort}) is ignored and logged at WARN with the closest known name.
     *
     * @throws IllegalArgumentException naming the property when a value cannot be parsed or is invalid
     */
    public static CacheConfig fromProperties(Properties properties) {
        return ConfigReader.buildFromProperties(properties);
    }

    /** Returns the backend that {@link Caches#create(CacheConfig)} builds; default {@code MEMORY}. */
    public CacheBackend backend() {
        return options.cache().backend();
    }

    /** Returns the namespace that prefixes every key ({@code namespace:key} in Redis); default {@code "cache"}. */
    public String namespace() {
        return options.cache().namespace();
    }

    /** Returns the TTL of entries written without one; default 1 hour. */
    public Duration defaultTtl() {
        return options.cache().defaultTtl();
    }

    /** Returns the most entries a memory cache holds; default 1000. */
    public long maxSize() {
        return options.memory().maxSize();
    }

    /** Returns how a full memory cache chooses what to evict; default {@link EvictionPolicy#TINY_LFU}. */
    public EvictionPolicy evictionPolicy() {
        return options.memory().evictionPolicy();
    }

    /**
     * Returns the Redis URL, when set; it wins over host, port, db, username and password.
     * {@code redis://[user:password@]host[:port][/db]}, {@code rediss://…} for TLS, or
     * {@code redis-sentinel://host:26379[,host2:26379][/db]#masterName}.
     */
    public Optional<String> redisUrl() {
        return Optional.ofNullable(options.redis().url());
    }

    /** Returns the Redis host; default {@code "localhost"}. */
    public String redisHost() {
        return options.redis().host();
    }

    /** Returns the Redis port; default 6379. */
    public int redisPort() {
        return options.redis().port();
    }

    /** Returns the Redis database index; default 0. Redis Cluster only has database 0. */
    public int redisDb() {
        return options.redis().db();
    }

    /** Returns the Redis ACL user name, when set (Redis 6+); otherwise the {@code default} user. */
    public Optional<String> redisUsername() {
        return Optional.ofNullable(options.redis().username());
    }

    /** Returns the Redis password, when set. Never logged or printed by netrun-cache. */
    public Optional<String> redisPassword() {
        return Optional.ofNullable(options.redis().password());
    }

    /** Returns the {@code host:port} seeds of a Redis Cluster; non-empty means Cluster mode. */
    public List<String> redisClusterNodes() {
        return options.redis().clusterNodes();
    }

    /** Returns whether host/port connections use TLS; a {@code rediss://} URL implies it. Default {@code false}. */
    public boolean redisTls() {
        return options.redis().tls();
    }

    /**
     * Returns whether TLS connections verify the server's certificate and host name. Default
     * {@code true}; turn it off only for tests against self-signed servers you control.
     */
    public boolean redisTlsVerifyPeer() {
        return options.redis().tlsVerifyPeer();
    }

    /** Returns a PEM file of CA certificates to trust for TLS instead of the JVM's default trust store. */
    public Optional<Path> redisTlsCaCertificate() {
        return Optional.ofNullable(options.redis().tlsCaCertificate());
    }

    /**
     * Returns how long one Redis command may take before it counts as failed; default 5 seconds. A
     * call that gets no reply returns within this plus at most 80 ms (the Redis module's own client
     * times commands out on a 10 ms tick).
     */
    public Duration socketTimeout() {
        return options.redis().socketTimeout();
    }

    /** Returns how long connecting to Redis may take; default 5 seconds. */
    public Duration socketConnectTimeout() {
        return options.redis().socketConnectTimeout();
    }

    /** Returns the most entries the L1 of a {@link CacheManager} holds; default 100. */
    public long l1MaxSize() {
        return options.tiered().l1MaxSize();
    }

    /** Returns the longest time an entry stays in the L1 of a {@link CacheManager}; default 5 minutes. */
    public Duration l1Ttl() {
        return options.tiered().l1Ttl();
    }

    /** Returns how a {@link CacheManager}'s L1 stays coherent with other writers; default {@link Coherence#TRACKING}. */
    public Coherence coherence() {
        return options.tiered().coherence();
    }

    /**
     * Returns how often the connection that carries invalidations is pinged (default 1 s); a reply missing
     * for twice as long makes L1 untrusted, so a change is missed for at most 3 times this (see {@link Coherence}).
     */
    public Duration coherenceHeartbeat() {
        return options.tiered().coherenceHeartbeat();
    }

    /**
     * Returns whether reads and writes fail open when the backend is unreachable (reads miss,
     * writes return {@code false}); default {@code true}. When {@code false}, every operation
     * throws {@link CacheUnavailableException} instead.
     */
    public boolean failOpen() {
        return options.cache().failOpen();
    }

    /**
     * Returns whether Redis caches also count hits and misses in the shared keys the Python
     * package keeps ({@code namespace:stats:hits}, {@code namespace:stats:misses}); default
     * {@code false}. The counts are sent in batches in the background, never on a read's path.
     */
    public boolean sharedStats() {
        return options.cache().sharedStats();
    }

    /**
     * Returns how often a Redis cache recounts the keys of its namespace for
     * {@link CacheStats#cachedKeys()}, in the background; default 30 seconds.
     */
    public Duration keyCountRefresh() {
        return options.cache().keyCountRefresh();
    }

    /** Returns how {@link Cache#getOrLoad} defends against stampedes; default {@link LoadPolicy#defaults()}. */
    public LoadPolicy loadPolicy() {
        return options.cache().loadPolicy();
    }

    /**
     * Returns the executor that runs user code reached from Redis replies: the asynchronous views'
     * loaders and the steps after them, decoding into user types, and every completion of an
     * {@link AsyncCache} future on Redis, so that none of it runs on a Lettuce I/O thread (where a loader
     * that calls the same cache synchronously would wait for a reply only its own thread can read).
     * Default {@link ForkJoinPool#commonPool()}, as in Caffeine: bounded by its parallelism (cores - 1),
     * so loaders that block for long should get an executor of their own. The blocking views run their
     * loader and decoding on the calling thread instead. Not part of {@link #equals}: any executor fits.
     */
    public Executor executor() {
        return options.cache().executor();
    }

    /** Returns whether a Redis Cluster is configured. */
    public boolean isCluster() {
        return !options.redis().clusterNodes().isEmpty();
    }

    /** Returns the Redis endpoint for messages, such as {@code 127.0.0.1:6379}: never a password. */
    public String redisEndpoint() {
        return options.redis().endpoint();
    }

    @Override
    public boolean equals(Object o) {
        return this == o || o instanceof CacheConfig c && options.equals(c.options);
    }

    @Override
    public int hashCode() {
        return options.hashCode();
    }

    /** Returns every setting except the password, which shows as {@code ****} when set. */
    @Override
    public String toString() {
        return "CacheConfig{" + options.fields() + "}";
    }

    /**
     * Builds a {@link CacheConfig}. Setters carry the getters' names; {@link #build()} validates.
     * Not thread-safe; the built configuration is.
     */
    public static final class Builder {
        private final ConfigDraft draft;

        private Builder(ConfigDraft draft) {
            this.draft = draft;
        }

        /** Sets the backend {@link Caches#create(CacheConfig)} builds. */
        public Builder backend(CacheBackend backend) {
            draft.backend = backend;
            return this;
        }

        /** Sets the namespace; non-blank. */
        public Builder namespace(String namespace) {
            draft.namespace = namespace;
            return this;
        }

        /** Sets the default TTL; positive. */
        public Builder defaultTtl(Duration defaultTtl) {
            draft.defaultTtl = defaultTtl;
            return this;
        }

        /** Sets the size bound of memory caches; positive. */
        public Builder maxSize(long maxSize) {
            draft.maxSize = maxSize;
            return this;
        }

        /** Sets the eviction policy of memory caches. */
        public Builder evictionPolicy(EvictionPolicy evictionPolicy) {
            draft.evictionPolicy = evictionPolicy;
            return this;
        }

        /** Sets the Redis URL, which wins over host, port, db, username and password; {@code null} clears it. */
        public Builder redisUrl(String redisUrl) {
            draft.redisUrl = redisUrl;
            return this;
        }

        /** Sets the Redis host. */
        public Builder redisHost(String redisHost) {
            draft.redisHost = redisHost;
            return this;
        }

        /** Sets the Redis port; 1–65535. */
        public Builder redisPort(int redisPort) {
            draft.redisPort = redisPort;
            return this;
        }

        /** Sets the Redis database index; 0 or more. */
        public Builder redisDb(int redisDb) {
            draft.redisDb = redisDb;
            return this;
        }

        /** Sets the Redis ACL user name; {@code null} clears it. */
        public Builder redisUsername(String redisUsername) {
            draft.redisUsername = redisUsername;
            return this;
        }

        /** Sets the Redis password; {@code null} clears it. */
        public Builder redisPassword(String redisPassword) {
            draft.redisPassword = redisPassword;
            return this;
        }

        /** Sets the {@code host:port} seeds of a Redis Cluster; an empty list means no Cluster. */
        public Builder redisClusterNodes(List<String> redisClusterNodes) {
            draft.redisClusterNodes = redisClusterNodes;
            return this;
        }

        /** Sets the {@code host:port} seeds of a Redis Cluster. */
        public Builder redisClusterNodes(String... redisClusterNodes) {
            return redisClusterNodes(redisClusterNodes == null ? null : Arrays.asList(redisClusterNodes));
        }

        /** Sets whether host/port connections use TLS. */
        public Builder redisTls(boolean redisTls) {
            draft.redisTls = redisTls;
            return this;
        }

        /** Sets whether TLS verifies the server's certificate; keep the default {@code true} in production. */
        public Builder redisTlsVerifyPeer(boolean redisTlsVerifyPeer) {
            draft.redisTlsVerifyPeer = redisTlsVerifyPeer;
            return this;
        }

        /** Sets a PEM file of CA certificates to trust for TLS; {@code null} uses the JVM's trust store. */
        public Builder redisTlsCaCertificate(Path redisTlsCaCertificate) {
            draft.redisTlsCaCertificate = redisTlsCaCertificate;
            return this;
        }

        /** Sets the per-command timeout; positive. */
        public Builder socketTimeout(Duration socketTimeout) {
            draft.socketTimeout = socketTimeout;
            return this;
        }

        /** Sets the connect timeout; positive. */
        public Builder socketConnectTimeout(Duration socketConnectTimeout) {
            draft.socketConnectTimeout = socketConnectTimeout;
            return this;
        }

        /** Sets the size bound of a {@link CacheManager}'s L1; positive. */
        public Builder l1MaxSize(long l1MaxSize) {
            draft.l1MaxSize = l1MaxSize;
            return this;
        }

        /** Sets the longest L1 TTL of a {@link CacheManager}; positive. */
        public Builder l1Ttl(Duration l1Ttl) {
            draft.l1Ttl = l1Ttl;
            return this;
        }

        /** Sets how a {@link CacheManager}'s L1 stays coherent; see {@link Coherence}. */
        public Builder coherence(Coherence coherence) {
            draft.coherence = coherence;
            return this;
        }

        /** Sets how often the invalidation connection is pinged; positive; see {@link CacheConfig#coherenceHeartbeat()}. */
        public Builder coherenceHeartbeat(Duration coherenceHeartbeat) {
            draft.coherenceHeartbeat = coherenceHeartbeat;
            return this;
        }

        /** Sets whether reads and writes fail open; see {@link CacheConfig#failOpen()}. */
        public Builder failOpen(boolean failOpen) {
            draft.failOpen = failOpen;
            return this;
        }

        /** Sets whether Redis caches keep the Python package's shared hit/miss counters. */
        public Builder sharedStats(boolean sharedStats) {
            draft.sharedStats = sharedStats;
            return this;
        }

        /** Sets how often Redis caches recount their keys in the background; positive. */
        public Builder keyCountRefresh(Duration keyCountRefresh) {
            draft.keyCountRefresh = keyCountRefresh;
            return this;
        }

        /** Sets how {@code getOrLoad} defends against stampedes (cross-JVM lease, refresh-ahead, jitter, stale-if-error). */
        public Builder loadPolicy(LoadPolicy loadPolicy) {
            draft.loadPolicy = loadPolicy;
            return this;
        }

        /**
         * Sets the executor of user code reached from Redis replies (asynchronous loaders, decoding into
         * user types, completions of {@link AsyncCache} futures); see {@link CacheConfig#executor()}.
         * Default {@link ForkJoinPool#commonPool()}; must not be null.
         */
        public Builder executor(Executor executor) {
            draft.executor = executor;
            return this;
        }

        /**
         * Validates and returns the configuration.
         *
         * @throws IllegalArgumentException naming the first invalid field and its value
         */
        public CacheConfig build() {
            return new CacheConfig(draft.validate());
        }
    }
}
