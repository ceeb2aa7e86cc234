package com.netrunsystems.cache;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Captures what the test binding (slf4j-simple, which writes each line to the current
 * {@code System.err}) logs while it is open, and still shows it on the console. Not for parallel
 * tests: it swaps {@code System.err} for the whole JVM until {@link #close()}.
 *
 * <pre>{@code
 * try (CapturedLog log = CapturedLog.start()) {
 *     ...
 *     assertThat(log.lines("WARN")).singleElement().asString().contains("getProduct");
 * }
 * }</pre>
 */
public final class CapturedLog implements AutoCloseable {

    private final PrintStream original = System.err;
    private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

    private CapturedLog() {
        OutputStream tee = new OutputStream() {
            @Override
            public void write(int b) {
                synchronized (captured) {
                    captured.write(b);
                }
                original.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) {
                synchronized (captured) {
                    captured.write(b, off, len);
                }
                original.write(b, off, len);
            }
        };
        System.setErr(new PrintStream(tee, true, StandardCharsets.UTF_8));
    }

    /** Starts capturing. */
    public static CapturedLog start() {
        return new CapturedLog();
    }

    /** Returns the lines logged so far. */
    public List<String> lines() {
        synchronized (captured) {
            return captured.toString(StandardCharsets.UTF_8).lines().toList();
        }
    }

    /** Returns the lines logged so far at {@code level} ("WARN", "INFO", ...). */
    public List<String> lines(String level) {
        return lines().stream().filter(line -> line.contains(" " + level + " ")).toList();
    }

    /** Stops capturing and restores {@code System.err}. */
    @Override
    public void close() {
        System.err.flush();
        System.setErr(original);
    }
}
