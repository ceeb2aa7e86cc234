package com.netrunsystems.cache.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Test certificates generated with {@code openssl} into one directory (EC P-256 keys, which take milliseconds to
 * generate): a CA and a server certificate it signed (for IP 127.0.0.1 and DNS localhost), plus a second, unrelated "untrusted" CA with its own server certificate for
 * negative tests, and PKCS12 truststores (password {@value #TRUSTSTORE_PASSWORD}) holding each CA.
 */
public final class TlsMaterial {

    /** The password of every truststore made here. */
    public static final String TRUSTSTORE_PASSWORD = "changeit";

    private static final Duration OPENSSL_TIMEOUT = Duration.ofSeconds(30);

    private final Path directory;

    private TlsMaterial(Path directory) {
        this.directory = directory;
    }

    /** Generates all the material into {@code directory} (created if missing), using {@code openssl} from PATH. */
    public static TlsMaterial generate(Path directory) {
        return generate(directory, RedisExecutables.fromEnvironment().openssl());
    }

    static TlsMaterial generate(Path directory, Path openssl) {
        try {
            Files.createDirectories(directory);
            TlsMaterial material = new TlsMaterial(directory);
            material.generateCa(openssl, "ca", "netrun-cache test CA");
            material.generateServerCertificate(openssl, "server", "ca");
            material.generateCa(openssl, "untrusted-ca", "netrun-cache untrusted test CA");
            material.generateServerCertificate(openssl, "untrusted-server", "untrusted-ca");
            createTrustStore(material.caCertificate(), material.trustStore());
            createTrustStore(material.untrustedCaCertificate(), material.untrustedTrustStore());
            return material;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not generate TLS material in " + directory, e);
        }
    }

    /** The directory holding every file below. */
    public Path directory() {
        return directory;
    }

    /** PEM certificate of the CA that clients should trust. */
    public Path caCertificate() {
        return directory.resolve("ca.crt");
    }

    /** PEM server certificate signed by {@link #caCertificate()}, valid for 127.0.0.1 and localhost. */
    public Path serverCertificate() {
        return directory.resolve("server.crt");
    }

    /** PEM private key of {@link #serverCertificate()}. */
    public Path serverKey() {
        return directory.resolve("server.key");
    }

    /** PEM certificate of the unrelated CA that clients are not told to trust. */
    public Path untrustedCaCertificate() {
        return directory.resolve("untrusted-ca.crt");
    }

    /** PEM server certificate signed by {@link #untrustedCaCertificate()}, valid for 127.0.0.1 and localhost. */
    public Path untrustedServerCertificate() {
        return directory.resolve("untrusted-server.crt");
    }

    /** PEM private key of {@link #untrustedServerCertificate()}. */
    public Path untrustedServerKey() {
        return directory.resolve("untrusted-server.key");
    }

    /** PKCS12 truststore (password {@value #TRUSTSTORE_PASSWORD}) holding only {@link #caCertificate()}. */
    public Path trustStore() {
        return directory.resolve("truststore.p12");
    }

    /** PKCS12 truststore (password {@value #TRUSTSTORE_PASSWORD}) holding only {@link #untrustedCaCertificate()}. */
    public Path untrustedTrustStore() {
        return directory.resolve("untrusted-truststore.p12");
    }

    /** An {@link SSLContext} that trusts only {@link #caCertificate()}. */
    public SSLContext sslContext() {
        return sslContextTrusting(caCertificate());
    }

    /**
     * Writes a PKCS12 truststore (password {@value #TRUSTSTORE_PASSWORD}) holding every certificate of the PEM file
     * {@code caCertificatePem} to {@code target}, and returns {@code target}.
     */
    public static Path createTrustStore(Path caCertificatePem, Path target) {
        try (OutputStream out = Files.newOutputStream(target)) {
            loadTrustStore(caCertificatePem).store(out, TRUSTSTORE_PASSWORD.toCharArray());
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write truststore " + target, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not build a truststore from " + caCertificatePem, e);
        }
    }

    static SSLContext sslContextTrusting(Path caCertificatePem) {
        try {
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(loadTrustStore(caCertificatePem));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers.getTrustManagers(), null);
            return context;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + caCertificatePem, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Could not build an SSLContext trusting " + caCertificatePem, e);
        }
    }

    private static KeyStore loadTrustStore(Path caCertificatePem) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(caCertificatePem)) {
            int index = 0;
            for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                store.setCertificateEntry("netrun-test-ca-" + index++, certificate);
            }
        }
        return store;
    }

    private void generateCa(Path openssl, String name, String commonName) throws IOException {
        Path config = write(name + ".cnf",
                "[req]",
                "distinguished_name = dn",
                "prompt = no",
                "x509_extensions = v3_ca",
                "[dn]",
                "CN = " + commonName,
                "[v3_ca]",
                "basicConstraints = critical,CA:TRUE",
                "keyUsage = critical,keyCertSign,cRLSign",
                "subjectKeyIdentifier = hash");
        openssl(openssl, "req", "-x509", "-new", "-nodes", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-sha256", "-days", "3650",
                "-config", config.toString(),
                "-keyout", directory.resolve(name + ".key").toString(),
                "-out", directory.resolve(name + ".crt").toString());
    }

    private void generateServerCertificate(Path openssl, String name, String caName) throws IOException {
        Path config = write(name + ".cnf",
                "[req]",
                "distinguished_name = dn",
                "prompt = no",
                "[dn]",
                "CN = localhost",
                "[v3_server]",
                "basicConstraints = CA:FALSE",
                "keyUsage = critical,digitalSignature",
                "extendedKeyUsage = serverAuth",
                "subjectAltName = IP:127.0.0.1,DNS:localhost",
                "subjectKeyIdentifier = hash",
                "authorityKeyIdentifier = keyid");
        Path request = directory.resolve(name + ".csr");
        openssl(openssl, "req", "-new", "-nodes", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-sha256",
                "-config", config.toString(),
                "-keyout", directory.resolve(name + ".key").toString(),
                "-out", request.toString());
        openssl(openssl, "x509", "-req", "-sha256", "-days", "3650",
                "-in", request.toString(),
                "-CA", directory.resolve(caName + ".crt").toString(),
                "-CAkey", directory.resolve(caName + ".key").toString(),
                "-set_serial", Long.toString(ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE)),
                "-extfile", config.toString(),
                "-extensions", "v3_server",
                "-out", directory.resolve(name + ".crt").toString());
    }

    private Path write(String fileName, String... lines) throws IOException {
        return Files.writeString(directory.resolve(fileName), String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
    }

    private void openssl(Path openssl, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(openssl.toString());
        command.addAll(List.of(arguments));
        ExternalCommand.Result result = ExternalCommand.run(command, directory, OPENSSL_TIMEOUT);
        if (!result.succeeded()) {
            throw new IllegalStateException("openssl failed (exit " + result.exitCode() + "): "
                    + String.join(" ", command) + "\n" + result.output());
        }
    }
}
