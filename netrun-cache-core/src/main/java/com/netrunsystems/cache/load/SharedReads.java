package com.netrunsystems.cache.load;

import com.netrunsystems.cache.internal.TtlValue;
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

    /** A read in flight, and how many loads had finished when it was sent. */
    record Read<V>(CompletableFuture<TtlValue<V>> result, long finishedBefore) {
    }

    /** Returns the read of {@code key} on its way now, or sends one (its reply decoded on {@code executor}). */
    Read<V> read(String key, Executor executor) {
        while (true) {
            Read<V> current = reads.get(key);
            if (current != null && !current.result().isDone()) {
                return current;
            }
            Read<V> mine = new Read<>(new CompletableFuture<>(), flights.finishedLoads());
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

    /** Returns how many callers wait on the read of {@code key} in flight now (for tests). */
    int waiting(String key) {
        Read<V> current = reads.get(key);
        return current == null ? 0 : current.result().getNumberOfDependents();
    }
}
