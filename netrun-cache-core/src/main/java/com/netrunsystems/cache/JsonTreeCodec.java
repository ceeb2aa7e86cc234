package com.netrunsystems.cache;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Map;

/** JSON trees, as the Python netrun-cache stores them; see {@link Codecs#json()}. */
final class JsonTreeCodec implements ValueCodec<Object> {

    static final JsonTreeCodec INSTANCE = new JsonTreeCodec();

    private final ObjectMapper mapper = JsonMappers.newMapper();

    private JsonTreeCodec() {
    }

    @Override
    public byte[] encode(Object value) {
        requireTree(value, "value");
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot write JSON: " + e.getOriginalMessage(), e);
        }
    }

    @Override
    public Object decode(byte[] bytes) {
        try {
            return mapper.readValue(bytes, Object.class);
        } catch (JsonProcessingException notJson) {
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String description() {
        return "json";
    }

    private static void requireTree(Object value, String path) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof Character || value instanceof JsonNode) {
            return;
        }
        if (value instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!(entry.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("map keys must be strings for JSON, found "
                            + typeName(entry.getKey()) + " at " + path);
                }
                requireTree(entry.getValue(), path + "." + key);
            }
            return;
        }
        if (value instanceof Collection<?> collection) {
            int i = 0;
            for (Object element : collection) {
                requireTree(element, path + "[" + i++ + "]");
            }
            return;
        }
        if (value instanceof byte[]) {
            throw new IllegalArgumentException("byte[] at " + path + " is not a JSON tree type (it would come back as a "
                    + "base64 String); use Codecs.bytes() for binary values");
        }
        if (value.getClass().isArray()) {
            if (value.getClass().getComponentType().isPrimitive()) {
                return;
            }
            for (int i = 0; i < Array.getLength(value); i++) {
                requireTree(Array.get(value, i), path + "[" + i + "]");
            }
            return;
        }
        throw new IllegalArgumentException(typeName(value) + " at " + path + " is not a JSON tree type (Map, List, "
                + "String, Number, Boolean); " + typedCodecHint(value, path));
    }

    /** The fix, tested by following it: a typed codec for the value itself, or for the value that holds it. */
    private static String typedCodecHint(Object value, String path) {
        String name = value.getClass().getCanonicalName() != null && !value.getClass().isAnonymousClass()
                ? value.getClass().getSimpleName() : null;
        if (!path.equals("value")) {
            return "convert it to a tree type (such as a String), or store the whole value with a typed codec, "
                    + "such as Codecs.json(YourType.class) or Codecs.json(new TypeReference<Map<String, "
                    + (name == null ? "YourType" : name) + ">>() {})";
        }
        return name == null
                ? "store it with a typed codec, Codecs.json(YourType.class), for a named class or record"
                : "use Codecs.json(" + name + ".class) to store it as a typed value";
    }

    private static String typeName(Object value) {
        return value == null ? "null" : value.getClass().getName();
    }
}
