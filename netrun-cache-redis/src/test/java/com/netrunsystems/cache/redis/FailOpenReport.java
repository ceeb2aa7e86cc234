package com.netrunsystems.cache.redis;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Writes the observed fail-open table to {@code target/fail-open-matrix.md}: each matrix IT writes its own section
 * ({@code target/fail-open-matrix/<section>.md}), and the combined file is rebuilt from the sections present, in a
 * fixed order, so running one IT or all of them gives a complete file for what ran.
 */
final class FailOpenReport {

    /** The sections, in the order of the combined file. */
    static final List<String> SECTIONS = List.of("redis-cache", "cache-manager", "cluster", "cluster-manager", "sentinel");

    private static final Path TARGET = Path.of("target");

    private FailOpenReport() {
    }

    /** Stores {@code markdown} as {@code section} and rewrites the combined file. */
    static synchronized void write(String section, String markdown) {
        if (!SECTIONS.contains(section)) {
            throw new IllegalArgumentException("section must be one of " + SECTIONS + ", was " + section);
        }
        try {
            Path sections = Files.createDirectories(TARGET.resolve("fail-open-matrix"));
            Files.writeString(sections.resolve(section + ".md"), markdown, StandardCharsets.UTF_8);
            StringBuilder combined = new StringBuilder("""
                    Cell: answer · errors counted in stats() for this call · duration of the call. \
                    `CUE(kind)` is `CacheUnavailableException` of that `kind()`. A cell that differs from the expected table is bold and \
                    marked ✗.

                    """);
            for (String name : SECTIONS) {
                Path file = sections.resolve(name + ".md");
                if (Files.exists(file)) {
                    combined.append(Files.readString(file, StandardCharsets.UTF_8)).append('\n');
                }
            }
            Files.writeString(TARGET.resolve("fail-open-matrix.md"), combined.toString(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("could not write the fail-open matrix under " + TARGET.toAbsolutePath(), e);
        }
    }
}
