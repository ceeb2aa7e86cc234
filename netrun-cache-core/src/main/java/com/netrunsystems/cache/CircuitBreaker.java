package com.netrunsystems.cache;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closed → open after {@code failureThreshold} consecutive failures → half-open (one probe) after
 * {@code openNanos} → closed on the probe's success, open again on its failure. While it is not
 * closed, callers skip L2 instead of each paying its timeout. Logs each transition once.
 * Thread-safe; the closed-state fast path takes no lock.
 */
final class CircuitBreaker {

    private static final Logger log = LoggerFactory.getLogger(CacheManager.class);

    private final String name;
    private final int failureThreshold;
    private final long openNanos;
    private final Ticker ticker;
    private final Runnable onRecovered;

    private volatile CircuitState state = CircuitState.CLOSED;
    private volatile int consecutiveFailures;
    private long openedAt; // guarded by this

    CircuitBreaker(String name, int failureThreshold, long openNanos, Ticker ticker, Runnable onRecovered) {
        this.name = name;
        this.failureThreshold = failureThreshold;
        this.openNanos = openNanos;
        this.ticker = ticker;
        this.onRecovered = onRecovered;
    }

    CircuitState state() {
        return state;
    }

    /** Returns whether a call may go to L2 now; in the open state, lets one probe through per period. */
    boolean allowRequest() {
        if (state == CircuitState.CLOSED) {
            return true;
        }
        synchronized (this) {
            long now = ticker.read();
            if (state == CircuitState.OPEN && now - openedAt >= openNanos) {
                state = CircuitState.HALF_OPEN;
                openedAt = now;
                log.info("{}: L2 circuit half-open, probing Redis", name);
                return true;
            }
            // A probe that never reported back (its caller died, or its outcome was not an L2 answer)
            // must not keep the circuit half-open for good: let another one through after a period.
            if (state == CircuitState.HALF_OPEN && now - openedAt >= openNanos) {
                openedAt = now;
                return true;
            }
            return false;
        }
    }

    void onSuccess() {
        if (state == CircuitState.CLOSED && consecutiveFailures == 0) {
            return;
        }
        boolean recovered;
        synchronized (this) {
            consecutiveFailures = 0;
            recovered = state != CircuitState.CLOSED;
            state = CircuitState.CLOSED;
        }
        if (recovered) {
            log.info("{}: L2 circuit closed, Redis is back; two layers again (L1 flushed)", name);
            onRecovered.run();
        }
    }

    synchronized void onFailure(Throwable cause) {
        if (state == CircuitState.HALF_OPEN) {
            open("the probe failed: " + cause);
        } else if (state == CircuitState.CLOSED && ++consecutiveFailures >= failureThreshold) {
            open(consecutiveFailures + " consecutive failures, last: " + cause);
        }
    }

    /** Opens the circuit at once, such as when L2 cannot be reached at start. */
    synchronized void forceOpen(String reason) {
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
