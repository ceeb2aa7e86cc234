package com.netrunsystems.cache;

/**
 * Thrown when the backend cannot be reached or does not answer in time, where no fail-open answer
 * is safe: by {@link Cache#initialize()}, by counters and locks, and by every operation when the
 * cache was configured with {@code failOpen(false)}.
 */
public class CacheUnavailableException extends CacheException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with the given message. */
    public CacheUnavailableException(String message) {
        super(message);
    }

    /** Creates an exception with the given message and cause. */
    public CacheUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
