package com.netrunsystems.cache;

/**
 * The root of netrun-cache's unchecked exceptions. Thrown as is for errors that are neither an
 * unavailable backend nor a serialization failure, such as incrementing a key that holds a
 * non-integer value. Messages name the key, the namespace or the server, and never a password.
 */
public class CacheException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** Creates an exception with the given message. */
    public CacheException(String message) {
        super(message);
    }

    /** Creates an exception with the given message and cause. */
    public CacheException(String message, Throwable cause) {
        super(message, cause);
    }
}
