package com.netrunsystems.cache.bench;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.EvictionPolicy;
import com.netrunsystems.cache.MemoryCache;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Replays synthetic traces through MemoryCache (TinyLFU, LRU) and raw Caffeine at several sizes
 * and prints the hit rates (cold start included, the same for every policy). {@code caffeine} is
 * configured like-for-like with MemoryCache's TinyLFU store (see {@link #replay}); {@code caffeine_noexpiry}
 * as Caffeine's own simulator runs it, for reference. A read that misses
 * writes the key, as read-through does; each figure is the mean of {@value #RUNS} replays, or of
 * {@value #NOISY_RUNS} (for every policy) in a cell where one policy's spread over more than
 * {@value #NOISY_SPREAD_PERCENT} points.
 * Traces, {@value #ACCESSES} accesses each:
 * <ul>
 *   <li>{@code zipf}: Zipf(0.99) scrambled over 100,000 keys.</li>
 *   <li>{@code zipf+scan}: the same Zipf keys in runs of 20,000 accesses, each followed by a
 *       sequential scan of 10,000 keys never seen before (one-hit wonders, as a batch job or a
 *       crawler produces).</li>
 *   <li>{@code loop}: keys 0..12,499 in order, again and again: a loop larger than every cache size.</li>
 * </ul>
 * Usage: {@code HitRateSimulator [output.json]}.
 */
public final class HitRateSimulator {

    static final int ACCESSES = 1_000_000;
    static final int ZIPF_KEYS = 100_000;
    static final int LOOP_KEYS = 12_500;
    static final int[] SIZES = {1_000, 2_500, 5_000, 10_000};
    /**
     * Replays per cell, averaged: TinyLFU's admission has a random element (Caffeine jitters it
     * against hash flooding), so a single replay of the same policy differs by tenths of a point.
     */
    static final int RUNS = 3;
    /**
     * Replays of a cell whose first {@link #RUNS} spread over more than {@link #NOISY_SPREAD_PERCENT}
     * points. On {@code loop} at 10,000 entries, where nearly every candidate is frequent enough for
     * Caffeine's random admission, single replays of TinyLFU and of raw Caffeine alike range over
     * 2 points (68.7-70.8 %); means of 3 differed by up to 0.5 points from noise alone.
     */
    static final int NOISY_RUNS = 10;
    static final double NOISY_SPREAD_PERCENT = 0.3;
    static final String[] POLICIES = {"memory_tinylfu", "memory_lru", "caffeine", "caffeine_noexpiry"};
    /** Every contender's entries live this long: longer than a replay, so nothing expires. */
    static final Duration TTL = Duration.ofDays(1);

    private HitRateSimulator() {
    }

    public static void main(String[] args) {
        Path output = Path.of(args.length > 0 ? args[0] : "target/hitrate.json");
        Map<String, int[]> traces = new LinkedHashMap<>();
        traces.put("zipf", ZipfGenerator.trace(ZIPF_KEYS, Workload.ZIPF_EXPONENT, Workload.SEED, ACCESSES));
        traces.put("zipf+scan", zipfWithScans());
        traces.put("loop", loop());
        int maxId = 0;
        for (int[] trace : traces.values()) {
            for (int id : trace) {
                maxId = Math.max(maxId, id);
            }
        }
        String[] keys = new String[maxId + 1];
        for (int i = 0; i < keys.length; i++) {
            keys[i] = "k" + i;
        }
        List<Map<String, Object>> results = new ArrayList<>();
        System.out.printf(Locale.ROOT, "%-10s %7s %15s %15s %15s %18s%n", "trace", "size", POLICIES[0], POLICIES[1],
                POLICIES[2], POLICIES[3]);
        for (Map.Entry<String, int[]> trace : traces.entrySet()) {
            for (int size : SIZES) {
                StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-10s %7d", trace.getKey(), size));
                Map<String, List<Double>> replays = new LinkedHashMap<>();
                for (String policy : POLICIES) {
                    replays.put(policy, replay(policy, size, trace.getValue(), keys, RUNS));
                }
                if (replays.values().stream().anyMatch(r -> spread(r) * 100 > NOISY_SPREAD_PERCENT)) {
                    // every policy alike, so that no column's mean is a luckier sample than another's
                    replays.forEach((policy, r) -> r.addAll(replay(policy, size, trace.getValue(), keys, NOISY_RUNS - RUNS)));
                }
                for (String policy : POLICIES) {
                    List<Double> r = replays.get(policy);
                    double hitRate = r.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
                    double min = r.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
                    double max = r.stream().mapToDouble(Double::doubleValue).max().orElseThrow();
                    int runs = r.size();
                    Map<String, Object> result = new LinkedHashMap<>();
                    result.put("trace", trace.getKey());
                    result.put("size", size);
                    result.put("policy", policy);
                    result.put("hitRatePercent", Math.round(hitRate * 10_000) / 100.0);
                    result.put("minPercent", Math.round(min * 10_000) / 100.0);
                    result.put("maxPercent", Math.round(max * 10_000) / 100.0);
                    result.put("runs", runs);
                    results.add(result);
                    line.append(String.format(Locale.ROOT, policy.length() > 15 ? " %17.2f%%" : " %14.2f%%", hitRate * 100));
                }
                System.out.println(line);
            }
        }
        Json.write(output, results);
    }

    static int[] zipfWithScans() {
        ZipfGenerator zipf = new ZipfGenerator(ZIPF_KEYS, Workload.ZIPF_EXPONENT, Workload.SEED);
        int[] trace = new int[ACCESSES];
        int next = ZIPF_KEYS; // scan keys never collide with Zipf keys
        int i = 0;
        while (i < ACCESSES) {
            for (int j = 0; j < 20_000 && i < ACCESSES; j++) {
                trace[i++] = zipf.next();
            }
            for (int j = 0; j < 10_000 && i < ACCESSES; j++) {
                trace[i++] = next++;
            }
        }
        return trace;
    }

    static int[] loop() {
        int[] trace = new int[ACCESSES];
        for (int i = 0; i < ACCESSES; i++) {
            trace[i] = i % LOOP_KEYS;
        }
        return trace;
    }

    private static List<Double> replay(String policy, int size, int[] trace, String[] keys, int runs) {
        List<Double> hitRates = new ArrayList<>();
        for (int run = 0; run < runs; run++) {
            hitRates.add(replay(policy, size, trace, keys));
        }
        return hitRates;
    }

    private static double spread(List<Double> hitRates) {
        return hitRates.stream().mapToDouble(Double::doubleValue).max().orElse(0)
                - hitRates.stream().mapToDouble(Double::doubleValue).min().orElse(0);
    }

    /** Returns the hit rate (0-1) of {@code policy} with {@code size} entries on {@code trace}. */
    static double replay(String policy, int size, int[] trace, String[] keys) {
        Function<String, Object> get;
        java.util.function.BiConsumer<String, Object> put;
        MemoryCache<Object> memory = null;
        switch (policy) {
            case "memory_tinylfu", "memory_lru" -> {
                // Maintenance on the caller for every policy, as Caffeine's own simulator runs it, so that a
                // replay is repeatable: on the default executor, reads that meet a full read buffer are not
                // replayed into the policy and the hit rate of one trace varies from replay to replay.
                memory = MemoryCache.builder().namespace("sim").maxSize(size).defaultTtl(TTL).executor(Runnable::run)
                        .evictionPolicy(policy.equals("memory_lru") ? EvictionPolicy.LRU : EvictionPolicy.TINY_LFU)
                        .build();
                MemoryCache<Object> cache = memory;
                get = key -> cache.get(key, false);
                put = cache::set;
            }
            case "caffeine" -> {
                // Like-for-like with MemoryCache's TinyLFU store as replayed here: maintenance on the caller and
                // per-entry (variable) expiry, which MemoryCache needs for per-entry TTLs.
                // The expiry never fires here, yet Caffeine's policy is not the same with it: measured on
                // zipf+scan at 1,000 entries, 34.96 % without per-entry expiry, 38.47 % with variable expiry or
                // expireAfterAccess, 34.96 % with expireAfterWrite. Comparing MemoryCache against Caffeine
                // without it measured that configuration difference, not the wrapper; caffeine_noexpiry shows it.
                com.github.benmanes.caffeine.cache.Cache<String, Object> cache = Caffeine.newBuilder()
                        .maximumSize(size).executor(Runnable::run)
                        .expireAfter(Expiry.<String, Object>creating((k, v) -> TTL)).build();
                get = cache::getIfPresent;
                put = cache::put;
            }
            case "caffeine_noexpiry" -> {
                // As Caffeine's own simulator runs it: size bound only, maintenance on the caller.
                com.github.benmanes.caffeine.cache.Cache<String, Object> cache = Caffeine.newBuilder()
                        .maximumSize(size).executor(Runnable::run).build();
                get = cache::getIfPresent;
                put = cache::put;
            }
            default -> throw new IllegalArgumentException("unknown policy " + policy);
        }
        long hits = 0;
        for (int id : trace) {
            String key = keys[id];
            if (get.apply(key) != null) {
                hits++;
            } else {
                put.accept(key, Boolean.TRUE);
            }
        }
        if (memory != null) {
            memory.close();
        }
        return (double) hits / trace.length;
    }
}
