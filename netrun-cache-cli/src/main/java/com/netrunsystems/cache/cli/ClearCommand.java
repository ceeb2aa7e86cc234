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
 * counts and deletes nothing. Refuses an empty namespace, one with glob characters unless {@code --literal}, and
 * one whose pattern also matches namespaces nested in it ({@code app:v2} under {@code app}: their shared statistics
 * counters or their {@code CacheManager}s' invalidation channels show them) unless {@code --include-nested}.
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
            "'app:*' also matches the keys of a namespace nested in it, such as 'app:v2'. clear looks for such "
                    + "namespaces (their shared statistics counters '<ns>:stats:hits|misses' among the keys, and the "
                    + "invalidation channels their running CacheManagers listen on; on a Cluster, those of one node) "
                    + "and refuses (exit 2) when it finds one, unless --include-nested, which also publishes the "
                    + "invalidation of each.",
            "--json (needs --yes or --dry-run): {\"namespace\", \"matched\", \"deleted\", \"dryRun\", \"sample\": "
                    + "[...], \"nestedNamespaces\": [...], \"invalidationReceivers\"}."
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

    @Option(names = "--include-nested", description = "Also delete the keys of the namespaces found nested in this "
            + "one (such as 'app:v2' in 'app'), which its pattern matches; without it, clear refuses.")
    private boolean includeNested;

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
        NestedNamespaces nested = new NestedNamespaces(config.namespace());
        String channelsUnavailable = nested.findListeners(redis);
        if (channelsUnavailable != null) {
            err.println("warning: cannot list the invalidation channels (" + channelsUnavailable + "); namespaces "
                    + "nested in '" + config.namespace() + "' are looked for by their statistics counters only");
        }
        long matched = keys.scanAll(redis, err, progress, "counting", page -> {
            for (int i = 0; i < page.size() && sample.size() < SAMPLE; i++) {
                sample.add(keys.key(page.get(i)));
            }
            page.forEach(stored -> nested.offerKey(keys.key(stored)));
        });
        String where = "namespace '" + config.namespace() + "' on " + redis.endpoint();
        if (matched == 0) {
            return report(out, config, 0, 0, sample, nested, null, "nothing to clear: no keys in " + where);
        }
        if (dryRun) {
            return report(out, config, matched, 0, sample, nested, null, String.format(Locale.ROOT,
                    "dry run: would delete %,d keys of %s, such as:%n  %s%s", matched, where,
                    String.join("\n  ", sample), nested.isEmpty() ? "" : String.format(Locale.ROOT,
                            "%nthese include namespaces nested in '%s', which clear deletes only with "
                                    + "--include-nested:%n  %s", config.namespace(), nested.describe("\n  "))));
        }
        if (!nested.isEmpty() && !includeNested) {
            out.flush();
            err.printf(Locale.ROOT, "%s: refusing to clear namespace '%s': its keys '%s:*' include those of other "
                    + "namespaces nested in it:%n  %s%nAdd --include-nested to delete them too (and publish their "
                    + "invalidations); --dry-run lists what would go.%n", commandName(), config.namespace(),
                    config.namespace(), nested.describe("\n  "));
            err.flush();
            return NetrunCacheCli.EXIT_USAGE;
        }
        String including = nested.isEmpty() ? "" : ", including the nested namespaces " + String.join(", ",
                nested.namespaces());
        if (!yes && !confirmed(err, matched, where + including, config.namespace())) {
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
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT,
                "deleted %,d keys of %s%npublished the invalidation on %s (%d %s)", deleted[0], where,
                invalidationChannel(config.namespace()), receivers,
                receivers == 1 ? "subscriber" : "subscribers" + (redis.isCluster() ? " on that node" : "")));
        for (String namespace : nested.namespaces()) {
            long more = redis.publish(invalidationChannel(namespace), invalidateAll());
            receivers += more;
            text.append(String.format(Locale.ROOT, "%npublished the invalidation on %s (nested; %d %s)",
                    invalidationChannel(namespace), more, more == 1 ? "subscriber" : "subscribers"));
        }
        return report(out, config, matched, deleted[0], sample, nested, receivers, text.toString());
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
            NestedNamespaces nested, Long receivers, String text) {
        if (json) {
            ObjectNode root = JsonNodeFactory.instance.objectNode();
            root.put("namespace", config.namespace());
            root.put("matched", matched);
            root.put("deleted", deleted);
            root.put("dryRun", dryRun);
            ArrayNode keys = root.putArray("sample");
            sample.forEach(keys::add);
            ArrayNode namespaces = root.putArray("nestedNamespaces");
            nested.namespaces().forEach(namespaces::add);
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
