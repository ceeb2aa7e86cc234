package com.netrunsystems.cache.config;

import com.netrunsystems.cache.CacheBackend;
import com.netrunsystems.cache.CacheConfig;
import com.netrunsystems.cache.Coherence;
import com.netrunsystems.cache.EvictionPolicy;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.function.BiConsumer;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@link CacheConfig} settings from environment variables ({@code NETRUN_CACHE_REDIS_PORT})
 * and properties ({@code netrun.cache.redis-port}). One table maps each setting to its builder
 * setter, so the two sources cannot drift apart.
 */
public final class ConfigReader {

    static final String ENV_PREFIX = "NETRUN_CACHE_";
    static final String PROPERTY_PREFIX = "netrun.cache.";

    private static final Pattern DURATION_WITH_UNIT = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");
    private static final Pattern NEGATIVE = Pattern.compile("-\\s*\\d.*|-p.*");

    /** Setting names in kebab case, each with how it is applied to a builder. */
    private static final Map<String, BiConsumer<CacheConfig.Builder, String>> SETTINGS = settings();

    private ConfigReader() {
    }

    /** Reads and builds; a value that parses but fails validation is reported under its variable's name. */
    public static CacheConfig buildFromEnvironment(Map<String, String> environment) {
        UnknownSettings.warn(environment.keySet(), ENV_PREFIX,
                SETTINGS.keySet().stream().map(ConfigReader::environmentName).toList());
        return build(fromEnvironment(environment), name -> environment.get(environmentName(name)) != null,
                ConfigReader::environmentName);
    }

    /** Reads and builds; a value that parses but fails validation is reported under its property's name. */
    public static CacheConfig buildFromProperties(Properties properties) {
        UnknownSettings.warn(properties.stringPropertyNames(), PROPERTY_PREFIX,
                SETTINGS.keySet().stream().map(name -> PROPERTY_PREFIX + name).toList());
        return build(fromProperties(properties), name -> properties.getProperty(PROPERTY_PREFIX + name) != null,
                name -> PROPERTY_PREFIX + name);
    }

    private static String environmentName(String name) {
        return ENV_PREFIX + name.replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /**
     * Builds, and when validation rejects a setting that the source gave (the message starts with
     * the field's name, as every {@link CacheConfig.Builder#build()} message does), names the
     * variable or property too. The message is the builder's, which never shows a password.
     */
    private static CacheConfig build(CacheConfig.Builder builder, Predicate<String> given,
            UnaryOperator<String> sourceName) {
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            String message = String.valueOf(e.getMessage());
            int end = 0;
            while (end < message.length() && Character.isLetterOrDigit(message.charAt(end))) {
                end++;
            }
            String setting = message.substring(0, end).replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
            if (SETTINGS.containsKey(setting) && given.test(setting)) {
                throw new IllegalArgumentException(sourceName.apply(setting) + " is invalid: " + message, e);
            }
            throw e;
        }
    }

    static CacheConfig.Builder fromEnvironment(Map<String, String> environment) {
        CacheConfig.Builder builder = CacheConfig.builder();
        SETTINGS.forEach((name, setter) -> {
            String variable = environmentName(name);
            apply(builder, variable, environment.get(variable), setter);
        });
        return builder;
    }

    static CacheConfig.Builder fromProperties(Properties properties) {
        CacheConfig.Builder builder = CacheConfig.builder();
        SETTINGS.forEach((name, setter) -> {
            String property = PROPERTY_PREFIX + name;
            apply(builder, property, properties.getProperty(property), setter);
        });
        return builder;
    }

    private static void apply(CacheConfig.Builder builder, String source, String value,
            BiConsumer<CacheConfig.Builder, String> setter) {
        if (value == null) {
            return;
        }
        try {
            setter.accept(builder, value.trim());
        } catch (IllegalArgumentException | ArithmeticException e) { // toIntExact: a port beyond int
            String shown = source.contains("PASSWORD") || source.contains("password") ? "****" : value;
            throw new IllegalArgumentException(source + " is invalid, was '" + shown + "': " + e.getMessage(), e);
        }
    }

    private static Map<String, BiConsumer<CacheConfig.Builder, String>> settings() {
        Map<String, BiConsumer<CacheConfig.Builder, String>> s = new LinkedHashMap<>();
        s.put("backend", (b, v) -> b.backend(CacheBackend.parse(v)));
        s.put("namespace", CacheConfig.Builder::namespace);
        s.put("default-ttl", (b, v) -> b.defaultTtl(duration(v)));
        s.put("max-size", (b, v) -> b.maxSize(number(v)));
        s.put("eviction-policy", (b, v) -> b.evictionPolicy(evictionPolicy(v)));
        s.put("redis-url", (b, v) -> b.redisUrl(v.isEmpty() ? null : v));
        s.put("redis-host", CacheConfig.Builder::redisHost);
        s.put("redis-port", (b, v) -> b.redisPort(Math.toIntExact(number(v))));
        s.put("redis-db", (b, v) -> b.redisDb(Math.toIntExact(number(v))));
        s.put("redis-username", (b, v) -> b.redisUsername(v.isEmpty() ? null : v));
        s.put("redis-password", (b, v) -> b.redisPassword(v.isEmpty() ? null : v));
        s.put("redis-cluster-nodes", (b, v) -> b.redisClusterNodes(v.isEmpty() ? new String[0] : split(v)));
        s.put("redis-tls", (b, v) -> b.redisTls(bool(v)));
        s.put("redis-tls-verify-peer", (b, v) -> b.redisTlsVerifyPeer(bool(v)));
        s.put("redis-tls-ca-certificate", (b, v) -> b.redisTlsCaCertificate(v.isEmpty() ? null : Path.of(v)));
        s.put("socket-timeout", (b, v) -> b.socketTimeout(duration(v)));
        s.put("socket-connect-timeout", (b, v) -> b.socketConnectTimeout(duration(v)));
        s.put("l1-max-size", (b, v) -> b.l1MaxSize(number(v)));
        s.put("l1-ttl", (b, v) -> b.l1Ttl(duration(v)));
        s.put("coherence", (b, v) -> b.coherence(Coherence.parse(v)));
        s.put("coherence-heartbeat", (b, v) -> b.coherenceHeartbeat(duration(v)));
        s.put("fail-open", (b, v) -> b.failOpen(bool(v)));
        s.put("shared-stats", (b, v) -> b.sharedStats(bool(v)));
        s.put("key-count-refresh", (b, v) -> b.keyCountRefresh(duration(v)));
        return Map.copyOf(s);
    }

    private static String[] split(String value) {
        return Arrays.stream(value.split(",")).map(String::trim).filter(p -> !p.isEmpty()).toArray(String[]::new);
    }

    private static long number(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("expected a whole number");
        }
    }

    private static boolean bool(String value) {
        switch (value.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "on", "1":
                return true;
            case "false", "no", "off", "0":
                return false;
            default:
                throw new IllegalArgumentException("expected true or false");
        }
    }

    private static EvictionPolicy evictionPolicy(String value) {
        String normalized = value.toUpperCase(Locale.ROOT).replace('-', '_');
        for (EvictionPolicy policy : EvictionPolicy.values()) {
            if (policy.name().equals(normalized)) {
                return policy;
            }
        }
        throw new IllegalArgumentException("expected tiny_lfu or lru");
    }

    /** Parses {@code PT5M}, {@code 500ms}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d} or plain seconds. */
    static Duration duration(String value) {
        String v = value.toLowerCase(Locale.ROOT);
        if (NEGATIVE.matcher(v).matches()) {
            throw new IllegalArgumentException("must be positive");
        }
        if (v.chars().allMatch(Character::isDigit) && !v.isEmpty()) {
            return Duration.ofSeconds(Long.parseLong(v));
        }
        Matcher m = DURATION_WITH_UNIT.matcher(v);
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        try {
            return Duration.parse(value.toUpperCase(Locale.ROOT));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("expected a duration such as PT5M, 500ms, 30s, 5m, 1h or seconds");
        }
    }
}
