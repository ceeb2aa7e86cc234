package com.netrunsystems.cache.redis;

import com.netrunsystems.cache.check.Checks;
import com.netrunsystems.cache.load.TtlValue;
import com.netrunsystems.cache.redis.connection.RedisFailures;
import com.netrunsystems.cache.redis.connection.RedisKeys;
import com.netrunsystems.cache.redis.connection.RedisLink;
import io.lettuce.core.KeyValue;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The multi-key operations of a {@link RedisAsyncCache}: {@code getMany} and {@code getManyWithTtl}
 * ({@code MGET}, split per hash slot on a Cluster so that a master that is down costs only its keys) and
 * {@code setMany} (one pipelined flush of {@code SET … PX}). Decoding, statistics and fail-open answers go
 * through the owning cache. Thread-safe: it holds no mutable state of its own; each call's state is local.
 */
final class MultiKeyOperations<V> {

    private final RedisAsyncCache<V> cache;
    private final RedisKeys keys;
    private final RedisFailures failures;

    MultiKeyOperations(RedisAsyncCache<V> cache, RedisKeys keys, RedisFailures failures) {
        this.cache = cache;
        this.keys = keys;
        this.failures = failures;
    }

    /** {@code MGET} ({@link #mget}), decoding on {@code ex}; a failed slot group makes its keys misses. */
    CompletableFuture<Map<String, V>> getMany(Collection<String> requested, Executor ex) {
        cache.ensureOpen();
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(Checks.keys(requested)));
        if (distinct.isEmpty()) {
            return CompletableFuture.completedFuture(new LinkedHashMap<>());
        }
        byte[][] storedKeys = storedKeys(distinct);
        return cache.run(ex, c -> mget(c, storedKeys)).handle((replies, error) -> {
            Map<String, V> found = new LinkedHashMap<>();
            if (error != null) {
                failures.failOpen("MGET", distinct.size() + " keys", error, null);
            } else {
                for (int i = 0; i < storedKeys.length; i++) {
                    V value = cache.decode(distinct.get(i), replies.values()[i]);
                    if (value != null) {
                        found.put(distinct.get(i), value);
                    }
                }
                if (replies.failure() != null) {
                    // some masters answered: their keys are returned, the unreachable ones are misses
                    failures.failOpen("MGET", replies.failedKeys() + " of " + distinct.size() + " keys",
                            replies.failure(), null);
                }
            }
            cache.recordLookups(found.size(), distinct.size() - found.size());
            return found;
        });
    }

    /** Like {@link RedisAsyncCache#getManyWithTtl(Collection)}, decoding on {@code ex}. */
    CompletableFuture<Map<String, TtlValue<V>>> getManyWithTtl(Collection<String> requested, Executor ex) {
        cache.ensureOpen();
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(Checks.keys(requested)));
        if (distinct.isEmpty()) {
            return CompletableFuture.completedFuture(new LinkedHashMap<>());
        }
        byte[][] storedKeys = storedKeys(distinct);
        List<CompletableFuture<Long>> ttls = new ArrayList<>(storedKeys.length);
        return cache.run(ex, c -> {
            CompletableFuture<MgetReplies> values = mget(c, storedKeys);
            for (byte[] storedKey : storedKeys) {
                CompletableFuture<Long> ttl = c.commands().pttl(storedKey).toCompletableFuture();
                // on a Cluster, the PTTL of a key whose master is down fails with its MGET, which reports it
                ttls.add(c.cluster() ? ttl.exceptionally(error -> null) : ttl);
            }
            return CompletableFuture.allOf(ttls.toArray(new CompletableFuture<?>[0])).thenCombine(values, (done, replies) -> replies);
        }).thenApply(replies -> { // decoded here, on ex
            Map<String, TtlValue<V>> found = new LinkedHashMap<>();
            for (int i = 0; i < storedKeys.length; i++) {
                byte[] bytes = replies.values()[i];
                TtlValue<V> value = bytes != null ? cache.withTtl(distinct.get(i), bytes, ttls.get(i).join()) : null;
                if (value != null) {
                    found.put(distinct.get(i), value);
                }
            }
            if (replies.failure() != null) {
                failures.partial("MGET+PTTL", replies.failedKeys() + " of " + distinct.size() + " keys",
                        replies.failure());
            }
            return found;
        }).handle((found, error) -> {
            Map<String, TtlValue<V>> result = error != null
                    ? failures.failOpen("MGET+PTTL", distinct.size() + " keys", error, new LinkedHashMap<>()) : found;
            cache.recordLookups(result.size(), distinct.size() - result.size());
            return result;
        });
    }

    /** Sends every {@code SET … PX} without awaiting a reply in between; answers how many were stored. */
    CompletableFuture<Integer> setMany(Map<String, ? extends V> items, Duration ttl, Executor ex) {
        cache.ensureOpen();
        Checks.items(items);
        long millis = Checks.millis(Checks.ttl(ttl));
        List<RedisCommand<byte[], byte[], ?>> commands = new ArrayList<>(items.size());
        List<AsyncCommand<byte[], byte[], String>> replies = new ArrayList<>(items.size());
        for (Map.Entry<String, ? extends V> item : items.entrySet()) {
            CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE)
                    .addKey(keys.encode(item.getKey()))
                    .addValue(cache.encode(item.getKey(), item.getValue()));
            SetArgs.Builder.px(millis).build(args);
            AsyncCommand<byte[], byte[], String> command = new AsyncCommand<>(
                    new Command<>(CommandType.SET, new StatusOutput<>(ByteArrayCodec.INSTANCE), args));
            commands.add(command);
            replies.add(command);
        }
        if (commands.isEmpty()) {
            return CompletableFuture.completedFuture(0);
        }
        return cache.run(ex, c -> {
            if (c.cluster()) {
                // A Cluster connection's batch dispatch waits for node connections on the calling
                // thread, which deadlocks when that is Lettuce's I/O thread (right after connecting).
                // One by one, each command is routed without blocking; still no reply is awaited between them.
                for (RedisCommand<byte[], byte[], ?> command : commands) {
                    c.dispatch(command);
                }
            } else {
                c.dispatch(commands); // one write and one flush: a single pipelined round trip
            }
            return CompletableFuture.allOf(replies.toArray(new CompletableFuture<?>[0]));
        }).handle((ignored, error) -> {
            int stored = 0;
            for (AsyncCommand<byte[], byte[], String> reply : replies) {
                if (reply.isDone() && !reply.isCompletedExceptionally() && "OK".equals(reply.getNow(null))) {
                    stored++;
                }
            }
            if (error != null) {
                failures.failOpen("SET (pipelined)", items.size() + " keys", error, 0);
            }
            return stored;
        });
    }

    private byte[][] storedKeys(List<String> distinct) {
        byte[][] storedKeys = new byte[distinct.size()][];
        for (int i = 0; i < storedKeys.length; i++) {
            storedKeys[i] = keys.encode(distinct.get(i));
        }
        return storedKeys;
    }

    /**
     * The values an {@code MGET} found, in the order of the keys asked ({@code null} for a miss), and
     * on a Cluster the first failure of a slot group with how many keys it left unanswered.
     */
    private record MgetReplies(byte[][] values, Throwable failure, int failedKeys) {
    }

    /**
     * Sends {@code MGET}: one command on a standalone or Sentinel connection; on a Cluster one per hash
     * slot (as Lettuce's own cluster {@code MGET} does), all in flight together, so that a master that
     * is down costs only the keys it serves instead of failing the whole call.
     */
    private static CompletableFuture<MgetReplies> mget(RedisLink.Connected c, byte[][] storedKeys) {
        byte[][] values = new byte[storedKeys.length][];
        if (!c.cluster()) {
            return c.commands().mget(storedKeys).toCompletableFuture().thenApply(replies -> {
                for (int i = 0; i < replies.size(); i++) {
                    values[i] = replies.get(i).getValueOrElse(null);
                }
                return new MgetReplies(values, null, 0);
            });
        }
        Map<Integer, List<Integer>> bySlot = new LinkedHashMap<>();
        for (int i = 0; i < storedKeys.length; i++) {
            bySlot.computeIfAbsent(SlotHash.getSlot(storedKeys[i]), slot -> new ArrayList<>()).add(i);
        }
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicInteger failedKeys = new AtomicInteger();
        List<CompletableFuture<?>> parts = new ArrayList<>(bySlot.size());
        for (List<Integer> group : bySlot.values()) {
            byte[][] groupKeys = new byte[group.size()][];
            for (int j = 0; j < groupKeys.length; j++) {
                groupKeys[j] = storedKeys[group.get(j)];
            }
            CompletableFuture<List<KeyValue<byte[], byte[]>>> sent;
            try {
                sent = c.commands().mget(groupKeys).toCompletableFuture();
            } catch (RuntimeException e) {
                sent = CompletableFuture.failedFuture(e);
            }
            parts.add(sent.handle((replies, error) -> {
                if (error != null) {
                    failure.compareAndSet(null, error);
                    failedKeys.addAndGet(group.size());
                } else {
                    for (int j = 0; j < replies.size(); j++) {
                        values[group.get(j)] = replies.get(j).getValueOrElse(null);
                    }
                }
                return null;
            }));
        }
        // every part completes normally; completing allOf publishes the values written by each part
        return CompletableFuture.allOf(parts.toArray(new CompletableFuture<?>[0]))
                .thenApply(done -> new MgetReplies(values, failure.get(), failedKeys.get()));
    }
}
