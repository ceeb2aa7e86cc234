package com.netrunsystems.cache.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisServerExtensionTest {

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.standalone();

    @Test
    void server_duringTestClass_isRunningAndAnswersPing() {
        assertThat(redis.server().isRunning()).isTrue();
        assertThat(redis.server().ping()).isTrue();
    }

    @Test
    void server_asParameter_isTheExtensionsServer(RedisServer server) {
        assertThat(server).isSameAs(redis.server());
    }

    @Nested
    class InNestedClass {

        @Test
        void server_inNestedClass_isTheOuterServer() {
            assertThat(redis.server().ping()).isTrue();
            assertThat(redis.server().execute("SET", "nested", "yes")).isEqualTo("OK");
        }

        @Test
        void server_asParameterInNestedClass_isTheOuterServer(RedisServer server) {
            assertThat(server).isSameAs(redis.server());
        }
    }
}
