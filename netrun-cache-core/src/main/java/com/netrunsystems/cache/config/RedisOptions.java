package com.netrunsystems.cache.config;

import static com.netrunsystems.cache.config.SettingChecks.check;
import static com.netrunsystems.cache.config.SettingChecks.quoted;
import static com.netrunsystems.cache.config.SettingChecks.requirePositive;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The Redis part of a {@code CacheConfig}: where Redis is (URL, or host/port/db, or Cluster seeds),
 * who connects (ACL user and password), TLS and the socket timeouts. Internal, not part of the API:
 * read the values through {@code CacheConfig}'s getters, which document them. {@link #toString()}
 * never shows the password, also not one embedded in the URL. Immutable and thread-safe.
 *
 * @param url the Redis URL, or {@code null}; wins over host, port, db, username and password
 * @param host the Redis host; non-blank
 * @param port the Redis port; 1-65535
 * @param db the database index; 0 or more
 * @param username the ACL user, or {@code null}
 * @param password the password, or {@code null}; never printed
 * @param clusterNodes the {@code host:port} seeds of a Cluster; empty means no Cluster
 * @param tls whether host/port connections use TLS
 * @param tlsVerifyPeer whether TLS verifies the server's certificate and host name
 * @param tlsCaCertificate a PEM file of CA certificates to trust, or {@code null}
 * @param socketTimeout how long one command may take; at least 1 ms
 * @param socketConnectTimeout how long connecting may take; at least 1 ms
 */
public record RedisOptions(String url, String host, int port, int db, String username, String password,
        List<String> clusterNodes, boolean tls, boolean tlsVerifyPeer, Path tlsCaCertificate,
        Duration socketTimeout, Duration socketConnectTimeout) {

    private static final Set<String> URL_SCHEMES = Set.of("redis", "rediss", "redis-sentinel", "rediss-sentinel");

    /**
     * Validates the values, in the order {@code CacheConfig.Builder#build()} always checked them,
     * and copies the Cluster seeds; throws an {@link IllegalArgumentException} naming the first
     * invalid field by its {@code CacheConfig} name ({@code redisPort}, {@code redisUrl}, ...).
     */
    public RedisOptions {
        check(host != null && !host.isBlank(), "redisHost must not be blank, was %s", quoted(host));
        check(port >= 1 && port <= 65_535, "redisPort must be 1-65535, was %s", port);
        check(db >= 0, "redisDb must be 0 or more, was %s", db);
        check(clusterNodes != null, "redisClusterNodes must not be null");
        for (String node : clusterNodes) {
            checkHostPort(node); // before List.copyOf, which throws a bare NullPointerException on a null node
        }
        clusterNodes = List.copyOf(clusterNodes);
        if (url != null) {
            checkUrl(url);
        }
        check(clusterNodes.isEmpty() || url == null,
                "redisUrl and redisClusterNodes are exclusive: set one, was redisUrl=%s and redisClusterNodes=%s",
                url == null ? null : Secrets.maskUrl(url), clusterNodes);
        requirePositive("socketTimeout", socketTimeout);
        requirePositive("socketConnectTimeout", socketConnectTimeout);
    }

    /** Returns the endpoint for messages, such as {@code 127.0.0.1:6379}: never a password. */
    public String endpoint() {
        if (!clusterNodes.isEmpty()) {
            return "cluster " + String.join(",", clusterNodes);
        }
        return url != null ? Secrets.maskUrl(url) : host + ":" + port;
    }

    /** Returns the fields as {@code CacheConfig#toString()} lists them, the password as {@code ****}. */
    public String fields() {
        return "redisUrl=" + (url == null ? "none" : Secrets.maskUrl(url))
                + ", redisHost='" + host + "', redisPort=" + port + ", redisDb=" + db
                + ", redisUsername=" + (username == null ? "none" : "'" + username + "'")
                + ", redisPassword=" + (password == null ? "none" : "****")
                + ", redisClusterNodes=" + clusterNodes + ", redisTls=" + tls
                + ", redisTlsVerifyPeer=" + tlsVerifyPeer
                + ", redisTlsCaCertificate=" + (tlsCaCertificate == null ? "none" : tlsCaCertificate)
                + ", socketTimeout=" + socketTimeout + ", socketConnectTimeout=" + socketConnectTimeout;
    }

    /** Returns every field except the password, which shows as {@code ****} when set. */
    @Override
    public String toString() {
        return "RedisOptions{" + fields() + "}";
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
}
