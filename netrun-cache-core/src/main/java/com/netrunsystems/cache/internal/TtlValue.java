package com.netrunsystems.cache.internal;

import java.time.Duration;

/**
 * A cached value with its remaining time to live, as read in one round trip. Not API.
 *
 * @param value     the value, never {@code null}
 * @param remaining the remaining TTL, or {@code null} when the entry never expires
 * @param <V>       the type of the value
 */
public record TtlValue<V>(V value, Duration remaining) {
}
