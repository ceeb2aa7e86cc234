package com.netrunsystems.cache.cli;

import java.io.PrintWriter;
import java.util.Locale;

/**
 * A progress bar on standard error, redrawn in place ({@code \r}) at most every 100 ms:
 * {@code scanning [##########..........]  50%  12,345 keys}. Draws nothing when disabled (no terminal,
 * or {@code --json}), so that scripts and logs get clean output. Not thread-safe.
 */
final class ProgressBar {

    private static final int WIDTH = 30;
    private static final long REDRAW_NANOS = 100_000_000L;

    private final PrintWriter err;
    private final boolean enabled;
    private final String label;
    private final long total;
    private long lastDrawNanos;

    /**
     * @param total the amount of work when done; an estimate is fine (the bar stops at 99 % until {@link #finish})
     */
    ProgressBar(PrintWriter err, boolean enabled, String label, long total) {
        this.err = err;
        this.enabled = enabled;
        this.label = label;
        this.total = Math.max(1, total);
        this.lastDrawNanos = System.nanoTime() - REDRAW_NANOS;
    }

    /** Shows {@code done} units of work and {@code count} items found so far (keys), redrawing if it is time. */
    void update(long done, long count) {
        if (!enabled) {
            return;
        }
        long now = System.nanoTime();
        if (now - lastDrawNanos < REDRAW_NANOS) {
            return;
        }
        lastDrawNanos = now;
        draw(Math.min(99, done * 100 / total), count);
    }

    /** Shows 100 % and ends the line (when enabled). */
    void finish(long count) {
        if (!enabled) {
            return;
        }
        draw(100, count);
        err.println();
        err.flush();
    }

    private void draw(long percent, long count) {
        int filled = (int) (percent * WIDTH / 100);
        err.printf(Locale.ROOT, "\r%s [%s%s] %3d%%  %,d keys", label, "#".repeat(filled), ".".repeat(WIDTH - filled),
                percent, count);
        err.flush();
    }
}
