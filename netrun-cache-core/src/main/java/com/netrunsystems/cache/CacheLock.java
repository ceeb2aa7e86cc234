package com.netrunsystems.cache;

import java.time.Duration;

/**
 * A held lock on a cache key, obtained from a backend's {@code tryLock}. Use it with
 * try-with-resources: {@link #close()} releases the lock only while this holder still owns it, so
 * a holder whose lease expired never frees a lock somebody else has taken since.
 *
 * <p>Implementations are safe for use from several threads.
 */
public interface CacheLock extends AutoCloseable {

    /** Returns the key this lock guards, without the namespace prefix. */
    String key();

    /** Returns the random token that identifies this holder. */
    String ownerToken();

    /**
     * Extends the lease to {@code ttl} from now, if this holder still owns the lock.
     *
     * @return {@code true} when the lease was extended, {@code false} when the lock was lost
     * @throws CacheUnavailableException when the backend cannot be reached
     */
    boolean renew(Duration ttl);

    /**
     * Returns whether this holder still owns the lock, as far as the backend says now.
     *
     * @throws CacheUnavailableException when the backend cannot be reached
     */
    boolean isHeld();

    /**
     * Releases the lock if this holder still owns it; idempotent. Never throws: a release that
     * cannot reach the backend is logged, and the lease then expires on its own.
     */
    @Override
    void close();
}
