package com.netrunsystems.cache.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.netrunsystems.cache.Codecs;
import com.netrunsystems.cache.ValueCodec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;

/** JSON trees, as the Python netrun-cache stores them; see {@link Codecs#json()}. */
public final class JsonTreeCodec implements ValueCodec<Object> {

    public static final JsonTreeCodec INSTANCE = new JsonTreeCodec();

    /**
     * The deepest nesting written or read: Jackson's default limit for both
     * ({@code StreamWriteConstraints}/{@code StreamReadConstraints} max nesting depth).
     */
    static final int MAX_DEPTH = 1000;

    private final ObjectMapper mapper = JsonMappers.newMapper();

    private JsonTreeCodec() {
    }

    @Override
    public byte[] encode(Object value) {
        requireTree(value);
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
        } catch (StreamConstraintsException tooLarge) {
            // valid JSON (or not) beyond the reader's limits (nesting, string or number length): it is
            // no string the Python package wrote with str(), but data this reader cannot decode
            throw new IllegalArgumentException("the payload exceeds the JSON reader's limits: "
                    + tooLarge.getOriginalMessage(), tooLarge);
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

    /**
     * Checks that {@code value} is a JSON tree, without recursion: a container that holds itself
     * (directly or deeper) and nesting deeper than {@link #MAX_DEPTH} are refused with the path where
     * they occur, instead of overflowing the stack. Paths are built only for the message.
     */
    private static void requireTree(Object value) {
        if (!isContainer(requireNode(value, null))) {
            return;
        }
        Set<Object> open = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Level> path = new ArrayDeque<>();
        open.add(value);
        path.push(new Level(value));
        while (!path.isEmpty()) {
            Level level = path.peek();
            if (!level.advance(path)) {
                open.remove(level.container);
                path.pop();
                continue;
            }
            Object child = requireNode(level.child, path);
            if (!isContainer(child)) {
                continue;
            }
            if (path.size() >= MAX_DEPTH) {
                throw new IllegalArgumentException("the value is nested deeper than " + MAX_DEPTH + " levels (at "
                        + path(path) + "), more than JSON can be written and read back here");
            }
            if (!open.add(child)) {
                throw new IllegalArgumentException("the value contains itself: the " + typeName(child) + " at "
                        + path(path) + " is one of its own ancestors, so it has no JSON form (a cycle)");
            }
            path.push(new Level(child));
        }
    }

    /** Returns {@code value} when it may appear in a JSON tree; throws naming it and its place otherwise. */
    private static Object requireNode(Object value, Deque<Level> path) {
        if (value == null || value instanceof String || value instanceof Number || value instanceof Boolean
                || value instanceof Character || value instanceof JsonNode || isContainer(value)) {
            return value;
        }
        if (value instanceof byte[]) {
            throw new IllegalArgumentException("byte[] at " + path(path) + " is not a JSON tree type (it would come "
                    + "back as a base64 String); use Codecs.bytes() for binary values");
        }
        if (value.getClass().isArray()) {
            return value; // an array of primitives
        }
        throw new IllegalArgumentException(typeName(value) + " at " + path(path) + " is not a JSON tree type (Map, List, "
                + "String, Number, Boolean); " + typedCodecHint(value, path(path)));
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

    private static boolean isContainer(Object value) {
        return value instanceof Map<?, ?> || value instanceof Collection<?>
                || (value != null && value.getClass().isArray() && !value.getClass().getComponentType().isPrimitive());
    }

    private static String path(Deque<Level> path) {
        StringBuilder text = new StringBuilder("value");
        if (path != null) {
            for (java.util.Iterator<Level> levels = path.descendingIterator(); levels.hasNext(); ) {
                Object segment = levels.next().segment;
                if (segment == null) {
                    break;
                }
                text.append(segment instanceof Integer index ? "[" + index + "]" : "." + segment);
            }
        }
        return text.toString();
    }

    /** A container being walked: its next child, and that child's name ({@code Integer} index or map key). */
    private static final class Level {
        final Object container;
        private final java.util.Iterator<?> children;
        private int index = -1;
        Object segment;
        Object child;

        Level(Object container) {
            this.container = container;
            if (container instanceof Map<?, ?> map) {
                children = map.entrySet().iterator();
            } else if (container instanceof Collection<?> collection) {
                children = collection.iterator();
            } else {
                children = java.util.Arrays.asList((Object[]) container).iterator();
            }
        }

        /** Moves to the next child; false when there is none. */
        boolean advance(Deque<Level> path) {
            if (!children.hasNext()) {
                return false;
            }
            Object next = children.next();
            index++;
            segment = null;
            if (container instanceof Map<?, ?>) {
                Map.Entry<?, ?> entry = (Map.Entry<?, ?>) next;
                if (!(entry.getKey() instanceof String key)) {
                    throw new IllegalArgumentException("map keys must be strings for JSON, found "
                            + typeName(entry.getKey()) + " at " + path(path));
                }
                segment = key;
                child = entry.getValue();
            } else {
                segment = index;
                child = next;
            }
            return true;
        }
    }

    private static String typeName(Object value) {
        return value == null ? "null" : value.getClass().getName();
    }
}
