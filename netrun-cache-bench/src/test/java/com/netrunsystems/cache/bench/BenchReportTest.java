package com.netrunsystems.cache.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchReportTest {

    @TempDir
    Path dir;

    @Test
    void ratio_propagatesRelativeErrors() {
        Ratio r = Ratio.of(new Ratio.Measure(80, 4), new Ratio.Measure(100, 3));

        assertThat(r.value()).isCloseTo(0.8, within(1e-9));
        assertThat(r.error()).isCloseTo(0.8 * Math.hypot(0.05, 0.03), within(1e-9));
        assertThat(r.meets(0.8)).isTrue();
        assertThat(r.meets(0.81)).isFalse();
        assertThat(r.uncertainAt(0.83)).isTrue();
        assertThat(r.format()).isEqualTo("0.80× ± 0.05");
    }

    @Test
    void report_fromResults_writesTablesTargetsAndCharts() throws Exception {
        Path results = Files.createDirectories(dir.resolve("results"));
        Path docs = dir.resolve("docs");
        Files.writeString(results.resolve("jmh-memory-t1.json"), "["
                + jmh("MemoryBenchmark.get", "memory_tinylfu", 1, 8.0e6, 0.4e6, 0.0)
                + "," + jmh("MemoryBenchmark.get", "caffeine", 1, 10.0e6, 0.5e6, 0.0)
                + "," + jmh("MemoryBenchmark.put", "memory_tinylfu", 1, 3.0e6, 0.2e6, 24.0)
                + "," + jmh("MemoryBenchmark.put", "caffeine", 1, 5.0e6, 0.2e6, 0.0)
                + "," + jmh("TwoLevelBenchmark.L1Hit.get", "netrun", 1, 9.0e6, 0.3e6, 0.0)
                + "," + jmh("TwoLevelBenchmark.L1Hit.get", "caffeine", 1, 10.0e6, 0.3e6, 0.0)
                + "," + jmh("TwoLevelBenchmark.L1Hit.get", "redisson", 1, 3.0e6, 0.3e6, 100.0)
                + "]", StandardCharsets.UTF_8);
        Json.write(results.resolve("hitrate.json"), List.of(
                Map.of("trace", "zipf+scan", "size", 1000, "policy", "memory_tinylfu", "hitRatePercent", 40.0),
                Map.of("trace", "zipf+scan", "size", 1000, "policy", "memory_lru", "hitRatePercent", 30.0),
                Map.of("trace", "zipf+scan", "size", 1000, "policy", "caffeine", "hitRatePercent", 40.2),
                Map.of("trace", "zipf+scan", "size", 1000, "policy", "caffeine_noexpiry", "hitRatePercent", 39.5)));
        Json.write(results.resolve("roundtrips.json"), List.of(Map.of("check", "RedisCache.getMany(100 keys)",
                "expected", Map.of("mget", 1), "observed", Map.of("mget", 1), "passed", true, "target", true)));
        Files.writeString(results.resolve("run.properties"), "cpu=Test CPU\nnproc=2\nquiet=yes\nloadBefore=0.3\n");

        BenchReport report = new BenchReport(results, docs);
        report.load();
        report.write();

        String md = Files.readString(docs.resolve("benchmarks.md"));
        assertThat(md)
                .contains("Test CPU (2 cores visible)")
                .contains("| get | 1 | memory_tinylfu | 8.00 M ± 400.0 k | 0.80× ± 0.06 | 0.0 |")
                .contains("| MemoryCache (TINY_LFU) get ≥ 0.8× raw Caffeine, 1 thread(s) | 0.80× ± 0.06 (within error) | met |")
                .contains("| MemoryCache (TINY_LFU) put ≥ 0.8× raw Caffeine, 1 thread(s) | 0.60× ± 0.05 | **missed** |")
                .contains("| CacheManager L1 hit ≥ 0.83× raw Caffeine | 0.90× ± 0.04 | met |")
                .contains("| two-level L1 hit | redisson | 3.00× ± 0.32 | 1.2× | met |")
                .contains("| zipf+scan | 1,000 | 40.00 % | 30.00 % | 40.20 % | 39.50 % | -0.20 | – |")
                .contains("| getMany(100) is exactly one round trip (one MGET) | MGET × 1 | met |")
                .contains("| MemoryCache (TINY_LFU) 0 B/op on hits | 0.0 B/op, median iteration (mean 0.0; under 1 B/op counts as none: the GC profiler's own noise) | met |");
        assertThat(docs.resolve("bench-memory.png")).isNotEmptyFile();
        assertThat(docs.resolve("bench-hitrate.png")).isNotEmptyFile();
    }

    private static String jmh(String benchmark, String contender, int threads, double score, double error, double norm) {
        return "{\"benchmark\":\"com.netrunsystems.cache.bench." + benchmark + "\",\"mode\":\"thrpt\",\"threads\":" + threads
                + ",\"forks\":1,\"jdkVersion\":\"17\",\"vmName\":\"Test VM\",\"vmVersion\":\"17\",\"jmhVersion\":\"1.37\","
                + "\"warmupIterations\":2,\"warmupTime\":\"1 s\",\"measurementIterations\":3,\"measurementTime\":\"2 s\","
                + "\"params\":{\"contender\":\"" + contender + "\"},\"primaryMetric\":{\"score\":" + score
                + ",\"scoreError\":" + error + ",\"scoreUnit\":\"ops/s\"},\"secondaryMetrics\":{\"gc.alloc.rate.norm\":"
                + "{\"score\":" + norm + ",\"scoreError\":\"NaN\",\"scoreUnit\":\"B/op\"}}}";
    }
}
