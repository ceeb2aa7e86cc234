package com.netrunsystems.cache.method;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.type.TypeBindings;
import com.fasterxml.jackson.databind.type.TypeFactory;
import com.netrunsystems.cache.Cached;
import java.lang.reflect.Method;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;

/**
 * How a {@link Cached} method returns its value: directly or through a future, wrapped in an
 * {@code Optional} or not, and the type of the value that is cached (what a JSON codec reads back).
 *
 * @param async       whether the method returns a {@code CompletableFuture} or {@code CompletionStage}
 * @param optional    whether the value (inside the future, if any) is an {@code Optional}
 * @param valueType   the type of the cached value: the return type without the future and the
 *                    {@code Optional}, boxed, with the interface's type variables resolved
 */
record MethodReturnShape(boolean async, boolean optional, JavaType valueType) {

    /**
     * Returns the shape of {@code method} as a member of {@code iface}.
     *
     * @throws IllegalArgumentException when the method returns nothing or a future type other than
     *     {@code CompletableFuture} and {@code CompletionStage}
     */
    static MethodReturnShape of(Class<?> iface, Method method) {
        Class<?> raw = method.getReturnType();
        if (raw == void.class || raw == Void.class) {
            throw new IllegalArgumentException("@Cached " + describe(method) + " returns nothing to cache; remove @Cached, "
                    + "or use @CacheInvalidate on methods that change data");
        }
        boolean async = raw == CompletableFuture.class || raw == CompletionStage.class;
        if (!async && (Future.class.isAssignableFrom(raw) || CompletionStage.class.isAssignableFrom(raw))) {
            throw new IllegalArgumentException("@Cached " + describe(method) + " returns " + raw.getName()
                    + "; of the future types only CompletableFuture and CompletionStage are supported");
        }
        TypeFactory types = TypeFactory.defaultInstance();
        JavaType declaring = types.constructType(iface).findSuperType(method.getDeclaringClass());
        TypeBindings bindings = declaring == null ? TypeBindings.emptyBindings() : declaring.getBindings();
        JavaType type = types.resolveMemberType(method.getGenericReturnType(), bindings);
        if (async) {
            type = type.containedTypeOrUnknown(0);
        }
        boolean optional = type.getRawClass() == Optional.class;
        if (optional) {
            type = type.containedTypeOrUnknown(0);
        }
        if (type.isPrimitive()) {
            type = types.constructType(box(type.getRawClass()));
        }
        return new MethodReturnShape(async, optional, type);
    }

    /** Returns {@code com.example.UserService.getUser} for messages. */
    static String describe(Method method) {
        return method.getDeclaringClass().getName() + "." + method.getName();
    }

    static Class<?> box(Class<?> primitive) {
        if (primitive == int.class) {
            return Integer.class;
        } else if (primitive == long.class) {
            return Long.class;
        } else if (primitive == boolean.class) {
            return Boolean.class;
        } else if (primitive == double.class) {
            return Double.class;
        } else if (primitive == float.class) {
            return Float.class;
        } else if (primitive == short.class) {
            return Short.class;
        } else if (primitive == byte.class) {
            return Byte.class;
        } else if (primitive == char.class) {
            return Character.class;
        }
        return primitive;
    }
}
