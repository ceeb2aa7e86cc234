package com.netrunsystems.cache.tiered;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one two-level cache's L2 probe task every {@value #INTERVAL_MILLIS} ms on a daemon thread of
 * its own, {@code netrun-cache-l2-probe-<namespace>}, so that recovery needs no traffic. The task must
 * not block (it sends a {@code PING} and returns). A task that throws is logged and runs again at the
 * next tick. Thread-safe; {@link #close()} stops the thread and is idempotent.
 */
public final class L2Prober implements AutoCloseable {

    /** The interval between two runs of the task. */
    public static final long INTERVAL_MILLIS = 100;

    private static final Logger log = LoggerFactory.getLogger("com.netrunsystems.cache.CacheManager");

    private final ScheduledExecutorService executor;

    private L2Prober(String namespace, Runnable task) {
        this.executor = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "netrun-cache-l2-probe-" + namespace);
            thread.setDaemon(true);
            return thread;
        });
        executor.scheduleWithFixedDelay(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.debug("L2 probe in namespace '{}' failed: {}", namespace, e.toString());
            }
        }, 0, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Starts running {@code task} for the cache of {@code namespace}; the first run is now. */
    public static L2Prober start(String namespace, Runnable task) {
        return new L2Prober(namespace, task);
    }

    /** Stops the thread; a run in progress is interrupted. */
    @Override
    public void close() {
        executor.shutdownNow();
    }
}
