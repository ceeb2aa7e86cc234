package com.netrunsystems.cache.bench;

import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.Codecs;
import com.netrunsystems.cache.redis.RedisCache;
import com.netrunsystems.cache.testsupport.RedisServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts the Redis commands that operations issue ({@code INFO commandstats} deltas), for the
 * targets that are about round trips rather than speed: {@code getMany(100)} is one {@code MGET};
 * a {@code get} is one {@code GET}; 100,000 {@link CacheManager} L1 hits send nothing to Redis.
 * Also counts, for the record, the commands of a few operations against the fewest they could take
 * (read-through misses, an L2 hit, a two-level write).
 * Usage: {@code RoundTripCheck [output.json]}.
 */
public final class RoundTripCheck {

    private RoundTripCheck() {
    }

    public static void main(String[] args) {
        Path output = Path.of(args.length > 0 ? args[0] : "target/roundtrips.json");
        List<Map<String, Object>> checks = new ArrayList<>();
        Workload workload = new Workload(1_000, 100, 10);
        try (RedisServer server = BenchRedis.start()) {
            RedisContenders.preloadRaw(server, workload);
            List<String> hundred = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                hundred.add(workload.key(i));
            }
            try (RedisCache<String> cache = RedisCache.builder(BenchRedis.config(server).build()).codec(Codecs.string())
                    .build()) {
                cache.initialize();
                server.resetStats();
                int found = cache.getMany(hundred).size();
                checks.add(check(server, "RedisCache.getMany(100 keys)", Map.of("mget", 1L), found == 100));

                server.resetStats();
                boolean hit = cache.get(workload.key(1)) != null;
                checks.add(check(server, "RedisCache.get", Map.of("get", 1L), hit));

                server.resetStats();
                boolean loaded = cache.getOrLoad("new-key", key -> "loaded") != null;
                checks.add(info(server, "RedisCache.getOrLoad, miss (loader returns at once)",
                        Map.of("get", 1L, "set", 1L), loaded));
            }
            try (CacheManager<String> manager = TwoLevel.manager(server, 2_000)) {
                for (int i = 0; i < 1_000; i++) {
                    manager.get(workload.key(i)); // fills L1
                }
                server.resetStats();
                boolean allHit = true;
                for (int round = 0; round < 100; round++) {
                    for (int i = 0; i < 1_000; i++) {
                        allHit &= manager.get(workload.key(i)) != null;
                    }
                }
                checks.add(check(server, "CacheManager: 100,000 L1 hits", Map.of(), allHit));
            }
            try (CacheManager<String> manager = TwoLevel.manager(server, 1)) {
                manager.get(workload.key(0)); // the L1 of one entry now holds key 0
                server.resetStats();
                boolean hit = manager.get(workload.key(1)) != null;
                checks.add(info(server, "CacheManager.get, L2 hit (L1 miss)", Map.of("get", 1L, "pttl", 1L), hit));

                server.resetStats();
                boolean stored = manager.set(workload.key(2), "changed");
                checks.add(info(server, "CacheManager.set", Map.of("set", 1L, "publish", 1L), stored));

                server.resetStats();
                boolean loaded = manager.getOrLoad("new-key-2", key -> "loaded") != null;
                checks.add(info(server, "CacheManager.getOrLoad, miss (loader returns at once)",
                        Map.of("get", 1L, "pttl", 1L, "set", 1L, "publish", 1L), loaded));
            }
        }
        checks.forEach(System.out::println);
        Json.write(output, checks);
    }

    /** A target of issue 6: the observed commands must be exactly {@code expected}. */
    private static Map<String, Object> check(RedisServer server, String name, Map<String, Long> expected,
            boolean correct) {
        Map<String, Object> result = observe(server, name, expected, correct);
        result.put("target", true);
        return result;
    }

    /** Not a target: {@code fewest} is the fewest commands the operation could take; the report shows the gap. */
    private static Map<String, Object> info(RedisServer server, String name, Map<String, Long> fewest, boolean correct) {
        Map<String, Object> result = observe(server, name, fewest, correct);
        result.put("target", false);
        return result;
    }

    private static Map<String, Object> observe(RedisServer server, String name, Map<String, Long> expected,
            boolean correct) {
        Map<String, Long> observed = new LinkedHashMap<>(server.commandStats());
        observed.keySet().removeIf(command -> command.equals("info") || command.startsWith("config"));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("check", name);
        result.put("expected", new java.util.TreeMap<>(expected));
        result.put("observed", observed);
        result.put("passed", correct && observed.equals(expected));
        return result;
    }
}
