package com.netrunsystems.cache.testsupport;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Finds the {@code redis-server}, {@code redis-cli} and {@code openssl} executables in a list of directories. */
final class RedisExecutables {

    static final String REDIS_INSTALL_HINT =
            "install it (Debian/Ubuntu: sudo apt-get install -y redis-server; macOS: brew install redis)";
    static final String OPENSSL_INSTALL_HINT =
            "install it (Debian/Ubuntu: sudo apt-get install -y openssl; macOS: brew install openssl)";

    private final List<Path> searchDirectories;

    /** Searches only {@code searchDirectories}, in order; tests pass an empty directory to simulate a missing binary. */
    RedisExecutables(List<Path> searchDirectories) {
        this.searchDirectories = List.copyOf(searchDirectories);
    }

    /** Searches the entries of {@code PATH}, then /usr/bin, /usr/local/bin and /opt/homebrew/bin. */
    static RedisExecutables fromEnvironment() {
        List<Path> directories = new ArrayList<>();
        String path = Objects.requireNonNullElse(System.getenv("PATH"), "");
        for (String entry : path.split(File.pathSeparator)) {
            if (!entry.isBlank()) {
                directories.add(Path.of(entry));
            }
        }
        directories.add(Path.of("/usr/bin"));
        directories.add(Path.of("/usr/local/bin"));
        directories.add(Path.of("/opt/homebrew/bin"));
        return new RedisExecutables(directories);
    }

    Path redisServer() {
        return locate("redis-server", REDIS_INSTALL_HINT);
    }

    Path redisCli() {
        return locate("redis-cli", REDIS_INSTALL_HINT);
    }

    Path openssl() {
        return locate("openssl", OPENSSL_INSTALL_HINT);
    }

    /** Returns the first executable file called {@code name}, or throws an {@link IllegalStateException}. */
    Path locate(String name, String installHint) {
        for (Path directory : searchDirectories) {
            Path candidate = directory.resolve(name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException(name + " not found on PATH: " + installHint);
    }
}
