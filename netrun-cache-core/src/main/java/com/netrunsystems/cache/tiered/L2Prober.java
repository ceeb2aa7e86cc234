package com.netrunsystems.cache.tiered;

import com.netrunsystems.cache.internal.RemoteLayer;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one two-level cache's L2 probe task every {@value #INTERVAL_MILLIS} ms, so that recovery needs no
 * traffic, on the background thread that its L2 shares among every cache on the same endpoint
 * ({@link RemoteLayer#scheduleProbe}: for Redis, one {@code netrun-cache-l2-probe-<endpoint>} thread per
 * endpoint). The task must not block (it sends a {@code PING} and returns): the thread serves every
 * cache on the endpoint. A task that throws is logged and runs again at the next tick. Thread-safe;
 * {@link #close()} cancels the task and is idempotent.
 */
public final class L2Prober implements ProbeRegistration {

    /** The interval between two runs of the task. */
    public static final long INTERVAL_MILLIS = 100;

    private static final Logger log = LoggerFactory.getLogger("com.netrunsystems.cache.CacheManager");

    private final RemoteLayer.Scheduled scheduled;

    private L2Prober(RemoteLayer<?> layer, String namespace, Runnable task) {
        this.scheduled = layer.scheduleProbe(() -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.debug("L2 probe in namespace '{}' failed: {}", namespace, e.toString());
            }
        }, Duration.ofMillis(INTERVAL_MILLIS));
    }

    /** Starts running {@code task} for the cache of {@code namespace} on {@code layer}'s prober; the first run is now. */
    public static L2Prober start(RemoteLayer<?> layer, String namespace, Runnable task) {
        return new L2Prober(layer, namespace, task);
    }

    /** Cancels the task; a run in progress finishes. */
    @Override
    public void close() {
        scheduled.close();
    }
}
