package com.netrunsystems.cache.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.redis.tooling.RedisTooling;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code netrun-cache clear --namespace N}: deletes one namespace's keys with SCAN + UNLINK in batches, then
 * publishes the invalidation that makes every running {@code CacheManager} of the namespace drop its L1.
 * Counts first and asks for the namespace's name as confirmation (unless {@code --yes}); {@code --dry-run}
 * counts and deletes nothing. Refuses an empty namespace, and one with glob characters unless {@code --literal}.
 *
 * <p>Not thread-safe: picocli builds one instance per invocation.
 */
@Command(name = "clear", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class, sortOptions = false,
        description = {
            "Deletes the keys of one namespace (SCAN + UNLINK in batches, never KEYS or FLUSHDB) and publishes the "
                    + "invalidation on netrun-cache:invalidate:<namespace>, so that every running CacheManager drops "
                    + "its L1.",
            "",
            "Counts the keys first and asks you to type the namespace to confirm (--yes skips it). --dry-run counts "
                    + "and lists a few keys, and deletes nothing. Only keys named '<namespace>:...' are deleted: "
                    + "'app' never touches 'app2'. A namespace must be given explicitly, must not be blank, and may "
                    + "hold glob characters (* ? [ ]) only with --literal.",
            "--json (needs --yes or --dry-run): {\"namespace\", \"matched\", \"deleted\", \"dryRun\", \"sample\": "
                    + "[...], \"invalidationReceivers\"}."
        })
final class ClearCommand extends RedisCommand {

    /** Keys a dry run lists. */
    static final int SAMPLE = 10;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation.")
    private boolean yes;

    @Option(names = "--dry-run", description = "Count and list a few keys; delete nothing.")
    private boolean dryRun;

    @Option(names = "--literal", description = "Accept glob characters (* ? [ ]) in the namespace as part of its name.")
    private boolean literal;

    ClearCommand() {
        this(Environment.system());
    }

    ClearCommand(Environment environment) {
        super(environment);
    }

    @Override
    void validate() {
        if (namespace == null) {
            throw usage("clear needs --namespace: it never falls back to NETRUN_CACHE_NAMESPACE or the default");
        }
        if (namespace.isBlank()) {
            throw usage("refusing to clear a blank namespace: its pattern would match keys of other namespaces");
        }
        if (!literal && namespace.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == ']')) {
            throw usage("refusing namespace '" + namespace + "': it holds glob characters, and namespaces are names, "
                    + "not patterns. If a namespace really is named so, add --literal (its keys alone are deleted)");
        }
        if (json && !yes && !dryRun) {
            throw usage("--json needs --yes or --dry-run: it cannot ask for confirmation");
        }
    }

    @Override
    int run(RedisTooling redis, CacheConfig config, PrintWriter out, PrintWriter err) {
        KeyScan keys = new KeyScan(config.namespace());
        boolean progress = environment.interactive() && !json;
        List<String> sample = new ArrayList<>();
        long matched = keys.scanAll(redis, err, progress, "counting", page -> {
            for (int i = 0; i < page.size() && sample.size() < SAMPLE; i++) {
                sample.add(keys.key(page.get(i)));
            }
        });
        String where = "namespace '" + config.namespace() + "' on " + redis.endpoint();
        if (matched == 0) {
            return report(out, config, 0, 0, sample, null, "nothing to clear: no keys in " + where);
        }
        if (dryRun) {
            return report(out, config, matched, 0, sample, null, String.format(Locale.ROOT,
                    "dry run: would delete %,d keys of %s, such as:%n  %s", matched, where, String.join("\n  ", sample)));
        }
        if (!yes && !confirmed(err, matched, where, config.namespace())) {
            return failed("aborted; nothing deleted", out, err);
        }
        ProgressBar bar = new ProgressBar(err, progress, "deleting", matched);
        long[] deleted = {0};
        redis.scan(keys.pattern("*"), KeyScan.SCAN_COUNT, (page, calls) -> {
            deleted[0] += redis.unlink(page);
            bar.update(deleted[0], deleted[0]);
            return true;
        });
        bar.finish(deleted[0]);
        long receivers = redis.publish(invalidationChannel(config.namespace()), invalidateAll());
        return report(out, config, matched, deleted[0], sample, receivers, String.format(Locale.ROOT,
                "deleted %,d keys of %s%npublished the invalidation on %s (%d %s)", deleted[0], where,
                invalidationChannel(config.namespace()), receivers,
                receivers == 1 ? "subscriber" : "subscribers" + (redis.isCluster() ? " on that node" : "")));
    }

    private boolean confirmed(PrintWriter err, long matched, String where, String expected) {
        err.printf(Locale.ROOT, "Delete %,d keys of %s?%nType the namespace name to confirm: ", matched, where);
        err.flush();
        try {
            String answer = new BufferedReader(new InputStreamReader(environment.stdin(), StandardCharsets.UTF_8))
                    .readLine();
            return answer != null && answer.strip().equals(expected);
        } catch (IOException e) {
            return false;
        }
    }

    private int report(PrintWriter out, CacheConfig config, long matched, long deleted, List<String> sample,
            Long receivers, String text) {
        if (json) {
            ObjectNode root = JsonNodeFactory.instance.objectNode();
            root.put("namespace", config.namespace());
            root.put("matched", matched);
            root.put("deleted", deleted);
            root.put("dryRun", dryRun);
            ArrayNode keys = root.putArray("sample");
            sample.forEach(keys::add);
            root.put("invalidationReceivers", receivers);
            out.println(StoredValue.pretty(root));
        } else {
            out.println(text);
        }
        return NetrunCacheCli.EXIT_OK;
    }

    /** Returns the pub/sub channel on which the {@code CacheManager}s of {@code namespace} listen. */
    static String invalidationChannel(String namespace) {
        return "netrun-cache:invalidate:" + namespace;
    }

    /** Returns the message that makes every {@code CacheManager} drop its whole L1, from a sender of its own. */
    private static byte[] invalidateAll() {
        String sender = "netrun-cache-cli-" + UUID.randomUUID();
        return ("{\"sender\":\"" + sender + "\",\"keys\":[],\"all\":true}").getBytes(StandardCharsets.UTF_8);
    }
}
