package com.netrunsystems.cache.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.redis.tooling.RedisTooling;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code netrun-cache stats}: one namespace in numbers: key count (SCAN), estimated memory ({@code MEMORY USAGE}
 * of a sample), TTL histogram, value kinds of a sample, and the shared hit/miss counters the Python package keeps
 * ({@code namespace:stats:hits|misses}) when present. A progress bar shows on a terminal.
 *
 * <p>Not thread-safe: picocli builds one instance per invocation.
 */
@Command(name = "stats", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {
            "Shows a namespace in numbers: key count (SCAN), memory (MEMORY USAGE of a sample, scaled: an "
                    + "estimate), TTL histogram, value kinds (sampled) and the shared hit/miss counters of the Python "
                    + "package (namespace:stats:hits|misses) when present.",
            "",
            "The count and the TTL histogram cover every key; kinds and memory a uniform sample of --sample keys. "
                    + "The two counters are not counted as keys. A progress bar shows on a terminal.",
            "--json: {\"namespace\", \"keys\", \"statsKeys\", \"ttl\": {\"noTtl\", \"underOneMinute\", "
                    + "\"underOneHour\", \"underOneDay\", \"longer\"}, \"sampled\", \"kinds\": {...}, \"memory\": "
                    + "{\"estimatedBytes\", \"sampledKeys\"}, \"sharedStats\": {\"hits\", \"misses\", "
                    + "\"hitRatePercent\"} or null}."
        })
final class StatsCommand extends RedisCommand {

    @Option(names = "--sample", paramLabel = "<n>", defaultValue = "1000",
            description = "Keys sampled for value kinds and memory, 1-100000 (default: ${DEFAULT-VALUE}).")
    private int sample;

    StatsCommand() {
        this(Environment.system());
    }

    StatsCommand(Environment environment) {
        super(environment);
    }

    @Override
    void validate() {
        if (sample < 1 || sample > 100_000) {
            throw usage("--sample must be between 1 and 100000, was " + sample);
        }
    }

    @Override
    int run(RedisTooling redis, CacheConfig config, PrintWriter out, PrintWriter err) {
        KeyScan keys = new KeyScan(config.namespace());
        KeyspaceStats stats = new KeyspaceStats(keys, sample);
        keys.scanAll(redis, err, environment.interactive() && !json, "scanning", page -> stats.accept(redis, page));
        stats.finishSample(redis);
        Long hits = counter(redis, keys, KeyScan.StatsKeys.HITS);
        Long misses = counter(redis, keys, KeyScan.StatsKeys.MISSES);
        if (json) {
            out.println(StoredValue.pretty(toJson(config, stats, hits, misses)));
        } else {
            print(out, config, redis, stats, hits, misses);
        }
        return NetrunCacheCli.EXIT_OK;
    }

    private static Long counter(RedisTooling redis, KeyScan keys, String key) {
        byte[] value = redis.get(keys.stored(key));
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(new String(value, StandardCharsets.UTF_8).trim());
        } catch (NumberFormatException notACounter) {
            return null;
        }
    }

    private static double hitRate(long hits, long misses) {
        return hits + misses == 0 ? 0 : Math.round(hits * 10_000.0 / (hits + misses)) / 100.0;
    }

    private static ObjectNode toJson(CacheConfig config, KeyspaceStats stats, Long hits, Long misses) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("namespace", config.namespace());
        root.put("keys", stats.count());
        root.put("statsKeys", stats.statsKeys());
        ObjectNode ttl = root.putObject("ttl");
        stats.ttl().forEach((bucket, n) -> ttl.put(bucket.jsonName, n));
        root.put("sampled", stats.sampled());
        ObjectNode kinds = root.putObject("kinds");
        stats.kinds().forEach(kinds::put);
        ObjectNode memory = root.putObject("memory");
        long estimate = stats.estimatedBytes();
        if (estimate < 0) {
            memory.putNull("estimatedBytes");
            memory.put("unavailable", stats.memoryUnavailable());
        } else {
            memory.put("estimatedBytes", estimate);
        }
        memory.put("sampledKeys", stats.memorySampled());
        if (hits == null && misses == null) {
            root.putNull("sharedStats");
        } else {
            ObjectNode shared = root.putObject("sharedStats");
            long h = hits == null ? 0 : hits;
            long m = misses == null ? 0 : misses;
            shared.put("hits", h);
            shared.put("misses", m);
            shared.put("hitRatePercent", hitRate(h, m));
        }
        return root;
    }

    private static void print(PrintWriter out, CacheConfig config, RedisTooling redis, KeyspaceStats stats, Long hits,
            Long misses) {
        out.printf(Locale.ROOT, "Namespace '%s' on %s%s%n", config.namespace(), redis.endpoint(),
                redis.isCluster() ? " (cluster)" : "");
        out.printf(Locale.ROOT, "  keys      %,d%s%n", stats.count(),
                stats.statsKeys() > 0 ? " (and " + stats.statsKeys() + " shared statistics counters)" : "");
        long estimate = stats.estimatedBytes();
        out.printf(Locale.ROOT, "  memory    %s%n", estimate >= 0
                ? "~" + bytes(estimate) + " (estimate: MEMORY USAGE of " + stats.memorySampled() + " sampled keys)"
                : "unknown (" + stats.memoryUnavailable() + ")");
        out.println();
        out.println("TTL");
        long max = stats.ttl().values().stream().mapToLong(Long::longValue).max().orElse(0);
        for (Map.Entry<KeyspaceStats.TtlBucket, Long> row : stats.ttl().entrySet()) {
            out.println(String.format(Locale.ROOT, "  %-9s %,8d  %s", row.getKey().label, row.getValue(),
                    bar(row.getValue(), max)).stripTrailing());
        }
        out.println();
        out.printf(Locale.ROOT, "Kinds (%,d sampled)%n", stats.sampled());
        stats.kinds().forEach((kind, n) -> out.printf(Locale.ROOT, "  %-12s %,8d%n", kind, n));
        out.println();
        out.printf(Locale.ROOT, "Shared statistics (%s:stats:hits|misses)%n", config.namespace());
        if (hits == null && misses == null) {
            out.println("  none (only processes with shared stats enabled keep them)");
        } else {
            long h = hits == null ? 0 : hits;
            long m = misses == null ? 0 : misses;
            out.printf(Locale.ROOT, "  hits %,d   misses %,d   hit rate %.2f %%%n", h, m, hitRate(h, m));
        }
    }

    private static String bar(long value, long max) {
        return max == 0 ? "" : "#".repeat((int) Math.round(value * 30.0 / max));
    }

    static String bytes(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        String[] units = {"KiB", "MiB", "GiB", "TiB"};
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
