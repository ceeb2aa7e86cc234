package com.netrunsystems.cache.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code netrun-cache} command. Each subcommand is its own class, registered in
 * {@link Command#subcommands()} below; this class only parses the top-level options
 * ({@code --help}, {@code --version}) and dispatches.
 *
 * <pre>{@code
 * int exitCode = new CommandLine(new NetrunCacheCli()).execute("demo", "--namespace", "orders");
 * }</pre>
 *
 * <p>Exit codes: {@value #EXIT_OK} on success, {@value #EXIT_FAILED} when a cache operation failed,
 * {@value #EXIT_USAGE} for bad usage or a backend whose module is not on the classpath.
 * Instances are not thread-safe: build one per invocation.
 */
@Command(
        name = "netrun-cache",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "In-memory, Redis and two-level caching for JVM services, wire-compatible with the Python "
                + "netrun-cache.",
        synopsisSubcommandLabel = "COMMAND",
        subcommands = {DemoCommand.class, BenchCommand.class, KeysCommand.class, GetCommand.class, TtlCommand.class,
            StatsCommand.class, ClearCommand.class, WatchCommand.class, DoctorCommand.class,
            CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            NetrunCacheCli.EXIT_OK + ":success",
            NetrunCacheCli.EXIT_FAILED + ":a cache operation or a check failed (Redis unreachable, no such key, "
                    + "clear not confirmed, a doctor check)",
            NetrunCacheCli.EXIT_USAGE + ":bad usage, invalid configuration, a backend whose module is missing, or "
                    + "clear refusing a namespace that others are nested in"})
public final class NetrunCacheCli implements Runnable {

    /** The command succeeded. */
    public static final int EXIT_OK = 0;
    /** A cache operation failed, for example because the backend could not be reached. */
    public static final int EXIT_FAILED = 1;
    /** Bad usage, an invalid configuration, or a backend whose module is not on the classpath. */
    public static final int EXIT_USAGE = 2;

    @Spec
    private CommandSpec spec;

    /** Runs the command line {@code args} and exits the JVM with its exit code. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new NetrunCacheCli()).execute(args));
    }

    /** Called when no subcommand is given: reports the missing command with the usage help. */
    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing required subcommand: try 'netrun-cache demo'");
    }
}
