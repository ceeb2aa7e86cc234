package com.netrunsystems.cache.tiered;

import com.netrunsystems.cache.AsyncCache;
import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.CacheUnavailableException;
import com.netrunsystems.cache.CircuitState;
import com.netrunsystems.cache.Ticker;
import com.netrunsystems.cache.async.ImmediateAsyncCache;
import com.netrunsystems.cache.load.LoadPipeline;
import com.netrunsystems.cache.spi.RemoteLayer;
import com.netrunsystems.cache.stats.ExtraStats;
import com.netrunsystems.cache.stats.StatsCounter;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of one two-level cache, wired together: its L1 and L2, the {@link L1Coherence} between them,
 * the {@link L2Guard} around L2, the {@link TieredReads} and {@link TieredWrites} over futures, the
 * {@link LoadPipeline} over a {@link TieredLoadTarget}, the asynchronous view, merged {@link TieredStats}
 * and the background probe; and the lifecycle of the whole (first connection, the blocking view's bounded
 * wait, closing). The {@code CacheManager} facade checks its arguments and state and delegates here.
 * Thread-safe.
 *
 * @param <V> the type of the cached values
 */
public final class TieredLayers<V> {

    private static final Logger log = LoggerFactory.getLogger("com.netrunsystems.cache.CacheManager");

    private final RemoteLayer<V> l2;
    private final boolean failOpen;
    private final String endpoint;
    private final L1Coherence<V> coherence;
    private final L2Guard<V> guard;
    private final TieredReads<V> reads;
    private final TieredWrites<V> writes;
    private final TieredStats<V> statistics;
    private final LoadPipeline<V> loading;
    private final AsyncCache<V> async;
    private final ProbeRegistration prober;
    private final long waitMillis;
    private final String waitingFor;

    /**
     * Wires the parts of {@code facade} and starts the invalidation subscription and the probe when there is an L2.
     *
     * @param l2 the remote layer, or {@code null} for a memory-only cache
     * @param checkOpen throws {@link IllegalStateException} once {@code facade} is closed
     */
    public TieredLayers(CacheConfig config, LocalLayer<V> local, RemoteLayer<V> l2, int failureThreshold,
            Duration openDuration, Ticker ticker, Cache<V> facade, Runnable checkOpen) {
        String namespace = config.namespace();
        this.l2 = l2;
        this.failOpen = config.failOpen();
        this.endpoint = config.redisEndpoint();
        // A call may first wait for the connection, then for its reply; Lettuce bounds both.
        Duration callTimeout = config.socketConnectTimeout().plus(config.socketTimeout()).plusSeconds(1);
        this.waitMillis = callTimeout.plusSeconds(1).toMillis(); // the blocking view's wait: the call, then L1
        this.waitingFor = "an operation in namespace '" + namespace + "'";
        StatsCounter stats = new StatsCounter();
        this.coherence = new L1Coherence<>(local, namespace, config.l1Ttl(), ticker);
        this.guard = l2 == null ? null : new L2Guard<>(l2, namespace, endpoint, failOpen,
                failureThreshold, openDuration, callTimeout, ticker, stats, coherence::flush);
        this.reads = new TieredReads<>(local, coherence, guard, stats);
        this.writes = new TieredWrites<>(local, coherence, guard, stats, namespace);
        this.statistics = new TieredStats<>(namespace, local.cache(), guard, stats);
        this.loading = new LoadPipeline<>(config.loadPolicy(), new TieredLoadTarget<>(namespace, local,
                coherence, guard, reads, writes, stats), stats, config.executor());
        this.async = new TieredAsyncCache<>(facade, checkOpen, coherence, reads, writes,
                new ImmediateAsyncCache<>(facade, checkOpen, loading));
        if (l2 == null) {
            this.prober = null;
            log.debug("netrun-cache '{}': no L2 on the classpath, memory-only", namespace);
        } else {
            coherence.subscribe(guard, config.socketConnectTimeout().plus(config.socketTimeout()));
            this.prober = L2Prober.start(l2, namespace, () -> { // on the endpoint's one prober thread
                coherence.reconnectIfNeeded();
                guard.probe();
            });
        }
    }

    /** Returns the read paths, over futures. */
    public TieredReads<V> reads() {
        return reads;
    }

    /** Returns the write paths, over futures. */
    public TieredWrites<V> writes() {
        return writes;
    }

    /** Returns the load pipeline of {@code getOrLoad}, blocking and asynchronous. */
    public LoadPipeline<V> loading() {
        return loading;
    }

    /** Returns the manager's counts beyond {@code CacheStats} (not API), with the invalidation channel's. */
    public ExtraStats extraStats() {
        return statistics.extra(coherence);
    }

    /** Returns the per-layer and combined statistics. */
    public TieredStats<V> statistics() {
        return statistics;
    }

    /** Returns the asynchronous view of the facade. */
    public AsyncCache<V> async() {
        return async;
    }

    /** Returns whether there is an L2 (it may still be unreachable). */
    public boolean hasL2() {
        return l2 != null;
    }

    /** Returns the state of the circuit breaker around L2, or empty when there is no L2. */
    public Optional<CircuitState> l2Circuit() {
        return l2 == null ? Optional.empty() : Optional.of(guard.state());
    }

    /**
     * Connects L2 now; when it cannot be reached, opens the circuit instead of throwing, unless the
     * cache does not fail open.
     *
     * @throws CacheUnavailableException when L2 is unreachable and the cache does not fail open
     */
    public void initialize() {
        if (l2 == null) {
            return;
        }
        try {
            await(guard.ping());
            guard.succeeded(); // never closes an open circuit: only the background probe does
        } catch (CacheException e) {
            guard.forceOpen("unreachable at start: " + e.getMessage());
            if (!failOpen) {
                throw e;
            }
        }
    }

    /** The first blocking call waits, bounded, for the first subscription attempt; later calls return at once. */
    public void awaitReady() {
        if (!coherence.ready()) {
            coherence.awaitFirstSubscription();
        }
    }

    /** The blocking view's wait on an operation: bounded; throws what the operation failed with. */
    public <T> T await(CompletableFuture<T> operation) {
        return BoundedWait.await(operation, waitMillis, waitingFor);
    }

    /** Stops the probe and the invalidation subscription, then closes L2; the caller closes L1. */
    public void close() {
        if (prober != null) {
            prober.close();
        }
        coherence.close();
        if (l2 != null) {
            l2.close();
        }
    }

    /** Returns L2's endpoint and circuit state, or {@code none}, as {@code toString} shows them. */
    public String describeL2() {
        return l2 == null ? "none" : endpoint + " " + guard.state();
    }
}
