package com.netrunsystems.cache.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code netrun-cache demo}: walks through the seed's Quick Start on a real cache, printing each
 * operation and its result, then the statistics, then clears the namespace and closes the cache.
 *
 * <p>The configuration starts from {@link CacheConfig#fromEnvironment()} ({@code NETRUN_CACHE_*}),
 * so Redis settings such as {@code NETRUN_CACHE_REDIS_HOST} apply; the options then override it. The
 * backend is the {@code --backend} option's alone (default memory), never {@code NETRUN_CACHE_BACKEND}:
 * a demo must not write to a Redis the user did not name on the command line.
 *
 * <p>Not thread-safe: picocli builds one instance per invocation.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        sortOptions = false,
        description = {
            "Walks through the Quick Start on a real cache, printing each step and its result.",
            "",
            "The steps: set, get, setMany, getMany, increment, decrement, setIfAbsent (a lock), getOrLoad "
                    + "(read-through, twice), a miss, delete, exists, the statistics, clearNamespace and close.",
            "",
            "Settings not given as options are read from NETRUN_CACHE_* environment variables "
                    + "(NETRUN_CACHE_REDIS_HOST, NETRUN_CACHE_REDIS_PORT, NETRUN_CACHE_REDIS_PASSWORD, ...).",
            "The demo ends with clearNamespace(): on Redis, point it at a namespace that holds nothing you need."
        })
final class DemoCommand implements Callable<Integer> {

    static final Duration MANY_TTL = Duration.ofSeconds(1800);
    static final Duration LOCK_TTL = Duration.ofSeconds(30);
    private static final String COMMAND = "netrun-cache demo";

    private static final ObjectMapper JSON = new ObjectMapper();

    @Spec
    private CommandSpec spec;

    @Option(names = "--namespace", paramLabel = "<name>", defaultValue = "users",
            description = "Namespace of the demo's keys (default: ${DEFAULT-VALUE}).")
    private String namespace;

    @Mixin
    private final CacheOptions cacheOptions;

    @Option(names = "--ttl", paramLabel = "<seconds>", defaultValue = "3600",
            description = "Default TTL in seconds (default: ${DEFAULT-VALUE}).")
    private long ttlSeconds;

    /** Reads the configuration base from the process environment. */
    DemoCommand() {
        this(System::getenv);
    }

    /** Reads the configuration base from {@code environment}; tests pass a map. */
    DemoCommand(Supplier<Map<String, String>> environment) {
        this.cacheOptions = new CacheOptions(environment);
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (ttlSeconds <= 0) {
            throw new ParameterException(spec.commandLine(), "--ttl must be a positive number of seconds, was "
                    + ttlSeconds);
        }
        CacheOptions.Opened opened = CacheOptions.open(this::config, COMMAND, err);
        if (opened == null) {
            return NetrunCacheCli.EXIT_USAGE;
        }
        CacheConfig config = opened.config();
        try (Cache<Object> cache = opened.cache()) {
            printHeader(out, config);
            if (config.backend() != CacheBackend.MEMORY) {
                cache.initialize();
            }
            new Walkthrough(cache, out).run();
            out.flush();
            return NetrunCacheCli.EXIT_OK;
        } catch (CacheException e) {
            // CacheUnavailableException included: its message names the endpoint and what to check.
            return CacheOptions.operationFailed(e, COMMAND, out, err);
        }
    }

    /** Returns the environment's settings overridden by the options; the backend is the option's alone. */
    CacheConfig config() {
        return cacheOptions.configBuilder()
                .namespace(namespace)
                .defaultTtl(Duration.ofSeconds(ttlSeconds))
                .build();
    }

    private static void printHeader(PrintWriter out, CacheConfig config) {
        out.println("netrun-cache demo");
        out.printf("  backend      %s%n", config.backend() == CacheBackend.MEMORY
                ? "memory (in-process; nothing to connect to)"
                : config.backend().wireName() + " at " + config.redisEndpoint());
        out.printf("  namespace    %s%n", config.namespace());
        out.printf("  default TTL  %s%n", seconds(config.defaultTtl()));
        out.println();
    }

    static String seconds(Duration duration) {
        return duration.toSeconds() + " s";
    }

    static String json(Object value) {
        if (value == null) {
            return "null";
        }
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }

    /** The demo's steps against one cache, numbered as they are printed. */
    private static final class Walkthrough {
        private final Cache<Object> cache;
        private final PrintWriter out;
        private int step;

        Walkthrough(Cache<Object> cache, PrintWriter out) {
            this.cache = cache;
            this.out = out;
        }

        void run() {
            Map<String, Object> john = new LinkedHashMap<>();
            john.put("name", "John");
            john.put("email", "john@example.com");
            step("set(\"user:123\", " + json(john) + ")", () -> cache.set("user:123", john),
                    stored -> stored ? "true: stored for the default TTL (" + seconds(cache.defaultTtl()) + ")"
                            : "false: not stored (backend unreachable; counted in errors)");
            step("get(\"user:123\")", () -> cache.get("user:123"),
                    value -> value == null ? "null (miss)" : json(value) + " (hit)");

            Map<String, Object> users = new LinkedHashMap<>();
            users.put("user:1", Map.of("name", "Alice"));
            users.put("user:2", Map.of("name", "Bob"));
            step("setMany(" + json(users) + ", ttl " + seconds(MANY_TTL) + ")",
                    () -> cache.setMany(users, MANY_TTL), count -> count + " stored");
            step("getMany([\"user:1\", \"user:2\"])", () -> cache.getMany(List.of("user:1", "user:2")),
                    found -> json(found) + " (" + found.size() + " found)");

            step("increment(\"page_views\")", () -> cache.increment("page_views"), Object::toString);
            step("increment(\"page_views\")", () -> cache.increment("page_views"), Object::toString);
            step("decrement(\"inventory:item_123\")", () -> cache.decrement("inventory:item_123"),
                    Object::toString);

            String lock = "setIfAbsent(\"lock:resource_123\", \"locked\", ttl " + seconds(LOCK_TTL) + ")";
            step(lock, () -> cache.setIfAbsent("lock:resource_123", "locked", LOCK_TTL), this::lockOutcome);
            step(lock, () -> cache.setIfAbsent("lock:resource_123", "locked", LOCK_TTL), this::lockOutcome);

            AtomicInteger loaderCalls = new AtomicInteger();
            Function<String, Object> loader = key -> {
                loaderCalls.incrementAndGet();
                out.println("    loading...");
                Map<String, Object> product = new LinkedHashMap<>();
                product.put("name", "Widget");
                product.put("price", 29.99);
                return product;
            };
            for (int i = 0; i < 2; i++) {
                int before = loaderCalls.get();
                step("getOrLoad(\"product:456\", loader)", () -> cache.getOrLoad("product:456", loader),
                        value -> json(value) + (loaderCalls.get() > before
                                ? " (miss: loaded and cached)" : " (hit: the loader was not called)"));
            }

            step("get(\"user:999\")", () -> cache.get("user:999"),
                    value -> value == null ? "null (miss)" : json(value) + " (hit)");
            step("delete(\"user:123\")", () -> cache.delete("user:123"),
                    removed -> removed ? "true: removed" : "false: there was nothing to remove");
            step("exists(\"user:123\")", () -> cache.exists("user:123"), Object::toString);

            out.println();
            out.println("Statistics");
            StatsTable.print(out, cache.stats(), "  ");
            out.println();

            step("clearNamespace()", cache::clearNamespace,
                    removed -> removed + (removed == 1 ? " key" : " keys") + " removed from namespace '"
                            + cache.namespace() + "'");
            step("close()", () -> {
                cache.close();
                return null;
            }, ignored -> "closed");
        }

        /** A false setIfAbsent means "held" only when the backend answered; failing open it means "unreachable". */
        private String lockOutcome(boolean acquired) {
            if (acquired) {
                return "true: lock acquired";
            }
            return cache.stats().connected() ? "false: already held, nothing changed"
                    : "false: not acquired, Redis is unreachable (fail-open; see the WARN log and Errors below)";
        }

        private <T> void step(String action, Supplier<T> operation, Function<? super T, String> describe) {
            out.printf("%2d. %s%n", ++step, action);
            out.flush();
            T result = operation.get();
            out.printf("    -> %s%n", describe.apply(result));
        }
    }
}
