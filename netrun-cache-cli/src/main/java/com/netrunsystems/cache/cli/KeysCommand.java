package com.netrunsystems.cache.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.redis.tooling.RedisTooling;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code netrun-cache keys [PATTERN]}: lists a namespace's keys with {@code SCAN} (never {@code KEYS}), the
 * namespace's glob characters escaped, up to {@code --limit}, sorted. Keys go to standard output one a line, as services
 * name them (without the namespace); the count goes to standard error.
 *
 * <p>Not thread-safe: picocli builds one instance per invocation.
 */
@Command(name = "keys", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {
            "Lists the keys of a namespace with SCAN (never KEYS), as services name them (without 'namespace:').",
            "",
            "PATTERN is a Redis glob applied after 'namespace:' (default '*'); glob characters in the namespace "
                    + "are escaped, so 'app' never lists the keys of 'app2'.",
            "Keys are sorted. Text: one key a line on standard output, the count on standard error. --json: {\"namespace\", "
                    + "\"pattern\", \"keys\": [...], \"count\", \"truncated\"}."
        })
final class KeysCommand extends RedisCommand {

    @Parameters(index = "0", arity = "0..1", paramLabel = "PATTERN", defaultValue = "*",
            description = "Glob for the keys within the namespace (default: ${DEFAULT-VALUE}).")
    private String pattern;

    @Option(names = "--limit", paramLabel = "<n>", defaultValue = "1000",
            description = "Stop after this many keys, 1-10000000 (default: ${DEFAULT-VALUE}).")
    private int limit;

    KeysCommand() {
        this(Environment.system());
    }

    KeysCommand(Environment environment) {
        super(environment);
    }

    @Override
    void validate() {
        if (limit < 1 || limit > 10_000_000) {
            throw usage("--limit must be between 1 and 10000000, was " + limit);
        }
    }

    @Override
    int run(RedisTooling redis, CacheConfig config, PrintWriter out, PrintWriter err) {
        KeyScan scan = new KeyScan(config.namespace());
        List<String> keys = new ArrayList<>();
        boolean[] truncated = {false};
        redis.scan(scan.pattern(pattern), KeyScan.SCAN_COUNT, (page, calls) -> {
            for (byte[] stored : page) {
                if (keys.size() == limit) {
                    truncated[0] = true;
                    return false;
                }
                keys.add(scan.key(stored));
            }
            return true;
        });
        keys.sort(null);
        if (json) {
            ObjectNode root = JsonNodeFactory.instance.objectNode();
            root.put("namespace", config.namespace());
            root.put("pattern", pattern);
            ArrayNode array = root.putArray("keys");
            keys.forEach(array::add);
            root.put("count", keys.size());
            root.put("truncated", truncated[0]);
            out.println(StoredValue.pretty(root));
        } else {
            keys.forEach(out::println);
            err.printf(Locale.ROOT, "%,d %s in namespace '%s' matching '%s'%s%n", keys.size(),
                    keys.size() == 1 ? "key" : "keys", config.namespace(), pattern,
                    truncated[0] ? " (stopped at --limit " + limit + "; there are more)" : "");
        }
        return NetrunCacheCli.EXIT_OK;
    }
}
