package com.netrunsystems.cache.redis.connection;

import com.netrunsystems.cache.CacheConfig;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.SslOptions;
import io.lettuce.core.SslVerifyMode;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.cluster.ClusterClientOptions;
import io.lettuce.core.cluster.ClusterTopologyRefreshOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates a {@link CacheConfig} into Lettuce's {@link RedisURI}s and client options: one URI
 * for a standalone server or a Sentinel set, one per seed for a Cluster. Values in
 * {@code redisUrl} win; the config's username and password fill in only what the URL leaves out.
 */
public final class RedisEndpoint {

    private final CacheConfig config;

    public RedisEndpoint(CacheConfig config) {
        this.config = config;
    }

    /** Returns the URIs to connect to: a single one, or the Cluster seeds. */
    public List<RedisURI> uris() {
        if (config.isCluster()) {
            List<RedisURI> seeds = new ArrayList<>();
            for (String node : config.redisClusterNodes()) {
                int colon = node.lastIndexOf(':');
                seeds.add(withSecurity(RedisURI.builder()
                        .withHost(node.substring(0, colon))
                        .withPort(Integer.parseInt(node.substring(colon + 1)))
                        .withSsl(config.redisTls())
                        .build()));
            }
            return seeds;
        }
        RedisURI uri = config.redisUrl()
                .map(RedisURI::create)
                .orElseGet(() -> RedisURI.builder()
                        .withHost(config.redisHost())
                        .withPort(config.redisPort())
                        .withDatabase(config.redisDb())
                        .withSsl(config.redisTls())
                        .build());
        return List.of(withSecurity(uri));
    }

    /**
     * Returns the options of a standalone or Sentinel client; {@code timeouts} bounds each command (the
     * shared connection's safety net: every cache also bounds its own calls, see {@link CallTimeouts}).
     */
    ClientOptions clientOptions(TimeoutOptions.TimeoutSource timeouts) {
        ClientOptions.Builder options = ClientOptions.builder();
        configure(options, timeouts);
        return options.build();
    }

    /** Returns the options of a Cluster client, which also follows topology changes. */
    ClusterClientOptions clusterClientOptions(TimeoutOptions.TimeoutSource timeouts) {
        ClusterClientOptions.Builder options = ClusterClientOptions.builder()
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(Duration.ofSeconds(30))
                        .enableAllAdaptiveRefreshTriggers()
                        .build());
        configure(options, timeouts);
        // A Cluster client opens its node connections on demand: rejecting commands while one is
        // still connecting fails healthy calls (seen in RedisClusterContractIT). Queue them instead;
        // TimeoutOptions still bound each call by socketTimeout while a node is down.
        options.disconnectedBehavior(ClientOptions.DisconnectedBehavior.ACCEPT_COMMANDS);
        return options.build();
    }

    /** Returns whether the config names a Redis Cluster. */
    public boolean isCluster() {
        return config.isCluster();
    }

    /** Returns {@code host:port} (or the masked URL, or the Cluster seeds) for messages. */
    public String describe() {
        return config.redisEndpoint();
    }

    /** Returns the socket timeout of the config: how long one command of a cache may go unanswered. */
    Duration socketTimeout() {
        return config.socketTimeout();
    }

    /** Returns how long opening a connection may take. */
    Duration socketConnectTimeout() {
        return config.socketConnectTimeout();
    }

    /**
     * Returns what makes two caches share a connection: the addresses (standalone, Sentinel set or
     * Cluster seeds), database, user, password, TLS settings and connect timeout; with a supplied
     * client, that client too. Per-call settings (socketTimeout, codec, namespace, failOpen) are not
     * part of it. Its {@code toString} never shows a password.
     */
    Identity identity(Object suppliedClient) {
        StringBuilder address = new StringBuilder(config.isCluster() ? "cluster " : "");
        for (RedisURI uri : uris()) {
            address.append(uri.isSsl() ? "rediss://" : "redis://");
            if (uri.getSentinels().isEmpty()) {
                address.append(uri.getHost()).append(':').append(uri.getPort());
            } else {
                address.append("sentinel ").append(uri.getSentinelMasterId());
                uri.getSentinels().forEach(s -> address.append(',').append(s.getHost()).append(':').append(s.getPort()));
            }
            address.append('/').append(uri.getDatabase()).append(" verify=").append(uri.getVerifyMode())
                    .append(uri.isStartTls() ? " startTls" : "").append(' ');
        }
        config.redisUsername().ifPresent(user -> address.append("user=").append(user).append(' '));
        address.append("connectTimeout=").append(config.socketConnectTimeout().toMillis()).append("ms");
        config.redisTlsCaCertificate().ifPresent(ca -> address.append(" ca=").append(ca.toAbsolutePath()));
        String secret = config.redisUrl().orElse("") + '\0' + config.redisPassword().orElse("");
        return new Identity(address.toString(), secret, suppliedClient == null ? null : new Same(suppliedClient));
    }

    /**
     * What {@link #identity} returns: equal for caches that may share a connection.
     *
     * @param address the addresses and settings, without a password
     * @param secret the URL (which may hold a user and password) and the password, as given (never shown)
     * @param client the supplied client, compared by identity, or {@code null} for a client of our own
     */
    record Identity(String address, String secret, Same client) {
        @Override
        public String toString() {
            return address + (client != null ? " (supplied client)" : "");
        }
    }

    /** Wraps an object so that it equals only itself, whatever its class's {@code equals}. */
    record Same(Object object) {
        @Override
        public boolean equals(Object other) {
            return other instanceof Same same && same.object == object;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(object);
        }
    }

    private void configure(ClientOptions.Builder options, TimeoutOptions.TimeoutSource timeouts) {
        options.autoReconnect(true)
                // Fail fast while disconnected: a fail-open read answers at once instead of
                // queueing until socketTimeout, and nothing is replayed late after a reconnect.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(config.socketConnectTimeout())
                        .keepAlive(true)
                        .build())
                .timeoutOptions(TimeoutOptions.builder().timeoutSource(timeouts).build());
        config.redisTlsCaCertificate().ifPresent(ca -> options.sslOptions(SslOptions.builder()
                .jdkSslProvider()
                .trustManager(ca.toFile())
                .build()));
    }

    private boolean urlHasCredentials() {
        return config.redisUrl().map(url -> {
            int start = url.indexOf("://") + 3;
            int end = url.indexOf('/', start);
            String authority = end < 0 ? url.substring(start) : url.substring(start, end);
            return authority.contains("@");
        }).orElse(false);
    }

    private RedisURI withSecurity(RedisURI uri) {
        if (!urlHasCredentials() && config.redisPassword().isPresent()) {
            String password = config.redisPassword().get();
            if (config.redisUsername().isPresent()) {
                uri.setAuthentication(config.redisUsername().get(), password.toCharArray());
            } else {
                uri.setAuthentication(password.toCharArray());
            }
        }
        if (uri.isSsl() && !config.redisTlsVerifyPeer()) {
            uri.setVerifyPeer(SslVerifyMode.NONE);
        }
        uri.setTimeout(config.socketTimeout());
        return uri;
    }
}
