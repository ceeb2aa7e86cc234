package com.netrunsystems.cache;

/**
 * A source of nanosecond time for expiry, injectable so that tests move time instead of sleeping.
 * Only differences between readings matter. Implementations must be thread-safe.
 */
@FunctionalInterface
public interface Ticker {

    /** Returns the current time in nanoseconds from an arbitrary origin. */
    long read();

    /** Returns the ticker backed by {@link System#nanoTime()}. */
    static Ticker system() {
        return System::nanoTime;
    }
}
