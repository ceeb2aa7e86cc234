/**
 * netrun-cache's Redis backend: the API in {@code com.netrunsystems.cache.redis}; every other package
 * is implementation.
 */
module com.netrunsystems.cache.redis {
    exports com.netrunsystems.cache.redis;

    // The CLI's inspection commands (keys, ttl, stats, doctor, watch) use the same connection setup
    // as RedisCache without being a cache.
    exports com.netrunsystems.cache.redis.tooling to com.netrunsystems.cache.cli;

    requires transitive com.netrunsystems.cache;
    requires lettuce.core; // an automatic module (Automatic-Module-Name in Lettuce's jar)
    requires io.netty.common;
    requires io.netty.handler;
    // Lettuce, an automatic module, loads Netty's DNS resolver; Netty's jars are named modules, which the
    // module graph resolves only when a named module requires them (else: NoClassDefFoundError DnsCnameCache).
    requires io.netty.resolver.dns;
    requires io.netty.transport;
    requires org.slf4j;

    // CacheManager and Caches.create find the L2 through ServiceLoader.
    provides com.netrunsystems.cache.spi.RemoteCacheProvider with com.netrunsystems.cache.redis.RedisCacheProvider;
}
