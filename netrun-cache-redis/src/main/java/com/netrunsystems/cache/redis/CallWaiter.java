package com.netrunsystems.cache.redis;

import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.CacheUnavailableException;
import com.netrunsystems.cache.load.CallerRuns;
import com.netrunsystems.cache.redis.connection.RedisFailures;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * Waits for the futures of a {@link RedisCache}'s synchronous methods, at most {@code awaitMillis}
 * ({@code socketConnectTimeout + socketTimeout + 1 s}), turning failures into the cache's exceptions or,
 * for the operations that fail open, into their fallback answers. Thread-safe: it holds no mutable state.
 */
final class CallWaiter {

    private final String namespace;
    private final boolean failOpen;
    private final RedisFailures failures;
    /** The cache's executor, whose work a waiting caller runs itself ({@link CallerRuns}). */
    private final Executor executor;
    private final long awaitMillis;

    CallWaiter(String namespace, boolean failOpen, RedisFailures failures, Executor executor, long awaitMillis) {
        this.namespace = namespace;
        this.failOpen = failOpen;
        this.failures = failures;
        this.executor = executor;
        this.awaitMillis = awaitMillis;
    }

    /**
     * Waits like {@link #await}, but answers {@code fallback} (counted and logged) when the wait itself
     * runs out, for the operations that fail open: Lettuce normally times a command out first, but a
     * first connect through Cluster seeds or Sentinels can take longer than one timeout.
     */
    private <T> T awaitOrFallback(CallerRuns here, CompletableFuture<T> future, String operation, String key,
            T fallback) {
        try {
            return await(here, future, operation, key);
        } catch (CacheUnavailableException e) {
            if (e.getCause() instanceof TimeoutException && failOpen) {
                return failures.failOpen(operation, key, e.getCause(), fallback);
            }
            throw e;
        }
    }

    /**
     * Runs {@code call} with an executor of this thread, so that its reply is decoded here and not on a
     * Lettuce I/O thread, and waits for it like {@link #awaitOrFallback}.
     */
    <T> T awaitHere(Function<Executor, CompletableFuture<T>> call, String operation, String key, T fallback) {
        CallerRuns here = new CallerRuns(executor);
        return awaitOrFallback(here, call.apply(here), operation, key, fallback);
    }

    <T> T awaitOrFallback(CompletableFuture<T> future, String operation, String key, T fallback) {
        return awaitOrFallback(null, future, operation, key, fallback);
    }

    <T> T await(CompletableFuture<T> future, String operation, String key) {
        return await(null, future, operation, key);
    }

    private <T> T await(CallerRuns here, CompletableFuture<T> future, String operation, String key) {
        try {
            return here == null ? future.get(awaitMillis, TimeUnit.MILLISECONDS)
                    : here.await(future, TimeUnit.MILLISECONDS.toNanos(awaitMillis));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CacheException("interrupted while waiting for " + operation + " in namespace '" + namespace + "'", e);
        } catch (ExecutionException e) {
            Throwable cause = RedisFailures.unwrap(e);
            if (cause instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (cause instanceof Error error) {
                throw error;
            }
            throw failures.toException(operation, key, cause);
        } catch (TimeoutException e) {
            throw failures.toException(operation, key, e);
        }
    }
}
