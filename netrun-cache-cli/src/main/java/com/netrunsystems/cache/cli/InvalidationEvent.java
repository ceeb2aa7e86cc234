package com.netrunsystems.cache.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One message seen on a namespace's invalidation channel, decoded from the JSON every {@code CacheManager}
 * publishes: {@code {"sender":"…","keys":["a","b"]}} or {@code {"sender":"…","all":true}}. A payload that is
 * not such a message is kept as {@code unreadable}, with its size. Immutable.
 *
 * @param received when it arrived
 * @param sender   the sending manager's id, or {@code null} when unreadable
 * @param keys     the keys to drop
 * @param all      whether every key is to be dropped (a clear)
 * @param size     the payload's size in bytes
 */
record InvalidationEvent(Instant received, String sender, List<String> keys, boolean all, int size) {

    private static final ObjectMapper JSON = new ObjectMapper();

    static InvalidationEvent decode(Instant received, byte[] payload) {
        try {
            JsonNode root = JSON.readTree(payload);
            JsonNode sender = root == null ? null : root.get("sender");
            if (sender == null || !sender.isTextual()) {
                return unreadable(received, payload);
            }
            boolean all = root.path("all").asBoolean(false);
            List<String> keys = new ArrayList<>();
            root.path("keys").forEach(key -> keys.add(key.asText()));
            return new InvalidationEvent(received, sender.asText(), List.copyOf(keys), all, payload.length);
        } catch (IOException e) {
            return unreadable(received, payload);
        }
    }

    private static InvalidationEvent unreadable(Instant received, byte[] payload) {
        return new InvalidationEvent(received, null, List.of(), false, payload.length);
    }

    boolean readable() {
        return sender != null;
    }

    /** Returns the event for {@code --json}: {@code {"time", "sender", "all", "keys"}}, or {"time","unreadableBytes"}. */
    ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("time", received.toString());
        if (!readable()) {
            node.put("unreadableBytes", size);
            return node;
        }
        node.put("sender", sender);
        node.put("all", all);
        ArrayNode array = node.putArray("keys");
        keys.forEach(array::add);
        return node;
    }
}
