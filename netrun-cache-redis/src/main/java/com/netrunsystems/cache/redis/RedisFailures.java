package com.netrunsystems.cache.redis;

import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.CacheUnavailableException;
import com.netrunsystems.cache.internal.StatsCounter;
import io.lettuce.core.RedisCommandExecutionException;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what a failed Redis call becomes: a fail-open answer (counted and logged) or an
 * exception. This is the one place where Redis error replies are classified ({@link #classify}):
 * <ul>
 *   <li>{@link Failure#CALLER_ERROR}: the command was wrong for the data ({@code WRONGTYPE},
 *       {@code ERR value is not an integer}, any reply not listed below): thrown as a
 *       {@link CacheException}, also when the cache fails open; except that a read of a key holding
 *       another Redis type is undecodable data, a counted miss ({@link #failOpenRead});</li>
 *   <li>{@link Failure#WRITE_REJECTED}: the server is up and answers reads but refuses to change data
 *       ({@link #WRITE_REJECTIONS}): counted; a write answers {@code false}/0 when failing open, else
 *       {@link CacheUnavailableException} of kind {@code WRITE_REJECTED};</li>
 *   <li>{@link Failure#UNAVAILABLE}: no connection, a timeout, or a reply saying the server cannot serve
 *       now ({@link #UNAVAILABILITY}): counted; fails open, else {@link CacheUnavailableException}.</li>
 * </ul> Logs at most one warning per 10 seconds per cache, with the count of the failures it
 * did not log in between, so an outage does not flood the log; never logs a value or a password.
 */
final class RedisFailures {

    private static final Logger log = LoggerFactory.getLogger(RedisCache.class);
    private static final long WARN_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

    private final String namespace;
    private final String endpoint;
    private final boolean failOpen;
    private final StatsCounter stats;
    private final AtomicLong lastWarnNanos = new AtomicLong(System.nanoTime() - WARN_INTERVAL_NANOS);
    private final AtomicLong suppressed = new AtomicLong();

    RedisFailures(String namespace, String endpoint, boolean failOpen, StatsCounter stats) {
        this.namespace = namespace;
        this.endpoint = endpoint;
        this.failOpen = failOpen;
        this.stats = stats;
    }

    /** What a failed call means; see the class comment. */
    enum Failure {
        /** The command was wrong for the data: thrown. */
        CALLER_ERROR,
        /** The server refuses writes but serves reads: the write answers false (fail-open). */
        WRITE_REJECTED,
        /** The server cannot serve now, or cannot be reached in time: fails open. */
        UNAVAILABLE
    }

    /** Error-reply prefixes of a server that refuses writes and still serves reads. */
    static final List<String> WRITE_REJECTIONS = List.of("OOM", "MISCONF", "READONLY", "NOREPLICAS");

    /** Error-reply prefixes of a server that cannot serve now, or not this client. */
    static final List<String> UNAVAILABILITY = List.of("LOADING", "MASTERDOWN", "CLUSTERDOWN", "TRYAGAIN", "BUSY",
            "NOAUTH", "WRONGPASS", "NOPERM", "MOVED", "ASK");

    /**
     * Handles a failed read or write: counts and logs it, then returns {@code fallback} when the
     * cache fails open, or throws. A caller error is always thrown.
     */
    <T> T failOpen(String operation, String key, Throwable error, T fallback) {
        Throwable cause = unwrap(error);
        stats.recordError();
        Failure failure = classify(cause);
        if (!failOpen || failure == Failure.CALLER_ERROR) {
            throw new CompletionException(toException(operation, key, cause));
        }
        warn(operation, key, cause, failure == Failure.WRITE_REJECTED
                ? "the server refuses writes: not stored (fail-open)" : "answered as a miss / not stored (fail-open)");
        return fallback;
    }

    /**
     * Handles the failed part of a multi-key read on a Cluster whose other masters answered: counts and logs it, and
     * lets the caller return the keys that were answered, also when the cache does not fail open (a {@code
     * CacheManager}'s L2), since a master that is down costs only its own keys.
     */
    void partial(String operation, String keys, Throwable error) {
        Throwable cause = unwrap(error);
        stats.recordError();
        warn(operation, keys, cause, "answered as misses; the other masters' keys are returned");
    }

    /**
     * Handles a failed read: as {@link #failOpen}, except that a key holding another Redis type
     * ({@code WRONGTYPE}: a hash or list someone else wrote under our key) is data this cache cannot
     * decode, so the read answers {@code miss}, counted, also without fail-open (a read never throws for
     * what is stored); any other failure answers {@code unavailable} as {@link #failOpen} does.
     */
    <T> T failOpenRead(String operation, String key, Throwable error, T miss, T unavailable) {
        Throwable cause = unwrap(error);
        if (cause instanceof RedisCommandExecutionException && "WRONGTYPE".equals(prefix(cause.getMessage()))) {
            stats.recordError();
            warn(operation, key, cause, "the key holds another Redis type; answered as a miss");
            return miss;
        }
        return failOpen(operation, key, error, unavailable);
    }

    /** Handles a failed counter or lock call, which never fails open: counts, logs and throws. */
    <T> T fail(String operation, String key, Throwable error) {
        Throwable cause = unwrap(error);
        stats.recordError();
        warn(operation, key, cause, "thrown to the caller");
        throw new CompletionException(toException(operation, key, cause));
    }

    /** Counts and logs a value that could not be decoded; the read answers a miss. */
    void undecodable(String key, String codec, RuntimeException error) {
        stats.recordError();
        warn("decode", key, error, "the value under it cannot be decoded with codec " + codec + "; answered as a miss");
    }

    /** Returns the exception that a failed call becomes when it is not answered fail-open. */
    CacheException toException(String operation, String key, Throwable cause) {
        if (cause instanceof CacheException cacheException) {
            return cacheException;
        }
        String subject = operation + (key == null ? "" : " of key '" + key + "'") + " in namespace '" + namespace + "'";
        return switch (classify(cause)) {
            case CALLER_ERROR -> new CacheException("Redis at " + endpoint + " rejected " + subject + ": "
                    + reason(cause), cause);
            case WRITE_REJECTED -> new CacheUnavailableException("Redis at " + endpoint + " refuses writes, so "
                    + subject + " was not applied: " + reason(cause), cause, CacheUnavailableException.Kind.WRITE_REJECTED);
            case UNAVAILABLE -> new CacheUnavailableException("Redis at " + endpoint + " is unavailable for "
                    + subject + ": " + reason(cause), cause, CacheUnavailableException.Kind.UNAVAILABLE);
        };
    }

    /** Returns {@code "GET of key 'k'"}, or the operation alone for a call without a key (PING). */
    private static String ofKey(String operation, String key) {
        return key == null ? operation : operation + " of key '" + key + "'";
    }

    private void warn(String operation, String key, Throwable cause, String outcome) {
        long now = System.nanoTime();
        long last = lastWarnNanos.get();
        if (now - last >= WARN_INTERVAL_NANOS && lastWarnNanos.compareAndSet(last, now)) {
            long quiet = suppressed.getAndSet(0);
            log.warn("Redis at {}: {} in namespace '{}' failed ({}); {}{}", endpoint, ofKey(operation, key),
                    namespace, describe(cause), outcome,
                    quiet == 0 ? "" : " [" + quiet + " similar failures in the last 10 s not logged]");
        } else {
            suppressed.incrementAndGet();
            log.debug("Redis at {}: {} in namespace '{}' failed: {}", endpoint, ofKey(operation, key), namespace,
                    describe(cause));
        }
    }

    /**
     * Returns why {@code error} happened, for a message: the distinct messages along its cause chain,
     * so that Lettuce's "Unable to connect to host:port" is followed by the reason (a WRONGPASS reply,
     * a certificate error, an unknown Sentinel master) instead of ending there or reading "null".
     * Redis error replies and TLS errors never carry the password that was sent.
     */
    static String reason(Throwable error) {
        StringBuilder reason = new StringBuilder();
        Throwable t = error;
        for (int depth = 0; t != null && depth < 10; depth++) {
            String message = t.getMessage();
            Throwable cause = t.getCause() == t ? null : t.getCause();
            boolean wrapperOnly = message == null || message.isBlank()
                    || (cause != null && message.equals(cause.toString()));
            if (!wrapperOnly && reason.indexOf(message) < 0) {
                reason.append(reason.length() == 0 ? "" : ": ").append(message);
            }
            t = cause;
        }
        return reason.length() == 0 ? error.getClass().getName() : reason.toString();
    }

    private static String describe(Throwable cause) {
        return cause.getClass().getName() + ": " + reason(cause);
    }

    /**
     * Classifies a failure (after {@link #unwrap}): an error reply by its first word (the prefix),
     * a {@link CacheException} by its type, anything else (connection loss, a timeout, a closed
     * connection) as {@link Failure#UNAVAILABLE}.
     */
    static Failure classify(Throwable cause) {
        if (cause instanceof CacheUnavailableException unavailable) {
            return unavailable.kind() == CacheUnavailableException.Kind.WRITE_REJECTED
                    ? Failure.WRITE_REJECTED : Failure.UNAVAILABLE;
        }
        if (cause instanceof CacheException) {
            return Failure.CALLER_ERROR;
        }
        if (!(cause instanceof RedisCommandExecutionException)) {
            return Failure.UNAVAILABLE;
        }
        String prefix = prefix(cause.getMessage());
        if (WRITE_REJECTIONS.contains(prefix)) {
            return Failure.WRITE_REJECTED;
        }
        return UNAVAILABILITY.contains(prefix) ? Failure.UNAVAILABLE : Failure.CALLER_ERROR;
    }

    /** Returns the first word of an error reply ({@code "OOM"} of {@code "OOM command not allowed ..."}). */
    private static String prefix(String message) {
        if (message == null) {
            return "";
        }
        int end = 0;
        while (end < message.length() && !Character.isWhitespace(message.charAt(end))) {
            end++;
        }
        return message.substring(0, end);
    }

    /** Returns the cause behind completion and execution wrappers. */
    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
