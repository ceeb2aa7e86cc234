package com.netrunsystems.cache.load;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * Moves a future's completion to an executor: what is attached to the returned future runs there (or on
 * the attaching thread, if it is complete by then), never on the thread that completed the original, such
 * as a Lettuce I/O thread. Not {@code whenCompleteAsync(action, executor)}: that replaces
 * {@code ForkJoinPool.commonPool()} with a new thread per task when the pool's parallelism is 1 (2 cores).
 * Stateless.
 */
public final class Hop {

    private Hop() {
    }

    /** Returns a future completing like {@code source}, on {@code executor}; if it rejects the task, at once. */
    public static <T> CompletableFuture<T> to(CompletableFuture<T> source, Executor executor) {
        CompletableFuture<T> moved = new CompletableFuture<>();
        source.whenComplete((value, error) -> {
            Runnable complete = () -> {
                if (error != null) {
                    moved.completeExceptionally(error);
                } else {
                    moved.complete(value);
                }
            };
            try {
                executor.execute(complete);
            } catch (RuntimeException rejected) {
                complete.run();
            }
        });
        return moved;
    }
}
