package com.netrunsystems.cache;

import java.time.Duration;

/** The {@link LoadPolicyContractTest} on {@link MemoryCache}, on a fake ticker. */
class MemoryLoadPolicyContractTest extends LoadPolicyContractTest {

    private final FakeTicker ticker = new FakeTicker();

    @Override
    protected Cache<Object> newCache(String namespace, LoadPolicy policy) {
        return MemoryCache.builder().namespace(namespace).ticker(ticker).loadPolicy(policy).build();
    }

    @Override
    protected void advanceTime(Duration duration) {
        ticker.advance(duration);
    }

    @Override
    protected boolean sharesEntriesAcrossInstances() {
        return false;
    }
}
