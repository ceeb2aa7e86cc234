package com.netrunsystems.cache.config;

import com.netrunsystems.cache.CacheConfig;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the {@code NETRUN_CACHE_*} variables or {@code netrun.cache.*} properties that name no setting
 * (a typo such as {@code NETRUN_CACHE_REDISPORT}, or camel case such as {@code netrun.cache.redisPort}),
 * which would otherwise be ignored in silence, and logs one WARN per such name for each read, with the
 * closest known name. Only names are logged, never values. Stateless; thread-safe.
 */
public final class UnknownSettings {

    private static final Logger log = LoggerFactory.getLogger(CacheConfig.class);

    private UnknownSettings() {
    }

    /**
     * Logs a WARN for each name in {@code given} that starts with {@code prefix} but is not in
     * {@code known}, and returns those names, sorted.
     */
    static List<String> warn(Collection<String> given, String prefix, Collection<String> known) {
        List<String> unknown = new ArrayList<>();
        for (String name : new TreeSet<>(given)) {
            if (name.startsWith(prefix) && !known.contains(name)) {
                unknown.add(name);
                String closest = closest(name, known);
                log.warn("{} is not a netrun-cache setting and is ignored; {}", name, closest != null
                        ? "did you mean " + closest + "?"
                        : "the settings are listed in the Javadoc of CacheConfig.fromEnvironment/fromProperties");
            }
        }
        return unknown;
    }

    /**
     * Returns the known name closest to {@code name}, comparing letters and digits only, case-insensitively
     * (so {@code redisPort} meets {@code redis-port}), or {@code null} when none is close: more than a
     * third of the shorter name's letters apart.
     */
    public static String closest(String name, Collection<String> known) {
        String wanted = letters(name);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            String letters = letters(candidate);
            int distance = distance(wanted, letters);
            if (distance < bestDistance && distance <= Math.max(1, Math.min(wanted.length(), letters.length()) / 3)) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static String letters(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
