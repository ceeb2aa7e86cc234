package com.netrunsystems.cache.cli;

import com.netrunsystems.cache.redis.tooling.RedisTooling;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The keys of one namespace as Redis stores them ({@code namespace + ":" + key}, UTF-8): the {@code SCAN MATCH}
 * pattern with the namespace's glob characters escaped (so {@code app} never matches {@code app2}, and
 * {@code a*} only itself), and the conversions between stored keys and the keys services use. Immutable.
 */
final class KeyScan {

    /** How many keys one {@code SCAN} call asks for. */
    static final int SCAN_COUNT = 1000;

    private final String namespace;
    private final byte[] prefix;

    KeyScan(String namespace) {
        this.namespace = namespace;
        this.prefix = (namespace + ":").getBytes(StandardCharsets.UTF_8);
    }

    String namespace() {
        return namespace;
    }

    /** Returns the pattern of the keys whose service key matches {@code keyPattern} (a glob, not escaped). */
    String pattern(String keyPattern) {
        return RedisTooling.escapeGlob(namespace) + ":" + keyPattern;
    }

    /** Returns the stored key of {@code key}. */
    byte[] stored(String key) {
        return (namespace + ":" + key).getBytes(StandardCharsets.UTF_8);
    }

    /** Returns the service key of a stored key of this namespace (the stored key as it is when outside it). */
    String key(byte[] stored) {
        if (stored.length >= prefix.length && Arrays.equals(stored, 0, prefix.length, prefix, 0, prefix.length)) {
            return new String(stored, prefix.length, stored.length - prefix.length, StandardCharsets.UTF_8);
        }
        return new String(stored, StandardCharsets.UTF_8);
    }

    /**
     * Scans every key of the namespace, handing each non-empty page to {@code page}, with a progress bar on
     * {@code err} when {@code progress}: SCAN's progress through the whole keyspace is estimated from
     * {@code DBSIZE}, as each call visits about {@value #SCAN_COUNT} keys of any namespace. Returns the keys found.
     */
    long scanAll(RedisTooling redis, PrintWriter err, boolean progress, String label, Consumer<List<byte[]>> page) {
        ProgressBar bar = new ProgressBar(err, progress, label, progress ? redis.keyspaceSize() : 1);
        long[] found = {0};
        redis.scan(pattern("*"), SCAN_COUNT, (keys, calls) -> {
            if (!keys.isEmpty()) {
                found[0] += keys.size();
                page.accept(keys);
            }
            bar.update(calls * SCAN_COUNT, found[0]);
            return true;
        });
        bar.finish(found[0]);
        return found[0];
    }

    /** Returns whether {@code stored} is one of the shared statistics counters the Python package keeps. */
    boolean isStatsKey(byte[] stored) {
        String key = key(stored);
        return key.equals(StatsKeys.HITS) || key.equals(StatsKeys.MISSES);
    }

    /** The names of the shared statistics counters within a namespace. */
    static final class StatsKeys {
        static final String HITS = "stats:hits";
        static final String MISSES = "stats:misses";

        private StatsKeys() {
        }
    }
}
