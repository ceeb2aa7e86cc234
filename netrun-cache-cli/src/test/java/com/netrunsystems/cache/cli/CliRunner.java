package com.netrunsystems.cache.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;

/** Runs the command line in-process with a given environment and standard input, capturing both outputs. */
final class CliRunner {

    /** What one invocation printed and returned. */
    record Result(int exitCode, String out, String err) {
        /** Returns both outputs, for assertions that no password appears anywhere. */
        String all() {
            return out + err;
        }
    }

    private final Map<String, String> variables;
    private final String stdin;
    private final boolean interactive;

    private CliRunner(Map<String, String> variables, String stdin, boolean interactive) {
        this.variables = variables;
        this.stdin = stdin;
        this.interactive = interactive;
    }

    /** An empty environment (nothing of the machine's NETRUN_CACHE_* leaks in), empty stdin, no terminal. */
    static CliRunner create() {
        return new CliRunner(Map.of(), "", false);
    }

    CliRunner environment(Map<String, String> variables) {
        return new CliRunner(variables, stdin, interactive);
    }

    CliRunner stdin(String text) {
        return new CliRunner(variables, text, interactive);
    }

    CliRunner interactive() {
        return new CliRunner(variables, stdin, true);
    }

    Result run(String... args) {
        Environment environment = new Environment(variables,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), interactive);
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                try {
                    Constructor<K> constructor = type.getDeclaredConstructor(Environment.class);
                    return constructor.newInstance(environment);
                } catch (NoSuchMethodException e) {
                    return CommandLine.defaultFactory().create(type);
                }
            }
        };
        CommandLine commandLine = new CommandLine(new NetrunCacheCli(), factory);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        commandLine.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new Result(exitCode, out.toString(), err.toString());
    }
}
