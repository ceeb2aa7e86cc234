package com.netrunsystems.cache.memory;

import com.netrunsystems.cache.Ticker;

/**
 * A snapshot of a value held by a {@link MemoryStore} with the ticker time at which it expires.
 *
 * @param value     the value, stored by reference
 * @param expiresAt the {@link Ticker} reading from which the entry is expired
 */
public record MemoryEntry(Object value, long expiresAt) {

    boolean isExpired(long now) {
        return now - expiresAt >= 0;
    }
}
