package com.netrunsystems.cache;

import com.netrunsystems.cache.codec.PythonJson;
import com.netrunsystems.cache.method.MethodKeys;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Builds cache keys from structured data, exactly as the Python netrun-cache's {@code _hash_key}
 * does, so that Java and Python processes sharing a Redis compute the same key for the same data.
 * This class is stateless and thread-safe.
 */
public final class CacheKeys {

    private CacheKeys() {
    }

    /**
     * Returns the SHA-256 of {@code data} as 64 lowercase hex digits, the value Python's
     * {@code _hash_key(data)} returns for the equivalent Python value.
     *
     * <p>A {@code String} is hashed as its UTF-8 bytes, not as JSON: {@code sha256("abc")} hashes
     * {@code abc}, without quotes. So are a {@code Character} and an {@code Enum}'s
     * {@link Enum#name() name()}, which Python would hold as a {@code str}. Anything else is hashed as
     * the text of Python's {@code json.dumps(data, sort_keys=True)}: {@code null} (hashed as
     * {@code null}, as Python hashes {@code None}), {@code Boolean}, {@code Byte}, {@code Short},
     * {@code Integer}, {@code Long}, {@code BigInteger}, {@code AtomicInteger}, {@code AtomicLong},
     * {@code Double}, {@code Float} (widened to {@code double}, so {@code 0.1f} differs from
     * {@code 0.1}), and {@code Map}s, {@code List}s and arrays of these, nested freely. Map keys are
     * sorted as Python sorts them. See {@link PythonJson} for the full rules.
     *
     * <pre>{@code
     * String key = CacheKeys.sha256(Map.of("model", "gpt-4", "temperature", 0.7));
     * }</pre>
     *
     * @throws IllegalArgumentException if {@code data} holds something Python's {@code _hash_key}
     *     would fail on or that has no Python equivalent: a {@code Set}, a {@code BigDecimal}, a POJO,
     *     a record, an {@code Optional}; a map mixing string and numeric keys, or with two keys that
     *     would be one Python key; a value that contains itself; or a top-level string with an unpaired
     *     surrogate, which has no UTF-8 encoding. The message gives the path of the offending value.
     */
    public static String sha256(Object data) {
        byte[] bytes;
        if (data instanceof String s) {
            bytes = utf8(s);
        } else if (data instanceof Character c) {
            bytes = utf8(String.valueOf(c.charValue()));
        } else if (data instanceof Enum<?> e) {
            bytes = utf8(e.name());
        } else {
            bytes = PythonJson.dumps(data).getBytes(StandardCharsets.US_ASCII);
        }
        return HexFormat.of().formatHex(newSha256().digest(bytes));
    }

    /**
     * Returns the text that stands for {@code value} in a {@link Cached @Cached} method's key, by the
     * rules documented on {@link CachedProxy} ("Keys"): a string in double quotes with {@code "} and
     * {@code \} escaped ({@code "42"}), a {@code long} with an {@code L} ({@code 42L}), an {@code int},
     * {@code boolean}, {@code double} or enum as Java prints it, {@code null} as {@code null}, and any
     * other object as {@code #} and the first 32 hex digits (128 bits) of the SHA-256 of its canonical JSON. The
     * text is the same in every JVM for equal values, so integrations (the Spring cache adapter) build
     * keys that match those of {@code @Cached} methods.
     *
     * <pre>{@code
     * CacheKeys.argumentText("42");      // "\"42\""
     * CacheKeys.argumentText(42L);       // "42L"
     * CacheKeys.argumentText(userId);    // "#9f86d081884c7d650a7b4f1e2c3d5e6f" for a record
     * }</pre>
     *
     * @throws IllegalArgumentException when {@code value} cannot be written as JSON for its hash
     */
    public static String argumentText(Object value) {
        return MethodKeys.argument(value);
    }

    private static byte[] utf8(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new IllegalArgumentException("The string has an unpaired surrogate U+"
                        + HexFormat.of().withUpperCase().toHexDigits(c) + " at index " + i
                        + ", which UTF-8 cannot encode (Python's str.encode() raises UnicodeEncodeError)");
            }
        }
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(
                    "SHA-256 is missing from this JRE, which every Java platform must provide", e);
        }
    }
}
