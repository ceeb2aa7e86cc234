package com.netrunsystems.cache.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that starts a {@link RedisSentinelServers} (a master plus one Sentinel) before all tests of a
 * class and stops it after them.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisSentinelExtension redis = RedisSentinelExtension.create();
 *
 * // redis.sentinel().sentinelUri(), redis.sentinel().master().flushAll(), ...
 * }</pre>
 */
public final class RedisSentinelExtension implements BeforeAllCallback, AfterAllCallback {

    private final ExtensionLifecycle<RedisSentinelServers> lifecycle =
            new ExtensionLifecycle<>("Redis Sentinel", RedisSentinelServers::start);

    private RedisSentinelExtension() {
    }

    /** A new extension; the master and Sentinel start in {@code beforeAll}. */
    public static RedisSentinelExtension create() {
        return new RedisSentinelExtension();
    }

    /** The running master and Sentinel. */
    public RedisSentinelServers sentinel() {
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
