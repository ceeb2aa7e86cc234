package com.netrunsystems.cache.method;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.NumberOutput;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import com.fasterxml.jackson.databind.ser.std.ToStringSerializer;
import com.netrunsystems.cache.CacheInvalidate;
import com.netrunsystems.cache.Cached;
import com.netrunsystems.cache.CachedProxy;
import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneId;
import java.time.temporal.TemporalAccessor;
import java.time.temporal.TemporalAmount;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Builds the cache key of one {@link Cached} method for its arguments; the format is documented on
 * {@link CachedProxy}. Immutable and thread-safe.
 *
 * <pre>
 * [keyPrefix]com.example.UserService.getUser("42")
 * [keyPrefix]com.example.OrderService.find(ACTIVE,10,25L,true,null)
 * [keyPrefix]com.example.SearchService.search(#9f86d081884c7d659a2feaa0c55ad015,1.5)
 * </pre>
 */
public final class MethodKeys {

    /** Keys longer than this have their argument list replaced by a hash. */
    static final int MAX_KEY_LENGTH = 200;

    private static final int ARGUMENT_HASH_HEX_DIGITS = 32; // 128 bits: no collision between distinct arguments in practice
    private static final int ARGUMENT_LIST_HASH_HEX_DIGITS = 32;

    /**
     * Writes arguments as canonical JSON: properties and map entries sorted by name, sets sorted,
     * floating-point numbers as the shortest decimal on every JDK, java.time values as ISO text.
     */
    private static final ObjectMapper CANONICAL_JSON = JsonMapper.builder()
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(StreamWriteFeature.USE_FAST_DOUBLE_WRITER)
            .addModule(new SimpleModule("netrun-cache-keys")
                    .addSerializer(TemporalAccessor.class, ToStringSerializer.instance)
                    .addSerializer(TemporalAmount.class, ToStringSerializer.instance)
                    .addSerializer(ZoneId.class, ToStringSerializer.instance)
                    .addSerializer(new SortedSetSerializer())
                    .addSerializer(new OptionalSerializer()))
            .build();

    private final String prefix;
    private final String methodDescription;
    private final int parameterCount;

    private MethodKeys(String keyPrefix, Method method) {
        this.methodDescription = method.getDeclaringClass().getName() + "." + method.getName();
        this.prefix = keyPrefix + methodDescription + "(";
        this.parameterCount = method.getParameterCount();
    }

    /** Returns the key builder of {@code method}, whose keys start with {@code keyPrefix}. */
    public static MethodKeys of(Method method, String keyPrefix) {
        return new MethodKeys(keyPrefix, method);
    }

    /**
     * Returns the key for {@code args}, of which the first {@link Method#getParameterCount()} are used
     * ({@code null} stands for no arguments).
     *
     * @throws IllegalArgumentException when an argument cannot be written as JSON for its hash
     */
    public String key(Object[] args) {
        StringBuilder arguments = new StringBuilder();
        for (int i = 0; i < parameterCount; i++) {
            if (i > 0) {
                arguments.append(',');
            }
            appendArgument(arguments, args[i], methodDescription, i);
        }
        if (prefix.length() + arguments.length() + 1 > MAX_KEY_LENGTH) {
            String hash = sha256Hex(arguments.toString().getBytes(StandardCharsets.UTF_8));
            return prefix + "#" + hash.substring(0, ARGUMENT_LIST_HASH_HEX_DIGITS) + ")";
        }
        return prefix + arguments + ")";
    }

    /** Returns the text of one argument in a key, such as {@code "42"}, {@code 42L} or {@code #9f86d081884c7d659a2feaa0c55ad015}. */
    public static String argument(Object value) {
        StringBuilder out = new StringBuilder();
        appendArgument(out, value, "a method", 0);
        return out.toString();
    }

    /**
     * Returns the plain text of a placeholder argument in a {@link CacheInvalidate#keys()} template:
     * a string as it is, a number in decimal without suffix, a boolean, a character, an enum's name,
     * {@code null}.
     *
     * @throws IllegalArgumentException for any other type
     */
    static String plainText(Object value) {
        if (value == null || value instanceof String || value instanceof Boolean || value instanceof Character
                || value instanceof Byte || value instanceof Short || value instanceof Integer || value instanceof Long) {
            return String.valueOf(value);
        }
        if (value instanceof Double d) {
            return NumberOutput.toString(d, true);
        }
        if (value instanceof Float f) {
            return NumberOutput.toString(f, true);
        }
        if (value instanceof Enum<?> e) {
            return e.name();
        }
        throw new IllegalArgumentException("a key placeholder takes a string, a primitive, a boxed primitive or an enum, "
                + "was " + value.getClass().getName());
    }

    /** Returns whether {@code type}'s values have a {@link #plainText(Object) plain text}. */
    static boolean hasPlainText(Class<?> type) {
        return type.isPrimitive() || type == String.class || type == Boolean.class || type == Character.class
                || type == Byte.class || type == Short.class || type == Integer.class || type == Long.class
                || type == Float.class || type == Double.class || type.isEnum() || type == Object.class;
    }

    @Override
    public String toString() {
        return "MethodKeys{" + prefix + "...)}";
    }

    private static void appendArgument(StringBuilder out, Object value, String method, int index) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            appendQuoted(out, s, '"');
        } else if (value instanceof Integer || value instanceof Short || value instanceof Byte || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Long l) {
            out.append(l.longValue()).append('L');
        } else if (value instanceof Double d) {
            out.append(NumberOutput.toString(d, true));
        } else if (value instanceof Float f) {
            out.append(NumberOutput.toString(f, true)).append('F');
        } else if (value instanceof Character c) {
            appendQuoted(out, String.valueOf(c.charValue()), '\'');
        } else if (value instanceof Enum<?> e) {
            out.append(e.name());
        } else {
            out.append('#').append(sha256Hex(canonicalJson(value, method, index)), 0, ARGUMENT_HASH_HEX_DIGITS);
        }
    }

    /**
     * Appends {@code s} between {@code quote}s, escaping the quote and the backslash with a backslash,
     * and control characters and unpaired surrogates as {@code \}{@code uXXXX}, so that distinct
     * strings give distinct text and the key has a well-defined UTF-8 encoding.
     */
    private static void appendQuoted(StringBuilder out, String s, char quote) {
        out.append(quote);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == quote || c == '\\') {
                out.append('\\').append(c);
            } else if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                out.append(c).append(s.charAt(++i));
            } else if (c < ' ' || c == 0x7f || Character.isSurrogate(c)) {
                out.append("\\u").append(HexFormat.of().toHexDigits(c));
            } else {
                out.append(c);
            }
        }
        out.append(quote);
    }

    private static byte[] canonicalJson(Object value, String method, int index) {
        try {
            return CANONICAL_JSON.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            String subject = "cannot build the cache key of " + method + ": argument " + index + " ("
                    + value.getClass().getName() + ")";
            if (isTooDeep(e)) {
                throw new IllegalArgumentException(subject + " contains itself (a cycle) or is nested deeper than JSON "
                        + "can be written (" + e.getOriginalMessage() + "), so it has no JSON form to hash; pass the "
                        + "values that identify it instead", e);
            }
            throw new IllegalArgumentException(subject + " cannot be written as JSON, which its key hashes: "
                    + e.getOriginalMessage() + "; give the type getters or public fields, make it a record, or pass "
                    + "the values that identify it", e);
        }
    }

    /** Returns whether writing failed on a cycle: Jackson's nesting limit, or its self-reference check. */
    private static boolean isTooDeep(JsonProcessingException e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StreamConstraintsException || String.valueOf(t.getMessage()).contains("self-reference")) {
                return true;
            }
        }
        return false;
    }

    private static String sha256Hex(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JRE, which every Java platform must provide", e);
        }
    }

    /** Writes a set as a JSON array in the order of its elements' canonical JSON, so that equal sets write alike. */
    @SuppressWarnings("rawtypes")
    private static final class SortedSetSerializer extends StdSerializer<Set> {

        SortedSetSerializer() {
            super(Set.class);
        }

        @Override
        public void serialize(Set set, JsonGenerator gen, SerializerProvider provider) throws IOException {
            List<String> elements = new ArrayList<>(set.size());
            for (Object element : set) {
                elements.add(CANONICAL_JSON.writeValueAsString(element));
            }
            elements.sort(null);
            gen.writeStartArray(set, elements.size());
            for (String element : elements) {
                gen.writeRawValue(element);
            }
            gen.writeEndArray();
        }
    }

    /** Writes an {@code Optional} as its value, or {@code null} when empty. */
    @SuppressWarnings("rawtypes")
    private static final class OptionalSerializer extends StdSerializer<Optional> {

        OptionalSerializer() {
            super(Optional.class);
        }

        @Override
        public void serialize(Optional optional, JsonGenerator gen, SerializerProvider provider) throws IOException {
            if (optional.isPresent()) {
                provider.defaultSerializeValue(optional.get(), gen);
            } else {
                gen.writeNull();
            }
        }
    }
}
