package com.netrunsystems.cache.cli;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * One stored string value read back as the libraries wrote it: JSON (the Java codecs; the Python package for
 * dicts and lists), an integer counter ({@code INCR}), a raw string (the Python package's {@code str()} of
 * other values), or binary bytes. Immutable.
 *
 * @param kind  what the bytes hold
 * @param bytes the stored bytes
 * @param json  the parsed JSON tree for the JSON kinds and counters, else {@code null}
 */
record StoredValue(Kind kind, byte[] bytes, JsonNode json) {

    /** The kinds of stored value, with the names that text and JSON output print. */
    enum Kind {
        JSON_OBJECT("json-object"), JSON_ARRAY("json-array"), JSON_STRING("json-string"), JSON_NUMBER("json-number"),
        JSON_BOOLEAN("json-boolean"), JSON_NULL("json-null"), COUNTER("counter"), RAW_STRING("raw-string"),
        BINARY("binary");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** Returns the name printed for this kind, such as {@code json-object}. */
        String label() {
            return label;
        }
    }

    /** Hex shows at most this many bytes of a binary value. */
    static final int HEX_LIMIT = 256;

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(JsonParser.Feature.AUTO_CLOSE_SOURCE);
    private static final Pattern INTEGER = Pattern.compile("-?(0|[1-9][0-9]{0,18})");

    /** Classifies {@code bytes}. */
    static StoredValue of(byte[] bytes) {
        String text = utf8Text(bytes);
        if (text == null) {
            return new StoredValue(Kind.BINARY, bytes, null);
        }
        if (INTEGER.matcher(text).matches()) {
            try {
                return new StoredValue(Kind.COUNTER, bytes, JsonNodeFactory.instance.numberNode(Long.parseLong(text)));
            } catch (NumberFormatException beyondLong) {
                // a JSON number, below
            }
        }
        JsonNode tree = parse(text);
        if (tree == null) {
            return new StoredValue(Kind.RAW_STRING, bytes, null);
        }
        Kind kind = switch (tree.getNodeType()) {
            case OBJECT -> Kind.JSON_OBJECT;
            case ARRAY -> Kind.JSON_ARRAY;
            case STRING -> Kind.JSON_STRING;
            case NUMBER -> Kind.JSON_NUMBER;
            case BOOLEAN -> Kind.JSON_BOOLEAN;
            default -> Kind.JSON_NULL;
        };
        return new StoredValue(kind, bytes, tree);
    }

    /** Returns the value for a person: pretty JSON, the raw string as it is, or hex (first {@value #HEX_LIMIT} bytes). */
    String display() {
        return switch (kind) {
            case RAW_STRING -> text();
            case BINARY -> hex();
            default -> pretty(json);
        };
    }

    /** Returns the UTF-8 text of the bytes; binary bytes are replaced where invalid. */
    String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** Returns the bytes as lowercase hex, the first {@value #HEX_LIMIT} only, followed by {@code ...} when cut. */
    String hex() {
        int shown = Math.min(bytes.length, HEX_LIMIT);
        String hex = HexFormat.of().formatHex(bytes, 0, shown);
        return bytes.length > shown ? hex + "..." : hex;
    }

    /** Returns the value as a JSON tree for {@code --json}: the tree, the raw string, or the hex string. */
    JsonNode asJson() {
        return switch (kind) {
            case RAW_STRING -> JsonNodeFactory.instance.textNode(text());
            case BINARY -> JsonNodeFactory.instance.textNode(hex());
            default -> json;
        };
    }

    static String pretty(JsonNode tree) {
        try {
            return JSON.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot print a JSON tree", e);
        }
    }

    private static JsonNode parse(String text) {
        String trimmed = text.strip();
        if (trimmed.isEmpty()) {
            return null;
        }
        try {
            return JSON.readTree(trimmed);
        } catch (JsonProcessingException notJson) {
            return null;
        }
    }

    /** Returns the bytes as text when they are valid UTF-8 without control characters (tabs and newlines allowed). */
    private static String utf8Text(byte[] bytes) {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c) && c != '\t' && c != '\n' && c != '\r') {
                return null;
            }
        }
        return text;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "StoredValue[%s, %d bytes]", kind.label(), bytes.length);
    }
}
