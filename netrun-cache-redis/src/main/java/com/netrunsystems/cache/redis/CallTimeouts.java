package com.netrunsystems.cache.redis;

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
 * client's computation threads, never on the timer's thread. Thread-safe.
 */
final class CallTimeouts {

    private final Timer timer;
    private final Executor executor;
    private final Duration timeout;
    private final long timeoutNanos;

    CallTimeouts(Timer timer, Executor executor, Duration timeout) {
        this.timer = timer;
        this.executor = executor;
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
    }

    /** Returns how long a command may go unanswered. */
    Duration timeout() {
        return timeout;
    }

    /** Fails {@code call} when it has not completed within the timeout; returns it. */
    <F extends CompletableFuture<?>> F bound(F call) {
        if (call.isDone()) {
            return call;
        }
        Timeout expiry = timer.newTimeout(ignored -> expire(call), timeoutNanos, TimeUnit.NANOSECONDS);
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
        }
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
