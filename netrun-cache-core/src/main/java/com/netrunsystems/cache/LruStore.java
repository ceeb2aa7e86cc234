package com.netrunsystems.cache;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * {@link EvictionPolicy#LRU}: exact least-recently-used order, as the seed's {@code OrderedDict}
 * keeps it. Reads and writes move an entry to the most recent end; a write that exceeds the bound
 * evicts from the least recent end. One lock guards the map, so every operation is serialized.
 */
final class LruStore implements MemoryStore {

    /** Insertion order, kept as recency order by re-inserting on each access. */
    private final LinkedHashMap<String, MemoryEntry> map = new LinkedHashMap<>();
    private final long maxSize;
    private final Ticker ticker;
    private final Runnable onEviction;

    LruStore(long maxSize, Ticker ticker, Runnable onEviction) {
        this.maxSize = maxSize;
        this.ticker = ticker;
        this.onEviction = onEviction;
    }

    @Override
    public synchronized MemoryEntry get(String key) {
        MemoryEntry entry = live(key);
        if (entry != null) {
            map.remove(key);
            map.put(key, entry);
        }
        return entry;
    }

    @Override
    public synchronized MemoryEntry peek(String key) {
        return live(key);
    }

    @Override
    public synchronized void put(String key, MemoryEntry entry) {
        map.remove(key);
        map.put(key, entry);
        evictToBound();
    }

    @Override
    public synchronized MemoryEntry compute(String key, UnaryOperator<MemoryEntry> remapping) {
        MemoryEntry result = remapping.apply(live(key));
        map.remove(key);
        if (result != null) {
            map.put(key, result);
            evictToBound();
        }
        return result;
    }

    @Override
    public synchronized long clear() {
        long now = ticker.read();
        long live = map.values().stream().filter(e -> !e.isExpired(now)).count();
        map.clear();
        return live;
    }

    @Override
    public synchronized long size() {
        return map.size();
    }

    /** Returns the entry under {@code key} if it has not expired; drops it if it has. */
    private MemoryEntry live(String key) {
        MemoryEntry entry = map.get(key);
        if (entry != null && entry.isExpired(ticker.read())) {
            map.remove(key);
            return null;
        }
        return entry;
    }

    private void evictToBound() {
        if (map.size() <= maxSize) {
            return;
        }
        long now = ticker.read();
        Iterator<Map.Entry<String, MemoryEntry>> eldest = map.entrySet().iterator();
        while (map.size() > maxSize && eldest.hasNext()) {
            MemoryEntry entry = eldest.next().getValue();
            eldest.remove();
            if (!entry.isExpired(now)) {
                onEviction.run();
            }
        }
    }
}
