package com.netrunsystems.cache.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.netrunsystems.cache.testsupport.RedisSentinelExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The operator commands through a real Redis Sentinel: the master is found and used. */
class SentinelCommandsIT {

    @RegisterExtension
    static final RedisSentinelExtension sentinel = RedisSentinelExtension.create();

    private final CliRunner cli = CliRunner.create();

    @Test
    void keysAndDoctor_throughSentinel_useTheMaster() {
        sentinel.sentinel().master().flushAll();
        TestKeyspace.write(sentinel.sentinel().master());
        String url = sentinel.sentinel().sentinelUri();

        CliRunner.Result keys = cli.run("keys", "-n", "app", "--redis-url", url);
        CliRunner.Result doctor = cli.run("doctor", "-n", "app", "--redis-url", url);

        assertThat(keys.exitCode()).as(keys.err()).isZero();
        assertThat(keys.out().lines()).containsExactly(TestKeyspace.APP_KEYS);
        assertThat(doctor.exitCode()).as(doctor.out()).isZero();
        assertThat(doctor.out()).contains("✔ server       Redis 7")
                .contains("master 'mymaster' found through Sentinel");
    }
}
