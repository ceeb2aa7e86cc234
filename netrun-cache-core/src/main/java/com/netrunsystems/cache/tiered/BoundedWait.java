package com.netrunsystems.cache.tiered;

import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.CacheUnavailableException;
import com.netrunsystems.cache.load.Abandonable;
import com.netrunsystems.cache.load.Stages;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The blocking view's wait on an operation's future: bounded, and throwing what the operation
 * failed with, unwrapped. A completed future is read without waiting. Stateless; thread-safe.
 */
public final class BoundedWait {

    private BoundedWait() {
    }

    /**
     * Returns the value of {@code future}, waiting at most {@code millis}.
     *
     * @throws RuntimeException what the operation failed with (a {@link CacheException}, or an argument error)
     * @throws CacheUnavailableException when the wait runs out ({@code what} names the operation)
     * @throws CacheException when the caller is interrupted (the interrupt flag is set again)
     */
    public static <T> T await(CompletableFuture<T> future, long millis, String what) {
        try {
            return future.get(millis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Abandonable.abandon(future); // its late failure must not count: the caller's interrupt says nothing about L2
            Thread.currentThread().interrupt();
            throw new CacheException("interrupted while waiting for " + what, e);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause(), what);
        } catch (TimeoutException e) {
            throw new CacheUnavailableException(what + " did not complete within " + millis + " ms", e);
        }
    }

    private static RuntimeException rethrow(Throwable error, String what) {
        Throwable cause = Stages.unwrap(error);
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error fatal) {
            throw fatal;
        }
        if (cause instanceof TimeoutException) {
            return new CacheUnavailableException(what + " got no reply in time", cause);
        }
        return new CacheException(what + " failed: " + cause, cause);
    }
}
