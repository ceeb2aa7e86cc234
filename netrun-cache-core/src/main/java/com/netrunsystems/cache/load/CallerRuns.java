package com.netrunsystems.cache.load;

import com.netrunsystems.cache.CacheException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An executor for one blocking call: the tasks it is given run on the thread that waits in
 * {@link #await}, so that a blocking view's work after an I/O reply (decoding, the loader, the write)
 * runs on its caller's thread, never on an I/O thread, and needs no pool thread. Once the caller has
 * stopped waiting (answered, timed out or interrupted), later tasks run on the fallback executor, so
 * that work the call started (a load other callers share) still finishes. Thread-safe; one waiter.
 */
public final class CallerRuns implements Executor {

    private static final Logger log = LoggerFactory.getLogger(CallerRuns.class);
    private static final long PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

    private final Thread owner = Thread.currentThread();
    private final Executor fallback;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private volatile boolean abandoned;
    /** Tasks due later, by deadline ({@link System#nanoTime()}); guarded by {@code this}. */
    private java.util.PriorityQueue<Timed> timed; // made on the first timer
    private long sequence;

    /** Makes the executor of a call by the current thread; tasks it gets after the call go to {@code fallback}. */
    public CallerRuns(Executor fallback) {
        this.fallback = fallback;
    }

    @Override
    public void execute(Runnable task) {
        if (abandoned) {
            fallback.execute(task);
            return;
        }
        tasks.add(task);
        if (abandoned && tasks.remove(task)) { // the caller left between the check and the add
            fallback.execute(task);
            return;
        }
        LockSupport.unpark(owner);
    }

    /**
     * Runs {@code task} here in {@code delayNanos}: a blocking call's timers need no timer thread. Once the
     * call is answered, its pending timers are dropped (timeouts of waits that are over); when the caller
     * stopped waiting without an answer, they run at once on the fallback executor (the pauses of work the call
     * started, which then sees the call ended).
     */
    public void schedule(long delayNanos, Runnable task) {
        synchronized (this) {
            if (!abandoned) {
                if (timed == null) {
                    timed = new java.util.PriorityQueue<>();
                }
                timed.add(new Timed(System.nanoTime() + delayNanos, sequence++, task));
                LockSupport.unpark(owner);
                return;
            }
        }
        CompletableFuture.delayedExecutor(delayNanos, TimeUnit.NANOSECONDS, fallback).execute(task);
    }

    /** Runs {@code task} on {@code executor} in {@code delayNanos}: here, without a timer thread, when it is a {@link CallerRuns}. */
    public static void later(Executor executor, long delayNanos, Runnable task) {
        if (executor instanceof CallerRuns here) {
            here.schedule(delayNanos, task);
        } else {
            CompletableFuture.delayedExecutor(delayNanos, TimeUnit.NANOSECONDS, executor).execute(task);
        }
    }

    private record Timed(long deadline, long order, Runnable task) implements Comparable<Timed> {
        @Override
        public int compareTo(Timed o) {
            int byTime = Long.compare(deadline - o.deadline, 0);
            return byTime != 0 ? byTime : Long.compare(order, o.order);
        }
    }

    /** Returns the first timed task that is due, or {@code null}; sets {@code next[0]} to the nanos until the next one. */
    private synchronized Runnable dueTask(long[] next) {
        Timed first = timed == null ? null : timed.peek();
        if (first == null) {
            next[0] = Long.MAX_VALUE;
            return null;
        }
        long left = first.deadline() - System.nanoTime();
        if (left <= 0) {
            timed.poll();
            return first.task();
        }
        next[0] = left;
        return null;
    }

    /**
     * Runs this executor's tasks on the calling thread until {@code future} completes or
     * {@code timeoutNanos} pass ({@code Long.MAX_VALUE}: no limit), and returns its value.
     *
     * @throws ExecutionException   when the future failed
     * @throws TimeoutException     when the time ran out
     * @throws InterruptedException when the thread was interrupted while waiting (its flag is cleared, as by
     *                              {@link Object#wait})
     */
    public <T> T await(CompletableFuture<T> future, long timeoutNanos)
            throws ExecutionException, TimeoutException, InterruptedException {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("a CallerRuns is awaited by the thread that made it");
        }
        long deadline = timeoutNanos == Long.MAX_VALUE ? 0 : System.nanoTime() + timeoutNanos;
        long[] next = new long[1];
        boolean wakes = false;
        try {
            while (!future.isDone()) {
                Runnable task = tasks.poll();
                if (task == null) {
                    task = dueTask(next);
                }
                if (task != null) {
                    run(task);
                    continue;
                }
                if (!wakes) { // only once it has to wait: a call answered at once costs no callback
                    wakes = true;
                    future.whenComplete((value, error) -> LockSupport.unpark(owner));
                    continue;
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
                long wait = Math.min(PARK_NANOS, next[0]);
                if (deadline != 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new TimeoutException();
                    }
                    wait = Math.min(wait, left);
                }
                LockSupport.parkNanos(this, wait);
            }
            return future.get();
        } finally {
            leave(future.isDone());
        }
    }

    /** Stops running tasks here: the ones queued and any later one go to the fallback executor. */
    private void leave(boolean answered) {
        java.util.PriorityQueue<Timed> pending;
        synchronized (this) {
            abandoned = true;
            pending = timed;
            timed = null;
        }
        Runnable task;
        while ((task = tasks.poll()) != null) {
            fallback.execute(task);
        }
        if (answered || pending == null) {
            return; // its timers were timeouts of waits that are over: nothing left to run
        }
        for (Timed t : pending) {
            // now: nobody waits for a timeout of this call any more, and a pause of its work ends early
            fallback.execute(t.task());
        }
    }

    private static void run(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | Error e) {
            log.warn("a task of a blocking cache call failed", e);
        }
    }

    /**
     * Waits for {@code future} as {@link #await} does, without a time limit, and returns its value or
     * throws its exception: a runtime exception or error unchanged, a checked one wrapped in a
     * {@link CacheException}; an interrupt throws a {@link CacheException} caused by an
     * {@link InterruptedException}, with the thread's flag set again.
     */
    public <T> T join(CompletableFuture<T> future, String what) {
        try {
            return await(future, Long.MAX_VALUE);
        } catch (ExecutionException e) {
            throw Stages.rethrow(what, e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException(e); // no limit
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CacheException("interrupted while waiting for " + what, e);
        }
    }
}
