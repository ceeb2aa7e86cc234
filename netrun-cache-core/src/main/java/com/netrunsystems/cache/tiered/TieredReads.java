package com.netrunsystems.cache.tiered;

import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.internal.Checks;
import com.netrunsystems.cache.internal.StatsCounter;
import com.netrunsystems.cache.internal.TtlValue;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The reads of a two-level cache ({@code get}, {@code exists}, {@code getMany}), each written once
 * over futures: L1 when it is trusted, then L2 (filling L1 for {@code min(l1Ttl, remaining TTL)});
 * while L2 is unreachable or its circuit open, L1 whatever its trust, and never an exception (unless
 * the cache does not fail open). An L1 hit answers on the caller's thread; an L2 read completes on
 * the thread that receives the reply, within the {@link L2Guard}'s call timeout. The blocking view
 * waits on these futures; {@link #hit} is its allocation-free L1 path.
 *
 * <p>Arguments are checked at once (an {@link IllegalArgumentException} is thrown, not returned).
 * Thread-safe.
 *
 * @param <V> the type of the cached values
 */
public final class TieredReads<V> {

    private final LocalLayer<V> l1;
    private final Cache<V> local;
    private final L1Coherence<V> coherence;
    private final L2Guard<V> l2;
    private final StatsCounter stats;

    /** Creates the reads; {@code l2} is {@code null} for a memory-only cache. */
    public TieredReads(LocalLayer<V> l1, L1Coherence<V> coherence, L2Guard<V> l2, StatsCounter stats) {
        this.l1 = l1;
        this.local = l1.cache();
        this.coherence = coherence;
        this.l2 = l2;
        this.stats = stats;
    }

    /** Returns whether L1 may answer now (see {@link L1Coherence#trusted()}); pass it to {@link #hit} and {@link #miss}. */
    public boolean trusted() {
        return coherence.trusted();
    }

    /** Returns L1's value when {@code trusted} and present (a hit, counted), else {@code null}; allocates nothing. */
    public V hit(String key, boolean trackStats, boolean trusted) {
        if (!trusted) {
            return null;
        }
        V value = local.get(key, trackStats);
        if (value != null && trackStats) {
            stats.recordHit();
        }
        return value;
    }

    /** Answers a {@code get} that {@link #hit} did not: L2, or L1 when L2 cannot answer; counts the outcome. */
    public CompletableFuture<V> miss(String key, boolean trackStats, boolean trusted) {
        return coherence.whenReady(() -> lookup(key, trackStats, trusted).thenApply(found -> {
            V value = found == null ? null : found.value();
            if (trackStats) {
                if (value == null) {
                    stats.recordMiss();
                } else {
                    stats.recordHit();
                }
            }
            return value;
        }));
    }

    /** {@code get}: {@link #hit}, else {@link #miss}. */
    public CompletableFuture<V> get(String key, boolean trackStats) {
        Checks.key(key);
        boolean trusted = trusted();
        V value = hit(key, trackStats, trusted);
        return value != null ? CompletableFuture.completedFuture(value) : miss(key, trackStats, trusted);
    }

    /**
     * L1 (when trusted and not {@code l1AlreadyMissed}), then L2 with its remaining TTL, filling L1; on an
     * L2 failure, L1 whatever its trust, else {@link TtlValue#unanswered()}. The remaining TTL is
     * {@code null} for values served from L1. Counts in the layers' statistics when {@code trackStats},
     * not in the manager's.
     */
    public CompletableFuture<TtlValue<V>> lookup(String key, boolean trackStats, boolean l1AlreadyMissed) {
        boolean trusted = l1AlreadyMissed || coherence.trusted();
        if (trusted && !l1AlreadyMissed) {
            V value = local.get(key, trackStats);
            if (value != null) {
                return CompletableFuture.completedFuture(new TtlValue<>(value, null));
            }
        } else if (!trusted && trackStats) {
            l1.recordSkippedReads(1); // L1 not consulted: counted as its miss, so that L1 counts every read
        }
        if (l2 == null || !l2.allow("GET", key)) {
            return CompletableFuture.completedFuture(trusted ? null : coherence.fromL1(key));
        }
        long epoch = coherence.epoch();
        long sentAt = coherence.now();
        return l2.call(() -> l2.layer().getWithTtl(key, trackStats)).handle((remote, error) -> {
            if (error == null) {
                l2.succeeded();
                if (remote != null) {
                    coherence.fill(key, remote, epoch, sentAt);
                }
                return remote;
            }
            l2.failed(l2.failure(error, "GET+PTTL", "key '" + key + "'"), "GET", key);
            TtlValue<V> fallback = coherence.fromL1(key); // L2 down: L1 is all we have
            return fallback != null ? fallback : TtlValue.<V>unanswered(); // a miss; a getOrLoad keeps its value in L1
        });
    }

    /** {@code exists}: true from a trusted L1, else L2's answer, else (L2 unreachable) L1's. */
    public CompletableFuture<Boolean> exists(String key) {
        Checks.key(key);
        return coherence.whenReady(() -> {
            if (coherence.trusted() && local.exists(key)) {
                return CompletableFuture.completedFuture(true);
            }
            if (l2 == null || !l2.allow("EXISTS", key)) {
                return CompletableFuture.completedFuture(local.exists(key));
            }
            return l2.call(() -> l2.layer().cache().async().exists(key)).handle((found, error) -> {
                if (error == null) {
                    l2.succeeded();
                    return found;
                }
                l2.failed(l2.failure(error, "EXISTS", "key '" + key + "'"), "EXISTS", key);
                return local.exists(key);
            });
        });
    }

    /** {@code getMany}: trusted L1 hits, the rest with one L2 round trip (filling L1); counts each key. */
    public CompletableFuture<Map<String, V>> getMany(Collection<String> keys) {
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(Checks.keys(keys)));
        return coherence.whenReady(() -> getDistinct(distinct));
    }

    private CompletableFuture<Map<String, V>> getDistinct(List<String> distinct) {
        Map<String, V> found = new LinkedHashMap<>();
        List<String> missing = new ArrayList<>();
        boolean trusted = coherence.trusted();
        if (!trusted) {
            l1.recordSkippedReads(distinct.size());
        }
        for (String key : distinct) {
            V value = trusted ? local.get(key, true) : null;
            if (value != null) {
                found.put(key, value);
            } else {
                missing.add(key);
            }
        }
        if (!missing.isEmpty() && l2 != null && l2.allow("MGET", missing.size() + " keys")) {
            long epoch = coherence.epoch();
            long sentAt = coherence.now();
            return l2.call(() -> l2.layer().getManyWithTtl(missing)).handle((remote, error) -> {
                if (error == null) {
                    l2.succeeded();
                    remote.forEach((key, value) -> {
                        found.put(key, value.value());
                        coherence.fill(key, value, epoch, sentAt);
                    });
                } else {
                    l2.failed(l2.failure(error, "MGET+PTTL", missing.size() + " keys"), "MGET", missing.size() + " keys");
                    missing.forEach(key -> coherence.addFromL1(key, found));
                }
                return ordered(distinct, found);
            });
        }
        if (!missing.isEmpty() && !trusted) {
            missing.forEach(key -> coherence.addFromL1(key, found));
        }
        return CompletableFuture.completedFuture(ordered(distinct, found));
    }

    /** Counts the hits and misses, and returns the found values in the order of the keys asked. */
    private Map<String, V> ordered(List<String> distinct, Map<String, V> found) {
        stats.recordHits(found.size());
        stats.recordMisses(distinct.size() - found.size());
        Map<String, V> ordered = new LinkedHashMap<>();
        for (String key : distinct) {
            V value = found.get(key);
            if (value != null) {
                ordered.put(key, value);
            }
        }
        return ordered;
    }
}
