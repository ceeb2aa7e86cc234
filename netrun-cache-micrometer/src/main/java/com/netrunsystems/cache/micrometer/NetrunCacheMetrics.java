package com.netrunsystems.cache.micrometer;

import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.CacheStats;
import com.netrunsystems.cache.CircuitState;
import com.netrunsystems.cache.stats.ExtraStats;
import com.netrunsystems.cache.stats.ExtraStatsSource;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.FunctionTimer;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.binder.cache.CacheMeterBinder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.ToDoubleFunction;

/**
 * Micrometer meters for one layer of a netrun {@link Cache}, read from its {@link CacheStats}, with
 * Micrometer's standard cache names and tags {@code cache=<name>} and {@code layer=l1|l2|all}.
 *
 * <pre>{@code
 * NetrunCacheMetrics.monitor(registry, cache, "users");            // every layer the cache has
 * }</pre>
 *
 * <table>
 *   <caption>Meters</caption>
 *   <tr><th>meter</th><th>type</th><th>from</th></tr>
 *   <tr><td>{@code cache.gets{result=hit|miss}}</td><td>counter</td><td>{@code hits}, {@code misses}</td></tr>
 *   <tr><td>{@code cache.puts}</td><td>counter</td><td>the put count given to {@link #binder}, else 0 (a
 *       netrun cache does not count its writes)</td></tr>
 *   <tr><td>{@code cache.evictions}</td><td>counter</td><td>{@code evictions}</td></tr>
 *   <tr><td>{@code cache.size}</td><td>gauge</td><td>{@code cachedKeys}</td></tr>
 *   <tr><td>{@code cache.errors}</td><td>counter</td><td>{@code errors}: backend failures, timeouts, undecodable values</td></tr>
 *   <tr><td>{@code cache.connected}</td><td>gauge</td><td>1 while the layer's backend is reachable, else 0</td></tr>
 *   <tr><td>{@code cache.load{result=success|failure}}</td><td>counter</td><td>{@code loads}, {@code loadFailures}
 *       (layer {@code all} only)</td></tr>
 *   <tr><td>{@code cache.refreshes}</td><td>counter</td><td>{@code refreshes} (layer {@code all} only)</td></tr>
 *   <tr><td>{@code cache.stale.served}</td><td>counter</td><td>{@code staleServed} (layer {@code all} only)</td></tr>
 *   <tr><td>{@code cache.load.duration}</td><td>function timer</td><td>loader calls of {@code getOrLoad}
 *       (returned or thrown; background refreshes not included) and their total time (layer {@code all} only)</td></tr>
 *   <tr><td>{@code cache.stampede.waits{wait=flight|lease}}</td><td>counter</td><td>callers that waited for
 *       another caller's load instead of loading: one running in this JVM ({@code flight}), or another process's
 *       under the key's lease ({@code lease}) (layer {@code all} only)</td></tr>
 *   <tr><td>{@code cache.invalidations{direction=sent|received}}</td><td>counter</td><td>invalidation messages
 *       a two-level cache published to, and received from, the other managers of its namespace (its own not
 *       counted; layer {@code all} of a {@link CacheManager} only)</td></tr>
 *   <tr><td>{@code cache.circuit.state}</td><td>gauge</td><td>a two-level cache's L2 circuit: 0 closed,
 *       1 half-open, 2 open (layer {@code l2} only)</td></tr>
 * </table>
 * A single-level cache (memory, Redis) has layer {@code all} only; a two-level {@link CacheManager} has
 * {@code l1}, {@code l2} and {@code all}. Meters read the statistics when the registry polls them
 * ({@link Cache#stats()} is cheap). The binder holds the cache weakly, as Micrometer's cache binders do.
 * Thread-safe.
 */
public final class NetrunCacheMetrics extends CacheMeterBinder<Cache<?>> {

    /** The layer whose statistics a binder reports, and its {@code layer} tag. */
    public enum Layer {
        /** A two-level cache's memory layer. */
        L1,
        /** A two-level cache's Redis layer. */
        L2,
        /** The whole cache: both layers of a two-level cache, or a single-level cache. */
        ALL;

        /** Returns the tag value: {@code l1}, {@code l2} or {@code all}. */
        public String tagValue() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Layer layer;
    private final LongSupplier puts;

    /**
     * Creates the binder of {@code layer} of {@code cache}; {@code puts} supplies the put count
     * ({@code null}: 0).
     *
     * @throws IllegalArgumentException when {@code layer} is {@code L1} or {@code L2} and the cache is
     *     not a {@link CacheManager}
     */
    public NetrunCacheMetrics(Cache<?> cache, String cacheName, Iterable<Tag> tags, Layer layer, LongSupplier puts) {
        super(cache, cacheName, Tags.of(tags).and("layer", layer.tagValue()));
        if (layer != Layer.ALL && !(cache instanceof CacheManager<?>)) {
            throw new IllegalArgumentException("layer " + layer.tagValue() + " needs a two-level CacheManager, was "
                    + cache.getClass().getSimpleName() + " '" + cache.namespace() + "'");
        }
        this.layer = layer;
        this.puts = puts;
    }

    /**
     * Returns the layers {@code cache} has: {@code ALL}, and {@code L1} and {@code L2} for a
     * {@link CacheManager} with an L2 module (reachable or not).
     */
    public static List<Layer> layersOf(Cache<?> cache) {
        return cache instanceof CacheManager<?> manager && manager.hasL2()
                ? List.of(Layer.L1, Layer.L2, Layer.ALL) : List.of(Layer.ALL);
    }

    /** Returns one binder for every layer of {@code cache}; {@code puts} may be {@code null}. */
    public static MeterBinder binder(Cache<?> cache, String cacheName, Iterable<Tag> tags, LongSupplier puts) {
        Objects.requireNonNull(cache, "cache");
        List<NetrunCacheMetrics> binders = new ArrayList<>();
        for (Layer layer : layersOf(cache)) {
            binders.add(new NetrunCacheMetrics(cache, cacheName, tags, layer, puts));
        }
        return registry -> binders.forEach(binder -> binder.bindTo(registry));
    }

    /** Registers the meters of every layer of {@code cache} under the name {@code cacheName}. */
    public static void monitor(MeterRegistry registry, Cache<?> cache, String cacheName, String... tags) {
        binder(cache, cacheName, Tags.of(tags), null).bindTo(registry);
    }

    @Override
    protected Long size() {
        CacheStats stats = stats();
        return stats == null ? null : stats.cachedKeys();
    }

    @Override
    protected long hitCount() {
        CacheStats stats = stats();
        return stats == null ? 0 : stats.hits();
    }

    @Override
    protected Long missCount() {
        CacheStats stats = stats();
        return stats == null ? 0L : stats.misses();
    }

    @Override
    protected Long evictionCount() {
        CacheStats stats = stats();
        return stats == null ? 0L : stats.evictions();
    }

    @Override
    protected long putCount() {
        return puts == null ? 0 : puts.getAsLong();
    }

    @Override
    protected void bindImplementationSpecificMetrics(MeterRegistry registry) {
        counter(registry, "cache.errors", "Backend failures, timeouts and undecodable values", CacheStats::errors);
        Cache<?> cache = getCache();
        if (cache == null) {
            return;
        }
        Gauge.builder("cache.connected", cache, c -> measure(CacheStats::connected))
                .tags(getTagsWithCacheName())
                .description("1 while the backend of the layer is reachable, 0 when it is not")
                .register(registry);
        if (layer == Layer.ALL) {
            counter(registry, "cache.load", "Loader calls that returned", CacheStats::loads, "result", "success");
            counter(registry, "cache.load", "Loader calls that threw", CacheStats::loadFailures, "result", "failure");
            counter(registry, "cache.refreshes", "Background reloads (refresh-ahead)", CacheStats::refreshes);
            counter(registry, "cache.stale.served", "Expired values served because a load failed", CacheStats::staleServed);
            if (cache instanceof ExtraStatsSource source) {
                bindExtraMetrics(registry, source, cache instanceof CacheManager<?> manager && manager.hasL2());
            }
        }
        if (layer == Layer.L2 && cache instanceof CacheManager<?> manager) {
            Gauge.builder("cache.circuit.state", manager, NetrunCacheMetrics::circuitState)
                    .tags(getTagsWithCacheName())
                    .description("The L2 circuit breaker: 0 closed, 1 half-open, 2 open")
                    .register(registry);
        }
    }

    /** The meters read from {@link ExtraStats}, which {@link CacheStats} does not carry. */
    private void bindExtraMetrics(MeterRegistry registry, ExtraStatsSource source, boolean twoLevel) {
        FunctionTimer.builder("cache.load.duration", source, s -> s.extraStats().timedLoads(),
                        s -> s.extraStats().loadNanos(), TimeUnit.NANOSECONDS)
                .tags(getTagsWithCacheName())
                .description("Loader calls of getOrLoad (returned or thrown) and the time they took")
                .register(registry);
        extraCounter(registry, source, "cache.stampede.waits", "Callers that waited for a load running in this JVM",
                ExtraStats::flightWaits, "wait", "flight");
        extraCounter(registry, source, "cache.stampede.waits",
                "Callers that waited for the value another process loaded under the key's lease",
                ExtraStats::leaseWaits, "wait", "lease");
        if (twoLevel) {
            extraCounter(registry, source, "cache.invalidations", "Invalidation messages published to the other managers",
                    ExtraStats::invalidationsSent, "direction", "sent");
            extraCounter(registry, source, "cache.invalidations", "Invalidation messages received from the other managers",
                    ExtraStats::invalidationsReceived, "direction", "received");
        }
    }

    private void extraCounter(MeterRegistry registry, ExtraStatsSource source, String name, String description,
            ToDoubleFunction<ExtraStats> value, String... extraTags) {
        FunctionCounter.builder(name, source, s -> value.applyAsDouble(s.extraStats()))
                .tags(getTagsWithCacheName())
                .tags(extraTags)
                .description(description)
                .register(registry);
    }

    private void counter(MeterRegistry registry, String name, String description, ToDoubleFunction<CacheStats> value,
            String... extraTags) {
        Cache<?> cache = getCache();
        if (cache == null) {
            return;
        }
        FunctionCounter.builder(name, cache, c -> {
                    CacheStats stats = stats();
                    return stats == null ? 0 : value.applyAsDouble(stats);
                })
                .tags(getTagsWithCacheName())
                .tags(extraTags)
                .description(description)
                .register(registry);
    }

    private double measure(java.util.function.Predicate<CacheStats> flag) {
        CacheStats stats = stats();
        return stats == null ? 0 : flag.test(stats) ? 1 : 0;
    }

    private static double circuitState(CacheManager<?> manager) {
        CircuitState state = manager.l2Circuit().orElse(null);
        if (state == null) {
            return Double.NaN;
        }
        return switch (state) {
            case CLOSED -> 0;
            case HALF_OPEN -> 1;
            case OPEN -> 2;
        };
    }

    /** The statistics of this binder's layer, or {@code null} when the cache is gone or has no such layer. */
    private CacheStats stats() {
        Cache<?> cache = getCache();
        if (cache == null) {
            return null;
        }
        return switch (layer) {
            case ALL -> cache.stats();
            case L1 -> ((CacheManager<?>) cache).l1Stats();
            case L2 -> ((CacheManager<?>) cache).l2Stats().orElse(null);
        };
    }
}
