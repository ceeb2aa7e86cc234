package com.netrunsystems.cache;

import java.util.Objects;

/**
 * Thrown when the backend cannot serve a call now, where no fail-open answer is safe: by
 * {@link Cache#initialize()}, by counters and locks, and by every operation when the cache was
 * configured with {@code failOpen(false)}. {@link #kind()} tells an unreachable or stalled backend
 * from one that is up but refuses writes (Redis {@code OOM}, {@code MISCONF}, {@code READONLY}, ...).
 * Immutable, like every exception.
 */
public class CacheUnavailableException extends CacheException {
    private static final long serialVersionUID = 1L;

    /** Why the backend could not serve the call. */
    public enum Kind {
        /**
         * The backend cannot be reached, timed out, or answered that it cannot serve anything now
         * (Redis {@code LOADING}, {@code MASTERDOWN}, {@code CLUSTERDOWN}, {@code BUSY}, ...).
         * A {@link CacheManager} counts it towards opening its L2 circuit.
         */
        UNAVAILABLE,
        /**
         * The backend answered and refused to change data, while reads still work (Redis
         * {@code OOM} with {@code noeviction}, {@code MISCONF}, {@code READONLY}, {@code NOREPLICAS}).
         * A write answers {@code false} when the cache fails open; a {@link CacheManager} does not
         * open its L2 circuit for it.
         */
        WRITE_REJECTED
    }

    private final Kind kind;

    /** Creates an exception of kind {@link Kind#UNAVAILABLE} with the given message. */
    public CacheUnavailableException(String message) {
        this(message, null, Kind.UNAVAILABLE);
    }

    /** Creates an exception of kind {@link Kind#UNAVAILABLE} with the given message and cause. */
    public CacheUnavailableException(String message, Throwable cause) {
        this(message, cause, Kind.UNAVAILABLE);
    }

    /** Creates an exception of the given kind with the given message and cause (which may be null). */
    public CacheUnavailableException(String message, Throwable cause, Kind kind) {
        super(message, cause);
        this.kind = Objects.requireNonNull(kind, "kind");
    }

    /** Returns why the backend could not serve the call. */
    public Kind kind() {
        return kind;
    }
}
