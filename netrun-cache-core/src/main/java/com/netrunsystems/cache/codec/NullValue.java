package com.netrunsystems.cache.codec;

import com.netrunsystems.cache.Cached;
import com.netrunsystems.cache.ValueCodec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Stands for a cached {@code null} result of a {@link Cached#cacheNulls()} method, since caches never
 * hold {@code null}. Memory caches hold this constant by reference; in Redis it is stored as the bytes
 * {@code netrun-cache:null}, which are not JSON and so never collide with a value a JSON codec writes.
 */
public enum NullValue {
    INSTANCE;

    private static final byte[] ENCODED = "netrun-cache:null".getBytes(StandardCharsets.US_ASCII);

    /** Returns a codec that stores {@link #INSTANCE} as its marker bytes and everything else with {@code json}. */
    public static ValueCodec<Object> codec(ValueCodec<Object> json) {
        return new ValueCodec<>() {
            @Override
            public byte[] encode(Object value) {
                return value == INSTANCE ? ENCODED.clone() : json.encode(value);
            }

            @Override
            public Object decode(byte[] bytes) {
                return Arrays.equals(bytes, ENCODED) ? INSTANCE : json.decode(bytes);
            }

            @Override
            public String description() {
                return json.description();
            }
        };
    }
}
