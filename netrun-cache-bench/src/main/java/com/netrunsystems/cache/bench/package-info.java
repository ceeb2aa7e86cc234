/**
 * Benchmarks of netrun-cache against the raw libraries it builds on (Caffeine, Lettuce) and its peers
 * (Redisson, Spring Data Redis, JetCache): JMH suites, a stampede test, a hit-rate simulator and
 * {@link com.netrunsystems.cache.bench.BenchReport}, which writes {@code docs/benchmarks.md}. Not API; never deployed.
 */
package com.netrunsystems.cache.bench;
