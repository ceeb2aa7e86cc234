package com.netrunsystems.cache.redis;

import com.netrunsystems.cache.AsyncCache;
import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.CacheSerializationException;
import com.netrunsystems.cache.ValueCodec;
import com.netrunsystems.cache.internal.Checks;
import com.netrunsystems.cache.internal.RemoteLayer;
import com.netrunsystems.cache.internal.TtlValue;
import com.netrunsystems.cache.load.Hop;
import com.netrunsystems.cache.internal.StatsCounter;
import io.lettuce.core.KeyValue;
import io.lettuce.core.RedisCommandExecutionException;
import io.lettuce.core.ScanArgs;
import io.lettuce.core.ScanCursor;
import io.lettuce.core.SetArgs;
import io.lettuce.core.cluster.SlotHash;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.output.StatusOutput;
import io.lettuce.core.protocol.AsyncCommand;
import io.lettuce.core.protocol.Command;
import io.lettuce.core.protocol.CommandArgs;
import io.lettuce.core.protocol.CommandType;
import io.lettuce.core.protocol.RedisCommand;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * The natively asynchronous operations of a {@link RedisCache}: each call sends its commands on
 * the shared connection and returns at once; no thread waits. The synchronous {@link RedisCache}
 * waits on these futures. Fail-open answers, statistics and decoding happen here, once.
 */
final class RedisAsyncCache<V> implements AsyncCache<V> {

    private static final int SCAN_BATCH = 1000;

    private final RedisCache<V> owner;
    private final RedisKeys keys;
    private final ValueCodec<V> codec;
    private final Duration defaultTtl;
    private final RedisLink link;
    private final StatsCounter stats;
    private final RedisFailures failures;
    /** Where replies are handled (decoded) and every returned future completes: never a Lettuce I/O thread. */
    private final Executor executor;
    private final SharedStats sharedStats;
    /** Whether the load policy keeps stale-if-error grace copies, which {@code delete} then removes too. */
    private final boolean graceCopies;

    RedisAsyncCache(RedisCache<V> owner, RedisKeys keys, ValueCodec<V> codec, Duration defaultTtl, RedisLink link,
            StatsCounter stats, RedisFailures failures, Executor executor, SharedStats sharedStats,
            boolean graceCopies) {
        this.owner = owner;
        this.keys = keys;
        this.codec = codec;
        this.defaultTtl = defaultTtl;
        this.link = link;
        this.stats = stats;
        this.failures = failures;
        this.executor = executor;
        this.sharedStats = sharedStats;
        this.graceCopies = graceCopies;
    }

    @Override
    public Cache<V> synchronous() {
        return owner;
    }

    @Override
    public CompletableFuture<V> get(String key, boolean trackStats) {
        return get(key, trackStats, Function.identity(), null, executor);
    }

    /**
     * {@code GET}: a found value passed through {@code wrap}, {@code null} on a miss, {@code unavailable}
     * when Redis fails as unavailable and the cache fails open (counted and logged).
     */
    <T> CompletableFuture<T> get(String key, boolean trackStats, Function<V, T> wrap, T unavailable, Executor ex) {
        owner.ensureOpen();
        byte[] storedKey = keys.encode(Checks.key(key));
        return run(ex, c -> c.commands().get(storedKey).toCompletableFuture()).handle((bytes, error) -> {
            if (error != null) {
                T fallback = failures.failOpenRead("GET", key, error, null, unavailable);
                if (trackStats) {
                    recordLookup(false);
                }
                return fallback;
            }
            V value = decode(key, bytes);
            if (trackStats) {
                recordLookup(value != null);
            }
            return value == null ? null : wrap.apply(value);
        });
    }

    /**
     * Returns the value under {@code key} with its remaining TTL: {@code GET} and {@code PTTL} sent
     * back to back on the connection, so one round trip; {@code null} on a miss.
     */
    CompletableFuture<TtlValue<V>> getWithTtl(String key, boolean trackStats) {
        return getWithTtl(key, trackStats, null, executor);
    }

    /** Reads like {@link #getWithTtl(String, boolean)}, answering {@code unavailable} when Redis fails as unavailable. */
    CompletableFuture<TtlValue<V>> getWithTtl(String key, boolean trackStats, TtlValue<V> unavailable, Executor ex) {
        owner.ensureOpen();
        byte[] storedKey = keys.encode(Checks.key(key));
        return run(ex, c -> {
            CompletableFuture<byte[]> value = c.commands().get(storedKey).toCompletableFuture();
            CompletableFuture<Long> ttl = c.commands().pttl(storedKey).toCompletableFuture();
            return value.thenCombine(ttl, RawTtl::new);
        }).thenApply(raw -> withTtl(key, raw.bytes(), raw.millis())).handle((found, error) -> {
            TtlValue<V> result = error != null ? failures.failOpenRead("GET+PTTL", key, error, null, unavailable) : found;
            if (trackStats) {
                recordLookup(result != null && result.value() != null);
            }
            return result;
        });
    }

    /**
     * Returns the found keys with their remaining TTLs: an {@code MGET} (on a Cluster one per hash slot, as
     * {@link #getMany}) and a {@code PTTL} per key, pipelined. On a Cluster a master that is down costs only its
     * keys: the others are returned and the failure is counted ({@link RedisFailures#partial}).
     */
    CompletableFuture<Map<String, TtlValue<V>>> getManyWithTtl(Collection<String> requested) {
        return getManyWithTtl(requested, executor);
    }

    /** Like {@link #getManyWithTtl(Collection)}, decoding on {@code ex}. */
    CompletableFuture<Map<String, TtlValue<V>>> getManyWithTtl(Collection<String> requested, Executor ex) {
        owner.ensureOpen();
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(Checks.keys(requested)));
        if (distinct.isEmpty()) {
            return CompletableFuture.completedFuture(new LinkedHashMap<>());
        }
        byte[][] storedKeys = new byte[distinct.size()][];
        for (int i = 0; i < storedKeys.length; i++) {
            storedKeys[i] = keys.encode(distinct.get(i));
        }
        List<CompletableFuture<Long>> ttls = new ArrayList<>(storedKeys.length);
        return run(ex, c -> {
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
                TtlValue<V> value = bytes != null ? withTtl(distinct.get(i), bytes, ttls.get(i).join()) : null;
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
            recordLookups(result.size(), distinct.size() - result.size());
            return result;
        });
    }

    /** Returns {@code PING}'s completion; fails when Redis does not answer. */
    CompletableFuture<String> ping() {
        return link.run(c -> c.commands().ping().toCompletableFuture());
    }

    /** A value's bytes and its {@code PTTL}, as received, decoded later off the I/O thread. */
    private record RawTtl(byte[] bytes, Long millis) {
    }

    private TtlValue<V> withTtl(String key, byte[] bytes, Long millis) {
        V value = decode(key, bytes);
        if (value == null || millis == null || millis == -2) {
            return null; // missing, undecodable, or expired between the two commands
        }
        return new TtlValue<>(value, millis < 0 ? null : Duration.ofMillis(millis));
    }

    @Override
    public CompletableFuture<Boolean> set(String key, V value, Duration ttl) {
        return set(key, value, ttl, executor);
    }

    /** {@code SET … PX}, completing on {@code ex}. */
    CompletableFuture<Boolean> set(String key, V value, Duration ttl, Executor ex) {
        owner.ensureOpen();
        byte[] storedKey = keys.encode(Checks.key(key));
        byte[] payload = encode(key, Checks.value(key, value));
        SetArgs args = SetArgs.Builder.px(Checks.millis(Checks.ttl(ttl)));
        return run(ex, c -> c.commands().set(storedKey, payload, args).toCompletableFuture())
                .handle((reply, error) -> error != null ? failures.failOpen("SET", key, error, false) : "OK".equals(reply));
    }

    @Override
    public CompletableFuture<Boolean> setIfAbsent(String key, V value, Duration ttl) {
        return setIfAbsent(key, value, ttl, executor);
    }

    CompletableFuture<Boolean> setIfAbsent(String key, V value, Duration ttl, Executor ex) {
        owner.ensureOpen();
        byte[] storedKey = keys.encode(Checks.key(key));
        byte[] payload = encode(key, Checks.value(key, value));
        SetArgs args = SetArgs.Builder.nx().px(Checks.millis(Checks.ttl(ttl)));
        return run(ex, c -> c.commands().set(storedKey, payload, args).toCompletableFuture())
                .handle((reply, error) -> error != null
                        ? failures.failOpen("SET NX", key, error, false) : "OK".equals(reply));
    }

    /**
     * Stores a loaded value for {@code ttl} and its stale-if-error grace copy under
     * {@code namespace:__netrun_stale__:key} for {@code ttl + grace}: two {@code SET}s sent back to
     * back, one round trip. Answers whether the value was stored; a grace copy that fails only costs
     * stale-if-error its fallback.
     */
    CompletableFuture<Boolean> setLoaded(String key, V value, Duration ttl, Duration grace) {
        return setLoaded(key, value, ttl, grace, executor);
    }

    CompletableFuture<Boolean> setLoaded(String key, V value, Duration ttl, Duration grace, Executor ex) {
        owner.ensureOpen();
        byte[] storedKey = keys.encode(Checks.key(key));
        byte[] staleKey = keys.encodeStale(key);
        byte[] payload = encode(key, Checks.value(key, value));
        SetArgs args = SetArgs.Builder.px(Checks.millis(ttl));
        SetArgs graceArgs = SetArgs.Builder.px(Checks.millis(ttl.plus(grace)));
        return run(ex, c -> {
            CompletableFuture<String> stored = c.commands().set(storedKey, payload, args).toCompletableFuture();
            CompletableFuture<String> copy = c.commands().set(staleKey, payload, graceArgs).toCompletableFuture();
            return stored.thenCombine(copy.exceptionally(error -> null), (reply, ignored) -> reply);
        }).handle((reply, error) -> error != null ? failures.failOpen("SET", key, error, false) : "OK".equals(reply));
    }

    /** Returns the stale-if-error grace copy of {@code key}, or {@code null}; counts no lookup. */
    CompletableFuture<V> graceCopy(String key) {
        return graceCopy(key, executor);
    }

    /** Like {@link #graceCopy(String)}, decoding on {@code ex}. */
    CompletableFuture<V> graceCopy(String key, Executor ex) {
        owner.ensureOpen();
        byte[] staleKey = keys.encodeStale(Checks.key(key));
        return run(ex, c -> c.commands().get(staleKey).toCompletableFuture())
                .handle((bytes, error) -> error != null ? failures.failOpenRead("GET", key, error, null, null) : decode(key, bytes));
    }

    @Override
    public CompletableFuture<Boolean> delete(String key) {
        return delete(key, executor);
    }

    CompletableFuture<Boolean> delete(String key, Executor ex) {
        owner.ensureOpen();
        byte[] storedKey = keys.encode(Checks.key(key));
        if (!graceCopies) {
            return run(ex, c -> c.commands().unlink(storedKey).toCompletableFuture())
                    .handle((removed, error) -> error != null ? failures.failOpen("UNLINK", key, error, false) : removed > 0);
        }
        // the grace copy goes too (a deleted value is not served as stale); two commands, not one
        // multi-key UNLINK, as on a Cluster the two keys may live in different hash slots
        byte[] staleKey = keys.encodeStale(key);
        return run(ex, c -> {
            CompletableFuture<Long> removed = c.commands().unlink(storedKey).toCompletableFuture();
            CompletableFuture<Long> stale = c.commands().unlink(staleKey).toCompletableFuture();
            return removed.thenCombine(stale, (main, copy) -> main);
        }).handle((removed, error) -> error != null ? failures.failOpen("UNLINK", key, error, false) : removed > 0);
    }

    @Override
    public CompletableFuture<Boolean> exists(String key) {
        return exists(key, executor);
    }

    CompletableFuture<Boolean> exists(String key, Executor ex) {
        owner.ensureOpen();
        byte[] storedKey = keys.encode(Checks.key(key));
        return run(ex, c -> c.commands().exists(storedKey).toCompletableFuture())
                .handle((count, error) -> error != null ? failures.failOpen("EXISTS", key, error, false) : count > 0);
    }

    @Override
    public CompletableFuture<Boolean> expire(String key, Duration ttl) {
        return expire(key, ttl, executor);
    }

    CompletableFuture<Boolean> expire(String key, Duration ttl, Executor ex) {
        owner.ensureOpen();
        byte[] storedKey = keys.encode(Checks.key(key));
        long millis = Checks.millis(Checks.ttl(ttl));
        return run(ex, c -> c.commands().pexpire(storedKey, millis).toCompletableFuture())
                .handle((done, error) -> error != null
                        ? failures.failOpen("PEXPIRE", key, error, false) : Boolean.TRUE.equals(done));
    }

    @Override
    public CompletableFuture<Map<String, V>> getMany(Collection<String> requested) {
        return getMany(requested, executor);
    }

    /** {@code MGET}, decoding on {@code ex}. */
    CompletableFuture<Map<String, V>> getMany(Collection<String> requested, Executor ex) {
        owner.ensureOpen();
        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(Checks.keys(requested)));
        if (distinct.isEmpty()) {
            return CompletableFuture.completedFuture(new LinkedHashMap<>());
        }
        byte[][] storedKeys = new byte[distinct.size()][];
        for (int i = 0; i < storedKeys.length; i++) {
            storedKeys[i] = keys.encode(distinct.get(i));
        }
        return run(ex, c -> mget(c, storedKeys)).handle((replies, error) -> {
            Map<String, V> found = new LinkedHashMap<>();
            if (error != null) {
                failures.failOpen("MGET", distinct.size() + " keys", error, null);
            } else {
                for (int i = 0; i < storedKeys.length; i++) {
                    V value = decode(distinct.get(i), replies.values()[i]);
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
            recordLookups(found.size(), distinct.size() - found.size());
            return found;
        });
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

    @Override
    public CompletableFuture<Integer> setMany(Map<String, ? extends V> items, Duration ttl) {
        return setMany(items, ttl, executor);
    }

    CompletableFuture<Integer> setMany(Map<String, ? extends V> items, Duration ttl, Executor ex) {
        owner.ensureOpen();
        Checks.items(items);
        long millis = Checks.millis(Checks.ttl(ttl));
        List<RedisCommand<byte[], byte[], ?>> commands = new ArrayList<>(items.size());
        List<AsyncCommand<byte[], byte[], String>> replies = new ArrayList<>(items.size());
        for (Map.Entry<String, ? extends V> item : items.entrySet()) {
            CommandArgs<byte[], byte[]> args = new CommandArgs<>(ByteArrayCodec.INSTANCE)
                    .addKey(keys.encode(item.getKey()))
                    .addValue(encode(item.getKey(), item.getValue()));
            SetArgs.Builder.px(millis).build(args);
            AsyncCommand<byte[], byte[], String> command = new AsyncCommand<>(
                    new Command<>(CommandType.SET, new StatusOutput<>(ByteArrayCodec.INSTANCE), args));
            commands.add(command);
            replies.add(command);
        }
        if (commands.isEmpty()) {
            return CompletableFuture.completedFuture(0);
        }
        return run(ex, c -> {
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

    @Override
    public CompletableFuture<Long> increment(String key, long amount) {
        return increment(key, amount, executor);
    }

    CompletableFuture<Long> increment(String key, long amount, Executor ex) {
        owner.ensureOpen();
        byte[] storedKey = keys.encode(Checks.key(key));
        byte[] delta = LuaScript.bytes(amount);
        byte[] ttlMillis = LuaScript.bytes(Checks.millis(defaultTtl));
        return run(ex, c -> LuaScript.INCREMENT.run(c.commands(), storedKey, delta, ttlMillis))
                .handle((value, error) -> error == null ? value : counterFailure(key, error));
    }

    @Override
    public CompletableFuture<Long> clearNamespace() {
        return clearNamespace(executor);
    }

    CompletableFuture<Long> clearNamespace(Executor ex) {
        owner.ensureOpen();
        return run(ex, c -> scan(c, ScanCursor.INITIAL, 0L, true))
                .whenComplete((removed, error) -> owner.keysChanged()) // also when it failed part way
                .handle((removed, error) -> error != null ? failures.failOpen("SCAN+UNLINK", "*", error, 0L) : removed);
    }

    /** Counts this namespace's keys with {@code SCAN}, in the background; for {@link KeyCounter}. */
    CompletableFuture<Long> countKeys() {
        return link.run(c -> scan(c, ScanCursor.INITIAL, 0L, false));
    }

    /** Runs the cache's load pipeline (the same one as the blocking {@code getOrLoad}); steps after replies run on the executor. */
    @Override
    public CompletableFuture<V> getOrLoad(String key, Duration ttl,
            Function<? super String, ? extends CompletableFuture<V>> loader) {
        Checks.key(key);
        Checks.ttl(ttl);
        Checks.loader(loader);
        owner.ensureOpen();
        return owner.pipeline().getOrLoadAsync(key, ttl, loader);
    }

    /** Returns the executor where replies are handled and futures complete. */
    Executor executor() {
        return executor;
    }

    /**
     * Sends {@code call} and returns its reply completing on {@code ex}, so that what follows (decoding,
     * the caller's own stages) never runs on a Lettuce I/O thread; {@link RedisCache#DIRECT} skips the hop
     * for replies no user code handles.
     */
    private <T> CompletableFuture<T> run(Executor ex, Function<RedisLink.Connected, CompletableFuture<T>> call) {
        CompletableFuture<T> sent = link.run(call);
        return ex == RedisCache.DIRECT ? sent : Hop.to(sent, ex);
    }

    private CompletableFuture<Long> scan(RedisLink.Connected c, ScanCursor cursor, long total, boolean unlink) {
        ScanArgs args = ScanArgs.Builder.matches(keys.scanPattern().getBytes(StandardCharsets.UTF_8)).limit(SCAN_BATCH);
        return c.commands().scan(cursor, args).toCompletableFuture().thenCompose(page -> {
            List<byte[]> found = page.getKeys();
            CompletableFuture<Long> step;
            if (found.isEmpty()) {
                step = CompletableFuture.completedFuture(0L);
            } else if (unlink) {
                step = unlink(c, found);
            } else {
                step = CompletableFuture.completedFuture(found.stream().filter(key -> !keys.isInternal(key)).count());
            }
            return step.thenCompose(n -> page.isFinished()
                    ? CompletableFuture.completedFuture(total + n)
                    : scan(c, page, total + n, unlink));
        });
    }

    /**
     * Unlinks a page of scanned keys; returns how many entries it removed, not counting the load
     * pipeline's bookkeeping (grace copies, leases), which goes in a second command.
     */
    private CompletableFuture<Long> unlink(RedisLink.Connected c, List<byte[]> found) {
        List<byte[]> entries = new ArrayList<>(found.size());
        List<byte[]> internal = new ArrayList<>();
        for (byte[] key : found) {
            (keys.isInternal(key) ? internal : entries).add(key);
        }
        CompletableFuture<Long> removed = entries.isEmpty() ? CompletableFuture.completedFuture(0L)
                : c.commands().unlink(entries.toArray(new byte[0][])).toCompletableFuture();
        if (internal.isEmpty()) {
            return removed;
        }
        CompletableFuture<Long> bookkeeping = c.commands().unlink(internal.toArray(new byte[0][])).toCompletableFuture();
        return removed.thenCombine(bookkeeping, (n, ignored) -> n);
    }

    private Long counterFailure(String key, Throwable error) {
        Throwable cause = RedisFailures.unwrap(error);
        if (cause instanceof RedisCommandExecutionException && String.valueOf(cause.getMessage()).contains("not an integer")) {
            throw new CompletionException(new CacheException("cannot increment key '" + key + "' in namespace '"
                    + keys.namespace() + "': it does not hold an integer"));
        }
        if (cause instanceof RedisCommandExecutionException && String.valueOf(cause.getMessage()).contains("overflow")) {
            throw new CompletionException(new CacheException("counter '" + key + "' in namespace '"
                    + keys.namespace() + "' would overflow a long"));
        }
        return failures.fail("INCRBY", key, error);
    }

    private byte[] encode(String key, V value) {
        try {
            return codec.encode(value);
        } catch (RuntimeException e) {
            throw new CacheSerializationException("cannot encode the value of key '" + key + "' in namespace '"
                    + keys.namespace() + "': a " + value.getClass().getName() + " with codec " + codec.description()
                    + ": " + e.getMessage(), e);
        }
    }

    private V decode(String key, byte[] bytes) {
        if (bytes == null) {
            return null;
        }
        try {
            return codec.decode(bytes);
        } catch (RuntimeException e) {
            failures.undecodable(key, codec.description(), e);
            return null;
        }
    }

    private void recordLookup(boolean hit) {
        recordLookups(hit ? 1 : 0, hit ? 0 : 1);
    }

    private void recordLookups(long hits, long misses) {
        stats.recordHits(hits);
        stats.recordMisses(misses);
        if (sharedStats != null) {
            sharedStats.record(hits, misses);
        }
    }
}
