package com.netrunsystems.cache.testsupport;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * One {@code redis-server} OS process (a server or a Sentinel): launching it with its output appended to a log file
 * (so no pipe can fill up), waiting until it is ready, and ending it.
 */
final class RedisProcess {

    /** How a launch ended when it did not throw. */
    enum Launch { READY, PORT_IN_USE }

    private static final String PORT_IN_USE_MESSAGE = "Address already in use";
    private static final int LOG_TAIL_LINES = 40;
    private static final Duration GRACEFUL_STOP = Duration.ofSeconds(5);

    private final String description;
    private final List<String> command;
    private final Path workingDirectory;
    private final Path logFile;
    private Process process;

    RedisProcess(String description, List<String> command, Path workingDirectory, Path logFile) {
        this.description = description;
        this.command = List.copyOf(command);
        this.workingDirectory = workingDirectory;
        this.logFile = logFile;
    }

    /**
     * Starts the process and polls {@code readiness} until it returns true. If the process exits because its port is
     * in use, either returns {@link Launch#PORT_IN_USE} or, when {@code retryWhilePortInUse}, tries again until the
     * deadline.
     *
     * @throws RedisStartupException when the process exits for another reason or is not ready in time
     */
    synchronized Launch launchAndAwait(Duration timeout, boolean retryWhilePortInUse, Callable<Boolean> readiness) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long logStart = logSize();
            launch();
            Exception lastProbeFailure = null;
            while (process.isAlive()) {
                try {
                    if (Boolean.TRUE.equals(readiness.call())) {
                        return Launch.READY;
                    }
                } catch (Exception e) {
                    lastProbeFailure = e;
                }
                if (System.nanoTime() - deadline >= 0) {
                    kill();
                    throw new RedisStartupException(description + " did not become ready within " + timeout.toMillis()
                            + " ms" + (lastProbeFailure == null ? "" : " (last probe: " + lastProbeFailure + ")"),
                            logTail(), lastProbeFailure);
                }
                Polling.sleep(Polling.DEFAULT_INTERVAL);
            }
            ProcessReaper.unregister(process);
            boolean portInUse = logSince(logStart).contains(PORT_IN_USE_MESSAGE);
            if (portInUse && !retryWhilePortInUse) {
                return Launch.PORT_IN_USE;
            }
            if (portInUse && System.nanoTime() - deadline < 0) {
                Polling.sleep(Duration.ofMillis(200));
                continue;
            }
            throw new RedisStartupException(description + " exited with code " + process.exitValue()
                    + " while starting", logTail());
        }
    }

    private void launch() {
        try {
            process = new ProcessBuilder(command)
                    .directory(workingDirectory.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(Redirect.appendTo(logFile.toFile()))
                    .start();
        } catch (IOException e) {
            throw new RedisStartupException("Could not launch " + description + ": " + String.join(" ", command),
                    logTail(), e);
        }
        ProcessReaper.register(process);
        try {
            process.getOutputStream().close();
        } catch (IOException e) {
            // nothing is written to the process anyway
        }
    }

    synchronized boolean isAlive() {
        return process != null && process.isAlive();
    }

    synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException(description + " was never started");
        }
        return process.pid();
    }

    /** Sends SIGKILL and waits until the process is gone. No-op when it is not running. */
    synchronized void kill() {
        if (process == null) {
            return;
        }
        process.destroyForcibly();
        awaitExit(process);
        ProcessReaper.unregister(process);
    }

    /** Sends SIGTERM, waits a few seconds, then SIGKILL. No-op when it is not running. */
    synchronized void stop() {
        if (process == null) {
            return;
        }
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(GRACEFUL_STOP.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        awaitExit(process);
        ProcessReaper.unregister(process);
    }

    private static void awaitExit(Process process) {
        boolean interrupted = false;
        while (true) {
            try {
                process.waitFor();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines of the log file, for error messages. */
    String logTail() {
        try {
            if (!Files.exists(logFile)) {
                return "(no log file at " + logFile + ")";
            }
            List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - LOG_TAIL_LINES), lines.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(could not read " + logFile + ": " + e + ")";
        }
    }

    private long logSize() {
        try {
            return Files.exists(logFile) ? Files.size(logFile) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    private String logSince(long offset) {
        try (RandomAccessFile file = new RandomAccessFile(logFile.toFile(), "r")) {
            long length = file.length();
            if (length <= offset) {
                return "";
            }
            byte[] bytes = new byte[(int) Math.min(length - offset, 1 << 20)];
            file.seek(offset);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }
}
