package com.netrunsystems.cache.load;

import java.time.Duration;

/**
 * A cached value with its remaining time to live, as read in one round trip. Not API.
 *
 * @param value     the value, never {@code null} (except in {@link #unanswered()})
 * @param remaining the remaining TTL, or {@code null} when the entry never expires
 * @param <V>       the type of the value
 */
public record TtlValue<V>(V value, Duration remaining) {

    /**
     * Returns what a {@link LoadTarget} read answers when its remote layer failed as unavailable (counted,
     * fail-open) and nothing local answered: a miss (its {@code value} is {@code null}, its {@code remaining}
     * zero, so it is never fresh), after which the loaded value is not written to the remote layer again.
     * One shared instance; never stored in a cache.
     */
    @SuppressWarnings("unchecked")
    public static <V> TtlValue<V> unanswered() {
        return (TtlValue<V>) Unanswered.INSTANCE;
    }

    /** Returns whether this is {@link #unanswered()}. */
    public boolean isUnanswered() {
        return this == Unanswered.INSTANCE;
    }

    /**
     * Holds the one {@link #unanswered()} instance outside the record: a static field of a record class
     * cannot be read through {@code Unsafe}, which Lincheck's model checking does for every class it
     * instruments (its tests of {@code getOrLoad} failed with "can't get base address on a record class").
     */
    private static final class Unanswered {
        static final TtlValue<?> INSTANCE = new TtlValue<>(null, Duration.ZERO);
    }
}
