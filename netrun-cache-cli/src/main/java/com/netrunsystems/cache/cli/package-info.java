/**
 * The {@code netrun-cache} command-line tool: {@code demo}, {@code bench}, and the operator commands
 * ({@code keys}, {@code get}, {@code ttl}, {@code stats}, {@code clear}, {@code watch}, {@code doctor}) that
 * inspect, watch, diagnose and clear a namespace shared by Java and Python services. An application built on
 * the public API (and on {@code RedisTooling} of netrun-cache-redis); nothing depends on this package, and it
 * may change without notice.
 */
package com.netrunsystems.cache.cli;
