package com.netrunsystems.cache;

import java.time.Duration;

/** {@link CacheContractTest} for {@link MemoryCache} with {@link EvictionPolicy#TINY_LFU}, on a fake ticker. */
class MemoryCacheTinyLfuTest extends CacheContractTest {

    private final FakeTicker ticker = new FakeTicker();

    @Override
    protected Cache<Object> newCache(String namespace, Duration defaultTtl) {
        return MemoryCache.builder()
                .namespace(namespace)
                .defaultTtl(defaultTtl)
                .maxSize(10_000)
                .evictionPolicy(EvictionPolicy.TINY_LFU)
                .ticker(ticker)
                .build();
    }

    @Override
    protected void advanceTime(Duration duration) {
        ticker.advance(duration);
    }
}
