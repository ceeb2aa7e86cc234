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
                + "," + jmh("MemoryBenchmark.get", "caffeine", 1, 20.0e6, 1.0e6, 0.0)
                + "," + jmh("MemoryBenchmark.get", "caffeine_features", 1, 10.0e6, 0.5e6, 0.0)
                + "," + jmh("MemoryBenchmark.get", "noop", 1, 200.0e6, 2.0e6, 0.0)
                + "," + jmh("MemoryBenchmark.put", "memory_tinylfu", 1, 3.0e6, 0.2e6, 24.0)
                + "," + jmh("MemoryBenchmark.put", "caffeine_features", 1, 5.0e6, 0.2e6, 0.0)
                + "," + jmh("L1HitBenchmark.get", "netrun", 1, 9.0e6, 0.3e6, 0.0)
                + "," + jmh("L1HitBenchmark.get", "caffeine_features", 1, 10.0e6, 0.3e6, 0.0)
                + "," + jmh("L1HitBenchmark.get", "redisson", 1, 3.0e6, 0.3e6, 100.0)
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
                .contains("Harness cost (noop): 5.0 ns per get at 1 thread(s) (200.00 M ± 2.00 M ops/s).")
                .contains("| get | 1 | memory_tinylfu | 8.00 M ± 400.0 k | 125.0 ns | 0.40× ± 0.03 | 0.80× ± 0.06 | 4 % | 0.0 |")
                .contains("| get | 1 | noop | 200.00 M ± 2.00 M | 5.0 ns | 10.00× ± 0.51 | 20.00× ± 1.02 | 100 % | 0.0 |")
                .contains("| MemoryCache (TINY_LFU) get ≥ 1.0× caffeine_features, 1 thread(s) | 0.80× ± 0.06 | **missed** |")
                .contains("| MemoryCache (TINY_LFU) put ≥ 1.0× caffeine_features, 1 thread(s) | 0.60× ± 0.05 | **missed** |")
                .contains("| CacheManager L1 hit ≥ 1.0× caffeine_features, 1 thread(s) | 0.90× ± 0.04 | **missed** |")
                .contains("| two-level L1 hit, 1T | redisson | 3.00× ± 0.32 | 1.2× | met |")
                .contains("| zipf+scan | 1,000 | 40.00 % | 30.00 % | 40.20 % | 39.50 % | -0.20 | – |")
                .contains("| getMany(100) is exactly one round trip (one MGET) | MGET × 1 | met |")
                .contains("| MemoryCache (TINY_LFU) 0 B/op on hits | 0.0 B/op, median iteration (mean 0.0; under 1 B/op counts as none: the GC profiler's own noise) | met |");
        assertThat(docs.resolve("bench-memory.png")).isNotEmptyFile();
        assertThat(docs.resolve("bench-hitrate.png")).isNotEmptyFile();
    }

    @Test
    void hitPath_summaryAndSection_keptByTheFullReport() throws Exception {
        Path before = Files.createDirectories(dir.resolve("before"));
        Path after = Files.createDirectories(dir.resolve("after"));
        Path docs = dir.resolve("docs");
        Files.writeString(before.resolve("jmh-memory-t1.json"), "["
                + jmh("MemoryBenchmark.get", "memory_tinylfu", 1, 8.0e6, 0.4e6, 0.0)
                + "," + jmh("MemoryBenchmark.get", "caffeine_features", 1, 10.0e6, 0.5e6, 0.0)
                + "," + jmh("RedisBenchmark.get", "netrun", 1, 10.0e3, 1.0e3, 1000.0)
                + "," + jmh("RedisBenchmark.get", "lettuce", 1, 10.0e3, 1.0e3, 900.0) + "]");
        Files.writeString(before.resolve("run.properties"), "date=2026-12-02 16:00 UTC\ncommit=abc\ncommand=hitpath.sh x\n");
        Files.writeString(after.resolve("jmh-memory-t1.json"), "["
                + jmh("MemoryBenchmark.get", "memory_tinylfu", 1, 12.0e6, 0.4e6, 0.0)
                + "," + jmh("MemoryBenchmark.get", "caffeine_features", 1, 10.0e6, 0.5e6, 0.0) + "]");
        Files.writeString(after.resolve("run.properties"), "date=2026-12-03 16:00 UTC\ncommit=def\n");
        Files.createDirectories(docs);
        Files.writeString(docs.resolve("benchmarks.md"), "# old page\n");

        HitPathReport.main(new String[] {before.toString(), HitPathReport.BASELINE, docs.toString()});
        HitPathReport.main(new String[] {after.toString(), "after-issue-10", docs.toString()});

        String md = Files.readString(docs.resolve("benchmarks.md"));
        assertThat(md).startsWith("# old page\n").contains("### before-issue-10").contains("Command: `hitpath.sh x`")
                .contains("| MemoryBenchmark.get | 1 | memory_tinylfu | 8.00 M ± 400.0 k | 125.0 ns | 0.80× ± 0.06 caffeine_features | – | 0.0 |")
                .contains("| RedisBenchmark.get | 1 | netrun | 10.0 k ± 1.0 k | 100.00 µs | 1.00× ± 0.14 lettuce | – | 1000.0 |")
                .contains("| MemoryBenchmark.get | 1 | memory_tinylfu | 12.00 M ± 400.0 k | 83.3 ns | 1.20× ± 0.07 caffeine_features "
                        + "| – | 0.0 | 0.80× ± 0.06 caffeine_features | 1.50× ± 0.09 |");
        assertThat(md.indexOf("### before-issue-10")).isLessThan(md.indexOf("### after-issue-10"));

        Path results = Files.createDirectories(dir.resolve("results"));
        Files.writeString(results.resolve("jmh-memory-t1.json"), "[" + jmh("MemoryBenchmark.get", "noop", 1, 1e8, 1e6, 0.0) + "]");
        BenchReport report = new BenchReport(results, docs);
        report.load();
        report.write();
        String regenerated = Files.readString(docs.resolve("benchmarks.md"));
        assertThat(regenerated).doesNotContain("# old page").contains("### after-issue-10")
                .contains(HitPathReport.section(md));
    }

    @Test
    void hitPath_poolsTheIterationsOfEveryRound() throws Exception {
        String round1 = jmh("MemoryBenchmark.get", "noop", 1, 2.0, 0.0, 0.0)
                .replace("\"scoreUnit\":\"ops/s\"}", "\"scoreUnit\":\"ops/s\",\"rawData\":[[1.0,3.0]]}");
        String round2 = jmh("MemoryBenchmark.get", "noop", 1, 5.0, 0.0, 0.0)
                .replace("\"scoreUnit\":\"ops/s\"}", "\"scoreUnit\":\"ops/s\",\"rawData\":[[4.0,6.0]]}");

        Map<String, Object> row = HitPathReport.pooled(List.of(Json.MAPPER.readTree(round1), Json.MAPPER.readTree(round2)));

        assertThat((double) row.get("score")).isCloseTo(3.5, within(1e-9));
        assertThat((double) row.get("error")).isPositive();
        assertThat(row.get("settings")).asString().startsWith("2 forks in 2 round(s)");
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
