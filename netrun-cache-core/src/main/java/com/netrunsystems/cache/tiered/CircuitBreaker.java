package com.netrunsystems.cache.tiered;

import com.netrunsystems.cache.CircuitState;
import com.netrunsystems.cache.Ticker;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closed → open after {@code failureThreshold} consecutive failures → half-open after {@code openNanos}
 * → closed on the probe's success, open again on its failure. While it is not closed, callers skip L2
 * instead of each paying its timeout. Logs each transition once. Thread-safe; the closed-state fast
 * path takes no lock.
 *
 * <p>The rule for closing: <b>only the half-open probe's success closes the circuit</b>. The probe is
 * the background prober's ({@link #tryProbe()}, {@link #onProbeSuccess()}, {@link #onProbeFailure});
 * user calls are never the probe ({@link #allowRequest()} admits them only while closed). A user
 * call's success ({@link #onSuccess()}) only resets the failure count of a closed circuit: a call
 * admitted before the circuit opened and answered late proves nothing about now, so it must not
 * close it (with one slow Cluster master that made the circuit flap, and every close flushes L1).
 */
public final class CircuitBreaker {

    /** Logs under the manager's category, where users look for L2 outages. */
    private static final Logger log = LoggerFactory.getLogger("com.netrunsystems.cache.CacheManager");

    private final String name;
    private final int failureThreshold;
    private final long openNanos;
    private final Ticker ticker;
    private final Runnable onRecovered;

    private volatile CircuitState state = CircuitState.CLOSED;
    private volatile int consecutiveFailures;
    private long openedAt; // guarded by this

    /** Creates a closed circuit; {@code onRecovered} runs each time the probe closes it. */
    public CircuitBreaker(String name, int failureThreshold, long openNanos, Ticker ticker, Runnable onRecovered) {
        this.name = name;
        this.failureThreshold = failureThreshold;
        this.openNanos = openNanos;
        this.ticker = ticker;
        this.onRecovered = onRecovered;
    }

    public CircuitState state() {
        return state;
    }

    /** Returns whether a user call may go to L2 now: only while the circuit is closed. */
    public boolean allowRequest() {
        return state == CircuitState.CLOSED;
    }

    /**
     * Returns whether the prober should probe now: when the circuit has been open for {@code openNanos}
     * (it turns half-open), or has been half-open that long (a probe that never reported back must not
     * keep it half-open for good). Never true while closed.
     */
    public synchronized boolean tryProbe() {
        if (state == CircuitState.CLOSED) {
            return false;
        }
        long now = ticker.read();
        if (now - openedAt < openNanos) {
            return false;
        }
        if (state == CircuitState.OPEN) {
            state = CircuitState.HALF_OPEN;
            log.info("{}: L2 circuit half-open, probing Redis", name);
        }
        openedAt = now;
        return true;
    }

    /** A user call's success: resets the failure count of a closed circuit; never closes an open one. */
    public void onSuccess() {
        if (state == CircuitState.CLOSED && consecutiveFailures != 0) {
            synchronized (this) {
                if (state == CircuitState.CLOSED) {
                    consecutiveFailures = 0;
                }
            }
        }
    }

    /** A user call's failure: counts towards opening a closed circuit; ignored otherwise (late answers). */
    public synchronized void onFailure(Throwable cause) {
        if (state == CircuitState.CLOSED && ++consecutiveFailures >= failureThreshold) {
            open(consecutiveFailures + " consecutive failures, last: " + cause);
        }
    }

    /** The half-open probe succeeded: closes the circuit and runs the recovery action once. */
    public void onProbeSuccess() {
        boolean recovered;
        synchronized (this) {
            recovered = state == CircuitState.HALF_OPEN;
            if (recovered) {
                state = CircuitState.CLOSED;
                consecutiveFailures = 0;
            }
        }
        if (recovered) {
            log.info("{}: L2 circuit closed, Redis is back; two layers again (L1 flushed)", name);
            onRecovered.run();
        }
    }

    /** The half-open probe failed: opens the circuit again for another period. */
    public synchronized void onProbeFailure(Throwable cause) {
        if (state == CircuitState.HALF_OPEN) {
            open("the probe failed: " + cause);
        }
    }

    /** Opens the circuit at once, such as when L2 cannot be reached at start. */
    public synchronized void forceOpen(String reason) {
        if (state != CircuitState.OPEN) {
            open(reason);
        }
    }

    private void open(String reason) {
        state = CircuitState.OPEN;
        openedAt = ticker.read();
        log.warn("{}: L2 circuit open ({}); serving from L1 alone and probing Redis in the background", name, reason);
    }
}
