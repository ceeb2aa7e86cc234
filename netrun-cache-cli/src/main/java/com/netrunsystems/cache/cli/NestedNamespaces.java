package com.netrunsystems.cache.cli;

import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.redis.tooling.RedisTooling;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The namespaces nested in one that is about to be cleared, such as {@code app:v2} in {@code app}, whose keys
 * {@code app:*} also matches (the key layout cannot tell them apart). A nested namespace shows by its shared
 * statistics counters among the keys ({@code app:v2:stats:hits}), or by the invalidation channel that a running
 * {@code CacheManager} of it listens on ({@code netrun-cache:invalidate:app:v2}) when some key lies in it.
 * Not thread-safe: one instance per {@code clear}.
 */
final class NestedNamespaces {

    private static final String CHANNEL_PREFIX = ClearCommand.invalidationChannel("");
    private static final String[] STATS_SUFFIXES = {":" + KeyScan.StatsKeys.HITS, ":" + KeyScan.StatsKeys.MISSES};

    private final String namespace;
    /** The names within {@link #namespace} (such as {@code v2}) of the channels that have subscribers. */
    private final Set<String> listening = new TreeSet<>();
    /** Each nested namespace found (its full name), with what showed it. */
    private final Map<String, Set<String>> found = new TreeMap<>();

    NestedNamespaces(String namespace) {
        this.namespace = namespace;
    }

    /**
     * Reads which invalidation channels of namespaces nested in this one have subscribers ({@code PUBSUB
     * CHANNELS}; on a Cluster, the subscribers of the node asked). Call before offering keys. Returns null, or
     * Redis's error when the channels cannot be listed (an ACL user without {@code PUBSUB}).
     */
    String findListeners(RedisTooling redis) {
        String pattern = RedisTooling.escapeGlob(ClearCommand.invalidationChannel(namespace)) + ":*";
        List<Object> channels;
        try {
            channels = redis.call("PUBSUB", null, "CHANNELS", pattern);
        } catch (CacheException e) {
            return e.getMessage();
        }
        String prefix = ClearCommand.invalidationChannel(namespace) + ":";
        for (Object channel : channels) {
            String name = channel instanceof byte[] bytes ? new String(bytes, StandardCharsets.UTF_8)
                    : String.valueOf(channel);
            if (name.startsWith(prefix) && name.length() > prefix.length()) {
                listening.add(name.substring(prefix.length()));
            }
        }
        return null;
    }

    /** Looks at one key of the namespace, as services name it (without {@code namespace:}). */
    void offerKey(String key) {
        for (String suffix : STATS_SUFFIXES) {
            if (key.endsWith(suffix) && key.length() > suffix.length()) {
                String nested = namespace + ":" + key.substring(0, key.length() - suffix.length());
                found.computeIfAbsent(nested, n -> new TreeSet<>())
                        .add("shared statistics counters " + nested + ":stats:hits|misses");
            }
        }
        for (String name : listening) {
            if (key.startsWith(name + ":")) {
                String nested = namespace + ":" + name;
                found.computeIfAbsent(nested, n -> new TreeSet<>())
                        .add("a CacheManager listening on " + CHANNEL_PREFIX + nested);
            }
        }
    }

    boolean isEmpty() {
        return found.isEmpty();
    }

    /** Returns the nested namespaces found, sorted. */
    List<String> namespaces() {
        return new ArrayList<>(found.keySet());
    }

    /** Returns one line per nested namespace, with what showed it, joined by {@code separator}. */
    String describe(String separator) {
        List<String> lines = new ArrayList<>();
        found.forEach((nested, evidence) -> lines.add(nested + " (" + String.join("; ", evidence) + ")"));
        return String.join(separator, lines);
    }
}
