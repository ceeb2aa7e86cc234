package com.netrunsystems.cache.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.redis.tooling.RedisTooling;
import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;

/**
 * {@code netrun-cache doctor}: checks that this service's Redis settings work for the library, each check with
 * ✔, ⚠ or ✖ and the fix: connection (TLS certificate and host name, authentication), server version and mode
 * (Cluster slot coverage), round-trip latency, ACL permissions, eviction policy and clock skew. Exits 1 when a
 * check failed (✖); warnings (⚠) alone exit 0.
 *
 * <p>Not thread-safe: picocli builds one instance per invocation.
 */
@Command(name = "doctor", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {
            "Checks that Redis works for netrun-cache with these settings; each check is marked ✔ (ok), ⚠ (works, "
                    + "not as a cache wants) or ✖ (failed), with the fix.",
            "",
            "The checks: connection (TLS certificate and host name, authentication), server version and mode "
                    + "(Cluster slot coverage), latency (p50/p99 of 100 PINGs), permissions (GET SET MGET PTTL "
                    + "EVALSHA SCAN UNLINK PUBLISH SUBSCRIBE, tried on a key of the namespace that expires in 10 s and on its "
                    + "invalidation channel), eviction (maxmemory, noeviction) and clock skew.",
            "",
            "Exits 1 when a check failed; warnings alone exit 0. --json: {\"endpoint\", \"namespace\", \"ok\", "
                    + "\"checks\": [{\"name\", \"status\": ok|warn|fail, \"detail\", \"fix\"}]}."
        })
final class DoctorCommand extends RedisCommand {

    DoctorCommand() {
        this(Environment.system());
    }

    DoctorCommand(Environment environment) {
        super(environment);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CacheConfig config = configOrNull(err);
        if (config == null) {
            return NetrunCacheCli.EXIT_USAGE;
        }
        List<Check> checks = new ArrayList<>();
        try (RedisTooling redis = RedisTooling.connect(config)) {
            checks.add(Check.ok("connection", "connected" + tls(config)));
            checks.addAll(new DoctorChecks(redis, config, Clock.systemUTC()).run());
        } catch (CacheException e) {
            checks.add(connectionFailed(config, e.getMessage()));
        }
        boolean ok = checks.stream().noneMatch(c -> c.status() == Check.Status.FAIL);
        if (json) {
            ObjectNode root = JsonNodeFactory.instance.objectNode();
            root.put("endpoint", config.redisEndpoint());
            root.put("namespace", config.namespace());
            root.put("ok", ok);
            ArrayNode array = root.putArray("checks");
            checks.forEach(c -> array.add(c.toJson()));
            out.println(StoredValue.pretty(root));
        } else {
            out.printf("netrun-cache doctor: %s, namespace '%s'%n", config.redisEndpoint(), config.namespace());
            checks.forEach(c -> c.print(out));
            long failed = checks.stream().filter(c -> c.status() == Check.Status.FAIL).count();
            long warned = checks.stream().filter(c -> c.status() == Check.Status.WARN).count();
            out.printf("%n%s%n", ok ? "ok" + (warned > 0 ? " (" + warned + " warning" + (warned > 1 ? "s" : "") + ")" : "")
                    : failed + " check" + (failed > 1 ? "s" : "") + " failed");
        }
        out.flush();
        return ok ? NetrunCacheCli.EXIT_OK : NetrunCacheCli.EXIT_FAILED;
    }

    @Override
    int run(RedisTooling redis, CacheConfig config, PrintWriter out, PrintWriter err) {
        throw new UnsupportedOperationException("doctor reports a failed connection as a check: see call()");
    }

    private static String tls(CacheConfig config) {
        boolean tls = config.redisTls() || config.redisUrl().map(u -> u.startsWith("rediss")).orElse(false);
        if (!tls) {
            return " (no TLS)";
        }
        return config.redisTlsVerifyPeer() ? " (TLS, certificate and host name verified)"
                : " (TLS, certificate NOT verified)";
    }

    /**
     * Names the likely cause of a failed connection and its fix, from the reason in {@code message}: the
     * password, a certificate that names another host, a certificate that is not trusted or has expired, a TLS
     * handshake that failed otherwise, nothing listening, or else the network.
     */
    static Check connectionFailed(CacheConfig config, String message) {
        String lower = message.toLowerCase(Locale.ROOT);
        String fix;
        if (lower.contains("wrongpass") || lower.contains("noauth") || lower.contains("auth")
                && lower.contains("fail")) {
            fix = "authentication failed: set NETRUN_CACHE_REDIS_USERNAME and NETRUN_CACHE_REDIS_PASSWORD (or the "
                    + "URL in --redis-url-file) to the ACL user and password of this service";
        } else if (lower.contains("no subject alternative") || lower.contains("no name matching")) {
            fix = "the TLS certificate does not name the host connected to (host name verification): connect with "
                    + "a host name or IP address that the certificate's subject alternative names list, or reissue "
                    + "the certificate with this name";
        } else if (lower.contains("notafter") || lower.contains("certificate expired")
                || lower.contains("validity check failed")) {
            fix = "the server's TLS certificate has expired (or is not yet valid): renew it, and check this "
                    + "machine's clock";
        } else if (lower.contains("pkix") || lower.contains("certification path")) {
            fix = "the server's TLS certificate is not trusted: trust the CA that signed it with --tls-ca-cert <pem> "
                    + "(NETRUN_CACHE_REDIS_TLS_CA_CERTIFICATE)";
        } else if (lower.contains("certificate") || lower.contains("ssl") || lower.contains("handshake")) {
            fix = "the TLS handshake failed: check that the server speaks TLS on this port, trust its CA with "
                    + "--tls-ca-cert <pem> (NETRUN_CACHE_REDIS_TLS_CA_CERTIFICATE), and connect with the host name "
                    + "its certificate names";
        } else if (lower.contains("refused")) {
            fix = "nothing listens there: check the host and port, and that redis-server runs";
        } else {
            fix = "check the host, the port, the network path (firewall) and whether the server speaks TLS (then "
                    + "use rediss:// or --tls)";
        }
        return Check.fail("connection", message, fix);
    }
}
