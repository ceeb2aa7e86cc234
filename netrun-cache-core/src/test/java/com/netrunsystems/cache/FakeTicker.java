package com.netrunsystems.cache;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A {@link Ticker} that only moves when told to, so that tests move time instead of sleeping
 * (Caffeine's {@code FakeTicker}). Thread-safe.
 */
public final class FakeTicker implements Ticker {

    private final AtomicLong nanos;

    /** Creates a ticker reading 0. */
    public FakeTicker() {
        this(0);
    }

    /** Creates a ticker reading {@code startNanos}; any origin is valid, only differences matter. */
    public FakeTicker(long startNanos) {
        this.nanos = new AtomicLong(startNanos);
    }

    @Override
    public long read() {
        return nanos.get();
    }

    /** Moves the time forward by {@code duration}; returns this ticker. */
    public FakeTicker advance(Duration duration) {
        nanos.addAndGet(duration.toNanos());
        return this;
    }
}
