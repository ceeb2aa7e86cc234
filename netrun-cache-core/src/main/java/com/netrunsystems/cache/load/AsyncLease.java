package com.netrunsystems.cache.load;

import com.netrunsystems.cache.CacheLock;
import java.util.concurrent.CompletableFuture;

/**
 * A load lease whose release is sent without waiting for the reply, so that the {@link LoadPipeline}
 * releases it without holding a thread for a round trip (a blocking {@link CacheLock#close()} would hold
 * an executor thread of {@code async().getOrLoad} until Redis answers or the call times out). Not API.
 * Implementations are thread-safe.
 */
public interface AsyncLease extends CacheLock {

    /**
     * Sends the release (only while this holder still owns the lease; idempotent, as {@link #close()}) and
     * returns at once. The future completes when the backend answered, on whatever thread received the reply;
     * it never fails: a release that does not reach the backend is counted and logged, and the lease then
     * expires on its own.
     */
    CompletableFuture<Void> releaseAsync();
}
