package com.netrunsystems.cache;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import com.netrunsystems.cache.internal.Secrets;

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

    private static final Set<String> URL_SCHEMES = Set.of("redis", "rediss", "redis-sentinel", "rediss-sentinel");

    private final CacheBackend backend;
    private final String namespace;
    private final Duration defaultTtl;
    private final long maxSize;
    private final EvictionPolicy evictionPolicy;
    private final String redisUrl;
    private final String redisHost;
    private final int redisPort;
    private final int redisDb;
    private final String redisUsername;
    private final String redisPassword;
    private final List<String> redisClusterNodes;
    private final boolean redisTls;
    private final boolean redisTlsVerifyPeer;
    private final Path redisTlsCaCertificate;
    private final Duration socketTimeout;
    private final Duration socketConnectTimeout;
    private final long l1MaxSize;
    private final Duration l1Ttl;
    private final boolean failOpen;
    private final boolean sharedStats;
    private final Duration keyCountRefresh;
    private final LoadPolicy loadPolicy;
    private final Executor executor;

    private CacheConfig(Builder b) {
        this.backend = b.backend;
        this.namespace = b.namespace;
        this.defaultTtl = b.defaultTtl;
        this.maxSize = b.maxSize;
        this.evictionPolicy = b.evictionPolicy;
        this.redisUrl = b.redisUrl;
        this.redisHost = b.redisHost;
        this.redisPort = b.redisPort;
        this.redisDb = b.redisDb;
        this.redisUsername = b.redisUsername;
        this.redisPassword = b.redisPassword;
        this.redisClusterNodes = List.copyOf(b.redisClusterNodes);
        this.redisTls = b.redisTls;
        this.redisTlsVerifyPeer = b.redisTlsVerifyPeer;
        this.redisTlsCaCertificate = b.redisTlsCaCertificate;
        this.socketTimeout = b.socketTimeout;
        this.socketConnectTimeout = b.socketConnectTimeout;
        this.l1MaxSize = b.l1MaxSize;
        this.l1Ttl = b.l1Ttl;
        this.failOpen = b.failOpen;
        this.sharedStats = b.sharedStats;
        this.keyCountRefresh = b.keyCountRefresh;
        this.loadPolicy = b.loadPolicy;
        this.executor = b.executor;
    }

    /** Returns a builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns a builder holding this configuration's values, to derive a variant. */
    public Builder toBuilder() {
        return new Builder(this);
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
        return backend;
    }

    /** Returns the namespace that prefixes every key ({@code namespace:key} in Redis); default {@code "cache"}. */
    public String namespace() {
        return namespace;
    }

    /** Returns the TTL of entries written without one; default 1 hour. */
    public Duration defaultTtl() {
        return defaultTtl;
    }

    /** Returns the most entries a memory cache holds; default 1000. */
    public long maxSize() {
        return maxSize;
    }

    /** Returns how a full memory cache chooses what to evict; default {@link EvictionPolicy#TINY_LFU}. */
    public EvictionPolicy evictionPolicy() {
        return evictionPolicy;
    }

    /**
     * Returns the Redis URL, when set; it wins over host, port, db, username and password.
     * {@code redis://[user:password@]host[:port][/db]}, {@code rediss://…} for TLS, or
     * {@code redis-sentinel://host:26379[,host2:26379][/db]#masterName}.
     */
    public Optional<String> redisUrl() {
        return Optional.ofNullable(redisUrl);
    }

    /** Returns the Redis host; default {@code "localhost"}. */
    public String redisHost() {
        return redisHost;
    }

    /** Returns the Redis port; default 6379. */
    public int redisPort() {
        return redisPort;
    }

    /** Returns the Redis database index; default 0. Redis Cluster only has database 0. */
    public int redisDb() {
        return redisDb;
    }

    /** Returns the Redis ACL user name, when set (Redis 6+); otherwise the {@code default} user. */
    public Optional<String> redisUsername() {
        return Optional.ofNullable(redisUsername);
    }

    /** Returns the Redis password, when set. Never logged or printed by netrun-cache. */
    public Optional<String> redisPassword() {
        return Optional.ofNullable(redisPassword);
    }

    /** Returns the {@code host:port} seeds of a Redis Cluster; non-empty means Cluster mode. */
    public List<String> redisClusterNodes() {
        return redisClusterNodes;
    }

    /** Returns whether host/port connections use TLS; a {@code rediss://} URL implies it. Default {@code false}. */
    public boolean redisTls() {
        return redisTls;
    }

    /**
     * Returns whether TLS connections verify the server's certificate and host name. Default
     * {@code true}; turn it off only for tests against self-signed servers you control.
     */
    public boolean redisTlsVerifyPeer() {
        return redisTlsVerifyPeer;
    }

    /** Returns a PEM file of CA certificates to trust for TLS instead of the JVM's default trust store. */
    public Optional<Path> redisTlsCaCertificate() {
        return Optional.ofNullable(redisTlsCaCertificate);
    }

    /**
     * Returns how long one Redis command may take before it counts as failed; default 5 seconds. A
     * call that gets no reply returns within this plus at most 80 ms (the Redis module's own client
     * times commands out on a 10 ms tick).
     */
    public Duration socketTimeout() {
        return socketTimeout;
    }

    /** Returns how long connecting to Redis may take; default 5 seconds. */
    public Duration socketConnectTimeout() {
        return socketConnectTimeout;
    }

    /** Returns the most entries the L1 of a {@link CacheManager} holds; default 100. */
    public long l1MaxSize() {
        return l1MaxSize;
    }

    /** Returns the longest time an entry stays in the L1 of a {@link CacheManager}; default 5 minutes. */
    public Duration l1Ttl() {
        return l1Ttl;
    }

    /**
     * Returns whether reads and writes fail open when the backend is unreachable (reads miss,
     * writes return {@code false}); default {@code true}. When {@code false}, every operation
     * throws {@link CacheUnavailableException} instead.
     */
    public boolean failOpen() {
        return failOpen;
    }

    /**
     * Returns whether Redis caches also count hits and misses in the shared keys the Python
     * package keeps ({@code namespace:stats:hits}, {@code namespace:stats:misses}); default
     * {@code false}. The counts are sent in batches in the background, never on a read's path.
     */
    public boolean sharedStats() {
        return sharedStats;
    }

    /**
     * Returns how often a Redis cache recounts the keys of its namespace for
     * {@link CacheStats#cachedKeys()}, in the background; default 30 seconds.
     */
    public Duration keyCountRefresh() {
        return keyCountRefresh;
    }

    /** Returns how {@link Cache#getOrLoad} defends against stampedes; default {@link LoadPolicy#defaults()}. */
    public LoadPolicy loadPolicy() {
        return loadPolicy;
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
        return executor;
    }

    /** Returns whether a Redis Cluster is configured. */
    public boolean isCluster() {
        return !redisClusterNodes.isEmpty();
    }

    /** Returns the Redis endpoint for messages, such as {@code 127.0.0.1:6379}: never a password. */
    public String redisEndpoint() {
        if (!redisClusterNodes.isEmpty()) {
            return "cluster " + String.join(",", redisClusterNodes);
        }
        if (redisUrl != null) {
            return Secrets.maskUrl(redisUrl);
        }
        return redisHost + ":" + redisPort;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof CacheConfig c)) {
            return false;
        }
        return maxSize == c.maxSize && redisPort == c.redisPort && redisDb == c.redisDb && l1MaxSize == c.l1MaxSize
                && redisTls == c.redisTls && redisTlsVerifyPeer == c.redisTlsVerifyPeer && failOpen == c.failOpen
                && sharedStats == c.sharedStats && backend == c.backend && namespace.equals(c.namespace)
                && defaultTtl.equals(c.defaultTtl) && evictionPolicy == c.evictionPolicy
                && Objects.equals(redisUrl, c.redisUrl) && redisHost.equals(c.redisHost)
                && Objects.equals(redisUsername, c.redisUsername) && Objects.equals(redisPassword, c.redisPassword)
                && redisClusterNodes.equals(c.redisClusterNodes)
                && Objects.equals(redisTlsCaCertificate, c.redisTlsCaCertificate)
                && socketTimeout.equals(c.socketTimeout) && socketConnectTimeout.equals(c.socketConnectTimeout)
                && l1Ttl.equals(c.l1Ttl) && keyCountRefresh.equals(c.keyCountRefresh)
                && loadPolicy.equals(c.loadPolicy);
    }

    @Override
    public int hashCode() {
        return Objects.hash(backend, namespace, defaultTtl, maxSize, evictionPolicy, redisUrl, redisHost, redisPort,
                redisDb, redisUsername, redisPassword, redisClusterNodes, redisTls, redisTlsVerifyPeer,
                redisTlsCaCertificate, socketTimeout, socketConnectTimeout, l1MaxSize, l1Ttl, failOpen, sharedStats,
                keyCountRefresh, loadPolicy);
    }

    /** Returns every setting except the password, which shows as {@code ****} when set. */
    @Override
    public String toString() {
        return "CacheConfig{backend=" + backend.wireName() + ", namespace='" + namespace + "', defaultTtl=" + defaultTtl
                + ", maxSize=" + maxSize + ", evictionPolicy=" + evictionPolicy
                + ", redisUrl=" + (redisUrl == null ? "none" : Secrets.maskUrl(redisUrl))
                + ", redisHost='" + redisHost + "', redisPort=" + redisPort + ", redisDb=" + redisDb
                + ", redisUsername=" + (redisUsername == null ? "none" : "'" + redisUsername + "'")
                + ", redisPassword=" + (redisPassword == null ? "none" : "****")
                + ", redisClusterNodes=" + redisClusterNodes + ", redisTls=" + redisTls
                + ", redisTlsVerifyPeer=" + redisTlsVerifyPeer
                + ", redisTlsCaCertificate=" + (redisTlsCaCertificate == null ? "none" : redisTlsCaCertificate)
                + ", socketTimeout=" + socketTimeout + ", socketConnectTimeout=" + socketConnectTimeout
                + ", l1MaxSize=" + l1MaxSize + ", l1Ttl=" + l1Ttl + ", failOpen=" + failOpen
                + ", sharedStats=" + sharedStats + ", keyCountRefresh=" + keyCountRefresh + ", loadPolicy=" + loadPolicy
                + "}";
    }

    /**
     * Builds a {@link CacheConfig}. Setters carry the getters' names; {@link #build()} validates.
     * Not thread-safe; the built configuration is.
     */
    public static final class Builder {
        private CacheBackend backend = CacheBackend.MEMORY;
        private String namespace = "cache";
        private Duration defaultTtl = Duration.ofHours(1);
        private long maxSize = 1000;
        private EvictionPolicy evictionPolicy = EvictionPolicy.TINY_LFU;
        private String redisUrl;
        private String redisHost = "localhost";
        private int redisPort = 6379;
        private int redisDb;
        private String redisUsername;
        private String redisPassword;
        private List<String> redisClusterNodes = List.of();
        private boolean redisTls;
        private boolean redisTlsVerifyPeer = true;
        private Path redisTlsCaCertificate;
        private Duration socketTimeout = Duration.ofSeconds(5);
        private Duration socketConnectTimeout = Duration.ofSeconds(5);
        private long l1MaxSize = 100;
        private Duration l1Ttl = Duration.ofMinutes(5);
        private boolean failOpen = true;
        private boolean sharedStats;
        private Duration keyCountRefresh = Duration.ofSeconds(30);
        private LoadPolicy loadPolicy = LoadPolicy.defaults();
        private Executor executor = ForkJoinPool.commonPool();

        private Builder() {
        }

        private Builder(CacheConfig c) {
            backend = c.backend;
            namespace = c.namespace;
            defaultTtl = c.defaultTtl;
            maxSize = c.maxSize;
            evictionPolicy = c.evictionPolicy;
            redisUrl = c.redisUrl;
            redisHost = c.redisHost;
            redisPort = c.redisPort;
            redisDb = c.redisDb;
            redisUsername = c.redisUsername;
            redisPassword = c.redisPassword;
            redisClusterNodes = c.redisClusterNodes;
            redisTls = c.redisTls;
            redisTlsVerifyPeer = c.redisTlsVerifyPeer;
            redisTlsCaCertificate = c.redisTlsCaCertificate;
            socketTimeout = c.socketTimeout;
            socketConnectTimeout = c.socketConnectTimeout;
            l1MaxSize = c.l1MaxSize;
            l1Ttl = c.l1Ttl;
            failOpen = c.failOpen;
            sharedStats = c.sharedStats;
            keyCountRefresh = c.keyCountRefresh;
            loadPolicy = c.loadPolicy;
            executor = c.executor;
        }

        /** Sets the backend {@link Caches#create(CacheConfig)} builds. */
        public Builder backend(CacheBackend backend) {
            this.backend = backend;
            return this;
        }

        /** Sets the namespace; non-blank. */
        public Builder namespace(String namespace) {
            this.namespace = namespace;
            return this;
        }

        /** Sets the default TTL; positive. */
        public Builder defaultTtl(Duration defaultTtl) {
            this.defaultTtl = defaultTtl;
            return this;
        }

        /** Sets the size bound of memory caches; positive. */
        public Builder maxSize(long maxSize) {
            this.maxSize = maxSize;
            return this;
        }

        /** Sets the eviction policy of memory caches. */
        public Builder evictionPolicy(EvictionPolicy evictionPolicy) {
            this.evictionPolicy = evictionPolicy;
            return this;
        }

        /** Sets the Redis URL, which wins over host, port, db, username and password; {@code null} clears it. */
        public Builder redisUrl(String redisUrl) {
            this.redisUrl = redisUrl;
            return this;
        }

        /** Sets the Redis host. */
        public Builder redisHost(String redisHost) {
            this.redisHost = redisHost;
            return this;
        }

        /** Sets the Redis port; 1–65535. */
        public Builder redisPort(int redisPort) {
            this.redisPort = redisPort;
            return this;
        }

        /** Sets the Redis database index; 0 or more. */
        public Builder redisDb(int redisDb) {
            this.redisDb = redisDb;
            return this;
        }

        /** Sets the Redis ACL user name; {@code null} clears it. */
        public Builder redisUsername(String redisUsername) {
            this.redisUsername = redisUsername;
            return this;
        }

        /** Sets the Redis password; {@code null} clears it. */
        public Builder redisPassword(String redisPassword) {
            this.redisPassword = redisPassword;
            return this;
        }

        /** Sets the {@code host:port} seeds of a Redis Cluster; an empty list means no Cluster. */
        public Builder redisClusterNodes(List<String> redisClusterNodes) {
            this.redisClusterNodes = redisClusterNodes;
            return this;
        }

        /** Sets the {@code host:port} seeds of a Redis Cluster. */
        public Builder redisClusterNodes(String... redisClusterNodes) {
            return redisClusterNodes(redisClusterNodes == null ? null : Arrays.asList(redisClusterNodes));
        }

        /** Sets whether host/port connections use TLS. */
        public Builder redisTls(boolean redisTls) {
            this.redisTls = redisTls;
            return this;
        }

        /** Sets whether TLS verifies the server's certificate; keep the default {@code true} in production. */
        public Builder redisTlsVerifyPeer(boolean redisTlsVerifyPeer) {
            this.redisTlsVerifyPeer = redisTlsVerifyPeer;
            return this;
        }

        /** Sets a PEM file of CA certificates to trust for TLS; {@code null} uses the JVM's trust store. */
        public Builder redisTlsCaCertificate(Path redisTlsCaCertificate) {
            this.redisTlsCaCertificate = redisTlsCaCertificate;
            return this;
        }

        /** Sets the per-command timeout; positive. */
        public Builder socketTimeout(Duration socketTimeout) {
            this.socketTimeout = socketTimeout;
            return this;
        }

        /** Sets the connect timeout; positive. */
        public Builder socketConnectTimeout(Duration socketConnectTimeout) {
            this.socketConnectTimeout = socketConnectTimeout;
            return this;
        }

        /** Sets the size bound of a {@link CacheManager}'s L1; positive. */
        public Builder l1MaxSize(long l1MaxSize) {
            this.l1MaxSize = l1MaxSize;
            return this;
        }

        /** Sets the longest L1 TTL of a {@link CacheManager}; positive. */
        public Builder l1Ttl(Duration l1Ttl) {
            this.l1Ttl = l1Ttl;
            return this;
        }

        /** Sets whether reads and writes fail open; see {@link CacheConfig#failOpen()}. */
        public Builder failOpen(boolean failOpen) {
            this.failOpen = failOpen;
            return this;
        }

        /** Sets whether Redis caches keep the Python package's shared hit/miss counters. */
        public Builder sharedStats(boolean sharedStats) {
            this.sharedStats = sharedStats;
            return this;
        }

        /** Sets how often Redis caches recount their keys in the background; positive. */
        public Builder keyCountRefresh(Duration keyCountRefresh) {
            this.keyCountRefresh = keyCountRefresh;
            return this;
        }

        /** Sets how {@code getOrLoad} defends against stampedes (cross-JVM lease, refresh-ahead, jitter, stale-if-error). */
        public Builder loadPolicy(LoadPolicy loadPolicy) {
            this.loadPolicy = loadPolicy;
            return this;
        }

        /**
         * Sets the executor of user code reached from Redis replies (asynchronous loaders, decoding into
         * user types, completions of {@link AsyncCache} futures); see {@link CacheConfig#executor()}.
         * Default {@link ForkJoinPool#commonPool()}; must not be null.
         */
        public Builder executor(Executor executor) {
            this.executor = executor;
            return this;
        }

        /**
         * Validates and returns the configuration.
         *
         * @throws IllegalArgumentException naming the first invalid field and its value
         */
        public CacheConfig build() {
            check(backend != null, "backend must not be null");
            check(namespace != null && !namespace.isBlank(), "namespace must not be blank, was %s", quoted(namespace));
            requirePositive("defaultTtl", defaultTtl);
            check(maxSize > 0, "maxSize must be positive, was %s", maxSize);
            check(evictionPolicy != null, "evictionPolicy must not be null");
            check(redisHost != null && !redisHost.isBlank(), "redisHost must not be blank, was %s", quoted(redisHost));
            check(redisPort >= 1 && redisPort <= 65_535, "redisPort must be 1-65535, was %s", redisPort);
            check(redisDb >= 0, "redisDb must be 0 or more, was %s", redisDb);
            check(redisClusterNodes != null, "redisClusterNodes must not be null");
            for (String node : redisClusterNodes) {
                checkHostPort(node); // before List.copyOf, which throws a bare NullPointerException on a null node
            }
            redisClusterNodes = List.copyOf(redisClusterNodes);
            if (redisUrl != null) {
                checkUrl(redisUrl);
            }
            check(redisClusterNodes.isEmpty() || redisUrl == null,
                    "redisUrl and redisClusterNodes are exclusive: set one, was redisUrl=%s and redisClusterNodes=%s",
                    redisUrl == null ? null : Secrets.maskUrl(redisUrl), redisClusterNodes);
            requirePositive("socketTimeout", socketTimeout);
            requirePositive("socketConnectTimeout", socketConnectTimeout);
            check(l1MaxSize > 0, "l1MaxSize must be positive, was %s", l1MaxSize);
            requirePositive("l1Ttl", l1Ttl);
            requirePositive("keyCountRefresh", keyCountRefresh);
            check(loadPolicy != null, "loadPolicy must not be null");
            check(executor != null, "executor must not be null");
            return new CacheConfig(this);
        }

        private static void requirePositive(String field, Duration value) {
            check(value != null && !value.isNegative() && !value.isZero(), "%s must be positive, was %s", field, value);
            check(value.compareTo(Duration.ofMillis(1)) >= 0,
                    "%s must be at least 1 ms (TTLs have millisecond precision), was %s", field, value);
        }

        private static void checkHostPort(String node) {
            int colon = node == null ? -1 : node.lastIndexOf(':');
            boolean valid = colon > 0 && !node.contains("/");
            if (valid) {
                try {
                    int port = Integer.parseInt(node.substring(colon + 1));
                    valid = port >= 1 && port <= 65_535;
                } catch (NumberFormatException e) {
                    valid = false;
                }
            }
            check(valid, "redisClusterNodes entries must be host:port with a port 1-65535, was %s", quoted(node));
        }

        private static void checkUrl(String url) {
            String masked = Secrets.maskUrl(url);
            URI uri;
            try {
                uri = new URI(url);
            } catch (URISyntaxException e) {
                // no cause: the URISyntaxException's message repeats the URL with its password
                throw new IllegalArgumentException("redisUrl is not a valid URL, was '" + masked + "': " + e.getReason()
                        + " at index " + e.getIndex());
            }
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            check(URL_SCHEMES.contains(scheme),
                    "redisUrl must start with redis://, rediss://, redis-sentinel:// or rediss-sentinel://, was '%s'", masked);
            String authority = uri.getRawAuthority();
            check(authority != null && !authority.isBlank(), "redisUrl must name a host, was '%s'", masked);
            if (scheme.endsWith("sentinel")) {
                check(uri.getFragment() != null && !uri.getFragment().isBlank(),
                        "redisUrl for Sentinel must end with #masterName, was '%s'", masked);
            } else {
                if (uri.getHost() == null) {
                    checkUrlPort(authority, masked);
                }
                check(uri.getHost() != null, "redisUrl must name a host, was '%s'", masked);
                check(uri.getPort() == -1 || uri.getPort() >= 1 && uri.getPort() <= 65_535,
                        "redisUrl port must be 1-65535, was '%s'", masked);
            }
            String path = uri.getPath();
            if (path != null && path.length() > 1) {
                String db = path.substring(1);
                check(db.chars().allMatch(Character::isDigit), "redisUrl database must be a number, was '%s'", masked);
            }
        }

        /** When {@code URI} found no host, says so if the reason is the port, such as {@code redis://host:abc}. */
        private static void checkUrlPort(String authority, String masked) {
            String hostPort = authority.substring(authority.lastIndexOf('@') + 1);
            int colon = hostPort.lastIndexOf(':');
            if (colon > 0 && !hostPort.endsWith("]")) {
                String port = hostPort.substring(colon + 1);
                boolean number = !port.isEmpty() && port.length() <= 5 && port.chars().allMatch(Character::isDigit);
                check(number, "redisUrl port must be a number 1-65535, was '%s' in '%s'", port, masked);
            }
        }

        private static String quoted(String value) {
            return value == null ? "null" : "'" + value + "'";
        }

        private static void check(boolean condition, String message, Object... args) {
            if (!condition) {
                throw new IllegalArgumentException(String.format(Locale.ROOT, message, args));
            }
        }
    }
}
