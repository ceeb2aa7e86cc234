package com.netrunsystems.cache;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.netrunsystems.cache.codec.BytesCodec;
import com.netrunsystems.cache.codec.JsonMappers;
import com.netrunsystems.cache.codec.JsonTreeCodec;
import com.netrunsystems.cache.codec.JsonTypeCodec;
import com.netrunsystems.cache.codec.StringCodec;
import java.util.Objects;

/**
 * The standard {@link ValueCodec}s. None uses Java native serialization, and the JSON codecs never
 * enable Jackson's default typing, so a stored payload cannot choose which class gets instantiated.
 *
 * <p>Values are stored as UTF-8 JSON, the format the Python netrun-cache reads and writes.
 */
public final class Codecs {

    private Codecs() {
    }

    /**
     * Returns the codec for JSON trees, wire-compatible with the Python netrun-cache: values are
     * {@code Map<String, ?>}, {@code List<?>} (any {@code Collection} or array when writing),
     * {@code String}, {@code Number}, {@code Boolean}, nested freely, with {@code null} allowed
     * inside. Decoding gives {@code LinkedHashMap}, {@code ArrayList}, {@code String},
     * {@code Integer}/{@code Long}/{@code BigInteger}, {@code Double} and {@code Boolean}. A payload
     * that is not valid JSON (the Python package writes non-dict/list values with {@code str()})
     * decodes as the raw UTF-8 string. Encoding any other type fails with a message that names it
     * and suggests {@link #json(Class)}.
     */
    public static ValueCodec<Object> json() {
        return JsonTreeCodec.INSTANCE;
    }

    /**
     * Returns a JSON codec bound to {@code type} (a POJO, record, enum, {@code UUID}, {@code Optional} or
     * {@code java.time} type), with a mapper that has Jackson's {@code java.time}, {@code Optional} and
     * parameter-names modules: dates, times and durations are written as ISO-8601 strings
     * ({@code "2024-05-01"}, {@code "2024-05-01T10:15:30Z"}, {@code "PT5M"}), never as numeric timestamps,
     * and an {@code OffsetDateTime} keeps its offset.
     */
    public static <T> ValueCodec<T> json(Class<T> type) {
        Objects.requireNonNull(type, "type");
        ObjectMapper mapper = JsonMappers.newMapper();
        return new JsonTypeCodec<>(mapper, mapper.constructType(type));
    }

    /** Returns a JSON codec for a generic type, such as {@code new TypeReference<List<User>>() {}}. */
    public static <T> ValueCodec<T> json(TypeReference<T> type) {
        Objects.requireNonNull(type, "type");
        ObjectMapper mapper = JsonMappers.newMapper();
        return new JsonTypeCodec<>(mapper, mapper.constructType(type));
    }

    /** Returns a JSON codec for a {@link JavaType} built with a type factory. */
    public static <T> ValueCodec<T> json(JavaType type) {
        Objects.requireNonNull(type, "type");
        return new JsonTypeCodec<>(JsonMappers.newMapper(), type);
    }

    /**
     * Returns a JSON codec that uses the caller's {@link ObjectMapper} (modules, naming strategy).
     *
     * @throws IllegalArgumentException when the mapper has default typing enabled, which would let
     *     a stored payload name the class to instantiate
     */
    public static <T> ValueCodec<T> json(ObjectMapper mapper, Class<T> type) {
        Objects.requireNonNull(mapper, "mapper");
        Objects.requireNonNull(type, "type");
        JsonMappers.requireNoDefaultTyping(mapper);
        return new JsonTypeCodec<>(mapper, mapper.constructType(type));
    }

    /** Returns the codec that stores strings as their raw UTF-8 bytes (no JSON quoting). */
    public static ValueCodec<String> string() {
        return StringCodec.INSTANCE;
    }

    /** Returns the codec that stores byte arrays as they are. */
    public static ValueCodec<byte[]> bytes() {
        return BytesCodec.INSTANCE;
    }
}
