package com.netrunsystems.cache.tiered;

import com.netrunsystems.cache.Cache;
import com.netrunsystems.cache.CircuitState;
import com.netrunsystems.cache.Ticker;
import com.netrunsystems.cache.load.TtlValue;
import com.netrunsystems.cache.spi.RemoteLayer;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a two-level cache's L1 coherent with L2 and with the other managers of its namespace: the
 * invalidation channel (messages in, messages out, flush on (re)subscription), the invalidation
 * epoch that stops a read or write racing with an invalidation from leaving a stale L1 copy, and the
 * rule of when L1 may be trusted (subscribed, or L2 down).
 *
 * <p>The epoch counts every invalidation: a peer's message, a flush, and each own L2 write once it
 * has been sent. A writer reads it before its L2 call; if it moved by more than its own write when
 * L1 is updated, the key is dropped from L1 again. Thread-safe; the channel's callbacks run on
 * Redis I/O threads and only touch L1.
 *
 * @param <V> the type of the cached values
 */
public final class L1Coherence<V> {

    private static final Logger log = LoggerFactory.getLogger("com.netrunsystems.cache.CacheManager");

    private final Cache<V> cache;
    private final String namespace;
    private final Duration l1Ttl;
    private final Ticker ticker;
    private final String id = UUID.randomUUID().toString();
    private final AtomicLong invalidations = new AtomicLong();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final LongAdder sent = new LongAdder();
    private final LongAdder received = new LongAdder();
    private RemoteLayer.InvalidationChannel channel; // set once by subscribe, before the cache is published
    private L2Guard<V> guard;
    private Duration firstAttemptTimeout = Duration.ZERO;
    /** Whether the first call has waited for the first subscription attempt (see {@link #awaitFirstSubscription}). */
    private volatile boolean ready = true;

    /** Creates the coherence of {@code l1}, whose entries live at most {@code l1Ttl}; memory-only until {@link #subscribe}. */
    public L1Coherence(LocalLayer<V> l1, String namespace, Duration l1Ttl, Ticker ticker) {
        this.cache = l1.cache();
        this.namespace = namespace;
        this.l1Ttl = l1Ttl;
        this.ticker = ticker;
    }

    /**
     * Subscribes to the namespace's channel {@code netrun-cache:invalidate:<namespace>} on {@code l2};
     * the first call then waits at most {@code firstAttemptTimeout} for the first attempt to end. Called
     * once, while the cache is being built.
     */
    public void subscribe(L2Guard<V> guard, Duration firstAttemptTimeout) {
        this.guard = guard;
        this.firstAttemptTimeout = firstAttemptTimeout;
        this.ready = false;
        this.channel = guard.layer().subscribe("netrun-cache:invalidate:" + namespace, this::onMessage, this::flush);
    }

    /** Whether an L1 hit may be served: no peer can have changed it unseen. */
    public boolean trusted() {
        return channel == null || channel.isSubscribed() || guard.state() != CircuitState.CLOSED;
    }

    /** Returns the invalidation epoch, to read before an L2 call. */
    public long epoch() {
        return invalidations.get();
    }

    /** Counts an own L2 write as an invalidation, once it was sent and before L1 is touched. */
    public void invalidated() {
        invalidations.incrementAndGet();
    }

    /** Returns the ticker's reading, for {@link #fill}'s {@code sentAt}. */
    public long now() {
        return ticker.read();
    }

    /** Returns the L1 TTL of an entry written for {@code ttl}: {@code min(ttl, l1Ttl)}. */
    public Duration l1Ttl(Duration ttl) {
        return ttl.compareTo(l1Ttl) < 0 ? ttl : l1Ttl;
    }

    /**
     * Fills L1 after an L2 read sent at {@code sentAt}: Redis measured the remaining TTL before the
     * reply travelled back, so the time since sending is taken off, and an L1 copy never outlives
     * the Redis entry. Skipped when an invalidation raced with the read.
     */
    public void fill(String key, TtlValue<V> remote, long epoch, long sentAt) {
        if (!trusted() || invalidations.get() != epoch) {
            return;
        }
        Duration ttl = remote.remaining() == null
                ? l1Ttl
                : l1Ttl(remote.remaining().minusNanos(ticker.read() - sentAt)); // time since Redis measured it
        if (ttl.toMillis() <= 0) {
            return;
        }
        cache.set(key, remote.value(), ttl);
        if (invalidations.get() != epoch) {
            cache.delete(key); // an invalidation raced with this fill
        }
    }

    /**
     * Finishes a write after L1 was updated. Drops {@code keys} from L1 again when another
     * invalidation (a peer's message, or another local writer) arrived since {@code epoch} was read
     * before the L2 write, since the L1 copy might then be older than Redis. Then tells peers whenever
     * L2 was {@code asked}, also when the write failed: a timed-out write may still have been applied.
     * (A failed write stays in this L1, as the outage rules say, for at most {@code l1Ttl}, or until the
     * circuit closes again after an outage and L1 is flushed; a refused one was dropped from L1.)
     */
    public void settle(List<String> keys, long epoch, boolean asked) {
        long own = asked ? 1 : 0;
        if (invalidations.get() != epoch + own) {
            keys.forEach(cache::delete);
        }
        if (asked) {
            publish(keys);
        }
    }

    /** Tells peers that {@code keys} changed in L2. */
    public void publish(List<String> keys) {
        channel.publish(InvalidationMessage.keys(id, keys).encode());
        sent.increment();
    }

    /** Tells peers to drop their whole L1. */
    public void publishAll() {
        channel.publish(InvalidationMessage.all(id).encode());
        sent.increment();
    }

    /** Returns how many invalidation messages this manager has published (handed to the channel). */
    public long sent() {
        return sent.sum();
    }

    /** Returns how many invalidation messages of peers this manager has received (its own not counted). */
    public long received() {
        return received.sum();
    }

    /** Returns L1's value as a {@link TtlValue} of unknown TTL, or {@code null}; counts nothing. */
    public TtlValue<V> fromL1(String key) {
        V local = cache.get(key, false);
        return local == null ? null : new TtlValue<>(local, null);
    }

    /** Adds L1's value of {@code key} to {@code found}, if it has one; counts nothing. */
    public void addFromL1(String key, Map<String, V> found) {
        V local = cache.get(key, false);
        if (local != null) {
            found.put(key, local);
        }
    }

    /** Flushes L1 (a new subscription, or L2 back after an outage: messages may have been missed). */
    public void flush() {
        invalidations.incrementAndGet();
        if (!closed.get()) {
            cache.clearNamespace();
        }
    }

    /** For the probe: subscribes again when the subscription could never be opened. */
    public void reconnectIfNeeded() {
        if (channel != null && !channel.isSubscribed()) {
            channel.reconnect();
        }
    }

    /** Returns whether the first call no longer needs to wait for the first subscription attempt. */
    public boolean ready() {
        return ready;
    }

    /**
     * Makes the first call wait (once per manager, at most {@code firstAttemptTimeout}) until the first
     * attempt to subscribe has ended: the confirmation flushes L1, so a value written or read before it
     * would be flushed right after, and could not be served if Redis then died. Blocks; for the blocking view.
     */
    public void awaitFirstSubscription() {
        if (!ready) {
            BoundedWait.await(channel.firstAttempt().completeOnTimeout(false, firstAttemptTimeout.toMillis(),
                    TimeUnit.MILLISECONDS).exceptionally(error -> false), firstAttemptTimeout.toMillis() + 1000,
                    "the first subscription in namespace '" + namespace + "'");
            ready = true;
        }
    }

    /**
     * Runs {@code operation} now when {@link #ready()}, else once the first subscription attempt has
     * ended (at most {@code firstAttemptTimeout}); never blocks. The non-blocking twin of
     * {@link #awaitFirstSubscription}.
     */
    public <T> CompletableFuture<T> whenReady(Supplier<CompletableFuture<T>> operation) {
        if (ready) {
            return operation.get();
        }
        return channel.firstAttempt()
                .completeOnTimeout(false, firstAttemptTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(error -> false)
                .thenCompose(confirmed -> {
                    ready = true;
                    return operation.get();
                });
    }

    /** Stops handling messages and closes the subscription; idempotent. */
    public void close() {
        if (closed.compareAndSet(false, true) && channel != null) {
            channel.close();
        }
    }

    private void onMessage(byte[] payload) {
        InvalidationMessage message;
        try {
            message = InvalidationMessage.decode(payload);
        } catch (IOException e) {
            log.debug("ignored a malformed invalidation message in namespace '{}'", namespace);
            return;
        }
        if (id.equals(message.sender()) || closed.get()) {
            return;
        }
        invalidations.incrementAndGet();
        received.increment();
        if (message.all()) {
            cache.clearNamespace();
        } else {
            for (String key : message.keys()) {
                if (key != null && !key.isEmpty()) { // no such key can be in L1; another client's message may carry one
                    cache.delete(key);
                }
            }
        }
    }
}
