package com.netrunsystems.cache.method;

import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.CacheInvalidate;
import com.netrunsystems.cache.Cached;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs a {@link CacheInvalidate} method: removes the entries its annotations name, before the target
 * runs or after it succeeds. Thread-safe.
 */
final class InvalidatingMethodInvoker implements MethodInvoker {

    private final Method method;
    private final Object target;
    private final boolean async;
    private final List<Invalidation> before;
    private final List<Invalidation> after;
    private final Runnable ensureOpen;

    private InvalidatingMethodInvoker(Method method, Object target, List<Invalidation> before, List<Invalidation> after,
            Runnable ensureOpen) {
        this.method = method;
        this.target = target;
        this.async = method.getReturnType() == CompletableFuture.class || method.getReturnType() == CompletionStage.class;
        this.before = before;
        this.after = after;
        this.ensureOpen = ensureOpen;
    }

    /**
     * Returns the invoker of {@code method} carrying {@code annotations}, whose {@code methods} refer to
     * {@code cachedMethods} (the {@code @Cached} methods of the same interface).
     *
     * @throws IllegalArgumentException when an annotation names no entries, a method that does not fit,
     *     or a placeholder that does not exist
     */
    static InvalidatingMethodInvoker create(Method method, CacheInvalidate[] annotations, Object target,
            Collection<CachedMethodInvoker> cachedMethods, MethodCacheRegistry registry) {
        List<Invalidation> before = new ArrayList<>();
        List<Invalidation> after = new ArrayList<>();
        for (CacheInvalidate annotation : annotations) {
            Invalidation invalidation = Invalidation.of(method, annotation, cachedMethods, registry);
            (annotation.beforeInvocation() ? before : after).add(invalidation);
        }
        return new InvalidatingMethodInvoker(method, target, List.copyOf(before), List.copyOf(after), registry::ensureOpen);
    }

    @Override
    public Object invoke(Object[] args) throws Throwable {
        ensureOpen.run();
        for (Invalidation invalidation : before) {
            invalidation.apply(args);
        }
        Object result = MethodInvoker.call(method, target, args);
        if (after.isEmpty()) {
            return result;
        }
        if (async) {
            if (result == null) {
                return null;
            }
            CompletableFuture<Object> completed = new CompletableFuture<>();
            ((CompletionStage<?>) result).whenComplete((value, error) -> {
                if (error != null) {
                    completed.completeExceptionally(MethodInvoker.unwrap(error));
                    return;
                }
                try {
                    invalidateAfter(args);
                    completed.complete(value);
                } catch (Throwable t) {
                    completed.completeExceptionally(t);
                }
            });
            return completed;
        }
        invalidateAfter(args);
        return result;
    }

    private void invalidateAfter(Object[] args) {
        for (Invalidation invalidation : after) {
            invalidation.apply(args);
        }
    }

    @Override
    public String toString() {
        return "@CacheInvalidate " + MethodReturnShape.describe(method);
    }

    /** The entries one {@code @CacheInvalidate} names. */
    private record Invalidation(String namespace, CacheBackend backend, List<KeyTemplate> keys, boolean allEntries,
            List<CachedMethodInvoker> methods, MethodCacheRegistry registry, Duration retryFor) {

        /** The TTL assumed for entries when the interface has no {@code @Cached} method: the annotation's default. */
        private static final Duration DEFAULT_TTL = Duration.ofSeconds(3600);

        static Invalidation of(Method method, CacheInvalidate annotation, Collection<CachedMethodInvoker> cachedMethods,
                MethodCacheRegistry registry) {
            String where = "@CacheInvalidate on " + MethodReturnShape.describe(method);
            if (annotation.keys().length == 0 && annotation.methods().length == 0 && !annotation.allEntries()) {
                throw new IllegalArgumentException(where + " names nothing to remove: give keys, methods or allEntries = true");
            }
            if ((annotation.keys().length > 0 || annotation.allEntries()) && annotation.namespace().isBlank()) {
                throw new IllegalArgumentException(where + ": namespace must not be blank, was '" + annotation.namespace() + "'");
            }
            List<KeyTemplate> keys = new ArrayList<>();
            for (String key : annotation.keys()) {
                keys.add(KeyTemplate.parse(where, key, method));
            }
            List<CachedMethodInvoker> methods = new ArrayList<>();
            for (String name : annotation.methods()) {
                methods.addAll(fitting(where, name, method, cachedMethods));
            }
            if (keys.size() + (annotation.allEntries() ? 1 : 0) > 0) {
                requireBackendInUse(where, annotation, cachedMethods);
            }
            return new Invalidation(annotation.namespace(), annotation.backend(), List.copyOf(keys),
                    annotation.allEntries(), List.copyOf(methods), registry, longestLife(cachedMethods, registry));
        }

        /**
         * Returns how long an entry written before an invalidation can live: the longest {@code @Cached} ttl of
         * the interface (the annotation's default when it has none) plus the stale-if-error grace. A failed
         * removal is retried no longer than this.
         */
        private static Duration longestLife(Collection<CachedMethodInvoker> cachedMethods, MethodCacheRegistry registry) {
            Duration longest = cachedMethods.stream().map(cached -> Duration.ofSeconds(cached.annotation().ttl()))
                    .max(Duration::compareTo).orElse(DEFAULT_TTL);
            return longest.plus(registry.staleGrace());
        }

        void apply(Object[] args) {
            if (allEntries) {
                for (Cache<Object> cache : registry.cachesToInvalidate(namespace, backend)) {
                    cache.clearNamespace();
                }
            } else if (!keys.isEmpty()) {
                List<Cache<Object>> caches = registry.cachesToInvalidate(namespace, backend);
                for (KeyTemplate template : keys) {
                    String key = template.apply(args);
                    for (Cache<Object> cache : caches) {
                        registry.invalidate(cache, key, retryFor);
                    }
                }
            }
            for (CachedMethodInvoker cached : methods) {
                registry.invalidate(cached.cache(), cached.keys().key(args), retryFor);
            }
        }

        /** Returns the {@code @Cached} methods called {@code name} whose parameters the invalidating method's first ones fit. */
        private static List<CachedMethodInvoker> fitting(String where, String name, Method method,
                Collection<CachedMethodInvoker> cachedMethods) {
            List<CachedMethodInvoker> found = new ArrayList<>();
            List<String> unfit = new ArrayList<>();
            for (CachedMethodInvoker cached : cachedMethods) {
                Method candidate = cached.method();
                if (!candidate.getName().equals(name)) {
                    continue;
                }
                if (fits(method.getParameterTypes(), candidate.getParameterTypes())) {
                    found.add(cached);
                } else {
                    unfit.add(candidate.toGenericString());
                }
            }
            if (found.isEmpty()) {
                throw new IllegalArgumentException(where + ": methods names '" + name + "', but "
                        + (unfit.isEmpty()
                                ? "the interface has no @Cached method of that name"
                                : "no @Cached method of that name takes parameters this method's first ones can fill "
                                        + "(in order, assignable types): " + String.join(", ", unfit)));
            }
            return found;
        }

        private static boolean fits(Class<?>[] given, Class<?>[] wanted) {
            if (given.length < wanted.length) {
                return false;
            }
            for (int i = 0; i < wanted.length; i++) {
                if (!box(wanted[i]).isAssignableFrom(box(given[i]))) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Rejects {@code backend = MEMORY} (the default) for a namespace whose {@code @Cached} methods in
         * this interface all use another backend: the annotation would then remove nothing.
         */
        private static void requireBackendInUse(String where, CacheInvalidate annotation,
                Collection<CachedMethodInvoker> cachedMethods) {
            boolean sameBackend = false;
            CacheBackend other = null;
            for (CachedMethodInvoker cached : cachedMethods) {
                Cached spec = cached.annotation();
                if (spec.namespace().equals(annotation.namespace())) {
                    sameBackend |= spec.backend() == annotation.backend();
                    other = spec.backend() == annotation.backend() ? other : spec.backend();
                }
            }
            if (!sameBackend && other != null) {
                throw new IllegalArgumentException(where + " targets namespace '" + annotation.namespace() + "' on "
                        + annotation.backend() + ", but the @Cached methods of that namespace use " + other
                        + "; set backend = CacheBackend." + other);
            }
        }

        private static Class<?> box(Class<?> type) {
            if (!type.isPrimitive()) {
                return type;
            }
            return MethodReturnShape.box(type);
        }
    }

    /** A key of {@link CacheInvalidate#keys()}: literal text and {@code {n}} argument placeholders. */
    private record KeyTemplate(String template, List<String> literals, List<Integer> indexes) {

        private static final Pattern PLACEHOLDER = Pattern.compile("\\{(\\d+)}");

        static KeyTemplate parse(String where, String key, Method method) {
            if (key.isEmpty()) {
                throw new IllegalArgumentException(where + ": keys must not contain an empty key");
            }
            List<String> literals = new ArrayList<>();
            List<Integer> indexes = new ArrayList<>();
            Matcher matcher = PLACEHOLDER.matcher(key);
            int end = 0;
            while (matcher.find()) {
                int index;
                try {
                    index = Integer.parseInt(matcher.group(1));
                } catch (NumberFormatException tooLarge) {
                    index = Integer.MAX_VALUE;
                }
                if (index >= method.getParameterCount()) {
                    throw new IllegalArgumentException(where + ": key '" + key + "' refers to argument {" + matcher.group(1)
                            + "}, but the method has " + method.getParameterCount() + " parameter(s), numbered from {0}");
                }
                Class<?> type = method.getParameterTypes()[index];
                if (!MethodKeys.hasPlainText(type)) {
                    throw new IllegalArgumentException(where + ": key '" + key + "' puts argument {" + index + "} ("
                            + type.getName() + ") into a key; placeholders take strings, primitives, boxed primitives and "
                            + "enums, use methods = ... to remove the entries of a @Cached method for any argument type");
                }
                literals.add(key.substring(end, matcher.start()));
                indexes.add(index);
                end = matcher.end();
            }
            literals.add(key.substring(end));
            return new KeyTemplate(where + ": key '" + key + "'", List.copyOf(literals), List.copyOf(indexes));
        }

        String apply(Object[] args) {
            if (indexes.isEmpty()) {
                return literals.get(0);
            }
            StringBuilder key = new StringBuilder(literals.get(0));
            for (int i = 0; i < indexes.size(); i++) {
                Object argument = args[indexes.get(i)];
                try {
                    key.append(MethodKeys.plainText(argument));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(template + ": argument {" + indexes.get(i) + "} is "
                            + argument.getClass().getName() + "; " + e.getMessage(), e);
                }
                key.append(literals.get(i + 1));
            }
            return key.toString();
        }
    }
}
