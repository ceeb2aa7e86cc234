package com.netrunsystems.cache.spring.boot;

import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.EvictionPolicy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code netrun.cache.*} properties: the settings of every Spring cache the auto-configured
 * {@code NetrunCacheManager} creates, and per-cache overrides under {@code netrun.cache.caches.<name>.*}.
 * A mutable bean filled by Spring Boot's binder; not thread-safe while it is bound.
 */
@ConfigurationProperties("netrun.cache")
public class NetrunCacheProperties {

    /** Whether to auto-configure the netrun-cache CacheManager. */
    private boolean enabled = true;

    /** Backend of every cache: memory, redis or multi_layer (memory L1 in front of Redis L2). */
    private CacheBackend backend = CacheBackend.MEMORY;

    /** Prefix of each cache's namespace; a cache's namespace is this prefix plus the cache name. */
    private String namespacePrefix = "";

    /** Time to live of cached values. */
    private Duration defaultTtl = Duration.ofHours(1);

    /** Maximum number of entries of a memory cache. */
    private long maxSize = 1000;

    /** How a full memory cache picks what to evict: tiny_lfu (best hit rate) or lru. */
    private EvictionPolicy evictionPolicy = EvictionPolicy.TINY_LFU;

    /** Maximum number of entries of the memory L1 of a multi_layer cache. */
    private long l1MaxSize = 100;

    /** Time to live of entries in the memory L1 of a multi_layer cache. */
    private Duration l1Ttl = Duration.ofMinutes(5);

    /**
     * Redis URL (redis://, rediss:// or redis-sentinel://); wins over the host, port, database and
     * password properties. When no netrun.cache.redis-* property is set, spring.data.redis.* is used.
     */
    private String redisUrl;

    /** Redis host. */
    private String redisHost;

    /** Redis port. */
    private Integer redisPort;

    /** Redis database index. */
    private Integer redisDb;

    /** Redis ACL user name. */
    private String redisUsername;

    /** Redis password; never logged. */
    private String redisPassword;

    /** Timeout of a Redis command. */
    private Duration socketTimeout = Duration.ofSeconds(5);

    /** Timeout of connecting to Redis. */
    private Duration socketConnectTimeout = Duration.ofSeconds(5);

    /** Whether an unreachable backend makes reads miss and writes do nothing (true) instead of throwing. */
    private boolean failOpen = true;

    /** Whether null method results are cached (as JSON null in Redis). */
    private boolean allowNullValues = true;

    /** Whether a cache name that is not configured gets a cache with the default settings on first use. */
    private boolean dynamic = true;

    /** Names of caches to create at startup with the default settings. */
    private List<String> cacheNames = new ArrayList<>();

    /** Per-cache settings, by cache name; a setting left out takes the value above. */
    private Map<String, Cache> caches = new LinkedHashMap<>();

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public CacheBackend getBackend() {
        return backend;
    }

    public void setBackend(CacheBackend backend) {
        this.backend = backend;
    }

    public String getNamespacePrefix() {
        return namespacePrefix;
    }

    public void setNamespacePrefix(String namespacePrefix) {
        this.namespacePrefix = namespacePrefix;
    }

    public Duration getDefaultTtl() {
        return defaultTtl;
    }

    public void setDefaultTtl(Duration defaultTtl) {
        this.defaultTtl = defaultTtl;
    }

    public long getMaxSize() {
        return maxSize;
    }

    public void setMaxSize(long maxSize) {
        this.maxSize = maxSize;
    }

    public EvictionPolicy getEvictionPolicy() {
        return evictionPolicy;
    }

    public void setEvictionPolicy(EvictionPolicy evictionPolicy) {
        this.evictionPolicy = evictionPolicy;
    }

    public long getL1MaxSize() {
        return l1MaxSize;
    }

    public void setL1MaxSize(long l1MaxSize) {
        this.l1MaxSize = l1MaxSize;
    }

    public Duration getL1Ttl() {
        return l1Ttl;
    }

    public void setL1Ttl(Duration l1Ttl) {
        this.l1Ttl = l1Ttl;
    }

    public String getRedisUrl() {
        return redisUrl;
    }

    public void setRedisUrl(String redisUrl) {
        this.redisUrl = redisUrl;
    }

    public String getRedisHost() {
        return redisHost;
    }

    public void setRedisHost(String redisHost) {
        this.redisHost = redisHost;
    }

    public Integer getRedisPort() {
        return redisPort;
    }

    public void setRedisPort(Integer redisPort) {
        this.redisPort = redisPort;
    }

    public Integer getRedisDb() {
        return redisDb;
    }

    public void setRedisDb(Integer redisDb) {
        this.redisDb = redisDb;
    }

    public String getRedisUsername() {
        return redisUsername;
    }

    public void setRedisUsername(String redisUsername) {
        this.redisUsername = redisUsername;
    }

    public String getRedisPassword() {
        return redisPassword;
    }

    public void setRedisPassword(String redisPassword) {
        this.redisPassword = redisPassword;
    }

    public Duration getSocketTimeout() {
        return socketTimeout;
    }

    public void setSocketTimeout(Duration socketTimeout) {
        this.socketTimeout = socketTimeout;
    }

    public Duration getSocketConnectTimeout() {
        return socketConnectTimeout;
    }

    public void setSocketConnectTimeout(Duration socketConnectTimeout) {
        this.socketConnectTimeout = socketConnectTimeout;
    }

    public boolean isFailOpen() {
        return failOpen;
    }

    public void setFailOpen(boolean failOpen) {
        this.failOpen = failOpen;
    }

    public boolean isAllowNullValues() {
        return allowNullValues;
    }

    public void setAllowNullValues(boolean allowNullValues) {
        this.allowNullValues = allowNullValues;
    }

    public boolean isDynamic() {
        return dynamic;
    }

    public void setDynamic(boolean dynamic) {
        this.dynamic = dynamic;
    }

    public List<String> getCacheNames() {
        return cacheNames;
    }

    public void setCacheNames(List<String> cacheNames) {
        this.cacheNames = cacheNames;
    }

    public Map<String, Cache> getCaches() {
        return caches;
    }

    public void setCaches(Map<String, Cache> caches) {
        this.caches = caches;
    }

    /** The settings of one cache under {@code netrun.cache.caches.<name>}; unset ones take the defaults. */
    public static class Cache {

        /** Backend of this cache. */
        private CacheBackend backend;

        /** Namespace of this cache (default: the namespace prefix plus the cache name). */
        private String namespace;

        /** Time to live of this cache's values. */
        private Duration defaultTtl;

        /** Maximum number of entries of this memory cache. */
        private Long maxSize;

        /** Maximum number of entries of this multi_layer cache's L1. */
        private Long l1MaxSize;

        /** Time to live of entries in this multi_layer cache's L1. */
        private Duration l1Ttl;

        /**
         * Class of this cache's values (a record or POJO), stored in Redis as JSON bound to it; without
         * it, values must be JSON trees (maps, lists, strings, numbers, booleans).
         */
        private Class<?> valueType;

        public CacheBackend getBackend() {
            return backend;
        }

        public void setBackend(CacheBackend backend) {
            this.backend = backend;
        }

        public String getNamespace() {
            return namespace;
        }

        public void setNamespace(String namespace) {
            this.namespace = namespace;
        }

        public Duration getDefaultTtl() {
            return defaultTtl;
        }

        public void setDefaultTtl(Duration defaultTtl) {
            this.defaultTtl = defaultTtl;
        }

        public Long getMaxSize() {
            return maxSize;
        }

        public void setMaxSize(Long maxSize) {
            this.maxSize = maxSize;
        }

        public Long getL1MaxSize() {
            return l1MaxSize;
        }

        public void setL1MaxSize(Long l1MaxSize) {
            this.l1MaxSize = l1MaxSize;
        }

        public Duration getL1Ttl() {
            return l1Ttl;
        }

        public void setL1Ttl(Duration l1Ttl) {
            this.l1Ttl = l1Ttl;
        }

        public Class<?> getValueType() {
            return valueType;
        }

        public void setValueType(Class<?> valueType) {
            this.valueType = valueType;
        }
    }
}
