package com.netrunsystems.cache.redis.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.CacheUnavailableException;
import com.netrunsystems.cache.redis.connection.RedisFailures.Failure;
import com.netrunsystems.cache.stats.StatsCounter;
import io.lettuce.core.RedisBusyException;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.RedisCommandTimeoutException;
import io.lettuce.core.RedisConnectionException;
import io.lettuce.core.RedisLoadingException;
import io.lettuce.core.RedisReadOnlyException;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The one classification of failed Redis calls (the README's "Redis error replies" table). */
class RedisFailuresTest {

    @ParameterizedTest
    @CsvSource({
            "OOM command not allowed when used memory > 'maxmemory'., WRITE_REJECTED",
            "MISCONF Redis is configured to save RDB snapshots, WRITE_REJECTED",
            "READONLY You can't write against a read only replica., WRITE_REJECTED",
            "NOREPLICAS Not enough good replicas to write., WRITE_REJECTED",
            "LOADING Redis is loading the dataset in memory, UNAVAILABLE",
            "MASTERDOWN Link with MASTER is down, UNAVAILABLE",
            "CLUSTERDOWN The cluster is down, UNAVAILABLE",
            "TRYAGAIN Multiple keys request during rehashing of slot, UNAVAILABLE",
            "BUSY Redis is busy running a script., UNAVAILABLE",
            "NOAUTH Authentication required., UNAVAILABLE",
            "WRONGPASS invalid username-password pair, UNAVAILABLE",
            "NOPERM this user has no permissions to run the 'set' command, UNAVAILABLE",
            "MOVED 3999 127.0.0.1:6381, UNAVAILABLE",
            "WRONGTYPE Operation against a key holding the wrong kind of value, CALLER_ERROR",
            "ERR value is not an integer or out of range, CALLER_ERROR",
            "BUSYKEY Target key name already exists., CALLER_ERROR",
            "OOMX not a known prefix, CALLER_ERROR"
    })
    void classify_errorReply_byItsPrefix(String reply, Failure expected) {
        assertThat(RedisFailures.classify(new RedisCommandExecutionException(reply))).isEqualTo(expected);
    }

    @Test
    void classify_lettuceSubclassesAndTransportFailures() {
        assertThat(RedisFailures.classify(new RedisBusyException("BUSY Redis is busy"))).isEqualTo(Failure.UNAVAILABLE);
        assertThat(RedisFailures.classify(new RedisLoadingException("LOADING"))).isEqualTo(Failure.UNAVAILABLE);
        assertThat(RedisFailures.classify(new RedisReadOnlyException("READONLY You can't write")))
                .isEqualTo(Failure.WRITE_REJECTED);
        assertThat(RedisFailures.classify(new RedisCommandTimeoutException("timed out"))).isEqualTo(Failure.UNAVAILABLE);
        assertThat(RedisFailures.classify(new RedisConnectionException("refused"))).isEqualTo(Failure.UNAVAILABLE);
        assertThat(RedisFailures.classify(new CacheException("bad counter"))).isEqualTo(Failure.CALLER_ERROR);
        assertThat(RedisFailures.classify(new CacheUnavailableException("x", null,
                CacheUnavailableException.Kind.WRITE_REJECTED))).isEqualTo(Failure.WRITE_REJECTED);
    }

    @Test
    void failOpen_writeRejection_answersFallbackAndCounts() {
        StatsCounter stats = new StatsCounter();
        RedisFailures failures = new RedisFailures("ns", "127.0.0.1:1", true, stats);
        boolean answer = failures.failOpen("SET", "k", new RedisCommandExecutionException("MISCONF no disk"), false);
        assertThat(answer).isFalse();
        assertThat(stats.snapshot("ns", com.netrunsystems.cache.CacheBackend.REDIS, true, 0).errors()).isEqualTo(1);
    }

    @Test
    void failOpen_callerError_isThrownEvenWhenFailingOpen() {
        RedisFailures failures = new RedisFailures("ns", "127.0.0.1:1", true, new StatsCounter());
        assertThatThrownBy(() -> failures.failOpen("GET", "k",
                new RedisCommandExecutionException("WRONGTYPE Operation against a key"), null))
                .isInstanceOf(CompletionException.class).cause().isExactlyInstanceOf(CacheException.class)
                .hasMessageContaining("key 'k'").hasMessageContaining("WRONGTYPE");
    }

    @Test
    void failOpenRead_wrongType_isACountedMissEvenWithoutFailOpen() {
        StatsCounter stats = new StatsCounter();
        RedisFailures failures = new RedisFailures("ns", "127.0.0.1:1", false, stats);
        Object answer = failures.failOpenRead("GET", "k",
                new RedisCommandExecutionException("WRONGTYPE Operation against a key"), null, "unavailable");
        assertThat(answer).isNull();
        assertThat(stats.snapshot("ns", com.netrunsystems.cache.CacheBackend.REDIS, true, 0).errors()).isEqualTo(1);
    }

    @Test
    void toException_withoutFailOpen_carriesTheKind() {
        RedisFailures failures = new RedisFailures("ns", "127.0.0.1:1", false, new StatsCounter());
        assertThat(failures.toException("SET", "k", new RedisCommandExecutionException("OOM full")))
                .isInstanceOfSatisfying(CacheUnavailableException.class,
                        e -> assertThat(e.kind()).isEqualTo(CacheUnavailableException.Kind.WRITE_REJECTED))
                .hasMessageContaining("refuses writes").hasMessageContaining("key 'k'");
        assertThat(failures.toException("GET", "k", new RedisCommandTimeoutException("timed out")))
                .isInstanceOfSatisfying(CacheUnavailableException.class,
                        e -> assertThat(e.kind()).isEqualTo(CacheUnavailableException.Kind.UNAVAILABLE));
    }
}
