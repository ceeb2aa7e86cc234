package com.netrunsystems.cache.check;

import java.time.Duration;
import java.util.Collection;
import java.util.Map;

/** Argument checks shared by every backend, so that bad input gets the same message everywhere. */
public final class Checks {

    private static final Duration ONE_MILLISECOND = Duration.ofMillis(1);

    private Checks() {
    }

    /** Requires a non-null, non-empty key. */
    public static String key(String key) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("key must not be null or empty, was " + (key == null ? "null" : "''"));
        }
        return key;
    }

    /** Requires a non-null value for {@code key}. */
    public static <V> V value(String key, V value) {
        if (value == null) {
            throw new IllegalArgumentException("value must not be null (key '" + key + "'); use delete to remove a key");
        }
        return value;
    }

    /** Requires a positive TTL; {@code parameter} names it in the message. */
    public static Duration ttl(Duration ttl, String parameter) {
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException(parameter + " must be positive, was " + ttl);
        }
        if (ttl.compareTo(ONE_MILLISECOND) < 0) { // not toMillis(): it overflows for very long TTLs
            throw new IllegalArgumentException(parameter + " must be at least 1 ms (TTLs have millisecond precision), was " + ttl);
        }
        return ttl;
    }

    /** Requires a positive TTL named {@code ttl}. */
    public static Duration ttl(Duration ttl) {
        return ttl(ttl, "ttl");
    }

    /**
     * The longest TTL sent to a server or used in arithmetic: 100 years. A longer TTL means "for ever"
     * in practice, and Redis refuses expiry times that overflow its clock.
     */
    public static final Duration MAX_TTL = Duration.ofDays(36_500);

    /** Returns {@code ttl}, or {@link #MAX_TTL} when it is longer. */
    public static Duration capped(Duration ttl) {
        return ttl.compareTo(MAX_TTL) > 0 ? MAX_TTL : ttl;
    }

    /** Returns {@code ttl} in milliseconds, at most {@link #MAX_TTL}'s. */
    public static long millis(Duration ttl) {
        return capped(ttl).toMillis();
    }

    /** Requires a non-null collection of valid keys. */
    public static <C extends Collection<String>> C keys(C keys) {
        if (keys == null) {
            throw new IllegalArgumentException("keys must not be null");
        }
        for (String key : keys) {
            if (key == null || key.isEmpty()) {
                throw new IllegalArgumentException("keys must not contain a null or empty key, was " + (key == null ? "null" : "''"));
            }
        }
        return keys;
    }

    /** Requires a non-null map of valid keys to non-null values. */
    public static <M extends Map<String, ?>> M items(M items) {
        if (items == null) {
            throw new IllegalArgumentException("items must not be null");
        }
        for (Map.Entry<String, ?> e : items.entrySet()) {
            if (e.getKey() == null || e.getKey().isEmpty()) {
                throw new IllegalArgumentException("items must not contain a null or empty key, was "
                        + (e.getKey() == null ? "null" : "''"));
            }
            if (e.getValue() == null) {
                throw new IllegalArgumentException("items must not contain a null value (key '" + e.getKey() + "')");
            }
        }
        return items;
    }

    /** Requires a non-null loader. */
    public static <L> L loader(L loader) {
        if (loader == null) {
            throw new IllegalArgumentException("loader must not be null");
        }
        return loader;
    }
}
