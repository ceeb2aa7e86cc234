package com.netrunsystems.cache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.netrunsystems.cache.testsupport.RedisServerExtension;
import com.netrunsystems.cache.testsupport.RedisServerOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every operator command against a password-protected server and a TLS server: the password never appears in
 * any output (text or {@code --json}), whether it comes from {@code NETRUN_CACHE_REDIS_URL} (no warning) or
 * {@code --redis-url} (a warning), and the inspecting commands work over verified TLS on {@link TestKeyspace}.
 */
class SecureConnectionIT {

    private static final String PASSWORD = "Ev3ry-c0mmand-pw";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Each command with its arguments, and the exit code it should end with. */
    private static final List<Object[]> COMMANDS = List.of(
            new Object[] {0, "keys", "-n", "app"},
            new Object[] {0, "keys", "-n", "app", "--json"},
            new Object[] {0, "get", "-n", "app", "user:1"},
            new Object[] {0, "get", "-n", "app", "user:1", "--json"},
            new Object[] {1, "get", "-n", "app", "nope"},
            new Object[] {0, "ttl", "-n", "app", "user:1", "--json"},
            new Object[] {0, "stats", "-n", "app"},
            new Object[] {0, "stats", "-n", "app", "--json"},
            new Object[] {0, "clear", "-n", "app", "--dry-run"},
            new Object[] {0, "clear", "-n", "app2", "--yes", "--json"},
            new Object[] {0, "watch", "-n", "app", "--duration", "1s"},
            new Object[] {0, "watch", "-n", "app", "--duration", "1s", "--json"},
            new Object[] {0, "doctor", "-n", "app"},
            new Object[] {0, "doctor", "-n", "app", "--json"});

    @RegisterExtension
    static final RedisServerExtension secured = RedisServerExtension.standalone(RedisServerOptions.builder()
            .requirePass(PASSWORD).build());

    @RegisterExtension
    static final RedisServerExtension tls = RedisServerExtension.tls();

    private final CliRunner cli = CliRunner.create();

    private static String[] args(Object[] command, String... more) {
        List<String> args = new ArrayList<>();
        for (int i = 1; i < command.length; i++) {
            args.add((String) command[i]);
        }
        args.addAll(List.of(more));
        return args.toArray(new String[0]);
    }

    @Test
    void everyCommand_passwordFromTheEnvironmentUrlOrTheOption_isNeverPrinted() {
        String url = "redis://:" + PASSWORD + "@127.0.0.1:" + secured.server().port();
        CliRunner fromEnvironment = cli.environment(Map.of("NETRUN_CACHE_REDIS_URL", url));

        for (Object[] command : COMMANDS) {
            secured.server().flushAll();
            TestKeyspace.write(secured.server());
            CliRunner.Result environment = fromEnvironment.run(args(command));
            TestKeyspace.write(secured.server());
            CliRunner.Result option = cli.run(args(command, "--redis-url", url));

            String name = String.join(" ", args(command));
            int expected = (Integer) command[0];
            assertThat(environment.exitCode()).as(name + ": " + environment.all()).isEqualTo(expected);
            assertThat(option.exitCode()).as(name + ": " + option.all()).isEqualTo(expected);
            assertThat(environment.all()).as(name).doesNotContain(PASSWORD).doesNotContain("holds a password");
            assertThat(option.all()).as(name).doesNotContain(PASSWORD)
                    .contains("warning: --redis-url holds a password");
        }
    }

    @Test
    void inspectingCommands_overVerifiedTls_readTheKnownKeyspace() throws Exception {
        tls.server().flushAll();
        TestKeyspace.write(tls.server());
        String[] connection = {"--redis-url", tls.server().tlsUri(), "--tls-ca-cert",
            tls.server().caCertificate().toString()};

        CliRunner.Result keys = cli.run(concat(new String[] {"keys", "-n", "app"}, connection));
        CliRunner.Result get = cli.run(concat(new String[] {"get", "-n", "app", "user:1", "--json"}, connection));
        CliRunner.Result stats = cli.run(concat(new String[] {"stats", "-n", "app", "--json"}, connection));

        assertThat(keys.exitCode()).as(keys.err()).isZero();
        assertThat(keys.out().lines()).containsExactly(TestKeyspace.APP_KEYS);
        assertThat(JSON.readTree(get.out()).path("value"))
                .isEqualTo(JSON.readTree("{\"name\":\"Ada\",\"roles\":[\"admin\",\"dev\"]}"));
        JsonNode root = JSON.readTree(stats.out());
        assertThat(root.path("keys").asLong()).isEqualTo(7);
        assertThat(root.path("sharedStats").path("hits").asLong()).isEqualTo(30);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] all = new String[a.length + b.length];
        System.arraycopy(a, 0, all, 0, a.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
