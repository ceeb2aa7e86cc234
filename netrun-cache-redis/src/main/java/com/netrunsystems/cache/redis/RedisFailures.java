package com.netrunsystems.cache.redis;

import com.netrunsystems.cache.CacheException;
import com.netrunsystems.cache.CacheUnavailableException;
import com.netrunsystems.cache.internal.StatsCounter;
import io.lettuce.core.RedisCommandExecutionException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides what a failed Redis call becomes: a fail-open answer (counted and logged) or an
 * exception. Logs at most one warning per 10 seconds per cache, with the count of the failures it
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

    /**
     * Handles a failed read or write: counts and logs it, then returns {@code fallback} when the
     * cache fails open, or throws.
     */
    <T> T failOpen(String operation, String key, Throwable error, T fallback) {
        Throwable cause = unwrap(error);
        stats.recordError();
        if (!failOpen) {
            throw new CompletionException(toException(operation, key, cause));
        }
        warn(operation, key, cause, "answered as a miss / not stored (fail-open)");
        return fallback;
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
        if (cause instanceof RedisCommandExecutionException && !isServerUnavailable(cause)) {
            return new CacheException("Redis at " + endpoint + " rejected " + subject + ": " + reason(cause), cause);
        }
        return new CacheUnavailableException("Redis at " + endpoint + " is unavailable for " + subject + ": "
                + reason(cause), cause);
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

    /** Error replies that say the server cannot serve now, rather than that the command was wrong. */
    private static final java.util.List<String> UNAVAILABLE_REPLIES = java.util.List.of(
            "LOADING", "MASTERDOWN", "READONLY", "CLUSTERDOWN", "TRYAGAIN", "BUSY", "OOM", "NOREPLICAS");

    /**
     * Returns whether an error reply means the server is unavailable (loading, a replica after a
     * failover, a cluster without quorum, out of memory): those fail open like a lost connection.
     */
    static boolean isServerUnavailable(Throwable cause) {
        String message = String.valueOf(cause.getMessage());
        for (String prefix : UNAVAILABLE_REPLIES) {
            if (message.startsWith(prefix)) {
                return true;
            }
        }
        return false;
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
