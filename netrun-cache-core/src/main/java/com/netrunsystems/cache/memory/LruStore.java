package com.netrunsystems.cache.memory;

import com.netrunsystems.cache.EvictionPolicy;
import com.netrunsystems.cache.Ticker;
import java.util.HashMap;
import java.util.function.UnaryOperator;

/**
 * {@link EvictionPolicy#LRU}: exact least-recently-used order, as the seed's {@code OrderedDict}
 * keeps it. Reads and writes move an entry to the most recent end; a write that exceeds the bound
 * evicts from the least recent end. One lock guards the map, so every operation is serialized.
 *
 * <p>Entries are mutable nodes of an intrusive doubly linked list: a hit relinks its node and an
 * overwrite of a present key updates it in place, so neither allocates.
 */
public final class LruStore implements MemoryStore {

    private final HashMap<String, Node> map = new HashMap<>();
    /** Sentinel of the circular recency list: {@code head.next} is the least recent node, {@code head.prev} the most. */
    private final Node head = new Node(null);
    private final long maxSize;
    private final Ticker ticker;
    private final Runnable onEviction;

    public LruStore(long maxSize, Ticker ticker, Runnable onEviction) {
        this.maxSize = maxSize;
        this.ticker = ticker;
        this.onEviction = onEviction;
        head.prev = head;
        head.next = head;
    }

    @Override
    public synchronized Object get(String key) {
        Node node = live(key);
        if (node == null) {
            return null;
        }
        moveToMostRecent(node);
        return node.value;
    }

    @Override
    public synchronized MemoryEntry getEntry(String key) {
        Node node = live(key);
        if (node == null) {
            return null;
        }
        moveToMostRecent(node);
        return new MemoryEntry(node.value, node.expiresAt);
    }

    @Override
    public synchronized Object peek(String key) {
        Node node = live(key);
        return node == null ? null : node.value;
    }

    @Override
    public synchronized void put(String key, Object value, long ttlNanos) {
        write(key, map.get(key), value, ticker.read() + ttlNanos);
    }

    @Override
    public synchronized MemoryEntry compute(String key, UnaryOperator<MemoryEntry> remapping) {
        Node node = live(key);
        MemoryEntry result = remapping.apply(node == null ? null : new MemoryEntry(node.value, node.expiresAt));
        if (result != null) {
            write(key, node, result.value(), result.expiresAt());
        } else if (node != null) {
            remove(node);
        }
        return result;
    }

    @Override
    public synchronized long clear() {
        long now = ticker.read();
        long live = 0;
        for (Node node = head.next; node != head; node = node.next) {
            if (!node.isExpired(now)) {
                live++;
            }
        }
        map.clear();
        head.prev = head;
        head.next = head;
        return live;
    }

    @Override
    public synchronized long size() {
        return map.size();
    }

    /** Stores into {@code node} (the key's node, expired or not) or a new one, as the most recent entry. */
    private void write(String key, Node node, Object value, long expiresAt) {
        if (node == null) {
            node = new Node(key);
            map.put(key, node);
            link(node);
        } else {
            moveToMostRecent(node);
        }
        node.value = value;
        node.expiresAt = expiresAt;
        evictToBound();
    }

    /** Returns the node under {@code key} if it has not expired; drops it if it has. */
    private Node live(String key) {
        Node node = map.get(key);
        if (node != null && node.isExpired(ticker.read())) {
            remove(node);
            return null;
        }
        return node;
    }

    private void evictToBound() {
        if (map.size() <= maxSize) {
            return;
        }
        long now = ticker.read();
        while (map.size() > maxSize) {
            Node eldest = head.next;
            remove(eldest);
            if (!eldest.isExpired(now)) {
                onEviction.run();
            }
        }
    }

    private void remove(Node node) {
        map.remove(node.key);
        unlink(node);
    }

    private void moveToMostRecent(Node node) {
        if (head.prev != node) {
            unlink(node);
            link(node);
        }
    }

    private void link(Node node) {
        node.prev = head.prev;
        node.next = head;
        head.prev.next = node;
        head.prev = node;
    }

    private static void unlink(Node node) {
        node.prev.next = node.next;
        node.next.prev = node.prev;
    }

    /** One entry, linked into the recency list; mutated only under the store's lock. */
    private static final class Node {
        final String key;
        Object value;
        long expiresAt;
        Node prev;
        Node next;

        Node(String key) {
            this.key = key;
        }

        boolean isExpired(long now) {
            return now - expiresAt >= 0;
        }
    }
}
