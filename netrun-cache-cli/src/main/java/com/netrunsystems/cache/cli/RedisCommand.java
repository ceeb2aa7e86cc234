package com.netrunsystems.cache.cli;

import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.redis.tooling.RedisTooling;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The frame of an operator command that talks to Redis: the connection options, {@code --namespace}
 * and {@code --json}, then configuration (exit {@value NetrunCacheCli#EXIT_USAGE} when invalid),
 * connection (exit {@value NetrunCacheCli#EXIT_FAILED} when Redis cannot be reached) and the command's
 * own work in {@link #run}. Messages go to standard error after the command's name; no message shows a
 * password.
 *
 * <p>Not thread-safe: picocli builds one instance per invocation.
 */
abstract class RedisCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    RedisOptions redisOptions = new RedisOptions();

    @Option(names = {"-n", "--namespace"}, paramLabel = "<name>",
            description = "Namespace, as the services configure it (default: NETRUN_CACHE_NAMESPACE, else 'cache').")
    String namespace;

    @Option(names = "--json", description = "Print JSON instead of text (stable field names, see the README).")
    boolean json;

    final Environment environment;

    RedisCommand(Environment environment) {
        this.environment = environment;
    }

    /** Does the command's work on an open connection; returns the exit code. */
    abstract int run(RedisTooling redis, CacheConfig config, PrintWriter out, PrintWriter err);

    /** Checks the options before connecting; throws {@link ParameterException} for bad usage. */
    void validate() {
    }

    /** Returns the command's name as messages start with it, such as {@code netrun-cache keys}. */
    final String commandName() {
        return spec.qualifiedName();
    }

    @Override
    public Integer call() {
        validate();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        CacheConfig config = configOrNull(err);
        if (config == null) {
            return NetrunCacheCli.EXIT_USAGE;
        }
        try (RedisTooling redis = RedisTooling.connect(config)) {
            return run(redis, config, out, err);
        } catch (CacheException e) {
            return failed(e.getMessage(), out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Builds the configuration, printing the warnings; prints why and returns null when it is invalid. */
    final CacheConfig configOrNull(PrintWriter err) {
        List<String> warnings = new ArrayList<>();
        try {
            String effective = namespace != null ? namespace
                    : CacheConfig.fromEnvironment(environment.variables()).namespace();
            CacheConfig config = redisOptions.config(environment.variables(), effective, warnings);
            warnings.forEach(err::println);
            return config;
        } catch (IllegalArgumentException e) {
            warnings.forEach(err::println);
            err.println(commandName() + ": invalid configuration: " + e.getMessage());
            return null;
        }
    }

    /** Prints {@code message} after the command's name to standard error; returns {@link NetrunCacheCli#EXIT_FAILED}. */
    final int failed(String message, PrintWriter out, PrintWriter err) {
        out.flush();
        err.println(commandName() + ": " + message);
        err.flush();
        return NetrunCacheCli.EXIT_FAILED;
    }

    final ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
