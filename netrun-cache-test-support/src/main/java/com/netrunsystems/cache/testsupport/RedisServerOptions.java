package com.netrunsystems.cache.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * How to start a {@link RedisServer}: an optional password for the default user, ACL user lines, TLS, and any extra
 * {@code redis.conf} lines. Immutable; build one with {@link #builder()}.
 *
 * <pre>{@code
 * RedisServerOptions options = RedisServerOptions.builder()
 *         .requirePass("s3cret")
 *         .aclUser("app on >secret ~* +@all")
 *         .tls()
 *         .build();
 * }</pre>
 */
public final class RedisServerOptions {

    /** Whether and how the server speaks TLS. */
    enum TlsMode { NONE, TRUSTED, UNTRUSTED }

    private static final RedisServerOptions DEFAULTS = builder().build();

    private final String requirePass;
    private final List<String> aclUsers;
    private final TlsMode tlsMode;
    private final List<String> extraConfig;
    private final boolean clusterEnabled;

    private RedisServerOptions(Builder builder) {
        this.requirePass = builder.requirePass;
        this.aclUsers = List.copyOf(builder.aclUsers);
        this.tlsMode = builder.tlsMode;
        this.extraConfig = List.copyOf(builder.extraConfig);
        this.clusterEnabled = builder.clusterEnabled;
    }

    /** A plain server: no password, no extra users, no TLS. */
    public static RedisServerOptions defaults() {
        return DEFAULTS;
    }

    /** A builder starting from {@link #defaults()}. */
    public static Builder builder() {
        return new Builder();
    }

    /** The password of the {@code default} user, if one is required. */
    public Optional<String> requirePass() {
        return Optional.ofNullable(requirePass);
    }

    /** ACL user lines, each as written after {@code user} in redis.conf, e.g. {@code app on >secret ~* +@all}. */
    public List<String> aclUsers() {
        return aclUsers;
    }

    /** Whether the server listens with TLS only (its plain port is disabled). */
    public boolean isTls() {
        return tlsMode != TlsMode.NONE;
    }

    /** Whether the server's certificate is signed by the untrusted CA rather than the one clients are told to trust. */
    public boolean isUntrustedTls() {
        return tlsMode == TlsMode.UNTRUSTED;
    }

    /** Extra redis.conf lines appended after the generated ones. */
    public List<String> extraConfig() {
        return extraConfig;
    }

    TlsMode tlsMode() {
        return tlsMode;
    }

    boolean clusterEnabled() {
        return clusterEnabled;
    }

    Builder toBuilder() {
        Builder builder = new Builder();
        builder.requirePass = requirePass;
        builder.aclUsers.addAll(aclUsers);
        builder.tlsMode = tlsMode;
        builder.extraConfig.addAll(extraConfig);
        builder.clusterEnabled = clusterEnabled;
        return builder;
    }

    /** Builds {@link RedisServerOptions}. */
    public static final class Builder {

        private String requirePass;
        private final List<String> aclUsers = new ArrayList<>();
        private TlsMode tlsMode = TlsMode.NONE;
        private final List<String> extraConfig = new ArrayList<>();
        private boolean clusterEnabled;

        private Builder() {
        }

        /** Requires {@code password} from the {@code default} user ({@code requirepass}). */
        public Builder requirePass(String password) {
            this.requirePass = Objects.requireNonNull(password, "password");
            return this;
        }

        /** Adds an ACL user, e.g. {@code "app on >secret ~* +@all"} (the part after {@code user} in redis.conf). */
        public Builder aclUser(String userLine) {
            this.aclUsers.add(Objects.requireNonNull(userLine, "userLine"));
            return this;
        }

        /** Serves TLS only, with a certificate for 127.0.0.1/localhost signed by a freshly generated test CA. */
        public Builder tls() {
            this.tlsMode = TlsMode.TRUSTED;
            return this;
        }

        /**
         * Serves TLS only, with a certificate signed by a second, unrelated CA: clients that trust only
         * {@link RedisServer#caCertificate()} must refuse it. For negative tests.
         */
        public Builder untrustedTls() {
            this.tlsMode = TlsMode.UNTRUSTED;
            return this;
        }

        /** Appends a raw redis.conf line, e.g. {@code "maxmemory 10mb"}. */
        public Builder config(String line) {
            this.extraConfig.add(Objects.requireNonNull(line, "line"));
            return this;
        }

        Builder clusterEnabled() {
            this.clusterEnabled = true;
            return this;
        }

        /** The options built so far. */
        public RedisServerOptions build() {
            return new RedisServerOptions(this);
        }
    }
}
