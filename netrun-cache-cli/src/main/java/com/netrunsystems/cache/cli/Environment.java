package com.netrunsystems.cache.cli;

import java.io.InputStream;
import java.util.Map;
import java.util.Objects;

/**
 * What a command reads from outside its arguments: the environment variables, standard input, and
 * whether a person is watching (a terminal: progress bars and prompts). Commands get the process's;
 * tests pass their own. Immutable.
 *
 * @param variables   the environment variables ({@code NETRUN_CACHE_*})
 * @param stdin       standard input, for confirmations
 * @param interactive whether standard error is a terminal, so that progress bars are drawn
 */
record Environment(Map<String, String> variables, InputStream stdin, boolean interactive) {

    Environment {
        Objects.requireNonNull(variables, "variables");
        Objects.requireNonNull(stdin, "stdin");
    }

    /** Returns the process's environment, standard input, and whether it runs in a terminal. */
    static Environment system() {
        return new Environment(System.getenv(), System.in, System.console() != null);
    }
}
