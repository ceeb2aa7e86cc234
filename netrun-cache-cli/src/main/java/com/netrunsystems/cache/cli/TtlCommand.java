package com.netrunsystems.cache.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.redis.tooling.RedisTooling;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code netrun-cache ttl KEY}: the remaining time to live of one key ({@code PTTL}). Exits 1 when the key does
 * not exist.
 *
 * <p>Not thread-safe: picocli builds one instance per invocation.
 */
@Command(name = "ttl", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {
            "Shows the remaining time to live of one key of a namespace (PTTL).",
            "",
            "Text: '<storedKey>  <ttl>'. --json: {\"namespace\", \"key\", \"storedKey\", \"exists\", \"ttlMillis\"} "
                    + "where ttlMillis is -1 for a key without a TTL. Exits 1 when the key does not exist."
        })
final class TtlCommand extends RedisCommand {

    @Parameters(index = "0", paramLabel = "KEY", description = "The key, as services name it (without 'namespace:').")
    private String key;

    TtlCommand() {
        this(Environment.system());
    }

    TtlCommand(Environment environment) {
        super(environment);
    }

    @Override
    int run(RedisTooling redis, CacheConfig config, PrintWriter out, PrintWriter err) {
        String storedKey = config.namespace() + ":" + key;
        long ttlMillis = redis.pttl(List.of(new KeyScan(config.namespace()).stored(key))).get(0);
        if (json) {
            ObjectNode root = JsonNodeFactory.instance.objectNode();
            root.put("namespace", config.namespace());
            root.put("key", key);
            root.put("storedKey", storedKey);
            root.put("exists", ttlMillis != -2);
            root.put("ttlMillis", ttlMillis == -2 ? null : ttlMillis);
            out.println(StoredValue.pretty(root));
            return ttlMillis == -2 ? NetrunCacheCli.EXIT_FAILED : NetrunCacheCli.EXIT_OK;
        }
        if (ttlMillis == -2) {
            return failed("no key '" + storedKey + "'", out, err);
        }
        out.printf("%s  %s%n", storedKey, describe(ttlMillis));
        return NetrunCacheCli.EXIT_OK;
    }

    /** Describes a {@code PTTL} reply: {@code no TTL (persistent)}, or {@code 59.998 s (expires at ...Z)}. */
    static String describe(long ttlMillis) {
        if (ttlMillis < 0) {
            return "no TTL (persistent)";
        }
        Instant expiry = Instant.now().plusMillis(ttlMillis).truncatedTo(ChronoUnit.SECONDS);
        return String.format(Locale.ROOT, "%,.3f s (expires at %s)", ttlMillis / 1000.0, expiry);
    }
}
