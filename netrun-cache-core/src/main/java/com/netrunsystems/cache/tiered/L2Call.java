package com.netrunsystems.cache.tiered;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * The future of one L2 call and of every stage built on it ({@code handle}, {@code thenApply}, ...):
 * each knows the call it started from, so that a blocking caller who stops waiting (interrupted) can
 * {@link #abandon} it. An abandoned call's callbacks see a {@link CancellationException}, which says
 * nothing about L2: the {@link L2Guard} counts it nowhere, and no layer is changed by it. Thread-safe.
 *
 * @param <T> the type of the stage's value
 */
final class L2Call<T> extends CompletableFuture<T> {

    private final CompletableFuture<?> root;

    private L2Call(CompletableFuture<?> root) {
        this.root = root;
    }

    /** Returns a future that completes as {@code sent} does, and whose stages can abandon it. */
    static <T> L2Call<T> of(CompletableFuture<T> sent) {
        L2Call<T> call = new L2Call<>(null);
        sent.whenComplete((value, error) -> {
            if (error == null) {
                call.complete(value);
            } else {
                call.completeExceptionally(error);
            }
        });
        return call;
    }

    /** Abandons the call {@code stage} was built on, if it is one; no-op otherwise. */
    static void abandon(CompletableFuture<?> stage) {
        if (stage instanceof L2Call<?> call) {
            CompletableFuture<?> origin = call.root == null ? call : call.root;
            origin.completeExceptionally(new CancellationException("the caller stopped waiting"));
        }
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new L2Call<>(root == null ? this : root);
    }
}
