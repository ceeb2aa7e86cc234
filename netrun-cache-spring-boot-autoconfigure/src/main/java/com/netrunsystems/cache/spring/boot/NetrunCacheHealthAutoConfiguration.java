package com.netrunsystems.cache.spring.boot;

import com.netrunsystems.cache.spring.NetrunCacheManager;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Adds the {@code netrunCache} {@link NetrunCacheHealthIndicator} (shown by Actuator's
 * {@code /actuator/health}) when Spring Boot's health module is present and a
 * {@link NetrunCacheManager} is defined.
 */
@AutoConfiguration(after = NetrunCacheAutoConfiguration.class)
@ConditionalOnClass({HealthIndicator.class, NetrunCacheManager.class})
@ConditionalOnBean(NetrunCacheManager.class)
public class NetrunCacheHealthAutoConfiguration {

    /** The health of every netrun cache created so far. */
    @Bean
    @ConditionalOnMissingBean(name = "netrunCacheHealthIndicator")
    public NetrunCacheHealthIndicator netrunCacheHealthIndicator(NetrunCacheManager manager) {
        return new NetrunCacheHealthIndicator(manager);
    }
}
