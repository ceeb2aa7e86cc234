package com.netrunsystems.cache.tiered;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.List;

/**
 * What one {@code CacheManager} tells the others of its namespace: drop these keys from L1, or
 * drop everything. JSON on the wire: {@code {"sender":"…","keys":["a","b"]}} or
 * {@code {"sender":"…","all":true}}; the sender's random id lets it ignore its own messages.
 *
 * Immutable.
 *
 * @param sender the id of the manager that sent it
 * @param keys   the keys to drop; ignored when {@code all}
 * @param all    whether to drop the whole L1
 */
public record InvalidationMessage(String sender, List<String> keys, boolean all) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Returns the message that drops {@code keys}. */
    public static InvalidationMessage keys(String sender, List<String> keys) {
        return new InvalidationMessage(sender, List.copyOf(keys), false);
    }

    /** Returns the message that drops the whole L1. */
    public static InvalidationMessage all(String sender) {
        return new InvalidationMessage(sender, List.of(), true);
    }

    /** Returns the JSON bytes of this message. */
    public byte[] encode() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode an invalidation message", e);
        }
    }

    /** Decodes a message; throws {@link IOException} for anything that is not one. */
    public static InvalidationMessage decode(byte[] bytes) throws IOException {
        InvalidationMessage message = JSON.readValue(bytes, InvalidationMessage.class);
        if (message.sender() == null || (!message.all() && message.keys() == null)) {
            throw new IOException("not an invalidation message");
        }
        return message;
    }
}
