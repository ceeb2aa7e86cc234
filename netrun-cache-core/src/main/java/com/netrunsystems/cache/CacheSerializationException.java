package com.netrunsystems.cache;

/**
 * Thrown when a value cannot be encoded by the cache's {@link ValueCodec}. The message names the
 * key and the value's type, never the value itself. Values that cannot be decoded are not reported
 * with this exception: a read treats them as a miss and counts an error.
 */
public class CacheSerializationException extends CacheException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with the given message. */
    public CacheSerializationException(String message) {
        super(message);
    }

    /** Creates an exception with the given message and cause. */
    public CacheSerializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
