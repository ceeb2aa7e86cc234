package com.netrunsystems.cache.method;

import com.netrunsystems.cache.ValueCodec;
import com.netrunsystems.cache.codec.NullValue;

/**
 * What a method cache holds for one {@code @Cached} result: the result (or {@link NullValue#INSTANCE}) with the
 * codec of the method that produced it, or the bytes read from Redis, decoded by the first method that reads them
 * with that method's codec (its return type) and kept decoded. One cache per namespace, backend and size thus
 * serves methods of any return types: the cache stores and reads these holders through {@link #CODEC}, and each
 * method decodes its own type ({@link #value}). Thread-safe: a holder read by two threads at once may be decoded
 * twice, to equal values.
 */
final class MethodValue {

    /** The codec of the method caches: a holder's bytes as they are, encoded with its method's codec. */
    static final ValueCodec<Object> CODEC = new ValueCodec<>() {
        @Override
        public byte[] encode(Object value) {
            if (value instanceof MethodValue held) {
                return held.encode();
            }
            throw new IllegalArgumentException("a method cache holds @Cached results only, not a "
                    + value.getClass().getName());
        }

        @Override
        public Object decode(byte[] bytes) {
            return new MethodValue(bytes);
        }

        @Override
        public String description() {
            return "json (the type of each @Cached method)";
        }
    };

    /** The value and the codec it was decoded with or made by; {@code null} until the bytes are decoded. */
    private volatile Decoded decoded;
    /** The bytes read from Redis until they are decoded, then {@code null}. */
    private volatile byte[] bytes;

    private record Decoded(ValueCodec<Object> codec, Object value) {
    }

    private MethodValue(byte[] bytes) {
        this.bytes = bytes;
    }

    private MethodValue(ValueCodec<Object> codec, Object value) {
        this.decoded = new Decoded(codec, value);
    }

    /** Returns the holder of a method's result ({@link NullValue#INSTANCE} for a cached null) made with {@code codec}. */
    static MethodValue of(Object value, ValueCodec<Object> codec) {
        return new MethodValue(codec, value);
    }

    /**
     * Returns the value as {@code codec} decodes it: the held value itself when it was made or decoded with
     * {@code codec}, else the bytes (as read, or as the holder's own codec writes its value) decoded with it.
     *
     * @throws RuntimeException what {@code codec} throws for bytes it cannot decode
     */
    Object value(ValueCodec<Object> codec) {
        byte[] raw = bytes; // read first: decoded is set before bytes are dropped
        Decoded current = decoded;
        if (current != null && current.codec() == codec) {
            return current.value();
        }
        byte[] source = raw != null ? raw : current.codec().encode(current.value());
        Object value = codec.decode(source);
        decoded = new Decoded(codec, value);
        bytes = null;
        return value;
    }

    private byte[] encode() {
        byte[] raw = bytes;
        if (raw != null) {
            return raw;
        }
        Decoded current = decoded;
        return current.codec().encode(current.value());
    }

    @Override
    public String toString() {
        byte[] raw = bytes;
        Decoded current = decoded;
        return current != null ? String.valueOf(current.value()) : "MethodValue{" + raw.length + " bytes}";
    }
}
