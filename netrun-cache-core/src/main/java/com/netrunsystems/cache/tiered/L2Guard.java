package com.netrunsystems.cache.tiered;

import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.CacheUnavailableException;
import com.netrunsystems.cache.CircuitState;
import com.netrunsystems.cache.Ticker;
import com.netrunsystems.cache.load.Abandonable;
import com.netrunsystems.cache.load.Stages;
import com.netrunsystems.cache.spi.RemoteLayer;
import com.netrunsystems.cache.stats.StatsCounter;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The guard around a two-level cache's L2: the {@link CircuitBreaker}, the fail-open policy and the
 * counting of L2 errors. Decides whether a call may go to L2, and what a failed call means: a
 * caller's error is thrown, unavailability counts towards opening the circuit and fails open (unless
 * the config says {@code failOpen(false)}), a write rejection is counted but proves L2 up. Every L2
 * call goes out through {@link #call}, which bounds it in time, and the background probe through
 * {@link #probe()}.
 *
 * <p>Thread-safe: the callbacks may run on any thread, including the thread that completes an L2
 * future.
 *
 * @param <V> the type of the cached values
 */
public final class L2Guard<V> {

    private static final Logger log = LoggerFactory.getLogger("com.netrunsystems.cache.CacheManager");

    private final RemoteLayer<V> layer;
    private final CircuitBreaker breaker;
    private final StatsCounter stats;
    private final boolean failOpen;
    private final String namespace;
    private final String endpoint;
    private final long callMillis;
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile boolean reached;

    /**
     * Guards {@code layer}; the circuit opens after {@code failureThreshold} consecutive failures for
     * {@code openDuration}, and {@code onRecovered} runs each time the probe closes it again. A call
     * that has not completed after {@code callTimeout} fails as unavailable (Lettuce normally times it out
     * first, after {@code socketTimeout}); such errors, which L2 cannot count itself, go to {@code stats}.
     */
    public L2Guard(RemoteLayer<V> layer, String namespace, String endpoint, boolean failOpen, int failureThreshold,
            Duration openDuration, Duration callTimeout, Ticker ticker, StatsCounter stats, Runnable onRecovered) {
        this.layer = layer;
        this.callMillis = callTimeout.toMillis();
        this.namespace = namespace;
        this.endpoint = endpoint;
        this.failOpen = failOpen;
        this.stats = stats;
        this.breaker = new CircuitBreaker("netrun-cache '" + namespace + "'", failureThreshold, openDuration.toNanos(),
                ticker, onRecovered);
    }

    /** Returns the guarded L2. */
    public RemoteLayer<V> layer() {
        return layer;
    }

    /** Returns the circuit's state. */
    public CircuitState state() {
        return breaker.state();
    }

    /** Returns the circuit breaker (for the prober). */
    public CircuitBreaker breaker() {
        return breaker;
    }

    /** Returns the endpoint of L2, for messages. */
    public String endpoint() {
        return endpoint;
    }

    /** Returns how long an L2 call may take at most before it fails as unavailable. */
    public long callMillis() {
        return callMillis;
    }

    /** Returns whether the cache fails open. */
    public boolean failOpen() {
        return failOpen;
    }

    /** Returns whether L2 was ever reached; until then counters live in L1. */
    public boolean reached() {
        return reached;
    }

    /** Returns whether the circuit lets a call through now (without the fail-closed check of {@link #allow}). */
    public boolean admits() {
        return breaker.allowRequest();
    }

    /**
     * Returns whether a call may go to L2 now. When the circuit refuses it and the cache does not fail
     * open, throws instead of answering from L1.
     *
     * @throws CacheUnavailableException when the circuit is open and the cache does not fail open
     */
    public boolean allow(String operation, String subject) {
        if (breaker.allowRequest()) {
            return true;
        }
        if (!failOpen) {
            throw unavailable(operation + " of " + subject);
        }
        return false;
    }

    /** Returns the exception for {@code what} skipped because L2 is unavailable. */
    public CacheUnavailableException unavailable(String what) {
        return new CacheUnavailableException(what + " in namespace '" + namespace + "': Redis at " + endpoint
                + " is unavailable (L2 circuit " + breaker.state() + ")");
    }

    /** Records a user call's success: L2 was reached; resets the failure count (never closes an open circuit). */
    public void succeeded() {
        markReached();
        breaker.onSuccess();
    }

    /** Records that L2 answered (also with a rejection). */
    public void markReached() {
        if (!reached) {
            reached = true;
        }
    }

    /** Records an unavailability outside the user-call policy (a stale copy or lease that could not be read). */
    public void onUnavailable(Throwable cause) {
        breaker.onFailure(cause);
    }

    /** Opens the circuit at once, such as when L2 cannot be reached at start. */
    public void forceOpen(String reason) {
        breaker.forceOpen(reason);
    }

    /**
     * Handles a failed L2 call: a caller error (bad counter, WRONGTYPE) is thrown; otherwise the error
     * is counted, and fails open unless the config says {@code failOpen(false)}. Only unavailability
     * counts towards opening the circuit: a write rejection (OOM, MISCONF, READONLY, ...) comes from
     * a server that answers reads, so neither opens the circuit nor counts as a success.
     *
     * @throws CacheException {@code e} itself, unless it fails open
     */
    public void failed(CacheException e, String operation, String key) {
        if (e.getCause() instanceof InterruptedException) {
            throw e; // the caller was interrupted: says nothing about L2, so the breaker does not count it
        }
        if (!(e instanceof CacheUnavailableException unavailable)) {
            succeeded(); // Redis answered: it is up, the command was the caller's
            throw e;
        }
        if (e.getCause() instanceof TimeoutException) {
            stats.recordError(); // the wait ran out before Redis answered: L2 counted nothing; else L2 counted it
        }
        if (unavailable.kind() == CacheUnavailableException.Kind.WRITE_REJECTED) {
            markReached();
        } else {
            breaker.onFailure(e);
        }
        log.debug("{} of {} in namespace '{}' skipped L2: {}", operation, key, namespace, e.getMessage());
        if (!failOpen) {
            throw e;
        }
    }

    /**
     * Sends an L2 call and returns its reply, failing with a {@link TimeoutException} when there is
     * none after {@link #callMillis()}; never throws: an exception while sending completes the future.
     * The future completes on the thread that receives the reply. A blocking caller who stops waiting
     * abandons it ({@link BoundedWait}, or the load pipeline for a {@code getOrLoad}'s read; see {@link Abandonable}):
     * its callbacks then see a {@link java.util.concurrent.CancellationException},
     * which {@link #failure} throws on, so that nothing is counted (a caller's interrupt says nothing about L2).
     */
    public <T> CompletableFuture<T> call(Supplier<? extends CompletableFuture<T>> remote) {
        CompletableFuture<T> sent;
        try {
            sent = remote.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return Abandonable.of(sent).orTimeout(callMillis, TimeUnit.MILLISECONDS);
    }

    /**
     * Returns the {@link CacheException} a failed {@link #call} completed with; a timeout of the call
     * becomes a {@link CacheUnavailableException} whose cause is the {@link TimeoutException}.
     *
     * @throws RuntimeException any other exception, unchanged (a bug, not an L2 failure)
     */
    public CacheException failure(Throwable error, String operation, String subject) {
        Throwable cause = Stages.unwrap(error);
        if (cause instanceof CacheException e) {
            return e;
        }
        if (cause instanceof TimeoutException) {
            return new CacheUnavailableException("Redis at " + endpoint + " is unavailable for " + operation
                    + (subject == null ? "" : " of " + subject) + " in namespace '" + namespace + "': no reply within "
                    + callMillis + " ms", cause, CacheUnavailableException.Kind.UNAVAILABLE);
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof Error fatal) {
            throw fatal;
        }
        return new CacheException(operation + " in namespace '" + namespace + "' failed: " + cause, cause);
    }

    /** Sends a {@code PING}; the future fails with a {@link CacheException} when L2 does not answer in time. */
    public CompletableFuture<Void> ping() {
        return call(layer::ping).handle((ok, error) -> {
            if (error != null) {
                throw failure(error, "PING", null);
            }
            return ok;
        });
    }

    /**
     * The background probe, for the prober's thread: while the circuit is open, once per open period,
     * a {@code PING} whose success alone closes it; until L2 was first reached, a {@code PING} per run.
     * Never blocks; skips a run while its previous {@code PING} is in flight.
     */
    public void probe() {
        if (!probing.compareAndSet(false, true)) {
            return;
        }
        boolean halfOpen = breaker.tryProbe(); // the half-open probe: the only call that closes the circuit
        if (!halfOpen && reached) {
            probing.set(false);
            return;
        }
        call(layer::ping).whenComplete((ok, error) -> {
            probing.set(false);
            if (halfOpen && error == null) {
                markReached();
                breaker.onProbeSuccess();
            } else if (halfOpen) {
                breaker.onProbeFailure(Stages.unwrap(error));
            } else if (error == null) {
                succeeded();
            } else {
                log.debug("L2 probe in namespace '{}' failed: {}", namespace, Stages.unwrap(error).toString());
            }
        });
    }

    /** Returns whether {@code e} is a write rejection: L2 answered and refused the write. */
    public static boolean isRejection(CacheException e) {
        return e instanceof CacheUnavailableException unavailable
                && unavailable.kind() == CacheUnavailableException.Kind.WRITE_REJECTED;
    }
}
