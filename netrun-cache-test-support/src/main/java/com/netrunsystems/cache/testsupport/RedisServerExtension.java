package com.netrunsystems.cache.testsupport;

/**
 * JUnit 5 extension that starts one {@link RedisServer} before all tests of a class and stops it after them.
 * Test and lifecycle methods may also take the server as a {@code RedisServer} parameter.
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
public final class RedisServerExtension extends ResourceExtension<RedisServer> {

    private RedisServerExtension(RedisServerOptions options) {
        super("redis-server", RedisServer.class, () -> RedisServer.start(options));
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
        return resource();
    }
}
