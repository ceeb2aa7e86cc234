package com.netrunsystems.cache.stats;

import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.CacheStats;
import java.util.concurrent.atomic.LongAdder;

/**
 * Contention-free statistics counters of one cache: those of {@link CacheStats}, and the load time and
 * stampede waits of {@link ExtraStats}. Thread-safe.
 */
public final class StatsCounter {

    private final LongAdder hits = new LongAdder();
    private final LongAdder misses = new LongAdder();
    private final LongAdder evictions = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder loads = new LongAdder();
    private final LongAdder loadFailures = new LongAdder();
    private final LongAdder refreshes = new LongAdder();
    private final LongAdder staleServed = new LongAdder();
    private final LongAdder timedLoads = new LongAdder();
    private final LongAdder loadNanos = new LongAdder();
    private final LongAdder flightWaits = new LongAdder();
    private final LongAdder leaseWaits = new LongAdder();

    public void recordHits(long count) {
        hits.add(count);
    }

    public void recordMisses(long count) {
        misses.add(count);
    }

    public void recordHit() {
        hits.increment();
    }

    public void recordMiss() {
        misses.increment();
    }

    public void recordEviction() {
        evictions.increment();
    }

    public void recordError() {
        errors.increment();
    }

    public void recordLoad() {
        loads.increment();
    }

    public void recordLoadFailure() {
        loadFailures.increment();
    }

    public void recordRefresh() {
        refreshes.increment();
    }

    public void recordStaleServed() {
        staleServed.increment();
    }

    /** Adds the time one loader call of {@code getOrLoad} took, whether it returned or threw. */
    public void recordLoadTime(long nanos) {
        timedLoads.increment();
        loadNanos.add(nanos);
    }

    /** Counts a caller that waited for the load of its key already running in this JVM (single flight). */
    public void recordFlightWait() {
        flightWaits.increment();
    }

    /** Counts a caller that waited for the value another process loads under the key's lease. */
    public void recordLeaseWait() {
        leaseWaits.increment();
    }

    public long hits() {
        return hits.sum();
    }

    public long misses() {
        return misses.sum();
    }

    public long errors() {
        return errors.sum();
    }

    /** Returns a snapshot with the given identity, connection state and key count. */
    public CacheStats snapshot(String namespace, CacheBackend backend, boolean connected, long cachedKeys) {
        return CacheStats.of(namespace, backend, connected, hits.sum(), misses.sum(), cachedKeys, evictions.sum(),
                errors.sum(), loads.sum(), loadFailures.sum(), refreshes.sum(), staleServed.sum());
    }

    /** Returns a snapshot like {@link #snapshot}, with evictions counted elsewhere (a two-level cache's L1). */
    public CacheStats snapshot(String namespace, CacheBackend backend, boolean connected, long cachedKeys,
            long evictions) {
        return CacheStats.of(namespace, backend, connected, hits.sum(), misses.sum(), cachedKeys, evictions,
                errors.sum(), loads.sum(), loadFailures.sum(), refreshes.sum(), staleServed.sum());
    }

    /** Returns the counts beyond {@link CacheStats}, with a two-level cache's invalidation counts (else 0). */
    public ExtraStats extra(long invalidationsSent, long invalidationsReceived) {
        return new ExtraStats(timedLoads.sum(), loadNanos.sum(), flightWaits.sum(), leaseWaits.sum(), invalidationsSent,
                invalidationsReceived);
    }

    /** Sets every counter back to zero. */
    public void reset() {
        hits.reset();
        misses.reset();
        evictions.reset();
        errors.reset();
        loads.reset();
        loadFailures.reset();
        refreshes.reset();
        staleServed.reset();
        timedLoads.reset();
        loadNanos.reset();
        flightWaits.reset();
        leaseWaits.reset();
    }
}
