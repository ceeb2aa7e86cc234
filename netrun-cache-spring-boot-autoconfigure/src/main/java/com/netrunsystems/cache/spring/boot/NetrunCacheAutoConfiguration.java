package com.netrunsystems.cache.spring.boot;

import com.netrunsystems.cache.CacheManager;
import com.netrunsystems.cache.micrometer.NetrunCacheMetrics;
import com.netrunsystems.cache.spring.NetrunCacheManager;
import io.micrometer.core.instrument.MeterRegistry;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.cache.metrics.CacheMeterBinderProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Auto-configures a {@link NetrunCacheManager} from the {@code netrun.cache.*} properties, unless the
 * application defines its own {@link org.springframework.cache.CacheManager} or sets
 * {@code netrun.cache.enabled=false}. Runs before Spring Boot's cache auto-configuration, which then
 * backs off. With Micrometer and Spring Boot's cache metrics present it adds a
 * {@link NetrunCacheMeterBinderProvider}. {@link NetrunCacheHealthAutoConfiguration} adds the health
 * indicator.
 */
@AutoConfiguration(beforeName = "org.springframework.boot.cache.autoconfigure.CacheAutoConfiguration")
@ConditionalOnClass({org.springframework.cache.CacheManager.class, NetrunCacheManager.class})
@ConditionalOnProperty(prefix = "netrun.cache", name = "enabled", havingValue = "true", matchIfMissing = true)
@EnableConfigurationProperties(NetrunCacheProperties.class)
public class NetrunCacheAutoConfiguration {

    /** The cache manager; validates every cache's settings at startup and connects nothing yet. */
    @Bean
    @ConditionalOnMissingBean(org.springframework.cache.CacheManager.class)
    public NetrunCacheManager cacheManager(NetrunCacheProperties properties, Environment environment) {
        return NetrunCacheConfigs.manager(properties, environment);
    }

    /** Micrometer meters for every netrun cache, bound by Spring Boot's cache metrics. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass({MeterRegistry.class, CacheMeterBinderProvider.class, NetrunCacheMetrics.class})
    static class Metrics {

        @Bean
        @ConditionalOnMissingBean
        NetrunCacheMeterBinderProvider netrunCacheMeterBinderProvider() {
            return new NetrunCacheMeterBinderProvider();
        }
    }
}
