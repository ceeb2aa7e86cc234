package com.netrunsystems.cache.spring.boot;

import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.spring.NetrunCacheManager;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.env.Environment;

/**
 * Turns {@link NetrunCacheProperties} into {@link CacheConfig}s and a {@link NetrunCacheManager}.
 * Redis connection: the {@code netrun.cache.redis-*} properties when any is set; otherwise Spring
 * Boot's {@code spring.data.redis.url}, or {@code spring.data.redis.host}, {@code port},
 * {@code database}, {@code username} and {@code password}; otherwise {@code localhost:6379}. A bad
 * value fails with an {@link InvalidConfigurationPropertyValueException} naming the property.
 * Stateless; thread-safe.
 */
final class NetrunCacheConfigs {

    private static final String PREFIX = "netrun.cache.";

    private NetrunCacheConfigs() {
    }

    /** Returns the manager the properties describe; creates no cache, validates every config. */
    static NetrunCacheManager manager(NetrunCacheProperties properties, Environment environment) {
        CacheConfig defaults = defaults(properties, environment);
        NetrunCacheManager.Builder builder = NetrunCacheManager.builder(defaults)
                .namespacePrefix(properties.getNamespacePrefix())
                .allowNullValues(properties.isAllowNullValues())
                .dynamic(properties.isDynamic())
                .cacheNames(properties.getCacheNames());
        for (Map.Entry<String, NetrunCacheProperties.Cache> entry : properties.getCaches().entrySet()) {
            String name = entry.getKey();
            NetrunCacheProperties.Cache cache = entry.getValue();
            builder.cache(name, cacheConfig(properties, defaults, name, cache));
            if (cache.getValueType() != null) {
                builder.valueType(name, cache.getValueType());
            }
        }
        return builder.build();
    }

    static CacheConfig defaults(NetrunCacheProperties p, Environment environment) {
        CacheConfig.Builder b = CacheConfig.builder()
                .backend(p.getBackend())
                .namespace(p.getNamespacePrefix().isEmpty() ? "cache" : p.getNamespacePrefix() + "cache")
                .defaultTtl(p.getDefaultTtl())
                .maxSize(p.getMaxSize())
                .evictionPolicy(p.getEvictionPolicy())
                .l1MaxSize(p.getL1MaxSize())
                .l1Ttl(p.getL1Ttl())
                .socketTimeout(p.getSocketTimeout())
                .socketConnectTimeout(p.getSocketConnectTimeout())
                .failOpen(p.isFailOpen());
        redis(b, p, environment);
        return build(b, field -> PREFIX + kebab(field), field -> valueOf(p, null, field));
    }

    private static CacheConfig cacheConfig(NetrunCacheProperties p, CacheConfig defaults, String name,
            NetrunCacheProperties.Cache cache) {
        CacheConfig.Builder b = defaults.toBuilder()
                .namespace(cache.getNamespace() != null ? cache.getNamespace() : p.getNamespacePrefix() + name);
        if (cache.getBackend() != null) {
            b.backend(cache.getBackend());
        }
        if (cache.getDefaultTtl() != null) {
            b.defaultTtl(cache.getDefaultTtl());
        }
        if (cache.getMaxSize() != null) {
            b.maxSize(cache.getMaxSize());
        }
        if (cache.getL1MaxSize() != null) {
            b.l1MaxSize(cache.getL1MaxSize());
        }
        if (cache.getL1Ttl() != null) {
            b.l1Ttl(cache.getL1Ttl());
        }
        return build(b, field -> PREFIX + "caches." + name + "." + kebab(field), field -> valueOf(p, cache, field));
    }

    private static void redis(CacheConfig.Builder b, NetrunCacheProperties p, Environment environment) {
        boolean own = p.getRedisUrl() != null || p.getRedisHost() != null || p.getRedisPort() != null
                || p.getRedisDb() != null || p.getRedisUsername() != null || p.getRedisPassword() != null;
        if (own) {
            if (p.getRedisUrl() != null) {
                b.redisUrl(p.getRedisUrl());
            }
            if (p.getRedisHost() != null) {
                b.redisHost(p.getRedisHost());
            }
            if (p.getRedisPort() != null) {
                b.redisPort(p.getRedisPort());
            }
            if (p.getRedisDb() != null) {
                b.redisDb(p.getRedisDb());
            }
            if (p.getRedisUsername() != null) {
                b.redisUsername(p.getRedisUsername());
            }
            if (p.getRedisPassword() != null) {
                b.redisPassword(p.getRedisPassword());
            }
            return;
        }
        String url = environment.getProperty("spring.data.redis.url");
        if (url != null) {
            b.redisUrl(url);
            return;
        }
        String host = environment.getProperty("spring.data.redis.host");
        if (host != null) {
            b.redisHost(host);
        }
        Integer port = environment.getProperty("spring.data.redis.port", Integer.class);
        if (port != null) {
            b.redisPort(port);
        }
        Integer db = environment.getProperty("spring.data.redis.database", Integer.class);
        if (db != null) {
            b.redisDb(db);
        }
        String username = environment.getProperty("spring.data.redis.username");
        if (username != null) {
            b.redisUsername(username);
        }
        String password = environment.getProperty("spring.data.redis.password");
        if (password != null) {
            b.redisPassword(password);
        }
    }

    /** Builds the config; a validation failure names the property ({@code CacheConfig} names the field first). */
    private static CacheConfig build(CacheConfig.Builder builder, java.util.function.UnaryOperator<String> property,
            java.util.function.Function<String, Object> value) {
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            String field = message.split("[ .]", 2)[0];
            String name = property.apply(field);
            Object bad = value.apply(field);
            throw new InvalidConfigurationPropertyValueException(name, bad == null ? "" : bad,
                    message + "; fix " + name + fix(field));
        }
    }

    private static String fix(String field) {
        return switch (field) {
            case "defaultTtl", "l1Ttl", "socketTimeout", "socketConnectTimeout" ->
                    " to a positive duration such as 10m or 30s";
            case "maxSize", "l1MaxSize" -> " to a positive number of entries";
            case "redisUrl" -> " to a URL such as redis://localhost:6379/0, rediss://user:password@host:6380 or "
                    + "redis-sentinel://host:26379/0#mymaster";
            case "redisPort" -> " to a port 1-65535";
            case "redisDb" -> " to a database index of 0 or more";
            default -> "";
        };
    }

    private static Object valueOf(NetrunCacheProperties p, NetrunCacheProperties.Cache cache, String field) {
        if (cache != null) {
            Object own = switch (field) {
                case "defaultTtl" -> cache.getDefaultTtl();
                case "maxSize" -> cache.getMaxSize();
                case "l1MaxSize" -> cache.getL1MaxSize();
                case "l1Ttl" -> cache.getL1Ttl();
                case "namespace" -> cache.getNamespace();
                default -> null;
            };
            if (own != null) {
                return own;
            }
        }
        return switch (field) {
            case "defaultTtl" -> p.getDefaultTtl();
            case "maxSize" -> p.getMaxSize();
            case "l1MaxSize" -> p.getL1MaxSize();
            case "l1Ttl" -> p.getL1Ttl();
            case "socketTimeout" -> p.getSocketTimeout();
            case "socketConnectTimeout" -> p.getSocketConnectTimeout();
            case "redisPort" -> p.getRedisPort();
            case "redisDb" -> p.getRedisDb();
            case "redisUrl" -> p.getRedisUrl() == null ? null : "(masked)";
            default -> null;
        };
    }

    static String kebab(String camel) {
        StringBuilder out = new StringBuilder();
        for (char c : camel.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('-').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }
}
