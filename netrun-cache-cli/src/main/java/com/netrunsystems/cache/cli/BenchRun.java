package com.netrunsystems.cache.cli;

import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * One load run of {@code netrun-cache bench}: preloads the keys, then runs the worker threads for
 * the duration, each picking keys uniformly at random and reading with the read ratio (writing
 * otherwise), timing every call into its own HdrHistogram, and merges the results. Used once, from
 * one thread; the workers it starts are its own.
 */
final class BenchRun {

    /** What one run measured. */
    record Outcome(long reads, long writes, long errors, long hits, Duration elapsed, Histogram latencyNanos) {
        long operations() {
            return reads + writes;
        }

        double throughput() {
            double seconds = elapsed.toNanos() / 1e9;
            return seconds == 0 ? 0 : operations() / seconds;
        }
    }

    private static final int PRELOAD_CHUNK = 1_000;
    private static final long PROGRESS_MILLIS = 250;
    private static final int BAR_WIDTH = 30;

    private final Cache<Object> cache;
    private final int threads;
    private final Duration duration;
    private final String[] keys;
    private final String value;
    private final double readRatio;

    BenchRun(Cache<Object> cache, int threads, Duration duration, int keyCount, int valueSize, double readRatio) {
        this.cache = cache;
        this.threads = threads;
        this.duration = duration;
        this.keys = new String[keyCount];
        for (int i = 0; i < keyCount; i++) {
            keys[i] = "key:" + i;
        }
        this.value = "v".repeat(valueSize);
        this.readRatio = readRatio;
    }

    /** Writes every key once, in chunks of {@value #PRELOAD_CHUNK} ({@code setMany}: one round trip each on Redis). */
    void preload() {
        Map<String, Object> chunk = new LinkedHashMap<>();
        for (String key : keys) {
            chunk.put(key, value);
            if (chunk.size() == PRELOAD_CHUNK) {
                cache.setMany(chunk);
                chunk.clear();
            }
        }
        if (!chunk.isEmpty()) {
            cache.setMany(chunk);
        }
    }

    /**
     * Runs the workers for the duration; when {@code progress} is not null, redraws a progress bar on
     * it every {@value #PROGRESS_MILLIS} ms and ends it with a newline.
     */
    Outcome run(PrintWriter progress) throws InterruptedException {
        LongAdder done = new LongAdder();
        List<Worker> workers = new ArrayList<>();
        CountDownLatch finished = new CountDownLatch(threads);
        long start = System.nanoTime();
        long deadline = start + duration.toNanos();
        for (int i = 0; i < threads; i++) {
            Worker worker = new Worker(i, deadline, done, finished);
            workers.add(worker);
            Thread thread = new Thread(worker, "netrun-bench-" + i);
            thread.setDaemon(true);
            thread.start();
        }
        while (!finished.await(PROGRESS_MILLIS, TimeUnit.MILLISECONDS)) {
            if (progress != null) {
                drawProgress(progress, System.nanoTime() - start, done.sum());
            }
        }
        long elapsed = System.nanoTime() - start;
        if (progress != null) {
            drawProgress(progress, elapsed, done.sum());
            progress.println();
            progress.flush();
        }
        Histogram latency = new Histogram(3);
        long reads = 0;
        long writes = 0;
        long errors = 0;
        long hits = 0;
        for (Worker worker : workers) {
            latency.add(worker.latency);
            reads += worker.reads;
            writes += worker.writes;
            errors += worker.errors;
            hits += worker.hits;
        }
        return new Outcome(reads, writes, errors, hits, Duration.ofNanos(elapsed), latency);
    }

    private void drawProgress(PrintWriter out, long elapsedNanos, long operations) {
        double fraction = Math.min(1.0, (double) elapsedNanos / duration.toNanos());
        int filled = (int) Math.round(fraction * BAR_WIDTH);
        double seconds = elapsedNanos / 1e9;
        out.printf(Locale.ROOT, "\r[%s%s] %3d%%  %.1f/%.1f s  %,d ops  %,.0f ops/s ", "#".repeat(filled),
                ".".repeat(BAR_WIDTH - filled), Math.round(fraction * 100), Math.min(seconds, duration.toNanos() / 1e9),
                duration.toNanos() / 1e9, operations, seconds == 0 ? 0 : operations / seconds);
        out.flush();
    }

    /** One worker thread; its counters are read after it finished. */
    private final class Worker implements Runnable {
        private final SplittableRandom random;
        private final long deadline;
        private final LongAdder done;
        private final CountDownLatch finished;
        final Histogram latency = new Histogram(3);
        long reads;
        long writes;
        long errors;
        long hits;

        Worker(int index, long deadline, LongAdder done, CountDownLatch finished) {
            this.random = new SplittableRandom(0x5EED + index);
            this.deadline = deadline;
            this.done = done;
            this.finished = finished;
        }

        @Override
        public void run() {
            try {
                long now = System.nanoTime();
                while (now - deadline < 0) {
                    String key = keys[random.nextInt(keys.length)];
                    boolean read = random.nextDouble() < readRatio;
                    try {
                        if (read) {
                            if (cache.get(key) != null) {
                                hits++;
                            }
                        } else {
                            cache.set(key, value);
                        }
                    } catch (CacheException e) {
                        errors++;
                    }
                    long end = System.nanoTime();
                    latency.recordValue(Math.max(0, end - now));
                    if (read) {
                        reads++;
                    } else {
                        writes++;
                    }
                    done.increment();
                    now = end;
                }
            } finally {
                finished.countDown();
            }
        }
    }
}
