package com.netrunsystems.cache.redis;

import com.netrunsystems.cache.load.LoadPipeline;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The Redis key layout shared with the Python netrun-cache: {@code namespace + ":" + key}, UTF-8. */
final class RedisKeys {

    private final String namespace;
    private final byte[] prefix;
    private final String scanPattern;
    private final byte[] stalePrefix;
    private final byte[] leasePrefix;

    RedisKeys(String namespace) {
        this.namespace = namespace;
        this.prefix = (namespace + ":").getBytes(StandardCharsets.UTF_8);
        this.scanPattern = escapeGlob(namespace) + ":*";
        this.stalePrefix = encode(LoadPipeline.STALE_PREFIX);
        this.leasePrefix = encode(LoadPipeline.LEASE_PREFIX);
    }

    String namespace() {
        return namespace;
    }

    /** Returns the stored key of {@code key}. */
    byte[] encode(String key) {
        byte[] suffix = key.getBytes(StandardCharsets.UTF_8);
        byte[] full = new byte[prefix.length + suffix.length];
        System.arraycopy(prefix, 0, full, 0, prefix.length);
        System.arraycopy(suffix, 0, full, prefix.length, suffix.length);
        return full;
    }

    /** Returns the stored key of {@code key}'s stale-if-error grace copy: {@code namespace:__netrun_stale__:key}. */
    byte[] encodeStale(String key) {
        return encode(LoadPipeline.STALE_PREFIX + key);
    }

    /** Returns whether {@code storedKey} is bookkeeping of the load pipeline (a grace copy or a lease), not an entry. */
    boolean isInternal(byte[] storedKey) {
        return startsWith(storedKey, stalePrefix) || startsWith(storedKey, leasePrefix);
    }

    private static boolean startsWith(byte[] bytes, byte[] start) {
        return bytes.length >= start.length && Arrays.equals(bytes, 0, start.length, start, 0, start.length);
    }

    /** Returns the {@code SCAN MATCH} pattern of this namespace's keys, its glob characters escaped. */
    String scanPattern() {
        return scanPattern;
    }

    /** Returns {@code pattern} with Redis glob metacharacters ({@code * ? [ ] \}) escaped. */
    static String escapeGlob(String pattern) {
        StringBuilder escaped = new StringBuilder(pattern.length() + 8);
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '*' || c == '?' || c == '[' || c == ']' || c == '\\') {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }
}
