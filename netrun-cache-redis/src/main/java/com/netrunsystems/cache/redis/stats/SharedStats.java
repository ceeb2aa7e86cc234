package com.netrunsystems.cache.redis.stats;

import com.netrunsystems.cache.redis.connection.RedisKeys;
import com.netrunsystems.cache.redis.connection.RedisLink;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * The hit and miss counters that the Python netrun-cache keeps in Redis
 * ({@code namespace:stats:hits}, {@code namespace:stats:misses}), shared by every process of a
 * namespace. Reads only add to local counters; a flush every second sends the sums with
 * {@code INCRBY}, so no read pays an extra round trip. Counts that cannot be sent are kept for
 * the next flush. Thread-safe.
 */
public final class SharedStats implements AutoCloseable {

    private final LongAdder pendingHits = new LongAdder();
    private final LongAdder pendingMisses = new LongAdder();
    private final byte[] hitsKey;
    private final byte[] missesKey;
    private final RedisLink link;
    private final io.netty.util.concurrent.ScheduledFuture<?> flushing;

    public SharedStats(RedisKeys keys, RedisLink link) {
        this.hitsKey = keys.encode("stats:hits");
        this.missesKey = keys.encode("stats:misses");
        this.link = link;
        this.flushing = link.client().getResources().eventExecutorGroup()
                .scheduleAtFixedRate(this::flush, 1, 1, TimeUnit.SECONDS);
    }

    public void record(long hits, long misses) {
        if (hits > 0) {
            pendingHits.add(hits);
        }
        if (misses > 0) {
            pendingMisses.add(misses);
        }
    }

    /** Sends the pending counts; returns when both were acknowledged or failed. */
    CompletableFuture<Void> flush() {
        return CompletableFuture.allOf(send(pendingHits, hitsKey), send(pendingMisses, missesKey));
    }

    private CompletableFuture<Long> send(LongAdder pending, byte[] key) {
        long count = pending.sumThenReset();
        if (count == 0) {
            return CompletableFuture.completedFuture(0L);
        }
        return link.run(c -> c.commands().incrby(key, count).toCompletableFuture()).whenComplete((total, error) -> {
            if (error != null) {
                pending.add(count); // keep it for the next flush
            }
        });
    }

    /** Stops the periodic flush and sends what is pending, waiting at most a second. */
    @Override
    public void close() {
        flushing.cancel(false);
        try {
            flush().get(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception ignored) {
            // best effort at shutdown: the counts are statistics, not data
        }
    }

}
