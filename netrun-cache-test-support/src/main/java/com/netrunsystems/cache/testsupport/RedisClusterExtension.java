package com.netrunsystems.cache.testsupport;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * JUnit 5 extension that starts a three-master {@link RedisClusterServers} before all tests of a class and stops it
 * after them.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisClusterExtension redis = RedisClusterExtension.create();
 *
 * // redis.cluster().seedNodes(), redis.cluster().flushAll(), ...
 * }</pre>
 */
public final class RedisClusterExtension implements BeforeAllCallback, AfterAllCallback {

    private final ExtensionLifecycle<RedisClusterServers> lifecycle =
            new ExtensionLifecycle<>("Redis Cluster", RedisClusterServers::start);

    private RedisClusterExtension() {
    }

    /** A new extension; the cluster starts in {@code beforeAll}. */
    public static RedisClusterExtension create() {
        return new RedisClusterExtension();
    }

    /** The running cluster. */
    public RedisClusterServers cluster() {
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
