package com.netrunsystems.cache.method;

import com.netrunsystems.cache.CacheInvalidate;
import com.netrunsystems.cache.Cached;
import com.netrunsystems.cache.CachedProxy;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@link InvocationHandler} behind a {@link CachedProxy}: dispatches each interface method to
 * its {@link MethodInvoker}, built once when the proxy is created. Thread-safe.
 */
public final class CachingInvocationHandler implements InvocationHandler {

    private final Class<?> iface;
    private final Object target;
    private final MethodCacheRegistry registry;
    private final boolean ownsRegistry;
    private final Map<Method, MethodInvoker> invokers;

    private CachingInvocationHandler(Class<?> iface, Object target, MethodCacheRegistry registry, boolean ownsRegistry,
            Map<Method, MethodInvoker> invokers) {
        this.iface = iface;
        this.target = target;
        this.registry = registry;
        this.ownsRegistry = ownsRegistry;
        this.invokers = invokers;
    }

    /**
     * Returns a proxy implementing {@code iface} that caches through {@code registry}'s caches.
     *
     * @param ownsRegistry whether the registry belongs to this proxy alone ({@link CachedProxy#close(Object)} closes it)
     * @throws IllegalArgumentException when {@code iface} is not an interface, {@code target} does not
     *     implement it, or an annotation cannot be used
     */
    public static <T> T newProxy(Class<T> iface, T target, MethodCacheRegistry registry, boolean ownsRegistry) {
        Objects.requireNonNull(iface, "iface");
        Objects.requireNonNull(target, "target");
        if (!iface.isInterface() || iface.isAnnotation()) {
            throw new IllegalArgumentException("CachedProxy proxies interfaces, and " + iface.getName()
                    + " is not one: declare the cached methods in an interface that the target implements");
        }
        if (!iface.isInstance(target)) {
            throw new IllegalArgumentException("the target (" + target.getClass().getName() + ") does not implement "
                    + iface.getName());
        }
        registry.ensureOpen();
        Map<Method, CachedMethodInvoker> cached = new LinkedHashMap<>();
        Map<Method, CacheInvalidate[]> invalidating = new LinkedHashMap<>();
        Map<Method, MethodInvoker> invokers = new HashMap<>();
        for (Method method : iface.getMethods()) {
            if (Modifier.isStatic(method.getModifiers())) {
                continue;
            }
            if (!Modifier.isPublic(method.getDeclaringClass().getModifiers())) {
                method.trySetAccessible(); // a package-private interface, in an unnamed module
            }
            if (method.isBridge()) { // a compiler-made covariant override; the real method carries the annotations
                invokers.put(method, MethodInvoker.passThrough(method, target));
                continue;
            }
            Cached annotation = method.getAnnotation(Cached.class);
            CacheInvalidate[] invalidations = method.getAnnotationsByType(CacheInvalidate.class);
            rejectAnnotationsOnlyOnTarget(method, target, annotation != null || invalidations.length > 0);
            if (annotation != null && invalidations.length > 0) {
                throw new IllegalArgumentException(MethodReturnShape.describe(method) + " carries both @Cached and "
                        + "@CacheInvalidate; a method either reads through a cache or removes entries, not both");
            }
            if (annotation != null) {
                cached.put(method, CachedMethodInvoker.create(iface, method, annotation, target, registry));
            } else if (invalidations.length > 0) {
                invalidating.put(method, invalidations);
            } else {
                invokers.put(method, MethodInvoker.passThrough(method, target));
            }
        }
        rejectOverloadsSharingKeys(cached.values());
        invokers.putAll(cached);
        invalidating.forEach((method, annotations) -> invokers.put(method,
                InvalidatingMethodInvoker.create(method, annotations, target, cached.values(), registry)));
        CachingInvocationHandler handler = new CachingInvocationHandler(iface, target, registry, ownsRegistry, invokers);
        return iface.cast(Proxy.newProxyInstance(iface.getClassLoader(), new Class<?>[] {iface}, handler));
    }

    /** Returns the handler of {@code proxy}, or {@code null} when it is not a {@link CachedProxy}. */
    public static CachingInvocationHandler of(Object proxy) {
        if (proxy != null && Proxy.isProxyClass(proxy.getClass())
                && Proxy.getInvocationHandler(proxy) instanceof CachingInvocationHandler handler) {
            return handler;
        }
        return null;
    }

    public MethodCacheRegistry registry() {
        return registry;
    }

    public boolean ownsRegistry() {
        return ownsRegistry;
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        MethodInvoker invoker = invokers.get(method);
        if (invoker != null) {
            return invoker.invoke(args);
        }
        if (method.getDeclaringClass() == Object.class) {
            switch (method.getName()) {
                case "equals":
                    return equalsProxy(args[0]);
                case "hashCode":
                    return target.hashCode();
                case "toString":
                    return target.toString();
                default:
                    break;
            }
        }
        return MethodInvoker.call(method, target, args);
    }

    /** Two proxies are equal when their targets are; a proxy never equals anything else, so equals stays symmetric. */
    private boolean equalsProxy(Object other) {
        CachingInvocationHandler otherHandler = of(other);
        return otherHandler != null && (otherHandler == this || target.equals(otherHandler.target));
    }

    @Override
    public String toString() {
        return "CachingInvocationHandler{" + iface.getName() + " -> " + target.getClass().getName() + "}";
    }

    /**
     * Rejects {@code @Cached} or {@code @CacheInvalidate} on the target's method when the interface's
     * method has neither: annotations are read from the interface, so they would be silently ignored.
     */
    private static void rejectAnnotationsOnlyOnTarget(Method method, Object target, boolean annotatedOnInterface) {
        if (annotatedOnInterface) {
            return;
        }
        Method implementation;
        try {
            implementation = target.getClass().getMethod(method.getName(), method.getParameterTypes());
        } catch (NoSuchMethodException | SecurityException e) {
            return;
        }
        if (implementation.getDeclaringClass().isInterface()) {
            return;
        }
        if (implementation.isAnnotationPresent(Cached.class)
                || implementation.getAnnotationsByType(CacheInvalidate.class).length > 0) {
            throw new IllegalArgumentException("the annotations on " + implementation.getDeclaringClass().getName() + "."
                    + method.getName() + " would be ignored: CachedProxy reads @Cached and @CacheInvalidate from the "
                    + "interface; move them to " + MethodReturnShape.describe(method));
        }
    }

    /**
     * Rejects two {@code @Cached} overloads with the same number of parameters that store into the same
     * namespace with the same key prefix: their keys name the method but not the parameter types, so
     * {@code find(UserId)} and {@code find(Email)} could share an entry.
     */
    private static void rejectOverloadsSharingKeys(Iterable<CachedMethodInvoker> cached) {
        Map<List<Object>, Method> seen = new HashMap<>();
        for (CachedMethodInvoker invoker : cached) {
            Method method = invoker.method();
            Cached annotation = invoker.annotation();
            List<Object> keySpace = new ArrayList<>(List.of(method.getDeclaringClass(), method.getName(),
                    method.getParameterCount(), annotation.namespace(), annotation.backend(), annotation.keyPrefix()));
            Method other = seen.putIfAbsent(keySpace, method);
            if (other != null) {
                throw new IllegalArgumentException("@Cached overloads " + other.toGenericString() + " and "
                        + method.toGenericString() + " would share cache keys (a key names the method, not its parameter "
                        + "types); give one of them another keyPrefix, such as keyPrefix = \"" + method.getName()
                        + "By" + method.getParameterTypes()[0].getSimpleName() + ":\", or another namespace");
            }
        }
    }
}
