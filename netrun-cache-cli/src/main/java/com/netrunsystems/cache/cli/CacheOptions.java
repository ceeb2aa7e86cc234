package com.netrunsystems.cache.cli;

import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.Caches;
import java.io.PrintWriter;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import picocli.CommandLine.Option;

/**
 * The options of every subcommand that opens a cache ({@code --backend}, {@code --redis-url}), used as a
 * picocli {@code @Mixin}, and the opening itself: the configuration starts from the {@code NETRUN_CACHE_*}
 * environment, the options override it, and the backend is the option's alone.
 *
 * <p>Not thread-safe: one instance per command instance.
 */
final class CacheOptions {

    @Option(names = "--backend", paramLabel = "<backend>", defaultValue = "memory",
            converter = BackendOption.Converter.class, completionCandidates = BackendOption.Names.class,
            description = "Backend: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}). redis needs "
                    + "netrun-cache-redis on the classpath.")
    private CacheBackend backend;

    @Option(names = "--redis-url", paramLabel = "<url>",
            description = "Redis URL, such as redis://localhost:6379/0; default: NETRUN_CACHE_REDIS_URL, or "
                    + "NETRUN_CACHE_REDIS_HOST/PORT/DB/PASSWORD.")
    private String redisUrl;

    private final Supplier<Map<String, String>> environment;

    /** Reads the configuration base from {@code environment}; commands pass the process's, tests a map. */
    CacheOptions(Supplier<Map<String, String>> environment) {
        this.environment = Objects.requireNonNull(environment, "environment");
    }

    /** Returns the environment's settings with the backend and, if given, the Redis URL of the options. */
    CacheConfig.Builder configBuilder() {
        CacheConfig.Builder builder = CacheConfig.fromEnvironment(environment.get()).toBuilder().backend(backend);
        if (redisUrl != null) {
            builder.redisUrl(redisUrl);
        }
        return builder;
    }

    /** A configuration and the cache opened on it; the caller closes the cache. */
    record Opened(CacheConfig config, Cache<Object> cache) {
    }

    /**
     * Builds the configuration and opens its cache; when either fails (invalid configuration, backend
     * module missing), prints why to {@code err} after {@code command + ": "} and returns {@code null},
     * for the caller to exit with {@link NetrunCacheCli#EXIT_USAGE}.
     */
    static Opened open(Supplier<CacheConfig> config, String command, PrintWriter err) {
        CacheConfig built;
        try {
            built = config.get();
        } catch (IllegalArgumentException e) {
            return failed(err, command + ": invalid configuration: " + e.getMessage());
        }
        try {
            return new Opened(built, Caches.create(built));
        } catch (CacheException e) {
            return failed(err, command + ": " + e.getMessage());
        }
    }

    private static Opened failed(PrintWriter err, String message) {
        err.println(message);
        err.flush();
        return null;
    }

    /**
     * Reports a cache operation that failed: flushes {@code out}, prints the message to {@code err} after
     * {@code command + ": "} and returns {@link NetrunCacheCli#EXIT_FAILED}.
     */
    static int operationFailed(CacheException e, String command, PrintWriter out, PrintWriter err) {
        out.flush();
        err.println(command + ": " + e.getMessage());
        err.flush();
        return NetrunCacheCli.EXIT_FAILED;
    }
}
