package com.netrunsystems.cache.spring;

import com.netrunsystems.cache.ValueCodec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.springframework.cache.support.NullValue;

/**
 * Stores Spring's {@link NullValue} (a cached {@code null}, with {@code allowNullValues}) as the JSON
 * {@code null}, which a Python reader decodes as {@code None}, and every other value with the
 * wrapped codec. Stateless apart from the wrapped codec; thread-safe when it is.
 */
final class SpringValueCodec implements ValueCodec<Object> {

    private static final byte[] JSON_NULL = "null".getBytes(StandardCharsets.US_ASCII);

    private final ValueCodec<Object> values;

    SpringValueCodec(ValueCodec<Object> values) {
        this.values = values;
    }

    @Override
    public byte[] encode(Object value) {
        return value == NullValue.INSTANCE ? JSON_NULL.clone() : values.encode(value);
    }

    @Override
    public Object decode(byte[] bytes) {
        return Arrays.equals(bytes, JSON_NULL) ? NullValue.INSTANCE : values.decode(bytes);
    }

    @Override
    public String description() {
        return values.description() + " with Spring's NullValue as JSON null";
    }
}
