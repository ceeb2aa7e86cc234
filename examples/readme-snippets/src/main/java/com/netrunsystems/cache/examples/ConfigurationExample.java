package com.netrunsystems.cache.examples;

// tag::configuration[]
import com.netrunsystems.cache.CacheConfig;
import java.time.Duration;
import java.util.Properties;
// end::configuration[]

/** The README's configuration snippet; needs no Redis (it only builds configurations). Not instantiable. */
public final class ConfigurationExample {

    private ConfigurationExample() {
    }

    /** Builds the three configurations and prints them (passwords show as {@code ****}). */
    public static void main(String[] args) {
        // tag::configuration[]
        CacheConfig config = CacheConfig.builder()
                .namespace("api").defaultTtl(Duration.ofHours(1))
                .l1MaxSize(100).l1Ttl(Duration.ofMinutes(5))
                .redisHost("localhost")
                .build();                                            // validates; IllegalArgumentException names the field
        CacheConfig fromEnv = CacheConfig.fromEnvironment();         // NETRUN_CACHE_REDIS_PORT=6380

        Properties props = new Properties();                         // or loaded from a file
        props.setProperty("netrun.cache.redis-port", "6380");
        CacheConfig fromProps = CacheConfig.fromProperties(props);   // netrun.cache.redis-port=6380
        // end::configuration[]
        System.out.println("code: " + config);
        System.out.println("environment: " + fromEnv);
        System.out.println("properties: redisPort " + fromProps.redisPort());
    }
}
