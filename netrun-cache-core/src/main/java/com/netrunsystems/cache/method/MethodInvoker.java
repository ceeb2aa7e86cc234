package com.netrunsystems.cache.method;

import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.CachedProxy;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** Runs one interface method of a {@link CachedProxy} for its arguments. Implementations are thread-safe. */
interface MethodInvoker {

    /**
     * Runs the method; an exception of the target's reaches the caller unchanged.
     *
     * @param args the arguments, or {@code null} for none (as {@link java.lang.reflect.InvocationHandler} passes them)
     */
    Object invoke(Object[] args) throws Throwable;

    /** Returns the invoker that calls {@code method} on {@code target} and nothing else. */
    static MethodInvoker passThrough(Method method, Object target) {
        return args -> call(method, target, args);
    }

    /** Calls {@code method} on {@code target}, throwing what the target throws, unwrapped. */
    static Object call(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } catch (IllegalAccessException e) {
            throw new CacheException("CachedProxy cannot call " + MethodReturnShape.describe(method) + " on "
                    + target.getClass().getName() + ": " + e.getMessage() + "; make the interface public"
                    + " (on the module path, its module must also export its package to com.netrunsystems.cache)", e);
        }
    }

    /**
     * Calls {@code method} on {@code target} and returns its future as a {@code CompletableFuture}
     * that completes as the target's does, with the target's own exception; an exception thrown by the
     * method, or a {@code null} future, gives a failed future.
     */
    static CompletableFuture<Object> callAsync(Method method, Object target, Object[] args) {
        Object returned;
        try {
            returned = call(method, target, args);
        } catch (Throwable t) {
            return CompletableFuture.failedFuture(t);
        }
        if (returned == null) {
            return CompletableFuture.failedFuture(new IllegalStateException(MethodReturnShape.describe(method)
                    + " returned null instead of a future on " + target.getClass().getName()));
        }
        CompletableFuture<Object> mirror = new CompletableFuture<>();
        ((CompletionStage<?>) returned).whenComplete((value, error) -> {
            if (error != null) {
                mirror.completeExceptionally(unwrap(error));
            } else {
                mirror.complete(value);
            }
        });
        return mirror;
    }

    /**
     * Returns the exception inside the {@link CompletionException}s that dependent stages wrap around a
     * failure, so that callers get the target's own exception.
     */
    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
