package com.netrunsystems.cache.load;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;

/**
 * The future of one remote call and of every stage built on it ({@code handle}, {@code thenApply},
 * {@code orTimeout}, ...): each knows the call it started from, so that a blocking caller who stops waiting
 * (interrupted) can {@link #abandon} it. An abandoned call's stages see an {@link #isAbandonment abandonment}
 * (a {@link CancellationException} of its own type), which says nothing about the backend: the stages that
 * count failures (statistics, the circuit breaker) rethrow it instead of counting it, and the late reply or
 * timeout of the command itself reaches nobody. A call built on another abandonable call (a two-level cache's
 * L2 read over a Redis read) abandons that one too. Not API. Thread-safe.
 *
 * @param <T> the type of the stage's value
 */
public final class Abandonable<T> extends CompletableFuture<T> {

    /** The call this stage was built on; {@code null} for the call itself. */
    private final Abandonable<?> root;
    /** What the call itself completes as (set on a root only). */
    private final CompletableFuture<?> source;

    private Abandonable(Abandonable<?> root, CompletableFuture<?> source) {
        this.root = root;
        this.source = source;
    }

    /** Returns a future that completes as {@code sent} does, and whose stages can abandon it. */
    public static <T> Abandonable<T> of(CompletableFuture<T> sent) {
        Abandonable<T> call = new Abandonable<>(null, sent);
        sent.whenComplete((value, error) -> {
            if (error == null) {
                call.complete(value);
            } else {
                call.completeExceptionally(error);
            }
        });
        return call;
    }

    /**
     * Abandons the call {@code stage} was built on, if it is one and has not completed; no-op otherwise.
     * Its stages then complete at once with an abandonment, on this thread.
     */
    public static void abandon(CompletableFuture<?> stage) {
        if (stage instanceof Abandonable<?> call) {
            Abandonable<?> origin = call.root == null ? call : call.root;
            if (origin.completeExceptionally(new Abandoned())) {
                abandon(origin.source);
            }
        }
    }

    /** Returns whether {@code error} (possibly wrapped) is the abandonment of a call, rather than a failure. */
    public static boolean isAbandonment(Throwable error) {
        return Stages.unwrap(error) instanceof Abandoned;
    }

    @Override
    public <U> CompletableFuture<U> newIncompleteFuture() {
        return new Abandonable<>(root == null ? this : root, null);
    }

    /** The failure of an abandoned call's stages. */
    private static final class Abandoned extends CancellationException {
        private static final long serialVersionUID = 1L;

        Abandoned() {
            super("the caller stopped waiting");
        }
    }
}
