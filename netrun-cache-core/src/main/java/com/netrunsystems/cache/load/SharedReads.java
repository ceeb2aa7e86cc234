package com.netrunsystems.cache.load;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * The first reads of {@code getOrLoad} in flight per key on a remote target, shared by the callers that
 * arrive while one is on its way: in a stampede on a cold key every caller would otherwise read before
 * the first one could start the load the others join. A read that has completed is never shared: a
 * caller that wrote the key and then calls sees its write (a reply to a read sent before the write
 * arrives before the write's own reply on the connection). Thread-safe.
 *
 * @param <V> the type of the cached values
 */
final class SharedReads<V> {

    private final LoadTarget<V> target;
    private final Flights<V> flights;
    private final boolean needsTtl;
    private final ConcurrentHashMap<String, Read<V>> reads = new ConcurrentHashMap<>();

    SharedReads(LoadTarget<V> target, Flights<V> flights, boolean needsTtl) {
        this.target = target;
        this.flights = flights;
        this.needsTtl = needsTtl;
    }

    /**
     * A read in flight, and how many loads had finished when it was sent. Counts the callers that joined it,
     * so that the last of them to stop waiting abandons it ({@link #abandon}).
     */
    static final class Read<V> {
        private final CompletableFuture<TtlValue<V>> result = new CompletableFuture<>();
        private final long finishedBefore;
        private volatile CompletableFuture<TtlValue<V>> sent;
        private int callers = 1; // guarded by this
        private boolean abandoned; // guarded by this

        Read(long finishedBefore) {
            this.finishedBefore = finishedBefore;
        }

        CompletableFuture<TtlValue<V>> result() {
            return result;
        }

        long finishedBefore() {
            return finishedBefore;
        }

        /** Joins this read unless every caller of it has abandoned it. */
        synchronized boolean join() {
            if (abandoned) {
                return false;
            }
            callers++;
            return true;
        }

        /** One caller stops waiting; returns whether it was the last, so that the read is abandoned. */
        synchronized boolean leave() {
            if (--callers > 0 || result.isDone()) {
                return false;
            }
            abandoned = true;
            return true;
        }
    }

    /** Returns the read of {@code key} on its way now, or sends one (its reply decoded on {@code executor}). */
    Read<V> read(String key, Executor executor) {
        while (true) {
            Read<V> current = reads.get(key);
            if (current != null && !current.result().isDone() && current.join()) {
                return current;
            }
            Read<V> mine = new Read<>(flights.finishedLoads());
            boolean installed = current == null ? reads.putIfAbsent(key, mine) == null : reads.replace(key, current, mine);
            if (!installed) {
                continue;
            }
            CompletableFuture<TtlValue<V>> sent;
            try {
                sent = Objects.requireNonNull(target.read(key, needsTtl, executor), "read returned null");
            } catch (RuntimeException | Error e) {
                sent = CompletableFuture.failedFuture(e); // callers that joined meanwhile fail as this one does
            }
            mine.sent = sent;
            sent.whenComplete((value, error) -> {
                reads.remove(key, mine);
                if (error != null) {
                    mine.result().completeExceptionally(Stages.unwrap(error));
                } else {
                    mine.result().complete(value);
                }
            });
            return mine;
        }
    }

    /**
     * A blocking caller of {@code read} stopped waiting (interrupted). When no other caller waits on it, the
     * read is abandoned ({@link Abandonable#abandon}): if the target's read is abandonable, its late reply or
     * timeout counts nowhere; callers arriving later send a read of their own.
     */
    void abandon(String key, Read<V> read) {
        if (read.leave()) {
            reads.remove(key, read);
            Abandonable.abandon(read.sent);
        }
    }

    /** Returns how many callers wait on the read of {@code key} in flight now (for tests). */
    int waiting(String key) {
        Read<V> current = reads.get(key);
        return current == null ? 0 : current.result().getNumberOfDependents();
    }
}
