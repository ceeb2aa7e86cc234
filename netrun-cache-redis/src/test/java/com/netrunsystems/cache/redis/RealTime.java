package com.netrunsystems.cache.redis;

import java.time.Duration;

/** Lets real time pass for tests against Redis, which expires keys on its own clock. */
final class RealTime {

    private RealTime() {
    }

    /** Blocks for {@code duration}: Redis has no fake clock, so TTL tests must wait the TTL out. */
    static void pass(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while letting time pass", e);
        }
    }
}
