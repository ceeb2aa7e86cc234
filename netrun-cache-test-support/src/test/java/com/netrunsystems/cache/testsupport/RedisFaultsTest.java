package com.netrunsystems.cache.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Each server-side fault of {@link RedisFaults} takes effect, and undoing it (or closing) restores the server. */
class RedisFaultsTest {

    @Test
    void pause_frozenProcess_answersNothingUntilResumed() throws IOException {
        try (RedisServer redis = RedisServer.start()) {
            RedisFaults faults = redis.faults();
            try (RespConnection connection = redis.openAdminConnection()) {
                faults.pause();
                assertThat(faults.isPaused()).isTrue();
                connection.send("PING");
                assertThatThrownBy(connection::readReply).isInstanceOf(SocketTimeoutException.class);
                faults.resume();
                assertThat(connection.readReply()).isEqualTo("PONG");
            }
            assertThat(faults.isPaused()).isFalse();
        }
    }

    @Test
    void stop_pausedServer_resumesAndStops() {
        RedisServer redis = RedisServer.start();
        redis.faults().pause();
        long started = System.nanoTime();
        redis.stop();
        assertThat(redis.isRunning()).isFalse();
        assertThat(Duration.ofNanos(System.nanoTime() - started)).as("stopped by SIGTERM, not after the grace period")
                .isLessThan(Duration.ofSeconds(5));
    }

    @Test
    void debugSleep_serverBusy_answersOnlyAfterWakingUp() throws Exception {
        try (RedisServer redis = RedisServer.start()) {
            long started = System.nanoTime();
            CompletableFuture<Void> awake = redis.faults().debugSleep(Duration.ofMillis(700));
            assertThat(redis.execute("PING")).isEqualTo("PONG"); // waits for the sleep to end
            long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
            assertThat(tookMillis).isGreaterThanOrEqualTo(650);
            awake.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void clientKill_normalAndPubsub_closesOnlyConnectionsOfThatType() throws IOException {
        try (RedisServer redis = RedisServer.start();
                RespConnection normal = redis.openAdminConnection();
                RespConnection subscriber = redis.openAdminConnection()) {
            normal.call("PING");
            subscriber.call("SUBSCRIBE", "ch");
            assertThat(redis.faults().clientKill(RedisFaults.ClientType.PUBSUB)).isEqualTo(1);
            assertThat(normal.call("PING")).isEqualTo("PONG");
            assertThat(redis.faults().clientKill(RedisFaults.ClientType.NORMAL)).isEqualTo(1);
            assertThatThrownBy(() -> normal.call("PING")).isInstanceOf(IOException.class);
        }
    }

    @Test
    void maxmemoryNoEviction_writesAnswerOomReadsWork_untilCleared() {
        try (RedisServer redis = RedisServer.start()) {
            redis.execute("SET", "k", "v");
            redis.faults().maxmemoryNoEviction();
            assertThatThrownBy(() -> redis.execute("SET", "k2", "v")).hasMessageStartingWith("OOM");
            assertThat(redis.execute("GET", "k")).isEqualTo("v");
            redis.faults().clearMaxmemory();
            assertThat(redis.execute("SET", "k2", "v")).isEqualTo("OK");
        }
    }

    @Test
    void persistenceFailure_writesAnswerMisconfReadsWork_untilRestored() {
        try (RedisServer redis = RedisServer.start()) {
            redis.execute("SET", "k", "v");
            redis.faults().persistenceFailure();
            assertThatThrownBy(() -> redis.execute("SET", "k2", "v")).hasMessageStartingWith("MISCONF");
            assertThat(redis.execute("GET", "k")).isEqualTo("v");
            redis.faults().restorePersistence();
            assertThat(redis.execute("SET", "k2", "v")).isEqualTo("OK");
        }
    }

    @Test
    void close_faultsInEffect_undoesThemAll() {
        try (RedisServer redis = RedisServer.start()) {
            RedisFaults faults = redis.faults();
            faults.persistenceFailure();
            faults.maxmemoryNoEviction();
            faults.close();
            assertThat(redis.execute("SET", "k", "v")).isEqualTo("OK");
            assertThat(redis.execute("CONFIG", "GET", "maxmemory")).asList().containsExactly("maxmemory", "0");
        }
    }
}
