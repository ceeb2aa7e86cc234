/**
 * The parts of the two-level {@code CacheManager}: the L1's coherence across JVMs (invalidation
 * epochs and messages), the guard around L2 (circuit breaker, fail-open policy, error counting), the
 * background probe, the read and write paths over futures, and statistics merging. Not API: the
 * classes are public only so that the facade in {@code com.netrunsystems.cache} can compose them.
 */
package com.netrunsystems.cache.tiered;
