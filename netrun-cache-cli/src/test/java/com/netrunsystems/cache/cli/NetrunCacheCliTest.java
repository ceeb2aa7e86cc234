package com.netrunsystems.cache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class NetrunCacheCliTest {

    /** What one invocation printed and returned. */
    private record Result(int exitCode, String out, String err) {
    }

    private static Result run(String... args) {
        return run(new CommandLine(new NetrunCacheCli()), args);
    }

    private static Result run(CommandLine commandLine, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }

    private static Result runDemoWithEnvironment(Map<String, String> environment, String... args) {
        return run(new CommandLine(new DemoCommand(() -> environment)), args);
    }

    private static int occurrences(String text, String part) {
        Matcher m = Pattern.compile(Pattern.quote(part)).matcher(text);
        int count = 0;
        while (m.find()) {
            count++;
        }
        return count;
    }

    @Test
    void demo_defaults_exitsZeroAndPrintsEveryStep() {
        Result result = run("demo");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.err()).isEmpty();
        assertThat(result.out())
                .contains("backend      memory")
                .contains("namespace    users")
                .contains("default TTL  3600 s")
                .contains("set(\"user:123\", {\"name\":\"John\",\"email\":\"john@example.com\"})")
                .contains("-> {\"name\":\"John\",\"email\":\"john@example.com\"} (hit)")
                .contains("-> 2 stored")
                .contains("-> {\"user:1\":{\"name\":\"Alice\"},\"user:2\":{\"name\":\"Bob\"}} (2 found)")
                .contains("increment(\"page_views\")\n    -> 1\n")
                .contains("increment(\"page_views\")\n    -> 2\n")
                .contains("decrement(\"inventory:item_123\")\n    -> -1\n")
                .contains("-> true: lock acquired")
                .contains("-> false: already held, nothing changed")
                .contains("(miss: loaded and cached)")
                .contains("(hit: the loader was not called)")
                .contains("get(\"user:999\")\n    -> null (miss)")
                .contains("delete(\"user:123\")\n    -> true: removed")
                .contains("exists(\"user:123\")\n    -> false")
                .contains("-> closed");
    }

    @Test
    void demo_getOrLoadTwice_callsTheLoaderOnce() {
        Result result = run("demo");

        assertThat(occurrences(result.out(), "loading...")).isEqualTo(1);
    }

    @Test
    void demo_defaults_printsStatisticsTableWithExactCounts() {
        Result result = run("demo");

        assertThat(result.out())
                .containsPattern("Metric +Value")
                .containsPattern("Namespace +users")
                .containsPattern("Backend +memory")
                .containsPattern("Hits +4\n")
                .containsPattern("Misses +2\n")
                .containsPattern("Total requests +6\n")
                .containsPattern("Hit rate +66\\.67 %")
                .containsPattern("Cached keys +6\n")
                .containsPattern("Evictions +0\n")
                .containsPattern("Errors +0\n")
                .containsPattern("Loads +1\n")
                .containsPattern("Load failures +0\n")
                .containsPattern("Connected +yes");
    }

    @Test
    void demo_defaults_printsTheClearedCount() {
        Result result = run("demo");

        assertThat(result.out()).contains("clearNamespace()\n    -> 6 keys removed from namespace 'users'");
    }

    @Test
    void demo_statisticsTable_alignsTheValueColumn() {
        String out = run("demo").out();
        String table = out.substring(out.indexOf("Statistics"), out.indexOf("clearNamespace()"));

        List<String> rows = table.lines().filter(line -> line.startsWith("  ")).toList();

        assertThat(rows).hasSize(14);
        int valueColumn = rows.get(0).indexOf("Value");
        assertThat(rows).allSatisfy(row -> {
            assertThat(row.charAt(valueColumn - 1)).as(row).isEqualTo(' ');
            assertThat(row.charAt(valueColumn)).as(row).isNotEqualTo(' ');
        });
    }

    @Test
    void demo_namespaceAndTtlOptions_usesThem() {
        Result result = run("demo", "--namespace", "orders", "--ttl", "60");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out())
                .contains("namespace    orders")
                .contains("stored for the default TTL (60 s)")
                .containsPattern("Namespace +orders")
                .contains("removed from namespace 'orders'");
    }

    @Test
    void demo_backendInUpperCase_isAccepted() {
        Result result = run("demo", "--backend", "MEMORY");

        assertThat(result.exitCode()).as(result.err()).isZero();
    }

    @Test
    void demo_bogusBackend_failsListingTheBackends() {
        Result result = run("demo", "--backend", "bogus");

        assertThat(result.exitCode()).isEqualTo(NetrunCacheCli.EXIT_USAGE);
        assertThat(result.err()).contains("--backend").contains("memory, redis, multi_layer").contains("bogus");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void demo_nonPositiveTtl_failsNamingTheOption() {
        Result result = run("demo", "--ttl", "0");

        assertThat(result.exitCode()).isEqualTo(NetrunCacheCli.EXIT_USAGE);
        assertThat(result.err()).contains("--ttl must be a positive number of seconds, was 0");
    }

    @Test
    void demo_invalidRedisUrl_failsNamingTheSettingWithoutStackTrace() {
        Result result = run("demo", "--redis-url", "http://localhost:6379");

        assertThat(result.exitCode()).isEqualTo(NetrunCacheCli.EXIT_USAGE);
        assertThat(result.err()).contains("invalid configuration").contains("redisUrl").doesNotContain("\tat ");
    }

    @Test
    void demo_backendInEnvironment_isIgnoredAndMemoryIsUsed() {
        Result result = runDemoWithEnvironment(Map.of("NETRUN_CACHE_BACKEND", "redis"));

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.out()).contains("backend      memory");
    }

    @Test
    void demo_environment_isTheConfigurationBase() {
        DemoCommand demo = new DemoCommand(() -> Map.of(
                "NETRUN_CACHE_REDIS_HOST", "cache.internal", "NETRUN_CACHE_REDIS_PORT", "6380",
                "NETRUN_CACHE_MAX_SIZE", "50"));
        new CommandLine(demo).parseArgs("--namespace", "orders");

        assertThat(demo.config().redisEndpoint()).isEqualTo("cache.internal:6380");
        assertThat(demo.config().maxSize()).isEqualTo(50);
        assertThat(demo.config().namespace()).isEqualTo("orders");
    }

    @Test
    void demo_redisUrlOption_winsOverTheEnvironment() {
        DemoCommand demo = new DemoCommand(() -> Map.of("NETRUN_CACHE_REDIS_URL", "redis://env-host:6379/0"));
        new CommandLine(demo).parseArgs("--redis-url", "redis://option-host:6390/1");

        assertThat(demo.config().redisUrl()).contains("redis://option-host:6390/1");
    }

    @Test
    void demo_invalidEnvironmentVariable_failsNamingIt() {
        Result result = runDemoWithEnvironment(Map.of("NETRUN_CACHE_REDIS_PORT", "not-a-port"));

        assertThat(result.exitCode()).isEqualTo(NetrunCacheCli.EXIT_USAGE);
        assertThat(result.err()).contains("NETRUN_CACHE_REDIS_PORT");
    }

    @Test
    void help_topLevel_printsUsageListingDemo() {
        Result result = run("--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out())
                .contains("Usage: netrun-cache")
                .contains("demo")
                .contains("--version")
                .contains("Exit codes:");
    }

    @Test
    void help_demo_printsItsOptions() {
        Result result = run("demo", "--help");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out())
                .contains("Usage: netrun-cache demo")
                .contains("--namespace=<name>")
                .contains("--backend=<backend>")
                .contains("memory, redis, multi_layer")
                .contains("--redis-url=<url>")
                .contains("--ttl=<seconds>")
                .contains("default: 3600");
    }

    @Test
    void help_helpSubcommand_printsTheDemoUsage() {
        Result result = run("help", "demo");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Usage: netrun-cache demo");
    }

    @Test
    void version_flag_printsTheProjectVersion() {
        Result result = run("--version");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).containsPattern("netrun-cache \\d+\\.\\d+\\.\\d+").contains("JVM: ");
    }

    @Test
    void execute_unknownOption_failsWithMessage() {
        Result result = run("demo", "--bogus");

        assertThat(result.exitCode()).isEqualTo(NetrunCacheCli.EXIT_USAGE);
        assertThat(result.err()).contains("Unknown option: '--bogus'");
    }

    @Test
    void execute_unknownCommand_failsWithMessage() {
        Result result = run("bogus");

        assertThat(result.exitCode()).isEqualTo(NetrunCacheCli.EXIT_USAGE);
        assertThat(result.err()).contains("bogus");
    }

    @Test
    void execute_noCommand_failsSuggestingDemo() {
        Result result = run();

        assertThat(result.exitCode()).isEqualTo(NetrunCacheCli.EXIT_USAGE);
        assertThat(result.err()).contains("Missing required subcommand").contains("netrun-cache demo");
    }
}
