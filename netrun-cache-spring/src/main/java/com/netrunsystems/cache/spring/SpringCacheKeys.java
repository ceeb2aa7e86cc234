package com.netrunsystems.cache.spring;

import com.netrunsystems.cache.CacheKeys;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import org.springframework.cache.interceptor.SimpleKey;

/**
 * Turns the keys Spring's cache abstraction passes to a {@link org.springframework.cache.Cache} into
 * the string keys of a netrun cache, the same in every JVM and by the rules of {@code @Cached} keys
 * ({@link CacheKeys#argumentText(Object)}):
 * <ul>
 *   <li>a {@code String} is used as it is: {@code @Cacheable(key = "'user:' + #id")} stores
 *       {@code user:42}, which a Python process reads under the same key;</li>
 *   <li>a {@link SimpleKey} (several method arguments, or none) becomes its arguments in parentheses,
 *       each as {@code @Cached} writes an argument: {@code ("42",7L)}; {@link SimpleKey#EMPTY} is
 *       {@code ()}; a list longer than 200 characters becomes {@code (#} and 32 hex digits of its
 *       SHA-256 {@code )};</li>
 *   <li>anything else (the single argument of a one-argument method) is written as an argument:
 *       {@code 42}, {@code 42L}, {@code ACTIVE}, {@code #9f86d081884c7d65} for a record or POJO.</li>
 * </ul>
 * So a {@code String} {@code "42"} and an {@code Integer} {@code 42} share the key {@code 42}, as
 * they do in Spring Data's {@code RedisCache}; give keys of one cache one type. Stateless and
 * thread-safe.
 */
public final class SpringCacheKeys {

    /** Argument lists longer than this are replaced by a hash, as {@code @Cached} keys are. */
    static final int MAX_ARGUMENTS_LENGTH = 200;
    private static final int ARGUMENTS_HASH_HEX_DIGITS = 32;
    private static final MethodHandle SIMPLE_KEY_PARAMS = simpleKeyParams();

    private SpringCacheKeys() {
    }

    /**
     * Returns the netrun key for the Spring cache key {@code key}.
     *
     * @throws IllegalArgumentException when {@code key} is {@code null} or holds an object that cannot
     *     be written as JSON for its hash
     */
    public static String keyText(Object key) {
        if (key == null) {
            throw new IllegalArgumentException("a Spring cache key must not be null");
        }
        if (key instanceof String s) {
            return s;
        }
        if (key instanceof SimpleKey simple) {
            return argumentList(params(simple));
        }
        return CacheKeys.argumentText(key);
    }

    private static String argumentList(Object[] params) {
        StringBuilder out = new StringBuilder("(");
        for (int i = 0; i < params.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(CacheKeys.argumentText(params[i]));
        }
        if (out.length() + 1 > MAX_ARGUMENTS_LENGTH) {
            String hash = CacheKeys.sha256(out.substring(1));
            return "(#" + hash.substring(0, ARGUMENTS_HASH_HEX_DIGITS) + ")";
        }
        return out.append(')').toString();
    }

    private static Object[] params(SimpleKey key) {
        try {
            return (Object[]) SIMPLE_KEY_PARAMS.invokeExact(key);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot read the arguments of " + key, e);
        }
    }

    /** SimpleKey keeps its arguments in a private field; its toString() is not stable across JVMs. */
    private static MethodHandle simpleKeyParams() {
        try {
            Field field = SimpleKey.class.getDeclaredField("params");
            field.setAccessible(true);
            return MethodHandles.lookup().unreflectGetter(field)
                    .asType(java.lang.invoke.MethodType.methodType(Object[].class, SimpleKey.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new ExceptionInInitializerError("netrun-cache-spring reads SimpleKey's arguments through its "
                    + "private field 'params', which this Spring version does not have or does not let it read ("
                    + e + "); use a Spring Framework 6.1 to 7.0, or a KeyGenerator that returns Strings");
        }
    }
}
