package com.netrunsystems.cache.internal;

import java.time.Duration;

/**
 * A cached value with its remaining time to live, as read in one round trip. Not API.
 *
 * @param value     the value, never {@code null} (except in {@link #unanswered()})
 * @param remaining the remaining TTL, or {@code null} when the entry never expires
 * @param <V>       the type of the value
 */
public record TtlValue<V>(V value, Duration remaining) {

    private static final TtlValue<?> UNANSWERED = new TtlValue<>(null, Duration.ZERO);

    /**
     * Returns what a {@link LoadTarget} read answers when its remote layer failed as unavailable (counted,
     * fail-open) and nothing local answered: a miss (its {@code value} is {@code null}, its {@code remaining}
     * zero, so it is never fresh), after which the loaded value is not written to the remote layer again.
     * One shared instance; never stored in a cache.
     */
    @SuppressWarnings("unchecked")
    public static <V> TtlValue<V> unanswered() {
        return (TtlValue<V>) UNANSWERED;
    }

    /** Returns whether this is {@link #unanswered()}. */
    public boolean isUnanswered() {
        return this == UNANSWERED;
    }
}
