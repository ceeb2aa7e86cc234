package com.netrunsystems.cache.redis;

import com.netrunsystems.cache.redis.connection.RedisKeys;
import com.netrunsystems.cache.redis.connection.RedisLink;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Walks one namespace's keys with {@code SCAN MATCH} in batches of {@value #SCAN_BATCH} (never {@code KEYS}),
 * to clear them ({@code UNLINK}) or count them. Each page is handled in the reply's stage, so callers hop off the
 * Lettuce I/O thread themselves. Thread-safe: it holds no mutable state.
 */
final class NamespaceScan {

    private static final int SCAN_BATCH = 1000;

    private final RedisKeys keys;

    NamespaceScan(RedisKeys keys) {
        this.keys = keys;
    }

    /** Unlinks every key of the namespace, bookkeeping included; answers how many entries it removed. */
    CompletableFuture<Long> clear(RedisLink.Connected c) {
        return scan(c, ScanCursor.INITIAL, 0L, true);
    }

    /** Counts the namespace's entries, not the load pipeline's bookkeeping. */
    CompletableFuture<Long> count(RedisLink.Connected c) {
        return scan(c, ScanCursor.INITIAL, 0L, false);
    }

    private CompletableFuture<Long> scan(RedisLink.Connected c, ScanCursor cursor, long total, boolean unlink) {
        ScanArgs args = ScanArgs.Builder.matches(keys.scanPattern().getBytes(StandardCharsets.UTF_8)).limit(SCAN_BATCH);
        return c.commands().scan(cursor, args).toCompletableFuture().thenCompose(page -> {
            List<byte[]> found = page.getKeys();
            CompletableFuture<Long> step;
            if (found.isEmpty()) {
                step = CompletableFuture.completedFuture(0L);
            } else if (unlink) {
                step = unlink(c, found);
            } else {
                step = CompletableFuture.completedFuture(found.stream().filter(key -> !keys.isInternal(key)).count());
            }
            return step.thenCompose(n -> page.isFinished()
                    ? CompletableFuture.completedFuture(total + n)
                    : scan(c, page, total + n, unlink));
        });
    }

    /**
     * Unlinks a page of scanned keys; returns how many entries it removed, not counting the load
     * pipeline's bookkeeping (grace copies, leases), which goes in a second command.
     */
    private CompletableFuture<Long> unlink(RedisLink.Connected c, List<byte[]> found) {
        List<byte[]> entries = new ArrayList<>(found.size());
        List<byte[]> internal = new ArrayList<>();
        for (byte[] key : found) {
            (keys.isInternal(key) ? internal : entries).add(key);
        }
        CompletableFuture<Long> removed = entries.isEmpty() ? CompletableFuture.completedFuture(0L)
                : c.commands().unlink(entries.toArray(new byte[0][])).toCompletableFuture();
        if (internal.isEmpty()) {
            return removed;
        }
        CompletableFuture<Long> bookkeeping = c.commands().unlink(internal.toArray(new byte[0][])).toCompletableFuture();
        return removed.thenCombine(bookkeeping, (n, ignored) -> n);
    }
}
