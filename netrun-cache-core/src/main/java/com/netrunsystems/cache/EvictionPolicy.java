package com.netrunsystems.cache;

/** How a size-bounded in-memory cache chooses the entry to evict when it is full. */
public enum EvictionPolicy {
    /**
     * Caffeine's Window TinyLFU: admits a new entry only if it is likely to be used more often than
     * the entry it would replace. Best hit rate on most workloads, resists scans, and scales with
     * threads. The default.
     */
    TINY_LFU,
    /**
     * Exact least-recently-used order, as the Python netrun-cache's {@code OrderedDict} keeps it:
     * the entry read or written longest ago is evicted first. Predictable, but a single scan larger
     * than the cache flushes it, and every read takes a lock.
     */
    LRU
}
