package com.netrunsystems.cache.testsupport;

/**
 * JUnit 5 extension that starts a three-master {@link RedisClusterServers} before all tests of a class and stops it
 * after them. Test and lifecycle methods may also take it as a {@code RedisClusterServers} parameter.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisClusterExtension redis = RedisClusterExtension.create();
 *
 * // redis.cluster().seedNodes(), redis.cluster().flushAll(), ...
 * }</pre>
 */
public final class RedisClusterExtension extends ResourceExtension<RedisClusterServers> {

    private RedisClusterExtension() {
        super("Redis Cluster", RedisClusterServers.class, RedisClusterServers::start);
    }

    /** A new extension; the cluster starts in {@code beforeAll}. */
    public static RedisClusterExtension create() {
        return new RedisClusterExtension();
    }

    /** The running cluster. */
    public RedisClusterServers cluster() {
        return resource();
    }
}
