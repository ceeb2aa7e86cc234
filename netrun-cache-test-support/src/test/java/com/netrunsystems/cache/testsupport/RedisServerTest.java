package com.netrunsystems.cache.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RedisServerTest {

    @Test
    void start_defaultOptions_answersPingOnFreeLoopbackPort() {
        try (RedisServer redis = RedisServer.start()) {
            assertThat(redis.ping()).isTrue();
            assertThat(redis.isRunning()).isTrue();
            assertThat(redis.host()).isEqualTo("127.0.0.1");
            assertThat(redis.port()).isNotEqualTo(6379).isLessThan(FreePorts.UPPER_BOUND);
            assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
            assertThat(redis.execute("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void start_defaultOptions_runsWithoutPersistenceAndLogsToItsDirectory() throws IOException {
        try (RedisServer redis = RedisServer.start()) {
            assertThat(redis.execute("CONFIG", "GET", "save")).isEqualTo(List.of("save", ""));
            assertThat(redis.execute("CONFIG", "GET", "appendonly")).isEqualTo(List.of("appendonly", "no"));
            assertThat(redis.execute("CONFIG", "GET", "bind")).isEqualTo(List.of("bind", "127.0.0.1"));
            assertThat(Files.readString(redis.logFile())).contains("Ready to accept connections");
        }
    }

    @Test
    void kill_runningServer_pingFailsAndRestartServesAgainOnSamePort() {
        try (RedisServer redis = RedisServer.start()) {
            int port = redis.port();
            redis.execute("SET", "k", "v");

            redis.kill();

            assertThat(redis.isRunning()).isFalse();
            assertThat(redis.ping()).isFalse();

            redis.restart();

            assertThat(redis.isRunning()).isTrue();
            assertThat(redis.port()).isEqualTo(port);
            assertThat(redis.ping()).isTrue();
            assertThat(redis.execute("GET", "k")).as("no persistence: data is gone after a kill").isNull();
        }
    }

    @Test
    void restart_runningServer_killsAndStartsAgainOnSamePort() {
        try (RedisServer redis = RedisServer.start()) {
            Object pidBefore = processId(redis);

            redis.restart();

            assertThat(redis.ping()).isTrue();
            assertThat(processId(redis)).isNotEqualTo(pidBefore);
        }
    }

    @Test
    void commandStats_afterCommands_countsCallsPerCommand() {
        try (RedisServer redis = RedisServer.start()) {
            redis.execute("SET", "a", "1");
            redis.resetStats();

            redis.execute("GET", "a");
            redis.execute("GET", "a");
            redis.execute("GET", "b");
            redis.execute("MGET", "a", "b");

            Map<String, Long> stats = redis.commandStats();
            assertThat(stats).containsEntry("get", 3L).containsEntry("mget", 1L).doesNotContainKey("set");
        }
    }

    @Test
    void flushAll_withKeysInSeveralDatabases_leavesServerEmpty() {
        try (RedisServer redis = RedisServer.start()) {
            redis.execute("SET", "a", "1");
            redis.execute("SET", "b", "2");

            redis.flushAll();

            assertThat(redis.execute("DBSIZE")).isEqualTo(0L);
        }
    }

    @Test
    void stop_calledTwice_isIdempotentAndDeletesDirectory() {
        RedisServer redis = RedisServer.start();
        Path directory = redis.directory();

        redis.stop();
        redis.close();

        assertThat(redis.isRunning()).isFalse();
        assertThat(directory).doesNotExist();
        assertThatThrownBy(redis::restart).isInstanceOf(IllegalStateException.class).hasMessageContaining("stopped");
    }

    @Test
    void start_withRequirePassAndAclUser_rejectsAnonymousAndAcceptsBothCredentials() throws IOException {
        RedisServerOptions options = RedisServerOptions.builder()
                .requirePass("top secret")
                .aclUser("app on >secret ~* +@all")
                .build();
        try (RedisServer redis = RedisServer.start(options)) {
            assertThat(redis.ping()).as("admin connection authenticates itself").isTrue();
            try (RespConnection anonymous = RespConnection.open(RedisServer.HOST, redis.port(), null)) {
                assertThatThrownBy(() -> anonymous.call("PING")).hasMessageStartingWith("NOAUTH");
                assertThat(anonymous.call("AUTH", "app", "secret")).isEqualTo("OK");
                assertThat(anonymous.call("PING")).isEqualTo("PONG");
            }
        }
    }

    @Test
    void start_withInvalidConfig_throwsWithLogTail() {
        RedisServerOptions options = RedisServerOptions.builder().config("no-such-directive yes").build();

        assertThatThrownBy(() -> RedisServer.start(options))
                .isInstanceOf(RedisStartupException.class)
                .hasMessageContaining("exited with code")
                .hasMessageContaining("no-such-directive");
    }

    @Test
    void start_redisServerMissing_failsWithInstallHint(@TempDir Path emptyDirectory) {
        RedisExecutables nothingInstalled = new RedisExecutables(List.of(emptyDirectory));

        assertThatThrownBy(() -> RedisServer.start(RedisServerOptions.defaults(), nothingInstalled, 0))
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("redis-server not found on PATH: install it "
                        + "(Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: brew install redis)");
    }

    @Test
    void locate_executableWithOtherName_namesItInMessage(@TempDir Path emptyDirectory) {
        RedisExecutables executables = RedisExecutables.fromEnvironment();

        assertThatThrownBy(() -> executables.locate("redis-server-that-does-not-exist", RedisExecutables.REDIS_INSTALL_HINT))
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("redis-server-that-does-not-exist not found on PATH: install it");
    }

    @Test
    void startOnPort_freePortNobodyListensOn_startsServerThere() {
        int port = RedisServer.freePort();
        assertThat(FreePorts.isFree(port)).isTrue();

        try (RedisServer redis = RedisServer.startOnPort(port)) {
            assertThat(redis.port()).isEqualTo(port);
            assertThat(redis.ping()).isTrue();
        }
    }

    @Test
    void startOnPort_portOutOfRange_throwsNamingPort() {
        assertThatThrownBy(() -> RedisServer.startOnPort(70_000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("70000");
    }

    @Test
    void parseCommandStats_infoText_mapsCommandToCalls() {
        String info = "# Commandstats\r\n"
                + "cmdstat_get:calls=3,usec=12,usec_per_call=4.00,rejected_calls=0,failed_calls=0\r\n"
                + "cmdstat_config|resetstat:calls=1,usec=5,usec_per_call=5.00,rejected_calls=0,failed_calls=0\r\n";

        assertThat(RedisServer.parseCommandStats(info))
                .containsExactlyInAnyOrderEntriesOf(Map.of("get", 3L, "config|resetstat", 1L));
    }

    private static Object processId(RedisServer redis) {
        String info = (String) redis.execute("INFO", "server");
        return info.lines().filter(line -> line.startsWith("process_id:")).findFirst().orElseThrow();
    }
}
