package com.netrunsystems.cache;

/**
 * Turns values into the bytes a remote backend stores, and back. {@link Codecs} provides the
 * standard ones (JSON, strings, bytes); none uses Java native serialization.
 *
 * <p>A codec may throw any {@link RuntimeException}: the cache reports an encoding failure as a
 * {@link CacheSerializationException} naming the key and the value's type, and treats a decoding
 * failure as a miss counted in {@link CacheStats#errors()}. Implementations must be thread-safe.
 *
 * @param <V> the type of the values
 */
public interface ValueCodec<V> {

    /** Returns the bytes that represent {@code value}; never called with {@code null}. */
    byte[] encode(V value);

    /** Returns the value that {@code bytes} represent; never called with {@code null}. */
    V decode(byte[] bytes);

    /** Returns a short description for messages and logs, such as {@code json(User)}. */
    default String description() {
        return getClass().getSimpleName();
    }
}
