/**
 * Throwaway real {@code redis-server} processes for tests: {@link com.netrunsystems.cache.testsupport.RedisServer}
 * (standalone, optionally with a password, ACL users or TLS), {@link com.netrunsystems.cache.testsupport.RedisClusterServers}
 * (three masters), {@link com.netrunsystems.cache.testsupport.RedisSentinelServers} (a master watched by one Sentinel,
 * optionally with a replica to fail over to) and JUnit 5 extensions that start and stop them around a test class; {@link com.netrunsystems.cache.testsupport.FaultProxy}
 * puts a loopback TCP proxy in front of a server to inject network faults (latency, stalls, drops, resets), and
 * {@link com.netrunsystems.cache.testsupport.RedisFaults} injects server-side ones (pause, {@code DEBUG SLEEP}, memory
 * full, failing persistence, killed clients).
 *
 * <p>Every process listens on a free port of 127.0.0.1 only, keeps its files in its own temporary directory, and is
 * killed by a JVM shutdown hook if a test run ends without closing it. Nothing here connects to a Redis it did not
 * start. {@code redis-server}, {@code redis-cli} and (for TLS) {@code openssl} must be installed; when they are not,
 * starting fails with an {@link java.lang.IllegalStateException} that says how to install them, and tests are never
 * skipped.
 */
package com.netrunsystems.cache.testsupport;
