package com.netrunsystems.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheUnavailableException;
import com.netrunsystems.cache.testsupport.RedisServer;
import com.netrunsystems.cache.testsupport.RedisServerExtension;
import com.netrunsystems.cache.testsupport.RedisServerOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import javax.net.ssl.SSLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * TLS (peer verification on by default, a PEM CA, the explicit opt-out) and authentication (ACL
 * user, requirepass, credentials in the URL) against real servers, and proof that no password
 * reaches an exception message, a {@code toString()} or the log.
 */
class RedisSecurityIT {

    private static final String APP_PASSWORD = "s3cret-pw";
    private static final String DEFAULT_PASSWORD = "d3fault-pw-7c1e";
    private static final String WRONG_PASSWORD = "wr0ng-pw-4b9d";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    @RegisterExtension
    static final RedisServerExtension tls = RedisServerExtension.tls();

    @RegisterExtension
    static final RedisServerExtension auth = RedisServerExtension.standalone(RedisServerOptions.builder()
            .requirePass(DEFAULT_PASSWORD)
            .aclUser("app on >" + APP_PASSWORD + " ~* +@all")
            .build());

    private final String namespace = "sec-" + UUID.randomUUID().toString().substring(0, 8);
    private final List<RedisCache<Object>> caches = new ArrayList<>();

    @AfterEach
    void closeCaches() {
        caches.forEach(RedisCache::close);
    }

    // --- TLS -------------------------------------------------------------------------------------

    @Test
    void initialize_redissUrlTrustingServerCa_connectsAndRoundTrips() {
        RedisCache<Object> cache = open(tlsConfig().redisUrl(tls.server().tlsUri())
                .redisTlsCaCertificate(tls.server().caCertificate()));

        cache.initialize();

        assertRoundTrip(cache, tls.server());
    }

    @Test
    void initialize_hostPortWithTlsTrustingServerCa_connectsAndRoundTrips() {
        RedisCache<Object> cache = open(tlsConfig()
                .redisHost(RedisServer.HOST)
                .redisPort(tls.server().tlsPort())
                .redisTls(true)
                .redisTlsCaCertificate(tls.server().caCertificate()));

        cache.initialize();

        assertRoundTrip(cache, tls.server());
    }

    @Test
    void initialize_redissTrustingUnrelatedCa_throwsCacheUnavailableAndGetFailsOpen() {
        RedisCache<Object> cache = open(tlsConfig().redisUrl(tls.server().tlsUri())
                .redisTlsCaCertificate(tls.server().tlsMaterial().untrustedCaCertificate()));

        Throwable thrown = catchThrowable(cache::initialize);

        assertThat(thrown).isInstanceOf(CacheUnavailableException.class).hasMessageContaining(tlsEndpoint());
        assertRefusedByCertificateVerification(thrown);
        assertThat(cache.get("k")).isNull();
        assertThat(cache.set("k", "v")).isFalse();
        assertThat(cache.stats().errors()).isEqualTo(2);
        assertThat(cache.isConnected()).isFalse();
    }

    @Test
    void initialize_redissWithJvmDefaultTrust_throwsCacheUnavailableBecausePeerIsVerifiedByDefault() {
        CacheConfig config = tlsConfig().redisUrl(tls.server().tlsUri()).build();
        assertThat(config.redisTlsVerifyPeer()).isTrue();
        RedisCache<Object> cache = open(config);

        Throwable thrown = catchThrowable(cache::initialize);

        assertThat(thrown).isInstanceOf(CacheUnavailableException.class).hasMessageContaining(tlsEndpoint());
        assertRefusedByCertificateVerification(thrown);
        assertThat(cache.get("k")).isNull();
    }

    @Test
    void initialize_verifyPeerOffWithoutCa_connects() {
        RedisCache<Object> cache = open(tlsConfig().redisUrl(tls.server().tlsUri()).redisTlsVerifyPeer(false));

        cache.initialize();

        assertRoundTrip(cache, tls.server());
    }

    @Test
    void initialize_hostPortTlsVerifyPeerOffWithoutCa_connects() {
        RedisCache<Object> cache = open(tlsConfig()
                .redisHost(RedisServer.HOST)
                .redisPort(tls.server().tlsPort())
                .redisTls(true)
                .redisTlsVerifyPeer(false));

        cache.initialize();

        assertRoundTrip(cache, tls.server());
    }

    // --- ACL user and password -------------------------------------------------------------------

    @Test
    void initialize_aclUserAndPassword_connectsAndRoundTrips() {
        RedisCache<Object> cache = open(authConfig().redisUsername("app").redisPassword(APP_PASSWORD));

        cache.initialize();

        assertRoundTrip(cache, auth.server());
    }

    @Test
    void initialize_aclUserWrongPassword_throwsNamingEndpointAndNoPassword() {
        RedisCache<Object> cache = open(authConfig().redisUsername("app").redisPassword(WRONG_PASSWORD));

        Throwable thrown = catchThrowable(cache::initialize);

        assertThat(thrown).isInstanceOf(CacheUnavailableException.class).hasMessageContaining(authEndpoint());
        assertThat(thrown).as("says why").hasMessageContaining("WRONGPASS");
        assertNoSecretIn(thrown);
        assertThat(cache.get("k")).isNull();
        assertThat(cache.set("k", "v")).isFalse();
        assertNoSecretIn(catchThrowable(() -> cache.increment("n")));
        assertNoSecretIn(catchThrowable(() -> cache.tryLock("lock", Duration.ofSeconds(5))));
    }

    @Test
    void initialize_passwordInUrl_connectsAndNeverShowsPassword() {
        CacheConfig config = CacheConfig.builder().namespace(namespace)
                .redisUrl("redis://app:" + APP_PASSWORD + "@" + authEndpoint() + "/0")
                .build();
        RedisCache<Object> cache = open(config);

        cache.initialize();

        assertRoundTrip(cache, auth.server());
        assertThat(config.toString()).doesNotContain(APP_PASSWORD).contains(authEndpoint());
        assertThat(cache.toString()).doesNotContain(APP_PASSWORD).contains(authEndpoint());
    }

    @Test
    void initialize_wrongPasswordInUrl_throwsWithMaskedUrlAndNoPassword() {
        RedisCache<Object> cache = open(CacheConfig.builder().namespace(namespace)
                .redisUrl("redis://app:" + WRONG_PASSWORD + "@" + authEndpoint() + "/0")
                .socketTimeout(TIMEOUT).socketConnectTimeout(TIMEOUT));

        Throwable thrown = catchThrowable(cache::initialize);

        assertThat(thrown).isInstanceOf(CacheUnavailableException.class).hasMessageContaining(authEndpoint());
        assertThat(thrown).as("says why").hasMessageContaining("WRONGPASS");
        assertNoSecretIn(thrown);
        assertThat(cache.get("k")).isNull();
    }

    @Test
    void initialize_requirePassWithPasswordOnly_connectsAsDefaultUser() {
        RedisCache<Object> cache = open(authConfig().redisPassword(DEFAULT_PASSWORD));

        cache.initialize();

        assertRoundTrip(cache, auth.server());
    }

    @Test
    void initialize_requirePassWithoutPassword_throwsNamingEndpoint() {
        RedisCache<Object> cache = open(authConfig());

        Throwable thrown = catchThrowable(cache::initialize);

        assertThat(thrown).isInstanceOf(CacheUnavailableException.class).hasMessageContaining(authEndpoint());
        assertThat(thrown).as("says why").hasMessageContaining("NOAUTH");
        assertThat(cache.get("k")).isNull();
    }

    @Test
    void toString_passwordInConfig_neverShowsPassword() {
        CacheConfig config = authConfig().redisUsername("app").redisPassword(APP_PASSWORD).build();
        RedisCache<Object> cache = open(config);

        assertThat(config.toString()).doesNotContain(APP_PASSWORD).contains("app");
        assertThat(cache.toString()).doesNotContain(APP_PASSWORD).contains(authEndpoint());
        assertThat(cache.config().toString()).doesNotContain(APP_PASSWORD);
    }

    @Test
    void operations_wrongPassword_logNeitherPasswordNorValue() {
        String value = "value-that-must-not-be-logged-" + UUID.randomUUID();
        PrintStream originalErr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
            System.setErr(capture);
            RedisCache<Object> acl = open(authConfig().redisUsername("app").redisPassword(WRONG_PASSWORD));
            RedisCache<Object> url = open(CacheConfig.builder().namespace(namespace)
                    .redisUrl("redis://app:" + WRONG_PASSWORD + "@" + authEndpoint() + "/0"));
            for (RedisCache<Object> cache : List.of(acl, url)) {
                assertThat(cache.set("k", value)).isFalse();
                assertThat(cache.get("k")).isNull();
                assertThat(cache.setMany(Map.of("a", value))).isZero();
                catchThrowable(() -> cache.increment("n"));
                catchThrowable(() -> cache.tryLock("lock", Duration.ofSeconds(5)));
                catchThrowable(cache::initialize);
                cache.close();
            }
        } finally {
            System.setErr(originalErr);
        }

        String log = captured.toString(StandardCharsets.UTF_8);
        originalErr.print(log);
        assertThat(log).as("the failures were logged through the captured stream").contains(authEndpoint());
        assertThat(log).doesNotContain(WRONG_PASSWORD).doesNotContain(APP_PASSWORD).doesNotContain(value);
    }

    // --- helpers ---------------------------------------------------------------------------------

    private CacheConfig.Builder tlsConfig() {
        return CacheConfig.builder().namespace(namespace).socketTimeout(TIMEOUT).socketConnectTimeout(TIMEOUT);
    }

    private CacheConfig.Builder authConfig() {
        return CacheConfig.builder().namespace(namespace)
                .redisHost(RedisServer.HOST).redisPort(auth.server().port())
                .socketTimeout(TIMEOUT).socketConnectTimeout(TIMEOUT);
    }

    private static String tlsEndpoint() {
        return RedisServer.HOST + ":" + tls.server().tlsPort();
    }

    private static String authEndpoint() {
        return RedisServer.HOST + ":" + auth.server().port();
    }

    private RedisCache<Object> open(CacheConfig.Builder config) {
        return open(config.build());
    }

    private RedisCache<Object> open(CacheConfig config) {
        RedisCache<Object> cache = RedisCache.create(config);
        caches.add(cache);
        return cache;
    }

    private void assertRoundTrip(RedisCache<Object> cache, RedisServer server) {
        assertThat(cache.set("k", "v")).isTrue();
        assertThat(cache.get("k")).isEqualTo("v");
        assertThat(server.execute("GET", namespace + ":k")).isEqualTo("\"v\"");
        assertThat(cache.stats().errors()).isZero();
        assertThat(cache.stats().connected()).isTrue();
    }

    /** Checks that a TLS error caused {@code thrown} and that its message says so, not only "Unable to connect". */
    private static void assertRefusedByCertificateVerification(Throwable thrown) {
        SSLException tlsError = causes(thrown).stream()
                .filter(SSLException.class::isInstance).map(SSLException.class::cast)
                .findFirst().orElseThrow(() -> new AssertionError("no SSLException behind " + thrown));
        assertThat(thrown).hasMessageContaining(tlsError.getMessage());
    }

    /** Checks the message of the throwable, of every cause and of every suppressed exception. */
    private static void assertNoSecretIn(Throwable thrown) {
        assertThat(thrown).isNotNull();
        for (Throwable t : causes(thrown)) {
            assertThat(t.toString()).as("message of %s", t.getClass().getName())
                    .doesNotContain(WRONG_PASSWORD).doesNotContain(APP_PASSWORD).doesNotContain(DEFAULT_PASSWORD);
        }
    }

    /** Returns the throwable, its causes and everything suppressed by any of them. */
    private static List<Throwable> causes(Throwable thrown) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> all = new ArrayList<>();
        List<Throwable> pending = new ArrayList<>(List.of(thrown));
        while (!pending.isEmpty()) {
            Throwable t = pending.remove(pending.size() - 1);
            if (t != null && seen.add(t)) {
                all.add(t);
                pending.add(t.getCause());
                pending.addAll(List.of(t.getSuppressed()));
            }
        }
        return all;
    }
}
