package com.netrunsystems.cache;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;

/**
 * How {@link Cache#getOrLoad} defends against cache stampedes, beyond the single flight per key
 * that every cache does in one JVM. Each defence is opt-in:
 *
 * <ul>
 *   <li><b>Cross-JVM single flight</b> ({@link Builder#distributedSingleFlight}): on a miss, one
 *       process takes a short lease in Redis and loads; the others wait for its value, at most
 *       {@code maxWait}, and then load themselves rather than fail. Needs a Redis or two-level cache;
 *       a memory cache ignores it.</li>
 *   <li><b>Refresh-ahead</b> ({@link Builder#refreshAhead} or {@link Builder#probabilisticRefresh}):
 *       a read close to the entry's expiry starts one background reload while callers keep getting
 *       the current value.</li>
 *   <li><b>TTL jitter</b> ({@link Builder#ttlJitter}): loaded entries live a random part shorter, so
 *       entries loaded together do not expire together.</li>
 *   <li><b>Stale-if-error</b> ({@link Builder#staleIfError}): each value {@code getOrLoad} loads is
 *       also kept as a grace copy for a grace period past its TTL, under a key of its own
 *       ({@code namespace:__netrun_stale__:key} on Redis, written in the same round trip; a second
 *       store bounded by {@code maxSize} in memory); when the loader fails after the TTL, that copy
 *       is served (and counted in {@link CacheStats#staleServed()}) instead of the exception. Only
 *       this path reads it: {@code get}, {@code exists}, {@code getMany} and the two-level lookup
 *       never return an expired entry. {@code delete} and {@code clearNamespace} remove it.</li>
 * </ul>
 *
 * <pre>{@code
 * LoadPolicy policy = LoadPolicy.builder()
 *         .distributedSingleFlight(Duration.ofSeconds(10), Duration.ofSeconds(5))
 *         .refreshAhead(0.8)
 *         .ttlJitter(0.1)
 *         .staleIfError(Duration.ofMinutes(5))
 *         .build();
 * CacheConfig config = CacheConfig.builder().loadPolicy(policy).build();
 * }</pre>
 *
 * <p>Every policy bounds how long a blocking caller waits for a load of its key that another thread
 * runs ({@link Builder#loadTimeout}, default 60 s): a hung loader cannot hold its key's callers
 * forever. A caller past the limit gets the stale-if-error grace copy if there is one, else a
 * {@link CacheException} whose cause is a {@link java.util.concurrent.TimeoutException}; the load
 * itself goes on, and its value is cached when it finishes. A waiting caller that is interrupted
 * stops at once: it keeps its interrupt flag, runs no loader, and gets a {@link CacheException}
 * whose cause is an {@link InterruptedException}.
 *
 * <p>These apply to both views, {@link Cache#getOrLoad} and {@link AsyncCache#getOrLoad}, of every
 * backend: one load pipeline runs both. {@code loadTimeout} bounds the blocking view's wait; an
 * asynchronous caller bounds its future itself ({@code orTimeout}). Immutable and thread-safe.
 */
public final class LoadPolicy {

    /** The default {@link #loadTimeout()}: long enough for any sane loader, short of forever. */
    private static final Duration DEFAULT_LOAD_TIMEOUT = Duration.ofSeconds(60);
    private static final LoadPolicy DEFAULTS = builder().build();

    private final Duration leaseTtl;
    private final Duration leaseWait;
    private final double refreshAheadFraction;
    private final double refreshBeta;
    private final double ttlJitter;
    private final Duration staleIfError;
    private final Executor refreshExecutor;
    private final Duration loadTimeout;

    private LoadPolicy(Builder b) {
        this.leaseTtl = b.leaseTtl;
        this.leaseWait = b.leaseWait;
        this.refreshAheadFraction = b.refreshAheadFraction;
        this.refreshBeta = b.refreshBeta;
        this.ttlJitter = b.ttlJitter;
        this.staleIfError = b.staleIfError;
        this.refreshExecutor = b.refreshExecutor;
        this.loadTimeout = b.loadTimeout;
    }

    /** Returns the policy with every defence off: single flight in the JVM only. */
    public static LoadPolicy defaults() {
        return DEFAULTS;
    }

    /** Returns a builder with every defence off. */
    public static Builder builder() {
        return new Builder();
    }

    /** Returns whether loads take a lease shared across JVMs. */
    public boolean distributed() {
        return leaseTtl != null;
    }

    /** Returns how long a load lease lasts before it expires on its own (a crashed holder frees it). */
    public Duration leaseTtl() {
        return leaseTtl;
    }

    /** Returns how long a caller waits for another JVM's load before it loads itself. */
    public Duration leaseWait() {
        return leaseWait;
    }

    /** Returns the fraction of the TTL after which a read starts a refresh; 0 when fixed refresh-ahead is off. */
    public double refreshAheadFraction() {
        return refreshAheadFraction;
    }

    /** Returns the XFetch β of probabilistic early refresh; 0 when it is off. */
    public double refreshBeta() {
        return refreshBeta;
    }

    /** Returns whether refresh-ahead (fixed or probabilistic) is on. */
    public boolean refreshes() {
        return refreshAheadFraction > 0 || refreshBeta > 0;
    }

    /** Returns the largest fraction by which a loaded entry's TTL is shortened at random; 0 when off. */
    public double ttlJitter() {
        return ttlJitter;
    }

    /** Returns how long past its TTL a loaded value's grace copy is kept, to be served if the loader fails; zero when off. */
    public Duration staleIfError() {
        return staleIfError;
    }

    /** Returns the executor that runs background refreshes. */
    public Executor refreshExecutor() {
        return refreshExecutor;
    }

    /** Returns how long a caller waits for a load of its key running in another thread; default 60 s. */
    public Duration loadTimeout() {
        return loadTimeout;
    }

    /** Returns whether {@code o} is a policy with the same settings and the same refresh executor. */
    @Override
    public boolean equals(Object o) {
        return o instanceof LoadPolicy p && Objects.equals(leaseTtl, p.leaseTtl) && Objects.equals(leaseWait, p.leaseWait)
                && refreshAheadFraction == p.refreshAheadFraction && refreshBeta == p.refreshBeta
                && ttlJitter == p.ttlJitter && staleIfError.equals(p.staleIfError)
                && refreshExecutor == p.refreshExecutor && loadTimeout.equals(p.loadTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(leaseTtl, leaseWait, refreshAheadFraction, refreshBeta, ttlJitter, staleIfError, loadTimeout);
    }

    @Override
    public String toString() {
        return "LoadPolicy{lease=" + (leaseTtl == null ? "off" : leaseTtl + " wait " + leaseWait)
                + ", refreshAhead=" + (refreshAheadFraction > 0 ? refreshAheadFraction
                        : refreshBeta > 0 ? "xfetch beta " + refreshBeta : "off")
                + ", ttlJitter=" + ttlJitter + ", staleIfError=" + staleIfError + ", loadTimeout=" + loadTimeout + "}";
    }

    /** Builds a {@link LoadPolicy}. Not thread-safe. */
    public static final class Builder {
        private Duration leaseTtl;
        private Duration leaseWait;
        private double refreshAheadFraction;
        private double refreshBeta;
        private double ttlJitter;
        private Duration staleIfError = Duration.ZERO;
        private Executor refreshExecutor = ForkJoinPool.commonPool();
        private Duration loadTimeout = DEFAULT_LOAD_TIMEOUT;

        private Builder() {
        }

        /**
         * Turns on cross-JVM single flight: a loader runs under a Redis lease of {@code leaseTtl}
         * (set it above your slowest load); other JVMs wait up to {@code maxWait} for the value,
         * then load themselves.
         */
        public Builder distributedSingleFlight(Duration leaseTtl, Duration maxWait) {
            this.leaseTtl = requirePositive("leaseTtl", leaseTtl);
            this.leaseWait = requirePositive("maxWait", maxWait);
            return this;
        }

        /** Refreshes an entry in the background when a read finds more than {@code fraction} of its TTL elapsed (0–1). */
        public Builder refreshAhead(double fraction) {
            if (!(fraction > 0 && fraction < 1)) {
                throw new IllegalArgumentException("refreshAhead fraction must be between 0 and 1 (exclusive), was " + fraction);
            }
            this.refreshAheadFraction = fraction;
            return this;
        }

        /**
         * Refreshes early at random, more likely the closer the entry is to expiry and the slower it
         * is to load (XFetch: refresh when {@code -loadTime * beta * ln(random) >= remaining TTL});
         * {@code beta} 1.0 is the usual choice, more refreshes earlier above it.
         */
        public Builder probabilisticRefresh(double beta) {
            if (!(beta > 0) || Double.isInfinite(beta)) {
                throw new IllegalArgumentException("beta must be positive, was " + beta);
            }
            this.refreshBeta = beta;
            return this;
        }

        /** Shortens each loaded entry's TTL by a random fraction up to {@code fraction} (0–1), never lengthens it. */
        public Builder ttlJitter(double fraction) {
            if (!(fraction >= 0 && fraction < 1)) {
                throw new IllegalArgumentException("ttlJitter must be at least 0 and below 1, was " + fraction);
            }
            this.ttlJitter = fraction;
            return this;
        }

        /**
         * Keeps a grace copy of each loaded value {@code grace} past its TTL, served by
         * {@code getOrLoad} only, when the loader fails; reads never return it.
         */
        public Builder staleIfError(Duration grace) {
            if (grace == null || grace.isNegative()) {
                throw new IllegalArgumentException("staleIfError grace must be zero or positive, was " + grace);
            }
            this.staleIfError = com.netrunsystems.cache.internal.Checks.capped(grace);
            return this;
        }

        /** Sets the executor of background refreshes; default the common fork-join pool. */
        public Builder refreshExecutor(Executor executor) {
            this.refreshExecutor = Objects.requireNonNull(executor, "executor");
            return this;
        }

        /**
         * Sets how long a blocking {@code getOrLoad} waits for a load of its key that another thread
         * runs before it gives up (default 60 s; set it above your slowest load). The caller then
         * gets the stale-if-error copy if there is one, else a {@link CacheException} caused by a
         * {@link java.util.concurrent.TimeoutException}. The thread running the loader is not bounded.
         */
        public Builder loadTimeout(Duration timeout) {
            this.loadTimeout = com.netrunsystems.cache.internal.Checks.capped(requirePositive("loadTimeout", timeout));
            return this;
        }

        /** Returns the policy. */
        public LoadPolicy build() {
            return new LoadPolicy(this);
        }

        private static Duration requirePositive(String name, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new IllegalArgumentException(name + " must be positive, was " + value);
            }
            return value;
        }
    }
}
