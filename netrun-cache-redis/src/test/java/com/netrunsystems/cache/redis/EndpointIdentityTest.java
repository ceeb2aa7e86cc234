package com.netrunsystems.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import com.netrunsystems.cache.CacheConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * What makes caches share a connection ({@link RedisEndpoint#identity}): the endpoint and its security settings,
 * not the per-call settings; a password is part of it but never shown. No Redis is contacted.
 */
class EndpointIdentityTest {

    private static final String SECRET = "s3cret-pa55";

    private static CacheConfig.Builder base() {
        return CacheConfig.builder().namespace("a").redisHost("127.0.0.1").redisPort(6390);
    }

    private static RedisEndpoint.Identity identity(CacheConfig.Builder config) {
        return new RedisEndpoint(config.build()).identity(null);
    }

    @Test
    void identity_perCallSettingsDiffer_sameEndpoint() {
        assertThat(identity(base().namespace("b").socketTimeout(Duration.ofMillis(300)).failOpen(false)))
                .isEqualTo(identity(base()));
    }

    @Test
    void identity_endpointOrSecuritySettingsDiffer_otherEndpoint() {
        RedisEndpoint.Identity plain = identity(base());
        assertThat(identity(base().redisPort(6391))).isNotEqualTo(plain);
        assertThat(identity(base().redisDb(2))).isNotEqualTo(plain);
        assertThat(identity(base().redisPassword(SECRET))).isNotEqualTo(plain);
        assertThat(identity(base().redisPassword(SECRET))).isNotEqualTo(identity(base().redisPassword("other")));
        assertThat(identity(base().redisUsername("app").redisPassword(SECRET)))
                .isNotEqualTo(identity(base().redisPassword(SECRET)));
        assertThat(identity(base().redisTls(true))).isNotEqualTo(plain);
        assertThat(identity(base().socketConnectTimeout(Duration.ofMillis(4_321)))).isNotEqualTo(plain);
    }

    @Test
    void identity_suppliedClient_comparedByIdentity() {
        Object client = new Object();
        RedisEndpoint endpoint = new RedisEndpoint(base().build());
        assertThat(endpoint.identity(client)).isEqualTo(endpoint.identity(client));
        assertThat(endpoint.identity(client)).isNotEqualTo(endpoint.identity(new Object()));
        assertThat(endpoint.identity(client)).isNotEqualTo(endpoint.identity(null));
    }

    @Test
    void identity_toString_neverShowsThePassword() {
        assertThat(identity(base().redisPassword(SECRET)).toString()).doesNotContain(SECRET).contains("127.0.0.1:6390");
        assertThat(identity(CacheConfig.builder().namespace("a").redisUrl("redis://app:" + SECRET + "@127.0.0.1:6390/0"))
                .toString()).doesNotContain(SECRET);
    }
}
