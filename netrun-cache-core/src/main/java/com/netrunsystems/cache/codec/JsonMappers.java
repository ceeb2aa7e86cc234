package com.netrunsystems.cache.codec;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import com.fasterxml.jackson.module.paramnames.ParameterNamesModule;

/**
 * Builds the {@link ObjectMapper}s the JSON codecs use: no default typing, Python-compatible numbers,
 * and the standard modules: {@code java.time} values as ISO-8601 strings ({@code "2024-05-01"},
 * {@code "2024-05-01T10:15:30Z"}, {@code "PT5M"}; never numeric timestamps, so Python reads them with
 * {@code fromisoformat}), {@code Optional} as its content or {@code null}, and constructor parameter
 * names (for classes compiled with {@code -parameters}; records need nothing).
 */
public final class JsonMappers {

    private JsonMappers() {
    }

    public static ObjectMapper newMapper() {
        return JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(new Jdk8Module())
                .addModule(new ParameterNamesModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)     // ISO-8601 strings, as Python's isoformat()
                .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS) // "PT5M", not 300.000000000
                .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE) // an OffsetDateTime keeps its offset
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)   // Python writes NaN and Infinity bare
                .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)      // ... and reads them back as floats
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS) // "42 abc" is not JSON, as in Python
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // tolerate fields added by newer writers
                .build();
    }

    public static void requireNoDefaultTyping(ObjectMapper mapper) {
        if (mapper.getSerializationConfig().getDefaultTyper(mapper.constructType(Object.class)) != null
                || mapper.getDeserializationConfig().getDefaultTyper(mapper.constructType(Object.class)) != null) {
            throw new IllegalArgumentException("mapper must not enable default typing: a stored payload could then "
                    + "choose the class to instantiate; use a mapper without activateDefaultTyping");
        }
    }
}
