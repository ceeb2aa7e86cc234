package com.netrunsystems.cache.cli;

import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.CacheConfig;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The connection options of the operator commands ({@code keys}, {@code get}, {@code stats}, ...), used as a
 * picocli {@code @Mixin}. The configuration starts from the {@code NETRUN_CACHE_*} environment, as in
 * {@code demo}; the options override it. A password is never needed on the command line: it comes from
 * {@code NETRUN_CACHE_REDIS_URL}, {@code NETRUN_CACHE_REDIS_PASSWORD} or {@code --redis-url-file}; a password
 * in {@code --redis-url} works but earns a warning, since other users of the machine see it in {@code ps}.
 *
 * <p>Not thread-safe: one instance per command instance.
 */
final class RedisOptions {

    @Option(names = "--redis-url", paramLabel = "<url>",
            description = "Redis URL, such as redis://host:6379/0 or rediss://host:6380; default: "
                    + "NETRUN_CACHE_REDIS_URL, or NETRUN_CACHE_REDIS_HOST/PORT/DB. Keep the password out of it "
                    + "(visible in ps): use NETRUN_CACHE_REDIS_PASSWORD or --redis-url-file.")
    private String redisUrl;

    @Option(names = "--redis-url-file", paramLabel = "<file>",
            description = "Read the Redis URL (which may hold the password) from this file.")
    private Path redisUrlFile;

    @Option(names = "--cluster-nodes", paramLabel = "<host:port>", split = ",",
            description = "Redis Cluster seed nodes (default: NETRUN_CACHE_REDIS_CLUSTER_NODES).")
    private List<String> clusterNodes;

    @Option(names = "--tls", description = "Use TLS with host/port or cluster nodes (a rediss:// URL implies it).")
    private boolean tls;

    @Option(names = "--tls-ca-cert", paramLabel = "<pem>",
            description = "Trust the server certificates signed by this CA (PEM) (default: "
                    + "NETRUN_CACHE_REDIS_TLS_CA_CERTIFICATE, else the JVM's trust store).")
    private Path tlsCaCertificate;

    @Option(names = "--timeout", paramLabel = "<duration>", converter = DurationConverter.class,
            description = "Connect and command timeout, such as 2s (default: NETRUN_CACHE_SOCKET_TIMEOUT or 5s).")
    private Duration timeout;

    /**
     * Returns the environment's Redis settings overridden by the options, for {@code namespace}; adds to
     * {@code warnings} what the operator should know (a password on the command line).
     *
     * @throws IllegalArgumentException for an invalid setting or an unreadable {@code --redis-url-file}
     */
    CacheConfig config(Map<String, String> environment, String namespace, List<String> warnings) {
        CacheConfig.Builder builder = CacheConfig.fromEnvironment(environment).toBuilder()
                .backend(CacheBackend.REDIS)
                .namespace(namespace);
        if (redisUrlFile != null) {
            builder.redisUrl(readUrl(redisUrlFile));
        }
        if (redisUrl != null) {
            if (hasPassword(redisUrl)) {
                warnings.add("warning: --redis-url holds a password, which other users can see in 'ps'; "
                        + "use NETRUN_CACHE_REDIS_PASSWORD, NETRUN_CACHE_REDIS_URL or --redis-url-file instead");
            }
            builder.redisUrl(redisUrl);
        }
        if (clusterNodes != null) {
            builder.redisClusterNodes(new ArrayList<>(clusterNodes));
        }
        if (tls) {
            builder.redisTls(true);
        }
        if (tlsCaCertificate != null) {
            builder.redisTlsCaCertificate(tlsCaCertificate);
        }
        if (timeout != null) {
            builder.socketTimeout(timeout).socketConnectTimeout(timeout);
        }
        return builder.build();
    }

    private static String readUrl(Path file) {
        try {
            String url = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (url.isEmpty()) {
                throw new IllegalArgumentException("--redis-url-file " + file + " is empty");
            }
            return url;
        } catch (IOException e) {
            throw new IllegalArgumentException("--redis-url-file " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    /**
     * Returns whether {@code url}'s user-info holds a password: {@code redis://user:pw@host}, or
     * {@code redis://pw@host} (a password alone, as redis-py reads it).
     */
    static boolean hasPassword(String url) {
        int schemeEnd = url.indexOf("://");
        int start = schemeEnd < 0 ? 0 : schemeEnd + 3;
        int slash = url.indexOf('/', start);
        String authority = slash < 0 ? url.substring(start) : url.substring(start, slash);
        int at = authority.lastIndexOf('@');
        if (at < 0) {
            return false;
        }
        String userInfo = authority.substring(0, at);
        int colon = userInfo.indexOf(':');
        return colon < 0 ? !userInfo.isEmpty() : colon < userInfo.length() - 1;
    }
}
