package com.netrunsystems.cache.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Server-side faults injected into one {@link RedisServer}, as an operator would meet them: a frozen process
 * ({@code kill -STOP}), a server busy in one command ({@code DEBUG SLEEP}), killed client connections
 * ({@code CLIENT KILL TYPE}), memory full with {@code noeviction} ({@code OOM} replies) and a failing
 * {@code BGSAVE} ({@code MISCONF} replies).
 *
 * <pre>{@code
 * try (RedisServer redis = RedisServer.start()) {
 *     RedisFaults faults = redis.faults();
 *     faults.persistenceFailure();   // writes now answer "-MISCONF ..."
 *     ...
 *     faults.restorePersistence();
 * }
 * }</pre>
 *
 * <p>{@link #close()} undoes every fault still in effect; {@link RedisServer#stop()} and {@link RedisServer#kill()}
 * resume a paused process first. Thread-safe.
 */
public final class RedisFaults implements AutoCloseable {

    /** Which client connections {@link #clientKill} closes. */
    public enum ClientType {
        /** Command connections ({@code CLIENT KILL TYPE normal}); the admin connection sending it survives. */
        NORMAL,
        /** Subscriber connections ({@code CLIENT KILL TYPE pubsub}). */
        PUBSUB
    }

    private static final Duration SIGNAL_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration FAULT_TIMEOUT = Duration.ofSeconds(10);
    private static final String PROBE_KEY = "netrun-faults:probe";

    private final RedisServer server;
    private boolean paused;             // guarded by this
    private boolean memoryFull;         // guarded by this
    private boolean persistenceBroken;  // guarded by this

    RedisFaults(RedisServer server) {
        this.server = server;
    }

    /**
     * Freezes the process ({@code kill -STOP}): connections stay open, nothing is answered, as with a process stuck
     * in a long GC-like pause or a VM that stopped. Undo with {@link #resume()}.
     */
    public synchronized void pause() {
        signal("STOP");
        paused = true;
    }

    /** Lets a {@link #pause() paused} process run again ({@code kill -CONT}); no-op when it is not paused. */
    public synchronized void resume() {
        if (paused) {
            signal("CONT");
            paused = false;
        }
    }

    /** Whether the process is {@link #pause() paused}. */
    public synchronized boolean isPaused() {
        return paused;
    }

    /**
     * Sends {@code DEBUG SLEEP} for {@code duration} on a connection of its own and returns once the command was
     * sent (the server then answers nobody until it wakes up). The returned future completes when the server has
     * answered it, that is when it is awake again.
     */
    public CompletableFuture<Void> debugSleep(Duration duration) {
        if (duration.isNegative() || duration.isZero() || duration.compareTo(Duration.ofSeconds(4)) > 0) {
            throw new IllegalArgumentException("duration must be positive and at most 4 s, was " + duration);
        }
        String seconds = String.format(Locale.ROOT, "%.3f", duration.toMillis() / 1000.0);
        CountDownLatch sent = new CountDownLatch(1);
        CompletableFuture<Void> awake = new CompletableFuture<>();
        Thread sleeper = new Thread(() -> {
            try (RespConnection connection = server.openAdminConnection()) {
                connection.send("DEBUG", "SLEEP", seconds);
                sent.countDown();
                connection.readReply();
                awake.complete(null);
            } catch (IOException | RuntimeException e) {
                awake.completeExceptionally(e);
            } finally {
                sent.countDown();
            }
        }, "redis-debug-sleep-" + server.port());
        sleeper.setDaemon(true);
        sleeper.start();
        try {
            if (!sent.await(SIGNAL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("DEBUG SLEEP could not be sent to " + server.uri() + " in time");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while sending DEBUG SLEEP", e);
        }
        if (awake.isCompletedExceptionally()) {
            awake.join(); // the send failed: throws its failure
        }
        Polling.sleep(Duration.ofMillis(50)); // the server reads a loopback command within microseconds
        return awake;
    }

    /**
     * Closes every client connection of {@code type} ({@code CLIENT KILL TYPE ...}), except the one sending the
     * command, and returns how many were closed.
     */
    public long clientKill(ClientType type) {
        return (Long) server.execute("CLIENT", "KILL", "TYPE", type.name().toLowerCase(Locale.ROOT));
    }

    /**
     * Makes memory full: {@code maxmemory-policy noeviction} with a {@code maxmemory} below what the server already
     * uses, so every command that may grow memory answers {@code -OOM command not allowed when used memory >
     * 'maxmemory'} while reads keep working. Undo with {@link #clearMaxmemory()}.
     */
    public synchronized void maxmemoryNoEviction() {
        server.execute("CONFIG", "SET", "maxmemory-policy", "noeviction");
        server.execute("CONFIG", "SET", "maxmemory", "1");
        memoryFull = true;
        Polling.await(FAULT_TIMEOUT, "writes to answer OOM", () -> refusal("OOM"));
    }

    /** Removes the memory limit again ({@code maxmemory 0}). */
    public synchronized void clearMaxmemory() {
        server.execute("CONFIG", "SET", "maxmemory", "0");
        memoryFull = false;
    }

    /**
     * Makes the server unable to persist: a {@code save} point with {@code stop-writes-on-bgsave-error yes}, the
     * data directory pointed at a directory that no longer exists, and a {@code BGSAVE} that therefore fails. Returns
     * once writes answer {@code -MISCONF Redis is configured to save RDB snapshots, but it's currently unable to
     * persist to disk}; reads keep working. Undo with {@link #restorePersistence()}.
     */
    public synchronized void persistenceFailure() {
        Path gone = server.directory().resolve("removed-data-dir");
        try {
            Files.createDirectories(gone);
            server.execute("CONFIG", "SET", "dir", gone.toString());
            Files.delete(gone);
        } catch (IOException e) {
            throw new IllegalStateException("could not prepare a removed data directory under " + server.directory(), e);
        }
        server.execute("CONFIG", "SET", "stop-writes-on-bgsave-error", "yes");
        server.execute("CONFIG", "SET", "save", "3600 1");
        persistenceBroken = true;
        Polling.await(FAULT_TIMEOUT, "BGSAVE to fail", () -> {
            try {
                server.execute("BGSAVE");
            } catch (IllegalStateException inProgress) {
                // a save already running: wait for its outcome
            }
            return ((String) server.execute("INFO", "persistence")).contains("rdb_last_bgsave_status:err");
        });
        Polling.await(FAULT_TIMEOUT, "writes to answer MISCONF", () -> refusal("MISCONF"));
    }

    /** Lets the server persist again (data directory restored, no save points): writes are accepted again. */
    public synchronized void restorePersistence() {
        server.execute("CONFIG", "SET", "dir", server.directory().toString());
        server.execute("CONFIG", "SET", "save", "");
        persistenceBroken = false;
        Polling.await(FAULT_TIMEOUT, "writes to be accepted again", () -> refusal(null));
    }

    /**
     * Undoes every fault still in effect: resumes a paused process, removes the memory limit, restores persistence.
     * Idempotent; best effort on a server that no longer runs.
     */
    @Override
    public synchronized void close() {
        resume();
        if (!server.isRunning()) {
            memoryFull = false;
            persistenceBroken = false;
            return;
        }
        if (memoryFull) {
            clearMaxmemory();
        }
        if (persistenceBroken) {
            restorePersistence();
        }
    }

    /**
     * Called before the process is killed or stopped: resumes it if paused (a stopped process would not handle
     * SIGTERM), and forgets the other faults, which a restarted process does not have (it reads its config anew).
     */
    synchronized void processEnding() {
        resume();
        memoryFull = false;
        persistenceBroken = false;
    }

    /** Returns whether a probe write is refused with {@code prefix}, or accepted when {@code prefix} is null. */
    private boolean refusal(String prefix) {
        try {
            server.execute("SET", PROBE_KEY, "x", "PX", "1000");
            return prefix == null;
        } catch (IllegalStateException e) {
            return prefix != null && String.valueOf(e.getMessage()).startsWith(prefix);
        }
    }

    private void signal(String signal) {
        List<String> command = List.of("kill", "-" + signal, Long.toString(server.pid()));
        ExternalCommand.Result result = ExternalCommand.run(command, null, SIGNAL_TIMEOUT);
        if (!result.succeeded()) {
            throw new IllegalStateException(String.join(" ", command) + " failed: " + result.output());
        }
    }
}
