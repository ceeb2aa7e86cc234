package com.netrunsystems.cache.cli;

import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.redis.tooling.RedisTooling;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

/**
 * The checks of {@code doctor} on an open connection: server and mode (Cluster slot coverage), round-trip
 * latency, the ACL permissions the library needs (each command tried harmlessly on a key of the namespace that
 * lives 10 s, and on its invalidation channel), eviction policy and clock skew. Not thread-safe.
 */
final class DoctorChecks {

    /** PINGs timed for the latency check. */
    static final int PINGS = 100;
    /** The median PING round trip, in milliseconds, above which the latency check warns. */
    static final double SLOW_P50_MILLIS = 5;
    private static final int CLUSTER_SLOTS = 16_384;

    private final RedisTooling redis;
    private final CacheConfig config;
    private final Clock clock;

    DoctorChecks(RedisTooling redis, CacheConfig config, Clock clock) {
        this.redis = redis;
        this.config = config;
        this.clock = clock;
    }

    List<Check> run() {
        List<Check> checks = new ArrayList<>();
        checks.add(server());
        checks.add(latency());
        checks.add(permissions());
        checks.add(eviction());
        checks.add(clockSkew());
        return checks;
    }

    private Check server() {
        Map<String, String> info;
        try {
            info = info("server");
        } catch (CacheException e) {
            return Check.warn("server", "cannot read INFO: " + e.getMessage(), "grant +info to read the server's version");
        }
        String version = info.getOrDefault("redis_version", "?");
        String mode = info.getOrDefault("redis_mode", "?");
        String detail = "Redis " + version + ", " + mode + sentinel();
        if (redis.isCluster()) {
            Map<String, String> cluster = fields(text(redis.call("CLUSTER", null, "INFO")));
            long slotsOk = Long.parseLong(cluster.getOrDefault("cluster_slots_ok", "0"));
            String state = cluster.getOrDefault("cluster_state", "?");
            detail += String.format(Locale.ROOT, ", cluster_state %s, %,d of %,d slots served", state, slotsOk,
                    CLUSTER_SLOTS);
            if (!state.equals("ok") || slotsOk < CLUSTER_SLOTS) {
                return Check.fail("server", detail, "some hash slots have no working master: check CLUSTER NODES and "
                        + "restore the failed masters or reassign their slots");
            }
        }
        if (major(version) < 6) {
            return Check.warn("server", detail, "Redis 6.2 or later is recommended (UNLINK, ACLs, RESP3)");
        }
        return Check.ok("server", detail);
    }

    /** Returns {@code ", master 'name' found through Sentinel"} for a Sentinel URL, else "". */
    private String sentinel() {
        String url = config.redisUrl().orElse("");
        if (!url.startsWith("redis-sentinel://") && !url.startsWith("rediss-sentinel://")) {
            return "";
        }
        int hash = url.indexOf('#');
        return ", master '" + (hash < 0 ? "?" : url.substring(hash + 1)) + "' found through Sentinel";
    }

    private Check latency() {
        long[] nanos = new long[PINGS];
        for (int i = 0; i < PINGS; i++) {
            long start = System.nanoTime();
            redis.call("PING", null);
            nanos[i] = System.nanoTime() - start;
        }
        Arrays.sort(nanos);
        double p50 = nanos[PINGS / 2] / 1e6;
        double p99 = nanos[PINGS * 99 / 100] / 1e6;
        String detail = String.format(Locale.ROOT, "p50 %.2f ms, p99 %.2f ms (%d PINGs)", p50, p99, PINGS);
        if (p50 > SLOW_P50_MILLIS) {
            return Check.warn("latency", detail, "a cache round trip should take well under a few ms: run services "
                    + "close to Redis (same zone), and check its CPU and network");
        }
        return Check.ok("latency", detail);
    }

    private Check permissions() {
        String channel = ClearCommand.invalidationChannel(config.namespace());
        String key = config.namespace() + ":__netrun_doctor__:" + UUID.randomUUID();
        Map<String, Runnable> probes = new LinkedHashMap<>();
        probes.put("SET", () -> redis.call("SET", key, "1", "PX", "10000"));
        probes.put("GET", () -> redis.call("GET", key));
        probes.put("MGET", () -> redis.call("MGET", key));
        probes.put("PTTL", () -> redis.call("PTTL", key));
        probes.put("EVALSHA", () -> expectNoScript(key));
        probes.put("SCAN", () -> redis.call("SCAN", null, "0", "MATCH",
                RedisTooling.escapeGlob(config.namespace()) + ":*", "COUNT", "1"));
        probes.put("UNLINK", () -> redis.call("UNLINK", key));
        probes.put("PUBLISH", () -> redis.publish(channel, ("{\"sender\":\"netrun-cache-doctor-" + UUID.randomUUID()
                + "\",\"keys\":[]}").getBytes(StandardCharsets.UTF_8)));
        probes.put("SUBSCRIBE", () -> redis.subscribe(channel, message -> { }).close());
        List<String> passed = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Runnable> probe : probes.entrySet()) {
            try {
                probe.getValue().run();
                passed.add(probe.getKey());
            } catch (CacheException e) {
                missing.add(probe.getKey() + " (" + e.getMessage() + ")");
            }
        }
        String scope = "on " + config.namespace() + ":* and channel " + channel;
        if (missing.isEmpty()) {
            return Check.ok("permissions", String.join(" ", passed) + " " + scope);
        }
        String user = config.redisUsername().orElse("<user>");
        return Check.fail("permissions", "missing: " + String.join(", ", missing),
                "ACL SETUSER " + user + " ~" + config.namespace() + ":* &" + channel
                        + " +get +set +mget +pttl +evalsha +eval +scan +unlink +publish +subscribe (then ACL SAVE)");
    }

    /** EVALSHA of a script that does not exist: NOSCRIPT means the command is allowed, NOPERM that it is not. */
    private void expectNoScript(String key) {
        try {
            redis.call("EVALSHA", null, "ffffffffffffffffffffffffffffffffffffffff", "1", key);
        } catch (CacheException e) {
            if (!String.valueOf(e.getMessage()).startsWith("NOSCRIPT")) {
                throw e;
            }
        }
    }

    private Check eviction() {
        Map<String, String> memory;
        try {
            memory = info("memory");
        } catch (CacheException e) {
            return Check.warn("eviction", "cannot read INFO memory: " + e.getMessage(),
                    "grant +info so that doctor can check maxmemory and the eviction policy");
        }
        String policy = memory.getOrDefault("maxmemory_policy", "?");
        long max = Long.parseLong(memory.getOrDefault("maxmemory", "0"));
        String detail = "maxmemory " + (max == 0 ? "0 (no limit)" : StatsCommand.bytes(max)) + ", policy " + policy;
        if (policy.equals("noeviction")) {
            return Check.warn("eviction", detail, "a full Redis refuses writes under noeviction (the library then "
                    + "fails open, caching nothing): CONFIG SET maxmemory <limit> and CONFIG SET maxmemory-policy "
                    + "allkeys-lru (or allkeys-lfu)");
        }
        if (max == 0) {
            return Check.warn("eviction", detail, "without maxmemory Redis grows until the machine runs out: "
                    + "CONFIG SET maxmemory <limit>");
        }
        return Check.ok("eviction", detail);
    }

    private Check clockSkew() {
        long before = clock.millis();
        List<Object> time = redis.call("TIME", null);
        long after = clock.millis();
        long serverMillis = Long.parseLong(text(time.get(0))) * 1000 + Long.parseLong(text(time.get(1))) / 1000;
        long skew = serverMillis - (before + after) / 2;
        String detail = String.format(Locale.ROOT, "%+d ms (server TIME minus this machine's clock, +- %d ms)", skew,
                Math.max(1, (after - before) / 2));
        if (Math.abs(skew) > 1000) {
            return Check.warn("clock", detail, "synchronise the clocks (NTP): TTLs count on the server, but logs and "
                    + "expiry times printed here will not match");
        }
        return Check.ok("clock", detail);
    }

    private Map<String, String> info(String section) {
        return fields(text(redis.call("INFO", null, section)));
    }

    private static Map<String, String> fields(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : text.split("\r?\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && !line.startsWith("#")) {
                fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
            }
        }
        return fields;
    }

    private static String text(Object reply) {
        if (reply instanceof List<?> list) {
            return list.isEmpty() ? "" : text(list.get(0));
        }
        return reply instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8) : String.valueOf(reply);
    }

    private static int major(String version) {
        try {
            return Integer.parseInt(version.substring(0, version.indexOf('.')));
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
