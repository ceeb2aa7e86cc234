package com.netrunsystems.cache.testsupport;

import java.util.function.Supplier;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The shared before-all/after-all logic of the extensions: starts the resource in the first {@code beforeAll} (so
 * {@code @Nested} classes reuse the outer one) and closes it in the {@code afterAll} of the same class.
 */
final class ExtensionLifecycle<T extends AutoCloseable> {

    private final String kind;
    private final Supplier<T> starter;
    private T resource;
    private String ownerId;

    ExtensionLifecycle(String kind, Supplier<T> starter) {
        this.kind = kind;
        this.starter = starter;
    }

    synchronized void beforeAll(ExtensionContext context) {
        if (resource == null) {
            resource = starter.get();
            ownerId = context.getUniqueId();
        }
    }

    synchronized void afterAll(ExtensionContext context) throws Exception {
        if (resource != null && context.getUniqueId().equals(ownerId)) {
            T started = resource;
            resource = null;
            ownerId = null;
            started.close();
        }
    }

    synchronized T get() {
        if (resource == null) {
            throw new IllegalStateException("The " + kind + " is not running: register the extension on a static field "
                    + "with @RegisterExtension, and use it only while the test class runs");
        }
        return resource;
    }
}
