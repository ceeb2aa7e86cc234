package com.netrunsystems.cache.testsupport;

/**
 * JUnit 5 extension that starts a {@link RedisSentinelServers} (a master plus one Sentinel) before all tests of a
 * class and stops it after them. Test and lifecycle methods may also take it as a {@code RedisSentinelServers}
 * parameter.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final RedisSentinelExtension redis = RedisSentinelExtension.create();
 *
 * // redis.sentinel().sentinelUri(), redis.sentinel().master().flushAll(), ...
 * }</pre>
 */
public final class RedisSentinelExtension extends ResourceExtension<RedisSentinelServers> {

    private RedisSentinelExtension() {
        super("Redis Sentinel", RedisSentinelServers.class, RedisSentinelServers::start);
    }

    /** A new extension; the master and Sentinel start in {@code beforeAll}. */
    public static RedisSentinelExtension create() {
        return new RedisSentinelExtension();
    }

    /** The running master and Sentinel. */
    public RedisSentinelServers sentinel() {
        return resource();
    }
}
