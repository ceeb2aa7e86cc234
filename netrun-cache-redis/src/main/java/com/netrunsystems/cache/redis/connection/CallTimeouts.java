package com.netrunsystems.cache.redis.connection;

import io.lettuce.core.api.async.RedisAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisAdvancedClusterAsyncCommands;
import io.lettuce.core.cluster.api.async.RedisClusterAsyncCommands;
import io.lettuce.core.internal.ExceptionFactory;
import io.netty.util.Timeout;
import io.netty.util.Timer;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One cache's command timeout on a connection that caches with other timeouts share. Lettuce's
 * {@code TimeoutOptions} belong to the connection, so each cache bounds its own commands: a command
 * that is still unanswered after {@code socketTimeout} fails with Lettuce's own
 * {@code RedisCommandTimeoutException}, exactly as Lettuce's command expiry would fail it (the reply,
 * if it comes later, is read and dropped). The timer is the client's (ticking every
 * {@value RedisLink#TIMER_TICK_MILLIS} ms for a client of our own); the failure is delivered on the
 * client's computation threads, or, when both are still busy {@value #LATE_DELIVERY_MILLIS} ms later, on
 * the timer's thread: those two threads also run Lettuce's reconnects and Cluster topology refreshes, and
 * after a Cluster master died on a loaded machine they were busy for seconds, so that a call waited that
 * long for its own timeout (3,632 ms with a 500 ms {@code socketTimeout}). Thread-safe.
 */
final class CallTimeouts {

    /** How long a timed-out call's failure may wait for a computation thread before the timer's thread delivers it. */
    static final int LATE_DELIVERY_MILLIS = 20;

    private final Timer timer;
    private final Executor executor;
    private final Duration timeout;

    CallTimeouts(Timer timer, Executor executor, Duration timeout) {
        this.timer = timer;
        this.executor = executor;
        this.timeout = timeout;
    }

    /** Returns how long a command may go unanswered. */
    Duration timeout() {
        return timeout;
    }

    /** Fails {@code call} when it has not completed within the timeout; returns it. */
    <F extends CompletableFuture<?>> F bound(F call) {
        return bound(call, timeout);
    }

    /** Fails {@code call} when it has not completed within {@code limit} (reported as this cache's timeout); returns it. */
    <F extends CompletableFuture<?>> F bound(F call, Duration limit) {
        if (call.isDone()) {
            return call;
        }
        Timeout expiry = timer.newTimeout(ignored -> expire(call), limit.toNanos(), TimeUnit.NANOSECONDS);
        call.whenComplete((value, error) -> expiry.cancel());
        return call;
    }

    private void expire(CompletableFuture<?> call) {
        if (call.isDone()) {
            return;
        }
        Runnable fail = () -> call.completeExceptionally(ExceptionFactory.createTimeoutException(timeout));
        try {
            executor.execute(fail);
        } catch (RejectedExecutionException e) {
            fail.run(); // the client is shutting down: fail it here rather than never
            return;
        }
        // Both computation threads may be busy (reconnects, topology refreshes): do not wait for them.
        timer.newTimeout(ignored -> {
            if (!call.isDone()) {
                fail.run();
            }
        }, LATE_DELIVERY_MILLIS, TimeUnit.MILLISECONDS);
    }

    /**
     * Returns a view of {@code commands} whose every command (every method that returns a future) is
     * {@linkplain #bound bounded}. The view implements the same command interface as the target
     * ({@code RedisAdvancedClusterAsyncCommands} for a Cluster, {@code RedisAsyncCommands} otherwise).
     */
    @SuppressWarnings("unchecked")
    RedisClusterAsyncCommands<byte[], byte[]> bound(RedisClusterAsyncCommands<byte[], byte[]> commands, boolean cluster) {
        Class<?> type = cluster ? RedisAdvancedClusterAsyncCommands.class : RedisAsyncCommands.class;
        if (!type.isInstance(commands)) {
            type = RedisClusterAsyncCommands.class;
        }
        InvocationHandler handler = new Bounding(commands);
        return (RedisClusterAsyncCommands<byte[], byte[]>) Proxy.newProxyInstance(type.getClassLoader(),
                new Class<?>[] {type}, handler);
    }

    /** Forwards each call to the connection's commands and bounds the future it returns. */
    private final class Bounding implements InvocationHandler {
        private final Object target;

        Bounding(Object target) {
            this.target = target;
        }

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
            Object result;
            try {
                result = method.invoke(target, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            if (result instanceof CompletableFuture<?> future) {
                bound(future);
            }
            return result;
        }
    }
}
