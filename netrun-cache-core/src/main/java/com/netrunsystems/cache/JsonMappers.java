package com.netrunsystems.cache;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** Builds the {@link ObjectMapper}s the JSON codecs use: no default typing, Python-compatible numbers. */
final class JsonMappers {

    private JsonMappers() {
    }

    static ObjectMapper newMapper() {
        return JsonMapper.builder()
                .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)   // Python writes NaN and Infinity bare
                .disable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)      // ... and reads them back as floats
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS) // "42 abc" is not JSON, as in Python
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // tolerate fields added by newer writers
                .build();
    }

    static void requireNoDefaultTyping(ObjectMapper mapper) {
        if (mapper.getSerializationConfig().getDefaultTyper(mapper.constructType(Object.class)) != null
                || mapper.getDeserializationConfig().getDefaultTyper(mapper.constructType(Object.class)) != null) {
            throw new IllegalArgumentException("mapper must not enable default typing: a stored payload could then "
                    + "choose the class to instantiate; use a mapper without activateDefaultTyping");
        }
    }
}
