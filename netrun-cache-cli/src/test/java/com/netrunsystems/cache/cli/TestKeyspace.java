package com.netrunsystems.cache.cli;

import com.netrunsystems.cache.testsupport.RedisServer;

/**
 * The keyspace the operator commands are tested (and the README samples captured) on: namespace {@code app}
 * written the way the Python package writes (JSON dicts and lists with its separators, {@code str()} of other
 * values, {@code INCR} counters, the shared statistics counters), a binary value, and namespace {@code app2},
 * which no command on {@code app} may touch.
 */
final class TestKeyspace {

    static final String NAMESPACE = "app";
    static final String OTHER_NAMESPACE = "app2";
    /** The keys of {@code app} as services name them, sorted; the two statistics counters included. */
    static final String[] APP_KEYS = {"blob", "greeting", "page_views", "price", "stats:hits", "stats:misses",
        "tags", "user:1", "user:2"};

    private TestKeyspace() {
    }

    static void write(RedisServer redis) {
        redis.execute("SET", "app:user:1", "{\"name\": \"Ada\", \"roles\": [\"admin\", \"dev\"]}", "EX", "1800");
        redis.execute("SET", "app:user:2", "{\"name\": \"Linus\", \"active\": true}", "EX", "45");
        redis.execute("SET", "app:greeting", "hello world");
        redis.execute("INCRBY", "app:page_views", "42");
        redis.execute("SET", "app:price", "19.99", "EX", "7200");
        redis.execute("SET", "app:tags", "[\"a\", \"b\"]", "EX", "172800");
        redis.execute("EVAL", "return redis.call('SET', KEYS[1], string.char(0, 255, 1, 2, 128))", "1", "app:blob");
        redis.execute("SET", "app:stats:hits", "30");
        redis.execute("SET", "app:stats:misses", "10");
        redis.execute("SET", "app2:user:1", "{\"name\": \"Other\"}");
        redis.execute("SET", "app2:greeting", "not yours");
    }
}
