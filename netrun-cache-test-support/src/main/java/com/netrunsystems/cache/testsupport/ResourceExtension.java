package com.netrunsystems.cache.testsupport;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The lifecycle shared by the extensions: the first {@code beforeAll} starts the resource and keeps it in the
 * test class's {@link ExtensionContext.Store}, where {@code @Nested} classes find the outer one and JUnit closes it
 * when that class ends (JUnit 5.13+ closes stored {@link AutoCloseable}s). Test and lifecycle methods may also
 * declare a parameter of the resource's type. Subclasses state only what to start.
 */
abstract class ResourceExtension<T extends AutoCloseable> implements BeforeAllCallback, ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(ResourceExtension.class);

    private final String kind;
    private final Class<T> type;
    private final Supplier<T> starter;
    private volatile T resource;

    ResourceExtension(String kind, Class<T> type, Supplier<T> starter) {
        this.kind = kind;
        this.type = type;
        this.starter = starter;
    }

    @Override
    public final void beforeAll(ExtensionContext context) {
        Started started = context.getStore(NAMESPACE)
                .getOrComputeIfAbsent(this, key -> new Started(this, starter.get()), Started.class);
        resource = type.cast(started.resource);
    }

    /** The running resource; fails when used outside the test class that registered the extension. */
    final T resource() {
        T running = resource;
        if (running == null) {
            throw new IllegalStateException("The " + kind + " is not running: register the extension on a static "
                    + "field with @RegisterExtension, and use it only while the test class runs");
        }
        return running;
    }

    @Override
    public final boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == type;
    }

    @Override
    public final T resolveParameter(ParameterContext parameter, ExtensionContext context) {
        Started started = context.getStore(NAMESPACE).get(this, Started.class);
        if (started == null) {
            throw new ParameterResolutionException("The " + kind + " is not running: register the extension on a "
                    + "static field with @RegisterExtension");
        }
        return type.cast(started.resource);
    }

    /** A started resource as stored; JUnit closes it when the class that started it ends. */
    @SuppressWarnings("try") // closed by JUnit, never in a try-with-resources
    private static final class Started implements AutoCloseable {
        private final ResourceExtension<?> owner;
        private final AutoCloseable resource;

        Started(ResourceExtension<?> owner, AutoCloseable resource) {
            this.owner = owner;
            this.resource = resource;
        }

        @Override
        public void close() throws Exception {
            if (owner.resource == resource) {
                owner.resource = null;
            }
            resource.close();
        }
    }
}
