package com.netrunsystems.cache;

/**
 * The state of the circuit breaker a {@link CacheManager} keeps around its L2, as reported by
 * {@link CacheManager#l2Circuit()}.
 */
public enum CircuitState {
    /** L2 answers: every call goes to it. */
    CLOSED,
    /** L2 failed repeatedly: calls skip it and are served by L1 alone until a probe succeeds. */
    OPEN,
    /** A single probe is checking whether L2 is back; other calls still skip it. */
    HALF_OPEN
}
