package com.netrunsystems.cache.tiered;

import com.netrunsystems.cache.AsyncCache;
import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.CacheUnavailableException;
import com.netrunsystems.cache.check.Checks;
import com.netrunsystems.cache.stats.StatsCounter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * The writes of a two-level cache, each written once over futures: write-through (L2, then L1 for
 * {@code min(ttl, l1Ttl)}), then peers are told. While L2 is unreachable or its circuit open, writes
 * go to L1 and answer {@code true} (one layer stored the value); a write L2 refused (a write rejection)
 * leaves no layer with the value and answers {@code false}. Counters live in L2 once it was reached
 * and then never fail open. A write completes on the thread that receives L2's reply, within the
 * {@link L2Guard}'s call timeout; the blocking view waits on these futures.
 *
 * <p>Arguments are checked at once (an {@link IllegalArgumentException} is thrown, not returned).
 * Thread-safe.
 *
 * @param <V> the type of the cached values
 */
public final class TieredWrites<V> {

    /** What happened to an L2 write. */
    public enum L2State {
        /** L2 applied it. */
        DONE,
        /** L2 was unavailable (failed or timed out): it may or may not have applied it. */
        FAILED,
        /** L2 answered and refused it (a write rejection: {@code OOM}, {@code READONLY}, ...): not applied. */
        REJECTED,
        /** The circuit is open: L2 was not asked. */
        SKIPPED
    }

    /** The answer of an L2 write ({@code fallback} unless {@link L2State#DONE}) and what happened. */
    public record L2Outcome<T>(T value, L2State state) {
    }

    private final Cache<V> local;
    private final L1Coherence<V> coherence;
    private final L2Guard<V> l2;
    private final StatsCounter stats;
    private final String namespace;

    /** Creates the writes; {@code l2} is {@code null} for a memory-only cache. */
    public TieredWrites(LocalLayer<V> l1, L1Coherence<V> coherence, L2Guard<V> l2, StatsCounter stats, String namespace) {
        this.local = l1.cache();
        this.coherence = coherence;
        this.l2 = l2;
        this.stats = stats;
        this.namespace = namespace;
    }

    /** {@code set}: write-through; true when a layer stored it. */
    public CompletableFuture<Boolean> set(String key, V value, Duration ttl) {
        checkEntry(key, value, ttl);
        if (l2 == null) {
            return CompletableFuture.completedFuture(local.set(key, value, ttl));
        }
        return coherence.whenReady(() -> store(key, value, coherence.l1Ttl(ttl), () -> remote().set(key, value, ttl)));
    }

    /**
     * Writes through: L1 at once (so that a read in this JVM sees the value before L2 answers, also when
     * the caller does not wait for the future), then L2 with {@code remote}, then L1 again for
     * {@code l1Ttl}; answers whether a layer stored it. When L2 refused it (a write rejection), L1 drops
     * the key instead, and the answer is {@code false}.
     */
    public CompletableFuture<Boolean> store(String key, V value, Duration l1Ttl,
            Supplier<? extends CompletableFuture<Boolean>> remote) {
        long epoch = coherence.epoch();
        local.set(key, value, l1Ttl);
        return l2Write("SET", key, remote, false).thenApply(outcome -> {
            boolean stored;
            if (outcome.state() == L2State.REJECTED) {
                local.delete(key);
                stored = false;
            } else {
                stored = local.set(key, value, l1Ttl);
            }
            coherence.settle(List.of(key), epoch, outcome.state() != L2State.SKIPPED);
            return outcome.value() || stored;
        });
    }

    /** {@code setIfAbsent}: L2 decides; when L2 could not be asked, L1 alone decides. */
    public CompletableFuture<Boolean> setIfAbsent(String key, V value, Duration ttl) {
        checkEntry(key, value, ttl);
        if (l2 == null) {
            return CompletableFuture.completedFuture(local.setIfAbsent(key, value, ttl));
        }
        return coherence.whenReady(() -> {
            long epoch = coherence.epoch();
            return l2Write("SET NX", key, () -> remote().setIfAbsent(key, value, ttl), false).thenApply(outcome -> {
                boolean stored;
                if (outcome.state() == L2State.SKIPPED || outcome.state() == L2State.FAILED) {
                    stored = local.setIfAbsent(key, value, coherence.l1Ttl(ttl)); // L2 could not be asked: L1 decides
                } else if (outcome.value()) {
                    stored = local.set(key, value, coherence.l1Ttl(ttl));
                } else {
                    local.delete(key); // the key exists in L2, or L2 refused the write
                    stored = false;
                }
                coherence.settle(List.of(key), epoch, outcome.state() != L2State.SKIPPED);
                return stored;
            });
        });
    }

    /** {@code delete}: from both layers; true when L2 (or, memory-only, L1) removed a key. */
    public CompletableFuture<Boolean> delete(String key) {
        Checks.key(key);
        if (l2 == null) {
            return CompletableFuture.completedFuture(local.delete(key));
        }
        return coherence.whenReady(() -> deleteBothLayers(key)).thenApply(L2Outcome::value);
    }

    /**
     * Deletes like {@link #delete}, but fails with {@link CacheUnavailableException} when L2 was not
     * reached (circuit open, or the call failed), counting it as an error; for {@code @CacheInvalidate},
     * which must not mistake a failed delete for a key that was absent.
     */
    public CompletableFuture<Boolean> deleteOrFail(String key) {
        Checks.key(key);
        if (l2 == null) {
            return CompletableFuture.completedFuture(local.delete(key));
        }
        return coherence.whenReady(() -> deleteBothLayers(key)).thenApply(outcome -> {
            if (outcome.state() == L2State.SKIPPED) {
                stats.recordError(); // a failed call was counted by the guard already
            }
            if (outcome.state() != L2State.DONE) {
                throw new CacheUnavailableException("DELETE of '" + key + "' in namespace '" + namespace
                        + "' did not reach Redis at " + l2.endpoint() + " (L2 circuit " + l2.state() + ")");
            }
            return outcome.value();
        });
    }

    private CompletableFuture<L2Outcome<Boolean>> deleteBothLayers(String key) {
        long epoch = coherence.epoch();
        local.delete(key); // at once: a read in this JVM no longer sees it, whether or not the caller waits
        return l2Write("DELETE", key, () -> remote().delete(key), false).thenApply(outcome -> {
            local.delete(key);
            coherence.settle(List.of(key), epoch, outcome.state() != L2State.SKIPPED);
            return outcome;
        });
    }

    /** {@code expire}: L2's answer; L1 drops the key, refilled from L2 with the new remaining TTL. */
    public CompletableFuture<Boolean> expire(String key, Duration ttl) {
        Checks.key(key);
        Checks.ttl(ttl);
        if (l2 == null) {
            return CompletableFuture.completedFuture(local.expire(key, ttl));
        }
        return coherence.whenReady(() -> {
            long epoch = coherence.epoch();
            local.delete(key);
            return l2Write("EXPIRE", key, () -> remote().expire(key, ttl), false).thenApply(outcome -> {
                local.delete(key);
                coherence.settle(List.of(key), epoch, outcome.state() != L2State.SKIPPED);
                return outcome.value();
            });
        });
    }

    /** {@code setMany}: one L2 round trip, then L1; L2's count, or L1's when L2 could not be asked. */
    public CompletableFuture<Integer> setMany(Map<String, ? extends V> items, Duration ttl) {
        Checks.items(items);
        Checks.ttl(ttl);
        if (items.isEmpty()) {
            return CompletableFuture.completedFuture(0);
        }
        if (l2 == null) {
            return CompletableFuture.completedFuture(local.setMany(items, ttl));
        }
        Map<String, V> copy = new LinkedHashMap<>(items); // the caller may change its map before L2 answers
        return coherence.whenReady(() -> {
            long epoch = coherence.epoch();
            local.setMany(copy, coherence.l1Ttl(ttl));
            return l2Write("SET (pipelined)", copy.size() + " keys", () -> remote().setMany(copy, ttl), 0)
                    .thenApply(outcome -> {
                        int stored;
                        if (outcome.state() == L2State.REJECTED) {
                            copy.keySet().forEach(local::delete);
                            stored = 0;
                        } else {
                            int inL1 = local.setMany(copy, coherence.l1Ttl(ttl));
                            stored = outcome.state() == L2State.DONE ? outcome.value() : inL1;
                        }
                        coherence.settle(new ArrayList<>(copy.keySet()), epoch, outcome.state() != L2State.SKIPPED);
                        return stored;
                    });
        });
    }

    /**
     * {@code increment}: in L2 (L1's copy dropped) once L2 was reached, failing while it is down; in L1
     * while it never was (memory-only, as the seed does).
     */
    public CompletableFuture<Long> increment(String key, long amount) {
        Checks.key(key);
        if (l2 == null) {
            return CompletableFuture.completedFuture(local.increment(key, amount));
        }
        return coherence.whenReady(() -> {
            if (l2.admits()) {
                return l2.call(() -> remote().increment(key, amount)).handle((value, error) -> {
                    if (error == null) {
                        l2.succeeded();
                        coherence.invalidated();
                        local.delete(key);
                        coherence.publish(List.of(key));
                        return value;
                    }
                    CacheException e = l2.failure(error, "INCRBY", "key '" + key + "'");
                    if (!(e instanceof CacheUnavailableException)) {
                        throw e; // not an integer, an overflow: the caller's
                    }
                    l2.failed(e, "INCRBY", key);
                    if (l2.reached()) {
                        throw e;
                    }
                    return local.increment(key, amount); // L2 never reached: memory-only
                });
            }
            if (l2.reached()) {
                throw new CacheUnavailableException("counter '" + key + "' in namespace '" + namespace
                        + "' lives in Redis (" + l2.endpoint() + "), which is unavailable: the L2 circuit is " + l2.state());
            }
            return CompletableFuture.completedFuture(local.increment(key, amount)); // L2 never reached
        });
    }

    /** {@code clearNamespace}: L2's count of removed keys; L1 is cleared and peers told to clear theirs. */
    public CompletableFuture<Long> clearNamespace() {
        if (l2 == null) {
            return CompletableFuture.completedFuture(local.clearNamespace());
        }
        return coherence.whenReady(() -> l2Write("SCAN+UNLINK", "*", () -> remote().clearNamespace(), 0L)
                .thenApply(outcome -> {
                    local.clearNamespace();
                    if (outcome.state() != L2State.SKIPPED) {
                        coherence.publishAll();
                    }
                    return outcome.value();
                }));
    }

    /**
     * Runs a write on L2 when the circuit lets it through. Unless it was skipped, it then counts as an
     * invalidation at once, before the caller touches L1, so that a read racing with it does not fill
     * L1 with the value it replaced. Fails open ({@code fallback}) when L2 is skipped or fails.
     */
    private <T> CompletableFuture<L2Outcome<T>> l2Write(String operation, String subject,
            Supplier<? extends CompletableFuture<T>> remote, T fallback) {
        if (!l2.allow(operation, subject)) {
            return CompletableFuture.completedFuture(new L2Outcome<>(fallback, L2State.SKIPPED));
        }
        return l2.call(remote).handle((result, error) -> {
            coherence.invalidated();
            if (error == null) {
                l2.succeeded();
                return new L2Outcome<>(result, L2State.DONE);
            }
            CacheException e = l2.failure(error, operation, subject);
            l2.failed(e, operation, subject);
            return new L2Outcome<>(fallback, L2Guard.isRejection(e) ? L2State.REJECTED : L2State.FAILED);
        });
    }

    private AsyncCache<V> remote() {
        return l2.layer().cache().async();
    }

    private static <V> void checkEntry(String key, V value, Duration ttl) {
        Checks.key(key);
        Checks.value(key, value);
        Checks.ttl(ttl);
    }
}
