package com.netrunsystems.cache.cli;

import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.redis.tooling.RedisTooling;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * What {@code stats} learns about one namespace while scanning it: the key count and TTL histogram over every
 * key (one pipelined {@code PTTL} per SCAN page), and a uniform sample (reservoir) of keys whose values are
 * classified and whose {@code MEMORY USAGE} is scaled up to the whole namespace as an estimate. The shared
 * statistics counters are counted apart. Not thread-safe: one instance per scan.
 */
final class KeyspaceStats {

    /** The TTL histogram's buckets, with the names text and JSON output print. */
    enum TtlBucket {
        NO_TTL("no TTL", "noTtl"), UNDER_MINUTE("< 1 min", "underOneMinute"), UNDER_HOUR("< 1 hour", "underOneHour"),
        UNDER_DAY("< 1 day", "underOneDay"), LONGER(">= 1 day", "longer");

        final String label;
        final String jsonName;

        TtlBucket(String label, String jsonName) {
            this.label = label;
            this.jsonName = jsonName;
        }

        static TtlBucket of(long ttlMillis) {
            if (ttlMillis < 0) {
                return NO_TTL;
            }
            if (ttlMillis < 60_000L) {
                return UNDER_MINUTE;
            }
            if (ttlMillis < 3_600_000L) {
                return UNDER_HOUR;
            }
            return ttlMillis < 86_400_000L ? UNDER_DAY : LONGER;
        }
    }

    private final KeyScan keys;
    private final int sampleSize;
    private final SplittableRandom random = new SplittableRandom(42);
    private final List<byte[]> sample = new ArrayList<>();
    private final Map<TtlBucket, Long> ttl = new EnumMap<>(TtlBucket.class);
    private final Map<String, Long> kinds = new java.util.TreeMap<>();
    private long count;
    private long statsKeys;
    private long seen;
    private long sampledBytes;
    private int memorySampled;
    private String memoryUnavailable;

    KeyspaceStats(KeyScan keys, int sampleSize) {
        this.keys = keys;
        this.sampleSize = sampleSize;
        for (TtlBucket bucket : TtlBucket.values()) {
            ttl.put(bucket, 0L);
        }
    }

    /** Takes one SCAN page: reads the TTLs of its keys and offers them to the sample. */
    void accept(RedisTooling redis, List<byte[]> page) {
        List<byte[]> data = new ArrayList<>(page.size());
        for (byte[] key : page) {
            if (keys.isStatsKey(key)) {
                statsKeys++;
            } else {
                data.add(key);
            }
        }
        List<Long> ttls = redis.pttl(data);
        for (int i = 0; i < data.size(); i++) {
            long millis = ttls.get(i);
            if (millis == -2) {
                continue; // expired since the SCAN
            }
            count++;
            ttl.merge(TtlBucket.of(millis), 1L, Long::sum);
            offer(data.get(i));
        }
    }

    private void offer(byte[] key) {
        seen++;
        if (sample.size() < sampleSize) {
            sample.add(key);
        } else {
            long slot = random.nextLong(seen);
            if (slot < sampleSize) {
                sample.set((int) slot, key);
            }
        }
    }

    /** Reads the sampled values (their kinds) and their memory usage; call once, after the scan. */
    void finishSample(RedisTooling redis) {
        List<byte[]> values = redis.getAll(sample);
        for (int i = 0; i < sample.size(); i++) {
            byte[] value = values.get(i);
            String kind = value == null ? redis.type(sample.get(i)) : StoredValue.of(value).kind().label();
            kinds.merge(kind.equals("none") ? "expired" : kind, 1L, Long::sum);
        }
        try {
            for (Long bytes : redis.memoryUsage(sample)) {
                if (bytes != null) {
                    sampledBytes += bytes;
                    memorySampled++;
                }
            }
        } catch (CacheException e) {
            memoryUnavailable = e.getMessage();
        }
    }

    long count() {
        return count;
    }

    long statsKeys() {
        return statsKeys;
    }

    int sampled() {
        return sample.size();
    }

    Map<TtlBucket, Long> ttl() {
        return ttl;
    }

    Map<String, Long> kinds() {
        return kinds;
    }

    /** Returns the estimated bytes of the namespace: the sample's mean times the key count; -1 when unavailable. */
    long estimatedBytes() {
        if (memoryUnavailable != null || memorySampled == 0) {
            return count == 0 && memoryUnavailable == null ? 0 : -1;
        }
        return Math.round((double) sampledBytes / memorySampled * count);
    }

    int memorySampled() {
        return memorySampled;
    }

    /** Returns why MEMORY USAGE could not be read (Redis's error, such as NOPERM), or null. */
    String memoryUnavailable() {
        return memoryUnavailable;
    }
}
