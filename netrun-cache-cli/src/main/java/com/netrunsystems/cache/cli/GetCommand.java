package com.netrunsystems.cache.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.redis.tooling.RedisTooling;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code netrun-cache get KEY}: shows one stored value, as what it is (JSON pretty-printed, a counter, a raw
 * string, or binary bytes as hex with their length), with its size and TTL. Exits 1 when the key does not exist.
 *
 * <p>Not thread-safe: picocli builds one instance per invocation.
 */
@Command(name = "get", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {
            "Shows the value of one key of a namespace: JSON pretty-printed, counters and raw strings as they are, "
                    + "binary values as hex with their length.",
            "",
            "Text: the key, the kind, the size and the TTL, then the value. --json: {\"namespace\", \"key\", "
                    + "\"storedKey\", \"type\", \"kind\", \"bytes\", \"ttlMillis\", \"value\"}.",
            "Kinds: json-object, json-array, json-string, json-number, json-boolean, json-null, counter, "
                    + "raw-string, binary. Exits 1 when the key does not exist."
        })
final class GetCommand extends RedisCommand {

    @Parameters(index = "0", paramLabel = "KEY", description = "The key, as services name it (without 'namespace:').")
    private String key;

    GetCommand() {
        this(Environment.system());
    }

    GetCommand(Environment environment) {
        super(environment);
    }

    @Override
    int run(RedisTooling redis, CacheConfig config, PrintWriter out, PrintWriter err) {
        KeyScan keys = new KeyScan(config.namespace());
        byte[] stored = keys.stored(key);
        String storedKey = config.namespace() + ":" + key;
        String type = redis.type(stored);
        if (type.equals("none")) {
            return failed("no key '" + storedKey + "'", out, err);
        }
        long ttlMillis = redis.pttl(List.of(stored)).get(0);
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("namespace", config.namespace());
        root.put("key", key);
        root.put("storedKey", storedKey);
        root.put("type", type);
        if (!type.equals("string")) {
            if (json) {
                root.put("ttlMillis", ttlMillis);
                out.println(StoredValue.pretty(root));
            } else {
                out.printf("key    %s%ntype   %s (not a string: netrun-cache stores only strings)%nttl    %s%n",
                        storedKey, type, TtlCommand.describe(ttlMillis));
            }
            return NetrunCacheCli.EXIT_OK;
        }
        byte[] bytes = redis.get(stored);
        if (bytes == null) {
            return failed("no key '" + storedKey + "' (it expired just now)", out, err);
        }
        StoredValue value = StoredValue.of(bytes);
        if (json) {
            root.put("kind", value.kind().label());
            root.put("bytes", bytes.length);
            root.put("ttlMillis", ttlMillis);
            root.set("value", value.asJson());
            out.println(StoredValue.pretty(root));
        } else {
            out.printf(Locale.ROOT, "key    %s%n", storedKey);
            out.printf(Locale.ROOT, "kind   %s%n", value.kind().label());
            out.printf(Locale.ROOT, "size   %,d bytes%s%n", bytes.length,
                    value.kind() == StoredValue.Kind.BINARY && bytes.length > StoredValue.HEX_LIMIT
                            ? " (hex of the first " + StoredValue.HEX_LIMIT + " below)" : "");
            out.printf(Locale.ROOT, "ttl    %s%n", TtlCommand.describe(ttlMillis));
            out.println();
            out.println(value.display());
        }
        return NetrunCacheCli.EXIT_OK;
    }
}
