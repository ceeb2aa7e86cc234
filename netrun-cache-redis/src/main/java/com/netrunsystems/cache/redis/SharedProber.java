package com.netrunsystems.cache.redis;

import com.netrunsystems.cache.internal.RemoteLayer;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The one background thread of an endpoint that runs the periodic L2 probes of every
 * {@code CacheManager} on it (named {@code netrun-cache-l2-probe-<endpoint>}, a daemon): started with
 * the first probe, stopped when the last one is cancelled. The probes run one after another; a probe
 * that waits for a frozen Redis delays the others by at most its call's timeout, and once Redis
 * answers again each of them takes a round trip. Thread-safe.
 */
final class SharedProber {

    private final String endpoint;
    private ScheduledExecutorService thread; // guarded by this; null while no probe is scheduled
    private int scheduled;                    // guarded by this

    SharedProber(String endpoint) {
        this.endpoint = endpoint;
    }

    /** Runs {@code probe} now and then every {@code interval} after the previous run ended, until the returned handle is closed. */
    synchronized RemoteLayer.Scheduled schedule(Runnable probe, Duration interval) {
        if (thread == null) {
            thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread t = new Thread(runnable, "netrun-cache-l2-probe-" + endpoint);
                t.setDaemon(true);
                return t;
            });
        }
        scheduled++;
        ScheduledExecutorService on = thread;
        ScheduledFuture<?> task = on.scheduleWithFixedDelay(probe, 0, interval.toNanos(), TimeUnit.NANOSECONDS);
        return new RemoteLayer.Scheduled() {
            private boolean cancelled; // guarded by SharedProber.this

            @Override
            public void close() {
                task.cancel(false);
                synchronized (SharedProber.this) {
                    if (cancelled) {
                        return;
                    }
                    cancelled = true;
                    if (--scheduled == 0 && thread == on) {
                        thread.shutdown();
                        thread = null;
                    }
                }
            }
        };
    }

    /** Stops the thread, whatever is still scheduled. */
    synchronized void close() {
        if (thread != null) {
            thread.shutdownNow();
            thread = null;
        }
    }
}
