package com.netrunsystems.cache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The demo on {@code multi_layer} against a Redis that is down (a port nothing listens on). Regression
 * (issue 16, item 2): it printed "Errors 0" and called a setIfAbsent that failed open "already held".
 */
class DemoDeadRedisTest {

    @Test
    void demo_multiLayerWithDeadRedis_reportsUnreachableAndCountsErrors() throws IOException {
        int deadPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            deadPort = socket.getLocalPort();
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new NetrunCacheCli());
        cli.setOut(new PrintWriter(out, true)).setErr(new PrintWriter(err, true));

        int exitCode = cli.execute("demo", "--backend", "multi_layer", "--redis-url", "redis://127.0.0.1:" + deadPort,
                "--namespace", "demo-dead-redis");

        assertThat(exitCode).as(err.toString()).isZero();
        assertThat(out.toString())
                .doesNotContain("already held")
                .contains("false: not acquired, Redis is unreachable");
        Matcher errors = Pattern.compile("Errors\\s+([\\d,]+)").matcher(out.toString());
        assertThat(errors.find()).isTrue();
        assertThat(Long.parseLong(errors.group(1).replace(",", ""))).isPositive();
    }
}
