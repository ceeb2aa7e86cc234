package com.netrunsystems.cache.examples;

// tag::spring-without-boot[]
import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.spring.NetrunCacheManager;       // in netrun-cache-spring
import java.time.Duration;
import org.springframework.cache.annotation.EnableCaching;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
// end::spring-without-boot[]

/** The README's Spring-without-Boot snippet: a {@link NetrunCacheManager} bean. */
// tag::spring-without-boot[]
@Configuration
@EnableCaching
public class SpringCacheConfiguration {

    public record Book(String isbn, String title) { }

    @Bean
    NetrunCacheManager cacheManager() {                              // Spring calls close() on shutdown
        return NetrunCacheManager.builder(CacheConfig.builder().backend(CacheBackend.MULTI_LAYER)
                        .redisUrl("redis://cache.internal:6379").defaultTtl(Duration.ofMinutes(30)).build())
                .valueType("books", Book.class)
                .build();
    }
}
// end::spring-without-boot[]
