package com.netrunsystems.cache.config;

import java.time.Duration;
import java.util.Locale;

/**
 * The argument checks that {@code CacheConfig.Builder#build()} and the option records share: each
 * throws an {@link IllegalArgumentException} naming the field and the bad value. Internal, not part
 * of the API. Stateless and thread-safe.
 */
public final class SettingChecks {

    private SettingChecks() {
    }

    /** Throws an {@link IllegalArgumentException} with the formatted message unless {@code condition} holds. */
    public static void check(boolean condition, String message, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(String.format(Locale.ROOT, message, args));
        }
    }

    /** Checks that {@code value} is at least 1 ms (TTLs have millisecond precision). */
    public static void requirePositive(String field, Duration value) {
        check(value != null && !value.isNegative() && !value.isZero(), "%s must be positive, was %s", field, value);
        check(value.compareTo(Duration.ofMillis(1)) >= 0,
                "%s must be at least 1 ms (TTLs have millisecond precision), was %s", field, value);
    }

    /** Returns {@code 'value'}, or {@code null} unquoted. */
    public static String quoted(String value) {
        return value == null ? "null" : "'" + value + "'";
    }
}
