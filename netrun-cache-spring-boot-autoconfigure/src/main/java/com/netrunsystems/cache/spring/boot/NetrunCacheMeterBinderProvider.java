package com.netrunsystems.cache.spring.boot;

import com.netrunsystems.cache.micrometer.NetrunCacheMetrics;
import com.netrunsystems.cache.spring.NetrunSpringCache;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.springframework.boot.cache.metrics.CacheMeterBinderProvider;

/**
 * Lets Spring Boot's cache metrics bind {@link NetrunCacheMetrics} to each {@link NetrunSpringCache}:
 * every layer of the cache, and {@code cache.puts} from the adapter's put count. Stateless; thread-safe.
 */
public class NetrunCacheMeterBinderProvider implements CacheMeterBinderProvider<NetrunSpringCache> {

    @Override
    public MeterBinder getMeterBinder(NetrunSpringCache cache, Iterable<Tag> tags) {
        return NetrunCacheMetrics.binder(cache.getNativeCache(), cache.getName(), tags, cache::putCount);
    }
}
