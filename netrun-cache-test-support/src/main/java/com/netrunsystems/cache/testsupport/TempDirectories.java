package com.netrunsystems.cache.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Creates and deletes the temporary directories the servers keep their files in (deleted at JVM exit if left). */
final class TempDirectories {

    private TempDirectories() {
    }

    static Path create(String prefix) {
        try {
            Path directory = Files.createTempDirectory(prefix);
            ProcessReaper.registerDirectory(directory);
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create a temporary directory", e);
        }
    }

    /** Deletes {@code path} and everything below it; best effort, never throws. */
    static void deleteRecursively(Path path) {
        if (path == null) {
            return;
        }
        ProcessReaper.unregisterDirectory(path);
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            paths.sorted(Comparator.reverseOrder()).forEach(TempDirectories::deleteQuietly);
        } catch (IOException | UncheckedIOException e) {
            // best effort: a leftover file in the temp directory is harmless
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            // best effort
        }
    }
}
