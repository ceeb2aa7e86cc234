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

    /** Returns the options of a standalone or Sentinel client. */
    ClientOptions clientOptions() {
        ClientOptions.Builder options = ClientOptions.builder();
        configure(options);
        return options.build();
    }

    /** Returns the options of a Cluster client, which also follows topology changes. */
    ClusterClientOptions clusterClientOptions() {
        ClusterClientOptions.Builder options = ClusterClientOptions.builder()
                .topologyRefreshOptions(ClusterTopologyRefreshOptions.builder()
                        .enablePeriodicRefresh(Duration.ofSeconds(30))
                        .enableAllAdaptiveRefreshTriggers()
                        .build());
        configure(options);
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

    private void configure(ClientOptions.Builder options) {
        options.autoReconnect(true)
                // Fail fast while disconnected: a fail-open read answers at once instead of
                // queueing until socketTimeout, and nothing is replayed late after a reconnect.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .socketOptions(SocketOptions.builder()
                        .connectTimeout(config.socketConnectTimeout())
                        .keepAlive(true)
                        .build())
                .timeoutOptions(TimeoutOptions.enabled(config.socketTimeout()));
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
