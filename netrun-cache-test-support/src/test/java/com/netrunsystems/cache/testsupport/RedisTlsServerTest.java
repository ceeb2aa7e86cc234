package com.netrunsystems.cache.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class RedisTlsServerTest {

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.tls();

    @Test
    void tlsServer_started_exposesTlsPortAndUri() {
        RedisServer server = redis.server();

        assertThat(server.isTls()).isTrue();
        assertThat(server.tlsPort()).isEqualTo(server.port());
        assertThat(server.tlsUri()).isEqualTo("rediss://127.0.0.1:" + server.tlsPort());
        assertThat(server.uri()).isEqualTo(server.tlsUri());
        assertThat(server.caCertificate()).exists();
    }

    @Test
    void redisCli_withServerCa_getsPong() {
        RedisServer server = redis.server();

        ExternalCommand.Result result = redisCliPing(server.caCertificate(), server.tlsPort());

        assertThat(result.exitCode()).isZero();
        assertThat(result.output().trim()).isEqualTo("PONG");
    }

    @Test
    void redisCli_withUntrustedCa_fails() {
        RedisServer server = redis.server();

        ExternalCommand.Result result = redisCliPing(server.tlsMaterial().untrustedCaCertificate(), server.tlsPort());

        assertThat(result.output()).doesNotContain("PONG");
    }

    @Test
    void redisCli_withoutTls_getsNoPong() {
        RedisServer server = redis.server();
        List<String> command = List.of(RedisExecutables.fromEnvironment().redisCli().toString(),
                "-h", "127.0.0.1", "-p", Integer.toString(server.port()), "PING");

        ExternalCommand.Result result = ExternalCommand.run(command, null, Duration.ofSeconds(10));

        assertThat(result.output()).doesNotContain("PONG");
    }

    @Test
    void trustStore_tlsServer_holdsTheCaAndLetsJavaConnect() throws Exception {
        RedisServer server = redis.server();
        KeyStore trustStore = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(server.trustStore())) {
            trustStore.load(in, "changeit".toCharArray());
        }

        List<String> aliases = Collections.list(trustStore.aliases());
        assertThat(aliases).hasSize(1);
        X509Certificate ca = (X509Certificate) trustStore.getCertificate(aliases.get(0));
        assertThat(ca.getSubjectX500Principal().getName()).contains("netrun-cache test CA");
        try (RespConnection connection = RespConnection.open("127.0.0.1", server.tlsPort(),
                server.tlsMaterial().sslContext())) {
            assertThat(connection.call("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void javaClient_trustingOnlyUntrustedCa_refusesServer() {
        RedisServer server = redis.server();

        assertThatThrownBy(() -> RespConnection.open("127.0.0.1", server.tlsPort(),
                TlsMaterial.sslContextTrusting(server.tlsMaterial().untrustedCaCertificate())))
                .isInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void commandStats_tlsServer_countsCommandsOverTls() {
        RedisServer server = redis.server();
        server.resetStats();

        server.execute("GET", "x");

        assertThat(server.commandStats()).containsEntry("get", 1L);
    }

    @Test
    void untrustedTlsServer_clientsTrustingCaCertificate_refuseIt() {
        try (RedisServer untrusted = RedisServer.start(RedisServerOptions.builder().untrustedTls().build())) {
            assertThat(redisCliPing(untrusted.caCertificate(), untrusted.tlsPort()).output()).doesNotContain("PONG");
            assertThatThrownBy(() -> RespConnection.open("127.0.0.1", untrusted.tlsPort(),
                    TlsMaterial.sslContextTrusting(untrusted.caCertificate())))
                    .isInstanceOf(SSLHandshakeException.class);
            assertThat(redisCliPing(untrusted.tlsMaterial().untrustedCaCertificate(), untrusted.tlsPort()).output())
                    .as("the CA that did sign it is accepted").contains("PONG");
        }
    }

    private static ExternalCommand.Result redisCliPing(Path caCertificate, int port) {
        List<String> command = new ArrayList<>(List.of(RedisExecutables.fromEnvironment().redisCli().toString(),
                "--tls", "--cacert", caCertificate.toString(), "-h", "127.0.0.1", "-p", Integer.toString(port),
                "PING"));
        return ExternalCommand.run(command, null, Duration.ofSeconds(10));
    }
}
