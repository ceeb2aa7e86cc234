package com.netrunsystems.cache.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.spring.NetrunCacheManager;
import com.netrunsystems.cache.spring.NetrunSpringCache;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration;
import org.springframework.boot.cache.autoconfigure.metrics.CacheMetricsAutoConfiguration;
import org.springframework.boot.health.actuate.endpoint.SimpleStatusAggregator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cache.CacheManager;
import org.springframework.cache.annotation.Cacheable;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

class NetrunCacheAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(NetrunCacheAutoConfiguration.class,
                    NetrunCacheHealthAutoConfiguration.class, CacheAutoConfiguration.class));

    static class Greeter {
        final AtomicInteger calls = new AtomicInteger();

        @Cacheable("greetings")
        public String greet(String name) {
            return "hello " + name + " #" + calls.incrementAndGet();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class CachingApp {
        @Bean
        Greeter greeter() {
            return new Greeter();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableCaching
    static class OwnCacheManager {
        @Bean
        CacheManager myCacheManager() {
            return new ConcurrentMapCacheManager();
        }
    }

    @Test
    void cacheable_withDefaults_isServedByANetrunMemoryCache() {
        runner.withUserConfiguration(CachingApp.class).run(context -> {
            assertThat(context).hasSingleBean(CacheManager.class).hasSingleBean(NetrunCacheManager.class);
            Greeter greeter = context.getBean(Greeter.class);
            assertThat(greeter.greet("ann")).isEqualTo("hello ann #1");
            assertThat(greeter.greet("ann")).isEqualTo("hello ann #1");
            NetrunSpringCache cache = (NetrunSpringCache) context.getBean(CacheManager.class).getCache("greetings");
            assertThat(cache.getNativeCache().backend()).isEqualTo(CacheBackend.MEMORY);
            assertThat(cache.getNativeCache().get("ann")).isEqualTo("hello ann #1");
        });
    }

    @Test
    void userCacheManager_makesTheAutoConfigurationBackOff() {
        runner.withUserConfiguration(OwnCacheManager.class).run(context -> {
            assertThat(context).hasSingleBean(CacheManager.class).doesNotHaveBean(NetrunCacheManager.class);
            assertThat(context.getBean(CacheManager.class)).isInstanceOf(ConcurrentMapCacheManager.class);
        });
    }

    @Test
    void enabledFalse_turnsItOff() {
        runner.withPropertyValues("netrun.cache.enabled=false").run(context ->
                assertThat(context).doesNotHaveBean(NetrunCacheManager.class));
    }

    @Test
    void properties_setDefaultsAndPerCacheOverrides() {
        runner.withPropertyValues("netrun.cache.backend=multi-layer", "netrun.cache.default-ttl=10m",
                        "netrun.cache.namespace-prefix=app-", "netrun.cache.l1-ttl=30s", "netrun.cache.cache-names=a,b",
                        "netrun.cache.dynamic=false", "netrun.cache.caches.users.backend=memory",
                        "netrun.cache.caches.users.default-ttl=2h", "netrun.cache.caches.users.max-size=50",
                        "netrun.cache.redis-url=redis://cache.example:6380/2")
                .run(context -> {
                    NetrunCacheManager manager = context.getBean(NetrunCacheManager.class);
                    CacheConfig a = manager.configFor("a");
                    assertThat(a.backend()).isEqualTo(CacheBackend.MULTI_LAYER);
                    assertThat(a.namespace()).isEqualTo("app-a");
                    assertThat(a.defaultTtl()).isEqualTo(Duration.ofMinutes(10));
                    assertThat(a.l1Ttl()).isEqualTo(Duration.ofSeconds(30));
                    assertThat(a.redisUrl()).contains("redis://cache.example:6380/2");
                    CacheConfig users = manager.configFor("users");
                    assertThat(users.backend()).isEqualTo(CacheBackend.MEMORY);
                    assertThat(users.namespace()).isEqualTo("app-users");
                    assertThat(users.defaultTtl()).isEqualTo(Duration.ofHours(2));
                    assertThat(users.maxSize()).isEqualTo(50);
                    assertThat(manager.getCacheNames()).containsExactlyInAnyOrder("a", "b", "users");
                    assertThat(manager.getCache("unknown")).isNull();
                });
    }

    @Test
    void springDataRedisUrl_isUsed_onlyWhenNoNetrunRedisPropertyIsSet() {
        runner.withPropertyValues("spring.data.redis.url=redis://from-spring:6390").run(context ->
                assertThat(context.getBean(NetrunCacheManager.class).configFor("x").redisUrl()).contains("redis://from-spring:6390"));
        runner.withPropertyValues("spring.data.redis.host=spring-host", "spring.data.redis.port=6391").run(context -> {
            CacheConfig config = context.getBean(NetrunCacheManager.class).configFor("x");
            assertThat(config.redisHost()).isEqualTo("spring-host");
            assertThat(config.redisPort()).isEqualTo(6391);
        });
        runner.withPropertyValues("spring.data.redis.url=redis://from-spring:6390", "netrun.cache.redis-host=own-host")
                .run(context -> {
                    CacheConfig config = context.getBean(NetrunCacheManager.class).configFor("x");
                    assertThat(config.redisUrl()).isEmpty();
                    assertThat(config.redisHost()).isEqualTo("own-host");
                });
    }

    @Test
    void negativeTtl_failsStartup_namingThePropertyAndTheFix() {
        runner.withPropertyValues("netrun.cache.default-ttl=-5s").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessage("Property netrun.cache.default-ttl with value 'PT-5S' is invalid: "
                        + "defaultTtl must be positive, was PT-5S; fix netrun.cache.default-ttl to a positive duration "
                        + "such as 10m or 30s"));
        runner.withPropertyValues("netrun.cache.caches.users.l1-ttl=0s").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("netrun.cache.caches.users.l1-ttl"));
    }

    @Test
    void unknownBackend_failsStartup_namingThePropertyAndTheValidValues() {
        runner.withPropertyValues("netrun.cache.backend=memcached").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).hasStackTraceContaining("netrun.cache.backend")
                    .hasStackTraceContaining("memcached");
        });
    }

    @Test
    void malformedRedisUrl_failsStartup_namingThePropertyAndTheFix() {
        runner.withPropertyValues("netrun.cache.redis-url=redis://host:99999").run(context -> assertThat(context).hasFailed()
                .getFailure().rootCause().hasMessageContaining("netrun.cache.redis-url")
                .hasMessageContaining("redis://localhost:6379/0"));
    }

    @Test
    void metrics_bindEveryConfiguredCache_withStandardNamesAndTags() {
        runner.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                        CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                        CacheMetricsAutoConfiguration.class))
                .withUserConfiguration(CachingApp.class)
                .withPropertyValues("netrun.cache.cache-names=greetings")
                .run(context -> {
                    assertThat(context).hasSingleBean(NetrunCacheMeterBinderProvider.class);
                    Greeter greeter = context.getBean(Greeter.class);
                    greeter.greet("a");
                    greeter.greet("a");
                    greeter.greet("a");
                    greeter.greet("b");
                    MeterRegistry registry = context.getBean(MeterRegistry.class);
                    assertThat(registry.get("cache.gets").tags("cache", "greetings", "cache.manager", "cacheManager",
                            "layer", "all", "result", "hit").functionCounter().count()).isEqualTo(2);
                    assertThat(registry.get("cache.gets").tags("cache", "greetings", "result", "miss")
                            .functionCounter().count()).isEqualTo(2);
                    assertThat(registry.get("cache.puts").tags("cache", "greetings").functionCounter().count()).isEqualTo(2);
                });
    }

    /** What the README says about aggregating DEGRADED with Spring Boot's default and configured order. */
    @Test
    void degradedStatus_isHiddenByUp_byDefault_andRanksBetweenDownAndUp_withTheDocumentedOrder() {
        assertThat(new SimpleStatusAggregator().getAggregateStatus(Status.UP, NetrunCacheHealthIndicator.DEGRADED))
                .isEqualTo(Status.UP);
        SimpleStatusAggregator ordered = new SimpleStatusAggregator("DOWN", "OUT_OF_SERVICE", "DEGRADED", "UP", "UNKNOWN");
        assertThat(ordered.getAggregateStatus(Status.DOWN, NetrunCacheHealthIndicator.DEGRADED)).isEqualTo(Status.DOWN);
        assertThat(ordered.getAggregateStatus(Status.UP, NetrunCacheHealthIndicator.DEGRADED))
                .isEqualTo(NetrunCacheHealthIndicator.DEGRADED);
    }

    @Test
    void health_isUp_forMemoryCaches() {
        runner.withUserConfiguration(CachingApp.class).run(context -> {
            context.getBean(Greeter.class).greet("a");
            Health health = context.getBean(NetrunCacheHealthIndicator.class).health(true);
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsKey("greetings");
        });
    }

    @Test
    void health_isDown_forARedisCacheWhoseRedisIsUnreachable_andTheApplicationKeepsAnswering() {
        int nothingListens = com.netrunsystems.cache.testsupport.RedisServer.freePort();
        runner.withUserConfiguration(CachingApp.class)
                .withPropertyValues("netrun.cache.backend=redis", "netrun.cache.redis-url=redis://127.0.0.1:" + nothingListens,
                        "netrun.cache.cache-names=greetings", "netrun.cache.socket-connect-timeout=1s",
                        "netrun.cache.socket-timeout=1s")
                .run(context -> {
                    assertThat(context.getBean(Greeter.class).greet("a")).startsWith("hello a"); // fail-open: a miss
                    Health health = context.getBean(NetrunCacheHealthIndicator.class).health(true);
                    assertThat(health.getStatus()).isEqualTo(Status.DOWN);
                    assertThat(health.getDetails().get("greetings").toString()).contains("status=DOWN", "backend=redis");
                });
    }
}
