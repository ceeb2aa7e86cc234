package com.netrunsystems.cache.tiered;

/**
 * A cache's registration with whatever runs its L2 probe task ({@link L2Prober} today: a thread per
 * manager); closing it stops the probing for that cache. Implementations are thread-safe and
 * {@link #close()} is idempotent.
 */
public interface ProbeRegistration extends AutoCloseable {

    /** Stops running the cache's probe task. */
    @Override
    void close();
}
