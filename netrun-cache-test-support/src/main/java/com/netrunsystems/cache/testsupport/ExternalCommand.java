package com.netrunsystems.cache.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a short-lived command (redis-cli, openssl) with a timeout, its combined output captured through a file. */
final class ExternalCommand {

    /** What a finished command exited with and printed. */
    record Result(int exitCode, String output) {
        boolean succeeded() {
            return exitCode == 0;
        }
    }

    private ExternalCommand() {
    }

    static Result run(List<String> command, Path workingDirectory, Duration timeout) {
        Path outputFile = null;
        Process process = null;
        try {
            outputFile = Files.createTempFile("netrun-command-", ".out");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(outputFile.toFile());
            if (workingDirectory != null) {
                builder.directory(workingDirectory.toFile());
            }
            process = builder.start();
            ProcessReaper.register(process);
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor();
                throw new IllegalStateException("Command did not finish within " + timeout.toMillis() + " ms: "
                        + String.join(" ", command) + "\n" + Files.readString(outputFile, StandardCharsets.UTF_8));
            }
            return new Result(process.exitValue(), Files.readString(outputFile, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Could not run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            if (process != null) {
                process.destroyForcibly();
            }
            throw new IllegalStateException("Interrupted while running " + String.join(" ", command), e);
        } finally {
            if (process != null) {
                ProcessReaper.unregister(process);
            }
            if (outputFile != null) {
                TempDirectories.deleteRecursively(outputFile);
            }
        }
    }
}
