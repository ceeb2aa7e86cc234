package com.netrunsystems.cache.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.CacheInvalidate;
import com.netrunsystems.cache.Cached;
import com.netrunsystems.cache.CachedProxy;
import com.netrunsystems.cache.testsupport.FaultProxy;
import com.netrunsystems.cache.testsupport.FaultProxy.Direction;
import com.netrunsystems.cache.testsupport.RedisServerExtension;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Issue 11, defect 7: a {@code @CacheInvalidate} whose delete does not reach Redis (fail-open answers {@code false},
 * as for an absent key) must not leave the old entry for its full TTL: the failure is counted and retried. And a
 * cached null is written with its own TTL in one command, not for the full TTL and then shortened.
 */
class CacheInvalidateFailureIT {

    @RegisterExtension
    static final RedisServerExtension redis = RedisServerExtension.standalone();

    private static final String NAMESPACE = "it-invalidate-failure";

    public interface Accounts {
        @Cached(namespace = NAMESPACE, backend = CacheBackend.REDIS, ttl = 600)
        String balance(String id);

        @CacheInvalidate(namespace = NAMESPACE, backend = CacheBackend.REDIS, methods = "balance")
        void deposit(String id);

        @Cached(namespace = NAMESPACE, backend = CacheBackend.REDIS, ttl = 600, cacheNulls = true, nullTtl = 5)
        String owner(String id);
    }

    /** Balances that change with each deposit; owners are never found. */
    static final class Bank implements Accounts {
        final AtomicInteger deposits = new AtomicInteger();
        final AtomicInteger balanceCalls = new AtomicInteger();

        @Override
        public String balance(String id) {
            balanceCalls.incrementAndGet();
            return "balance-" + deposits.get();
        }

        @Override
        public void deposit(String id) {
            deposits.incrementAndGet();
        }

        @Override
        public String owner(String id) {
            return null;
        }
    }

    private final List<AutoCloseable> resources = new ArrayList<>();

    @BeforeEach
    void clean() {
        redis.server().flushAll();
    }

    @AfterEach
    void closeResources() throws Exception {
        for (int i = resources.size() - 1; i >= 0; i--) {
            resources.get(i).close();
        }
    }

    @Test
    void invalidate_deleteFailsWhileRedisDoesNotAnswer_countedAndRetriedUntilTheOldEntryIsGone() {
        FaultProxy proxy = FaultProxy.start(redis.server());
        resources.add(proxy);
        CachedProxy.Factory factory = CachedProxy.factory(config(proxy.host(), proxy.port()));
        resources.add(factory);
        Bank bank = new Bank();
        Accounts accounts = factory.create(Accounts.class, bank);
        await("the balance to be cached in Redis").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> {
                    int calls = bank.balanceCalls.get();
                    return accounts.balance("a1").equals("balance-0") && bank.balanceCalls.get() == calls;
                });

        proxy.stall(Direction.BOTH);
        accounts.deposit("a1"); // fails open: the UNLINK times out
        proxy.dropAll();        // the connection dies with the UNLINK still held in the proxy: Redis never gets it
        proxy.resume();
        assertThat(redis.server().execute("DBSIZE")).as("the old entry is still in Redis").isEqualTo(1L);

        Cache<?> cache = factory.caches().get(0);
        assertThat(cache.stats().errors()).as("the failed invalidation is counted").isPositive();
        await("the retried invalidation to remove the old balance").atMost(Duration.ofSeconds(20))
                .pollInterval(Duration.ofMillis(50)).until(() -> accounts.balance("a1").equals("balance-1"));
    }

    @Test
    void cachedNull_storedWithItsOwnTtlInOneWrite() {
        CachedProxy.Factory factory = CachedProxy.factory(config(redis.server().host(), redis.server().port()));
        resources.add(factory);
        Accounts accounts = factory.create(Accounts.class, new Bank());
        accounts.balance("warm-up"); // connected before the statistics are reset
        redis.server().resetStats();

        assertThat(accounts.owner("nobody")).isNull();

        Map<String, Long> commands = redis.server().commandStats();
        assertThat(commands).as("one SET with the null's TTL, never shortened afterwards")
                .containsEntry("set", 1L).doesNotContainKeys("expire", "pexpire");
        @SuppressWarnings("unchecked")
        List<String> keys = (List<String>) redis.server().execute("KEYS", NAMESPACE + ":*owner*");
        assertThat(keys).hasSize(1);
        long pttl = (Long) redis.server().execute("PTTL", keys.get(0));
        assertThat(pttl).as("remaining TTL of the cached null, ms").isBetween(1L, 5_000L);
        assertThat(accounts.owner("nobody")).isNull();
        assertThat(redis.server().commandStats()).containsEntry("set", 1L); // served from the cached null
    }

    private static CacheConfig config(String host, int port) {
        return CacheConfig.builder()
                .redisHost(host)
                .redisPort(port)
                .socketTimeout(Duration.ofSeconds(1))
                .socketConnectTimeout(Duration.ofSeconds(2))
                .build();
    }
}
