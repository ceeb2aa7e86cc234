package com.netrunsystems.cache.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that starts one {@link RedisServer} before all tests of a class and stops it after them.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisServerExtension redis = RedisServerExtension.standalone();
 *
 * @BeforeEach
 * void clean() {
 *     redis.server().flushAll();
 * }
 * }</pre>
 */
public final class RedisServerExtension implements BeforeAllCallback, AfterAllCallback {

    private final ExtensionLifecycle<RedisServer> lifecycle;

    private RedisServerExtension(RedisServerOptions options) {
        this.lifecycle = new ExtensionLifecycle<>("redis-server", () -> RedisServer.start(options));
    }

    /** A plain server. */
    public static RedisServerExtension standalone() {
        return new RedisServerExtension(RedisServerOptions.defaults());
    }

    /** A server started with {@code options} (password, ACL users, TLS, extra config). */
    public static RedisServerExtension standalone(RedisServerOptions options) {
        return new RedisServerExtension(options);
    }

    /** A TLS-only server; see {@link RedisServer#caCertificate()} and {@link RedisServer#trustStore()}. */
    public static RedisServerExtension tls() {
        return new RedisServerExtension(RedisServerOptions.builder().tls().build());
    }

    /** The running server. */
    public RedisServer server() {
        return lifecycle.get();
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        lifecycle.beforeAll(context);
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        lifecycle.afterAll(context);
    }
}
