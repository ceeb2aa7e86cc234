package com.netrunsystems.cache.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.CacheStats;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code netrun-cache bench}: a load test of one cache. Preloads {@code --keys} keys, runs
 * {@code --threads} threads of gets and sets (uniform keys, {@code --read-ratio} reads) for
 * {@code --duration} with a progress bar on standard error when the process runs in a terminal
 * ({@code System.console() != null}; never in CI logs or when redirected), then prints the throughput,
 * the latency percentiles of every call (HdrHistogram: p50, p90, p99, p99.9, max in µs) and the cache's
 * statistics; {@code --json} prints one JSON object instead, and no progress bar.
 *
 * <p>The configuration starts from {@link CacheConfig#fromEnvironment()} ({@code NETRUN_CACHE_*});
 * the backend is the option's alone. On Redis the keys live in {@code --namespace} (default
 * {@code netrun-cache-bench}), which is cleared at the end unless {@code --keep-keys} is given.
 *
 * <p>Not thread-safe: picocli builds one instance per invocation.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {
            "Load-tests a cache: preloads the keys, runs threads of get/set for the duration, then prints the "
                    + "throughput, latency percentiles (µs) and the cache's statistics.",
            "",
            "Keys are chosen uniformly at random; values are strings of --value-size characters. On Redis the "
                    + "keys live in --namespace, cleared at the end unless --keep-keys is given.",
            "Settings not given as options are read from NETRUN_CACHE_* environment variables."
        })
final class BenchCommand implements Callable<Integer> {

    static final String DEFAULT_NAMESPACE = "netrun-cache-bench";
    private static final String COMMAND = "netrun-cache bench";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Spec
    private CommandSpec spec;

    @Mixin
    private final CacheOptions cacheOptions;
    private final BooleanSupplier terminal;

    @Option(names = "--threads", paramLabel = "<n>", defaultValue = "4",
            description = "Worker threads, 1-1024 (default: ${DEFAULT-VALUE}).")
    private int threads;

    @Option(names = "--duration", paramLabel = "<duration>", defaultValue = "30s", converter = DurationConverter.class,
            description = "How long to run, such as 500ms, 30s, 2m (default: ${DEFAULT-VALUE}).")
    private Duration duration;

    @Option(names = "--keys", paramLabel = "<n>", defaultValue = "100000",
            description = "Distinct keys, preloaded before the run, 1-10000000 (default: ${DEFAULT-VALUE}).")
    private int keys;

    @Option(names = "--read-ratio", paramLabel = "<0..1>", defaultValue = "0.95",
            description = "Fraction of operations that are gets; the rest are sets (default: ${DEFAULT-VALUE}).")
    private double readRatio;

    @Option(names = "--value-size", paramLabel = "<chars>", defaultValue = "100",
            description = "Length of each value, 1-1048576 (default: ${DEFAULT-VALUE}).")
    private int valueSize;

    @Option(names = "--l1-max-size", paramLabel = "<n>",
            description = "L1 size of multi_layer (default: --keys, so that every key fits in L1).")
    private Long l1MaxSize;

    @Option(names = "--namespace", paramLabel = "<name>", defaultValue = DEFAULT_NAMESPACE,
            description = "Namespace of the keys (default: ${DEFAULT-VALUE}).")
    private String namespace;

    @Option(names = "--keep-keys", description = "Leave the keys in Redis after the run.")
    private boolean keepKeys;

    @Option(names = "--json", description = "Print one JSON object instead of the report, and no progress bar.")
    private boolean json;

    /** Reads the configuration base from the process environment. */
    BenchCommand() {
        this(System::getenv);
    }

    /** Reads the configuration base from {@code environment}; tests pass a map. */
    BenchCommand(Supplier<Map<String, String>> environment) {
        this(environment, () -> System.console() != null);
    }

    /** Also takes whether standard error is a terminal (tests say so); the progress bar is drawn only then. */
    BenchCommand(Supplier<Map<String, String>> environment, BooleanSupplier terminal) {
        this.cacheOptions = new CacheOptions(environment);
        this.terminal = terminal;
    }

    @Override
    public Integer call() throws InterruptedException {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CacheOptions.Opened opened = CacheOptions.open(this::config, COMMAND, err);
        if (opened == null) {
            return NetrunCacheCli.EXIT_USAGE;
        }
        CacheConfig config = opened.config();
        try (Cache<Object> cache = opened.cache()) {
            cache.initialize();
            BenchRun run = new BenchRun(cache, threads, duration, keys, valueSize, readRatio);
            if (!json) {
                err.printf(Locale.ROOT, "preloading %,d keys into %s...%n", keys, describe(config));
                err.flush();
            }
            run.preload();
            cache.resetStats();
            BenchRun.Outcome outcome = run.run(json || !terminal.getAsBoolean() ? null : err);
            CacheStats stats = cache.stats();
            if (json) {
                out.println(JSON.writeValueAsString(toJson(config, outcome, stats)));
            } else {
                printReport(out, config, outcome, stats);
            }
            out.flush();
            if (config.backend() != CacheBackend.MEMORY && !keepKeys) {
                cache.clearNamespace();
            }
            return NetrunCacheCli.EXIT_OK;
        } catch (CacheException e) {
            return CacheOptions.operationFailed(e, COMMAND, out, err);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the JSON report", e);
        }
    }

    private void validate() {
        if (threads < 1 || threads > 1024) {
            throw usage("--threads must be between 1 and 1024, was " + threads);
        }
        if (duration.isZero() || duration.isNegative() || duration.compareTo(Duration.ofDays(1)) > 0) {
            throw usage("--duration must be positive and at most 24h, was " + duration);
        }
        if (keys < 1 || keys > 10_000_000) {
            throw usage("--keys must be between 1 and 10000000, was " + keys);
        }
        if (!(readRatio >= 0 && readRatio <= 1)) {
            throw usage("--read-ratio must be between 0 and 1, was " + readRatio);
        }
        if (valueSize < 1 || valueSize > 1 << 20) {
            throw usage("--value-size must be between 1 and 1048576, was " + valueSize);
        }
        if (l1MaxSize != null && l1MaxSize < 1) {
            throw usage("--l1-max-size must be positive, was " + l1MaxSize);
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    /** Returns the environment's settings overridden by the options; the backend is the option's alone. */
    CacheConfig config() {
        return cacheOptions.configBuilder()
                .namespace(namespace)
                .defaultTtl(Duration.ofHours(1))
                .maxSize(keys)
                .l1MaxSize(l1MaxSize != null ? l1MaxSize : keys)
                .build();
    }

    private static String describe(CacheConfig config) {
        return config.backend() == CacheBackend.MEMORY ? "memory"
                : config.backend().wireName() + " at " + config.redisEndpoint();
    }

    Map<String, Object> toJson(CacheConfig config, BenchRun.Outcome outcome, CacheStats stats) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("backend", config.backend().wireName());
        root.put("threads", threads);
        root.put("durationSeconds", round(outcome.elapsed().toNanos() / 1e9, 3));
        root.put("keys", keys);
        root.put("valueSize", valueSize);
        root.put("readRatio", readRatio);
        root.put("operations", outcome.operations());
        root.put("reads", outcome.reads());
        root.put("writes", outcome.writes());
        root.put("readHits", outcome.hits());
        root.put("errors", outcome.errors());
        root.put("throughputOpsPerSec", round(outcome.throughput(), 1));
        root.put("latencyMicros", latency(outcome.latencyNanos()));
        Map<String, Object> cacheStats = new LinkedHashMap<>();
        cacheStats.put("namespace", stats.namespace());
        cacheStats.put("backend", stats.backend());
        cacheStats.put("hits", stats.hits());
        cacheStats.put("misses", stats.misses());
        cacheStats.put("hitRatePercent", stats.hitRatePercent());
        cacheStats.put("cachedKeys", stats.cachedKeys());
        cacheStats.put("evictions", stats.evictions());
        cacheStats.put("errors", stats.errors());
        cacheStats.put("connected", stats.connected());
        root.put("stats", cacheStats);
        return root;
    }

    static Map<String, Double> latency(Histogram nanos) {
        Map<String, Double> micros = new LinkedHashMap<>();
        micros.put("p50", micros(nanos.getValueAtPercentile(50)));
        micros.put("p90", micros(nanos.getValueAtPercentile(90)));
        micros.put("p99", micros(nanos.getValueAtPercentile(99)));
        micros.put("p999", micros(nanos.getValueAtPercentile(99.9)));
        micros.put("max", micros(nanos.getMaxValue()));
        micros.put("mean", round(nanos.getMean() / 1_000, 3));
        return micros;
    }

    private static double micros(long nanos) {
        return round(nanos / 1_000.0, 3);
    }

    private static double round(double value, int decimals) {
        double scale = Math.pow(10, decimals);
        return Math.round(value * scale) / scale;
    }

    private void printReport(PrintWriter out, CacheConfig config, BenchRun.Outcome outcome, CacheStats stats) {
        out.println("netrun-cache bench");
        out.printf(Locale.ROOT, "  backend      %s%n", describe(config));
        out.printf(Locale.ROOT, "  threads      %d%n", threads);
        out.printf(Locale.ROOT, "  duration     %.2f s%n", outcome.elapsed().toNanos() / 1e9);
        out.printf(Locale.ROOT, "  keys         %,d (preloaded), values of %,d characters%n", keys, valueSize);
        out.printf(Locale.ROOT, "  read ratio   %.2f%n", readRatio);
        out.println();
        out.printf(Locale.ROOT, "Throughput  %,.0f ops/s  (%,d operations: %,d gets, %,d sets, %,d errors)%n",
                outcome.throughput(), outcome.operations(), outcome.reads(), outcome.writes(), outcome.errors());
        out.println();
        Map<String, Double> latency = latency(outcome.latencyNanos());
        out.println("Latency (µs)");
        out.printf(Locale.ROOT, "  %10s %10s %10s %10s %10s%n", "p50", "p90", "p99", "p99.9", "max");
        out.printf(Locale.ROOT, "  %10.2f %10.2f %10.2f %10.2f %10.2f%n", latency.get("p50"), latency.get("p90"),
                latency.get("p99"), latency.get("p999"), latency.get("max"));
        out.println();
        out.println("Statistics");
        StatsTable.print(out, stats, "  ");
    }
}
