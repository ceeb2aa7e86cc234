package com.netrunsystems.cache.testsupport;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Polls a condition until it holds or a deadline passes, instead of sleeping for a guessed time. */
final class Polling {

    static final Duration DEFAULT_INTERVAL = Duration.ofMillis(50);

    private Polling() {
    }

    /**
     * Calls {@code probe} every {@link #DEFAULT_INTERVAL} until it returns something other than {@code null} or
     * {@code false}, and returns that. A probe that throws counts as "not yet".
     *
     * @throws IllegalStateException when {@code timeout} passes first; names {@code what} and the last failure
     */
    static <T> T await(Duration timeout, String what, Callable<T> probe) {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception lastFailure = null;
        while (true) {
            try {
                T value = probe.call();
                if (value != null && !Boolean.FALSE.equals(value)) {
                    return value;
                }
            } catch (Exception e) {
                lastFailure = e;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException("Timed out after " + timeout.toMillis() + " ms waiting for " + what
                        + (lastFailure == null ? "" : "; last failure: " + lastFailure), lastFailure);
            }
            sleep(DEFAULT_INTERVAL);
        }
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting", e);
        }
    }
}
