package com.netrunsystems.cache.testsupport;

/**
 * Thrown when a Redis process (server, cluster node or Sentinel) did not become ready; the message ends with the tail
 * of the process's log file so the cause (bad config, port in use, TLS error) shows in the test report.
 */
public class RedisStartupException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    /** Creates the exception from a summary and the log lines that explain it. */
    public RedisStartupException(String summary, String logTail) {
        super(summary + (logTail == null || logTail.isBlank() ? "" : "\n--- log tail ---\n" + logTail));
    }

    /** Creates the exception from a summary, the log lines that explain it and an underlying cause. */
    public RedisStartupException(String summary, String logTail, Throwable cause) {
        this(summary, logTail);
        initCause(cause);
    }
}
