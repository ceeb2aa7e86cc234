package com.netrunsystems.cache.load;

import com.netrunsystems.cache.CacheException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Steps of the load pipeline over futures: a step runs at once on the current thread when its input is
 * already complete, and otherwise on the given executor, never on the thread that completes the input
 * (a Redis I/O thread). Stateless.
 */
public final class Stages {

    private Stages() {
    }

    /** Runs {@code next} with the value of {@code input}: now if it is complete, else on {@code executor}. */
    public static <T, R> CompletableFuture<R> then(CompletableFuture<T> input, Executor executor,
            Function<? super T, ? extends CompletableFuture<R>> next) {
        return handle(input, executor, (value, error) -> {
            if (error != null) {
                return CompletableFuture.failedFuture(error);
            }
            return next.apply(value);
        });
    }

    /**
     * Runs {@code next} with the value or the failure (unwrapped from {@link CompletionException}) of
     * {@code input}: now if it is complete, else on {@code executor}. Whatever {@code next} throws fails
     * the returned future.
     */
    public static <T, R> CompletableFuture<R> handle(CompletableFuture<T> input, Executor executor,
            BiFunction<? super T, Throwable, ? extends CompletableFuture<R>> next) {
        if (input.isDone()) {
            T value = null;
            Throwable error = null;
            try {
                value = input.join();
            } catch (CompletionException | java.util.concurrent.CancellationException e) {
                error = unwrap(e);
            }
            T v = value;
            Throwable e = error;
            return call(() -> next.apply(v, e));
        }
        CompletableFuture<R> out = new CompletableFuture<>();
        input.whenComplete((value, error) -> {
            try {
                executor.execute(() -> call(() -> next.apply(value, error == null ? null : unwrap(error)))
                        .whenComplete((result, failure) -> {
                            if (failure != null) {
                                out.completeExceptionally(unwrap(failure));
                            } else {
                                out.complete(result);
                            }
                        }));
            } catch (RuntimeException rejected) {
                out.completeExceptionally(rejected);
            }
        });
        return out;
    }

    /** Returns what {@code step} returns, or a future failed with what it throws; never {@code null}. */
    @SuppressWarnings("unchecked")
    public static <R> CompletableFuture<R> call(Supplier<? extends CompletableFuture<? extends R>> step) {
        try {
            CompletableFuture<? extends R> result = step.get();
            if (result == null) {
                return CompletableFuture.failedFuture(new IllegalStateException("a step returned a null future"));
            }
            return (CompletableFuture<R>) result;
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(t);
        }
    }

    /** Returns the cause of a {@link CompletionException} or {@link ExecutionException}, else {@code error}. */
    public static Throwable unwrap(Throwable error) {
        Throwable current = error;
        while ((current instanceof CompletionException || current instanceof ExecutionException)
                && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }

    /**
     * Returns {@code cause} to throw: a runtime exception or error as it is (thrown from here), a
     * checked exception wrapped in a {@link CacheException} naming {@code what}.
     */
    public static RuntimeException rethrow(String what, Throwable cause) {
        Throwable unwrapped = unwrap(cause);
        if (unwrapped instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (unwrapped instanceof Error error) {
            throw error;
        }
        throw new CacheException(what + " failed", unwrapped);
    }
}
