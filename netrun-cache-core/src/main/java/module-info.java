/**
 * netrun-cache core: the API in {@code com.netrunsystems.cache}; every other package is implementation.
 * Qualified exports open an implementation package only to the netrun module that builds on it.
 */
module com.netrunsystems.cache {
    // The API.
    exports com.netrunsystems.cache;

    // What netrun-cache-redis implements (the L2 SPI) and builds on: the one load pipeline (RedisCache's
    // getOrLoad runs through it, and RemoteLayer's TTL reads return its TtlValue), the shared argument
    // checks (so that bad input gets the same message on every backend), and the stats counters.
    exports com.netrunsystems.cache.spi to com.netrunsystems.cache.redis;
    exports com.netrunsystems.cache.load to com.netrunsystems.cache.redis;
    exports com.netrunsystems.cache.check to com.netrunsystems.cache.redis;
    exports com.netrunsystems.cache.stats to com.netrunsystems.cache.redis, com.netrunsystems.cache.micrometer;

    // netrun-cache-micrometer (an automatic module) reads stats.ExtraStats, the counts CacheStats does not carry.

    // InvalidationMessage, a record, is written and read by Jackson's reflection.
    opens com.netrunsystems.cache.tiered to com.fasterxml.jackson.databind;

    // Codecs.json(ObjectMapper, Class) takes Jackson's ObjectMapper.
    requires transitive com.fasterxml.jackson.databind;
    requires com.fasterxml.jackson.datatype.jdk8;
    requires com.fasterxml.jackson.datatype.jsr310;
    requires com.fasterxml.jackson.module.paramnames;
    requires com.github.benmanes.caffeine;
    requires org.slf4j;

    // The remote (L2) backend, found with ServiceLoader: netrun-cache-redis provides it.
    uses com.netrunsystems.cache.spi.RemoteCacheProvider;
}
