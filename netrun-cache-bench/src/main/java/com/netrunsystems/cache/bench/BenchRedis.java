package com.netrunsystems.cache.bench;

import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.testsupport.RedisServer;
import java.time.Duration;

/** Starts the throwaway redis-server of one benchmark trial (never the one on 6379) and builds configs for it. */
final class BenchRedis {

    /** Every key a contender writes lives in this namespace (prefix {@code bench:}). */
    static final String NAMESPACE = "bench";
    static final Duration TTL = Duration.ofHours(1);

    private BenchRedis() {
    }

    /** Starts a plain redis-server on a free 127.0.0.1 port, without persistence. */
    static RedisServer start() {
        return RedisServer.start();
    }

    /** Returns a netrun-cache config pointing at {@code server}. */
    static CacheConfig.Builder config(RedisServer server) {
        return CacheConfig.builder()
                .namespace(NAMESPACE)
                .defaultTtl(TTL)
                .redisHost(server.host())
                .redisPort(server.port());
    }
}
