package com.netrunsystems.cache.spring.boot;

import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.CacheStats;
import com.netrunsystems.cache.CircuitState;
import com.netrunsystems.cache.spring.NetrunCacheManager;
import com.netrunsystems.cache.spring.NetrunSpringCache;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Actuator health of the netrun caches created so far, with one detail entry per cache (backend,
 * namespace, state, and for a two-level cache its L2 circuit). A cache's state is
 * <ul>
 *   <li>{@code UP}: a memory cache, or a Redis or two-level cache whose Redis answers;</li>
 *   <li>{@code DEGRADED}: a two-level cache whose Redis is unreachable (circuit open or half-open): it
 *       keeps answering from its memory L1, and returns to two levels on its own when Redis is back;</li>
 *   <li>{@code DOWN}: a Redis cache whose Redis is unreachable: reads miss and writes are dropped.</li>
 * </ul>
 * The indicator's status is the worst of them ({@code DOWN}, then {@code DEGRADED}, then {@code UP}).
 * Spring Boot answers HTTP 200 for {@code DEGRADED}; its default aggregation ranks a status it does not
 * list below all the others (an {@code UP} indicator beside it hides it), so set
 * {@code management.endpoint.health.status.order=DOWN,OUT_OF_SERVICE,DEGRADED,UP,UNKNOWN} when other
 * indicators are aggregated with it. Reads each cache's {@link Cache#stats()}, which never waits for
 * Redis. Thread-safe.
 */
public class NetrunCacheHealthIndicator extends AbstractHealthIndicator {

    /** A two-level cache serving from L1 while Redis is unreachable. */
    public static final Status DEGRADED = new Status("DEGRADED", "Redis is unreachable; serving from the memory L1");

    private final NetrunCacheManager manager;

    public NetrunCacheHealthIndicator(NetrunCacheManager manager) {
        super("netrun-cache health check failed");
        this.manager = manager;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        Status worst = Status.UP;
        for (NetrunSpringCache spring : manager.createdCaches()) {
            Cache<Object> cache = spring.getNativeCache();
            CacheStats stats = cache.stats();
            Map<String, Object> detail = new LinkedHashMap<>();
            detail.put("backend", stats.backend());
            detail.put("namespace", cache.namespace());
            Status status = Status.UP;
            if (cache instanceof CacheManager<?> twoLevel && twoLevel.hasL2()) {
                CircuitState circuit = twoLevel.l2Circuit().orElse(CircuitState.CLOSED);
                boolean l2Up = circuit == CircuitState.CLOSED && twoLevel.l2Stats().map(CacheStats::connected).orElse(false);
                detail.put("l2Circuit", circuit.name());
                status = l2Up ? Status.UP : DEGRADED;
            } else if (!stats.connected()) {
                status = Status.DOWN;
            }
            detail.put("status", status.getCode());
            detail.put("errors", stats.errors());
            builder.withDetail(spring.getName(), detail);
            worst = worse(worst, status);
        }
        builder.status(worst);
    }

    private static Status worse(Status a, Status b) {
        return rank(b) > rank(a) ? b : a;
    }

    private static int rank(Status status) {
        return status.equals(Status.DOWN) ? 2 : status.equals(DEGRADED) ? 1 : 0;
    }
}
