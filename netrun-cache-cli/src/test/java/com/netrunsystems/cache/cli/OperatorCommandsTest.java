package com.netrunsystems.cache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.netrunsystems.cache.CacheConfig;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The operator commands without Redis: usage errors, help, value classification, password detection. */
class OperatorCommandsTest {

    private final CliRunner cli = CliRunner.create();

    @Test
    void help_topLevel_listsTheOperatorCommands() {
        CliRunner.Result result = cli.run("--help");

        assertThat(result.out()).contains("keys").contains("get").contains("ttl").contains("stats")
                .contains("clear").contains("watch").contains("doctor");
    }

    @Test
    void help_eachCommand_printsItsUsageWithTheConnectionOptions() {
        for (String command : new String[] {"keys", "get", "ttl", "stats", "clear", "watch", "doctor"}) {
            CliRunner.Result result = cli.run(command, "--help");

            assertThat(result.exitCode()).as(command).isZero();
            assertThat(result.out()).as(command).contains("Usage: netrun-cache " + command)
                    .contains("--redis-url=<url>").contains("--redis-url-file=<file>").contains("--json");
        }
    }

    @Test
    void usageErrors_exitTwoWithoutConnecting() {
        assertThat(cli.run("keys", "--limit", "0").exitCode()).isEqualTo(NetrunCacheCli.EXIT_USAGE);
        assertThat(cli.run("stats", "--sample", "0").exitCode()).isEqualTo(NetrunCacheCli.EXIT_USAGE);
        assertThat(cli.run("get").exitCode()).isEqualTo(NetrunCacheCli.EXIT_USAGE);
        assertThat(cli.run("watch", "--duration", "0s").exitCode()).isEqualTo(NetrunCacheCli.EXIT_USAGE);
        CliRunner.Result json = cli.run("clear", "-n", "app", "--json");
        assertThat(json.exitCode()).isEqualTo(NetrunCacheCli.EXIT_USAGE);
        assertThat(json.err()).contains("--json needs --yes or --dry-run");
    }

    @Test
    void invalidConfiguration_exitsTwoNamingTheSetting() {
        CliRunner.Result result = cli.run("keys", "--redis-url", "http://localhost:6379");

        assertThat(result.exitCode()).isEqualTo(NetrunCacheCli.EXIT_USAGE);
        assertThat(result.err()).contains("netrun-cache keys: invalid configuration").contains("redisUrl");
    }

    @Test
    void missingUrlFile_exitsTwoNamingIt() {
        CliRunner.Result result = cli.run("keys", "--redis-url-file", "/nonexistent/url");

        assertThat(result.exitCode()).isEqualTo(NetrunCacheCli.EXIT_USAGE);
        assertThat(result.err()).contains("--redis-url-file /nonexistent/url cannot be read");
    }

    @Test
    void hasPassword_detectsUserInfoPasswordsOnly() {
        assertThat(RedisOptions.hasPassword("redis://app:pw@host:6379/0")).isTrue();
        assertThat(RedisOptions.hasPassword("redis://:pw@host")).isTrue();
        assertThat(RedisOptions.hasPassword("redis://pw@host")).isTrue();
        assertThat(RedisOptions.hasPassword("redis://host:6379/0")).isFalse();
        assertThat(RedisOptions.hasPassword("redis://app:@host")).isFalse();
        assertThat(RedisOptions.hasPassword("redis://host/0?x=a@b")).isFalse();
    }

    @Test
    void storedValue_classifiesWhatTheLibrariesWrite() {
        assertThat(kind("{\"a\": 1}")).isEqualTo(StoredValue.Kind.JSON_OBJECT);
        assertThat(kind("[1, 2]")).isEqualTo(StoredValue.Kind.JSON_ARRAY);
        assertThat(kind("\"quoted\"")).isEqualTo(StoredValue.Kind.JSON_STRING);
        assertThat(kind("3.5")).isEqualTo(StoredValue.Kind.JSON_NUMBER);
        assertThat(kind("99999999999999999999")).isEqualTo(StoredValue.Kind.JSON_NUMBER);
        assertThat(kind("-12")).isEqualTo(StoredValue.Kind.COUNTER);
        assertThat(kind("true")).isEqualTo(StoredValue.Kind.JSON_BOOLEAN);
        assertThat(kind("null")).isEqualTo(StoredValue.Kind.JSON_NULL);
        assertThat(kind("hello world")).isEqualTo(StoredValue.Kind.RAW_STRING);
        assertThat(kind("{\"a\": 1} trailing")).isEqualTo(StoredValue.Kind.RAW_STRING);
        assertThat(kind("")).isEqualTo(StoredValue.Kind.RAW_STRING);
        assertThat(StoredValue.of(new byte[] {0, (byte) 0xff}).kind()).isEqualTo(StoredValue.Kind.BINARY);
        assertThat(StoredValue.of(new byte[] {0, (byte) 0xff}).display()).isEqualTo("00ff");
        assertThat(StoredValue.of(new byte[300]).display()).hasSize(2 * StoredValue.HEX_LIMIT + 3).endsWith("...");
    }

    @Test
    void doctorConnectionFailed_namesTheCauseInItsFix() {
        CacheConfig config = CacheConfig.builder().redisUrl("rediss://cache.example:6380").build();

        assertThat(fix(config, "WRONGPASS invalid username-password pair")).startsWith("authentication failed");
        assertThat(fix(config, "No subject alternative DNS name matching cache.example found"))
                .startsWith("the TLS certificate does not name the host");
        assertThat(fix(config, "PKIX path validation failed: validity check failed: NotAfter: Tue Jan 01"))
                .startsWith("the server's TLS certificate has expired");
        assertThat(fix(config, "PKIX path building failed: unable to find valid certification path"))
                .startsWith("the server's TLS certificate is not trusted");
        assertThat(fix(config, "Received fatal alert: handshake_failure")).startsWith("the TLS handshake failed");
        assertThat(fix(config, "Connection refused")).startsWith("nothing listens there");
        assertThat(fix(config, "java.util.concurrent.TimeoutException")).startsWith("check the host, the port");
    }

    private static String fix(CacheConfig config, String message) {
        Check check = DoctorCommand.connectionFailed(config, message);
        assertThat(check.status()).isEqualTo(Check.Status.FAIL);
        assertThat(check.detail()).isEqualTo(message);
        return check.fix();
    }

    private static StoredValue.Kind kind(String text) {
        return StoredValue.of(text.getBytes(StandardCharsets.UTF_8)).kind();
    }
}
