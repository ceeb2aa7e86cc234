package com.netrunsystems.cache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class BenchCommandTest {

    private record Result(int exitCode, String out, String err) {
    }

    private static Result run(String... args) {
        CommandLine commandLine = new CommandLine(new NetrunCacheCli());
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    @Test
    void bench_memoryJson_printsOneObjectWithConsistentCounts() throws Exception {
        Result result = run("bench", "--backend", "memory", "--duration", "1s", "--threads", "2", "--keys", "1000",
                "--json");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).as("no progress bar with --json").isEmpty();
        JsonNode json = new ObjectMapper().readTree(result.out());
        assertThat(json.path("backend").asText()).isEqualTo("memory");
        assertThat(json.path("threads").asInt()).isEqualTo(2);
        assertThat(json.path("keys").asInt()).isEqualTo(1000);
        assertThat(json.path("readRatio").asDouble()).isEqualTo(0.95);
        assertThat(json.path("durationSeconds").asDouble()).isPositive();
        long operations = json.path("operations").asLong();
        long reads = json.path("reads").asLong();
        assertThat(operations).isPositive().isEqualTo(reads + json.path("writes").asLong());
        assertThat(json.path("errors").asLong()).isZero();
        assertThat(json.path("throughputOpsPerSec").asDouble()).isPositive();

        JsonNode latency = json.path("latencyMicros");
        assertThat(latency.path("p50").asDouble()).isLessThanOrEqualTo(latency.path("p90").asDouble());
        assertThat(latency.path("p90").asDouble()).isLessThanOrEqualTo(latency.path("p99").asDouble());
        assertThat(latency.path("p99").asDouble()).isLessThanOrEqualTo(latency.path("p999").asDouble());
        assertThat(latency.path("p999").asDouble()).isLessThanOrEqualTo(latency.path("max").asDouble());

        JsonNode stats = json.path("stats");
        assertThat(stats.path("backend").asText()).isEqualTo("memory");
        assertThat(stats.path("namespace").asText()).isEqualTo(BenchCommand.DEFAULT_NAMESPACE);
        // Every key was preloaded and fits, and the stats were reset after preloading: every get hits.
        assertThat(stats.path("hits").asLong() + stats.path("misses").asLong()).isEqualTo(reads);
        assertThat(stats.path("misses").asLong()).isZero();
        assertThat(json.path("readHits").asLong()).isEqualTo(reads);
        assertThat(stats.path("cachedKeys").asLong()).isEqualTo(1000);
    }

    private static Result runBench(boolean terminal, String... args) {
        CommandLine commandLine = new CommandLine(new BenchCommand(Map::of, () -> terminal));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    @Test
    void bench_stderrNotATerminal_drawsNoProgressBar() {
        Result result = runBench(false, "--duration", "300ms", "--threads", "1", "--keys", "100");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).contains("preloading 100 keys").doesNotContain("\r").doesNotContain("100%");
        assertThat(result.out()).contains("Throughput");
    }

    @Test
    void bench_memoryReport_printsThroughputPercentilesAndStatistics() {
        Result result = runBench(true, "--duration", "300ms", "--threads", "1", "--keys", "100", "--read-ratio", "0.5");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out())
                .contains("netrun-cache bench")
                .contains("read ratio   0.50")
                .contains("Throughput")
                .contains("ops/s")
                .contains("p50").contains("p90").contains("p99").contains("p99.9").contains("max")
                .contains("Statistics")
                .contains("Hit rate");
        assertThat(result.err()).contains("preloading 100 keys").contains("100%");
    }

    @Test
    void bench_zeroThreads_failsNamingTheOption() {
        Result result = run("bench", "--threads", "0");

        assertThat(result.exitCode()).isEqualTo(NetrunCacheCli.EXIT_USAGE);
        assertThat(result.err()).contains("--threads must be between 1 and 1024, was 0");
    }

    @Test
    void bench_readRatioAboveOne_failsNamingTheOption() {
        Result result = run("bench", "--read-ratio", "1.5");

        assertThat(result.exitCode()).isEqualTo(NetrunCacheCli.EXIT_USAGE);
        assertThat(result.err()).contains("--read-ratio must be between 0 and 1, was 1.5");
    }

    @Test
    void bench_badDuration_failsWithTheAcceptedForms() {
        Result result = run("bench", "--duration", "soon");

        assertThat(result.exitCode()).isEqualTo(NetrunCacheCli.EXIT_USAGE);
        assertThat(result.err()).contains("--duration").contains("'soon' is not a duration").contains("30s");
    }

    @Test
    void bench_zeroDuration_failsNamingTheOption() {
        Result result = run("bench", "--duration", "0s");

        assertThat(result.exitCode()).isEqualTo(NetrunCacheCli.EXIT_USAGE);
        assertThat(result.err()).contains("--duration must be positive");
    }

    @Test
    void bench_bogusBackend_failsListingTheBackends() {
        Result result = run("bench", "--backend", "bogus");

        assertThat(result.exitCode()).isEqualTo(NetrunCacheCli.EXIT_USAGE);
        assertThat(result.err()).contains("memory, redis, multi_layer");
    }

    @Test
    void durationConverter_unitsAndIso_parse() {
        DurationConverter converter = new DurationConverter();

        assertThat(converter.convert("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(converter.convert("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(converter.convert("30")).isEqualTo(Duration.ofSeconds(30));
        assertThat(converter.convert("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(converter.convert("1.5h")).isEqualTo(Duration.ofMinutes(90));
        assertThat(converter.convert("PT10S")).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void help_bench_listsItsOptions() {
        Result result = run("bench", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Usage: netrun-cache bench").contains("--threads=<n>")
                .contains("--duration=<duration>").contains("--read-ratio=<0..1>").contains("--json");
    }
}
